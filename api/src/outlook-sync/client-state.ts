import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SigningKeys } from '../platform/signing-keys.js';

/**
 * A subscription's `clientState`: a random secret Graph echoes in every notification, proving it
 * came through our subscription. The row keeps only an HMAC of it under the link-signing key of a
 * known version (platform/signing-keys.ts), so a copy of the database cannot forge notifications.
 */
export interface ClientStates {
  /** A new secret for a subscription (Graph allows up to 128 characters) and what the row keeps. */
  issue(): { clientState: string; hash: string; keyVersion: number };
  /** Whether `clientState` is the one whose hash the row keeps; constant time. */
  matches(clientState: unknown, stored: { hash: string | null | undefined; keyVersion: number | null | undefined }): boolean;
}

const LABEL = 'calendar-sync clientState\n';

export function createClientStates(keys: SigningKeys): ClientStates {
  const hashWith = (secret: string, clientState: string) =>
    createHmac('sha256', secret)
      .update(LABEL + clientState)
      .digest('hex');
  return {
    issue() {
      const clientState = randomBytes(32).toString('base64url');
      return { clientState, hash: hashWith(keys.current.secret, clientState), keyVersion: keys.current.version };
    },
    matches(clientState, stored) {
      if (typeof clientState !== 'string' || !stored.hash || stored.keyVersion == null || clientState.length > 128) return false;
      const key = keys.byVersion(stored.keyVersion);
      if (!key) return false;
      const expected = Buffer.from(stored.hash, 'hex');
      const actual = Buffer.from(hashWith(key.secret, clientState), 'hex');
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },
  };
}
