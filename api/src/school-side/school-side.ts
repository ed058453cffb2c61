import type { CouncilContact } from '../platform/config.js';
import type { Clock } from '../platform/clock.js';
import type { Outbox } from '../mail/outbox.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import type { LinkSigner } from './link-signer.js';

/** What issuing and checking links needs, built once at start-up. */
export interface SchoolSideDeps {
  signer: LinkSigner;
  publicUrl: string;
  linkValidDays: number;
  outbox: Outbox;
  /** The council's copy of circulated notes (notes/note-distribution.ts, notes/note-circulation.ts). */
  council: CouncilContact;
  /** The app's business clock: link expiry and the times the school's answers are recorded. */
  clock: Clock;
}

/** The GraphQL context as the school side's resolvers read it. */
export interface SchoolSideContext extends GraphQLContext {
  schoolSide: SchoolSideDeps;
}
