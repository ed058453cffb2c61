import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isUuid } from '../platform/graphql/lookup.js';
import type { SigningKey, SigningKeys } from '../platform/signing-keys.js';

/** What a newly issued link gets: the token goes in the URL (and nowhere else), the rest in its row. */
export interface IssuedSecret {
  token: string;
  secretHash: string;
  keyVersion: number;
}

/** What the row of a link keeps of its secret (and, for a link issued before secrets, what its signature covered). */
export interface StoredSecret {
  id: string;
  secretHash?: string | null;
  keyVersion?: number | null;
  purpose?: string;
  visit?: { id: string };
  expiresAt?: Date;
}

/** ok; invalid (not one of ours, or changed); retired: genuine, but signed with a key whose grace period has ended. */
export type TokenCheck = 'ok' | 'invalid' | 'retired';

export interface LinkSigner {
  /** A new random secret for the link with this id, as a token and as the keyed hash its row stores. */
  issue(id: string): IssuedSecret;
  /** The link id a token claims, or null when it is not one of ours at all. */
  idOf(token: string): string | null;
  verify(token: string, stored: StoredSecret, now: Date): TokenCheck;
  /** A form token bound to one link (and to the key it was issued with, so it works across a rotation), for the CSRF check of its page. */
  formToken(link: StoredSecret): string;
}

/** 256 bits: far past guessing, and base64url has no "." to confuse the token's parts. */
const SECRET_BYTES = 32;

const mac = (key: SigningKey, text: string) => createHmac('sha256', key.secret).update(text).digest('base64url');
const hashOf = (key: SigningKey, id: string, secret: string) => mac(key, `link|${id}|${secret}`);

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Tokens are "<link id>.<key version>.<random secret>". The row keeps only an HMAC of the
 * secret under the key of that version: a copy of the database holds no usable link, and
 * the signing key alone cannot make one for a link it did not issue.
 */
export function createLinkSigner(keys: SigningKeys): LinkSigner {
  /**
   * A link issued before secrets ("<id>.<HMAC of its fields>" under the current key, nothing
   * stored): accepted until it expires, so the links already in schools' inboxes, and those an
   * instance of the previous release issues during a rolling deploy, keep working. No new link
   * is issued this way; remove once every such link has expired (LINK_VALID_DAYS after deploying).
   */
  const verifyLegacy = (token: string, stored: StoredSecret): TokenCheck => {
    const [id, signature, ...rest] = token.split('.');
    if (!signature || rest.length || id !== stored.id || !stored.purpose || !stored.visit || !stored.expiresAt) return 'invalid';
    const expected = mac(keys.current, `link|${stored.id}|${stored.purpose}|${stored.visit.id}|${stored.expiresAt.toISOString()}`);
    return sameText(signature, expected) ? 'ok' : 'invalid';
  };
  const parse = (token: string) => {
    const [id, version, secret, ...rest] = token.split('.');
    if (!id || !version || !secret || rest.length || !/^[1-9][0-9]{0,4}$/.test(version)) return null;
    return { id, version: Number(version), secret };
  };
  return {
    issue: (id) => {
      const secret = randomBytes(SECRET_BYTES).toString('base64url');
      const key = keys.current;
      return { token: `${id}.${key.version}.${secret}`, secretHash: hashOf(key, id, secret), keyVersion: key.version };
    },
    idOf: (token) => {
      const id = token.split('.')[0] ?? '';
      return isUuid(id) && id === id.toLowerCase() ? id : null;
    },
    verify: (token, stored, now) => {
      if (!stored.secretHash) return verifyLegacy(token, stored);
      const parts = parse(token);
      if (!parts || parts.id !== stored.id || !stored.secretHash || parts.version !== stored.keyVersion) return 'invalid';
      // A retired key still proves the link genuine (so the school is told it expired, and whom to ask), never that it is live.
      const key = keys.byVersion(parts.version);
      if (!key || !sameText(hashOf(key, parts.id, parts.secret), stored.secretHash)) return 'invalid';
      return keys.accepted(parts.version, now) ? 'ok' : 'retired';
    },
    formToken: (link) => mac((link.keyVersion != null && keys.byVersion(link.keyVersion)) || keys.current, `form|${link.id}`),
  };
}
