import type { Outbox } from '../mail/outbox.js';
import type { LinkSigner } from './link-signer.js';

/** What issuing and checking links needs, built once at start-up. */
export interface SchoolSideDeps {
  signer: LinkSigner;
  publicUrl: string;
  linkValidDays: number;
  outbox: Outbox;
}
