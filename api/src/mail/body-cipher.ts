import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { SigningKey, SigningKeys } from '../platform/signing-keys.js';

/**
 * Encrypts an email's body while it waits in the outbox (it may hold a school's link).
 *
 * The key is derived (HKDF-SHA256) from the link-signing key rather than being a separate
 * MAIL_BODY_KEY: it is already required in production and kept outside the database, it
 * rotates with the links it protects (the version travels with the ciphertext, so a body
 * queued before a rotation still opens), and one secret fewer is one fewer to forget.
 * The HKDF "info" keeps the two uses apart: the derived key cannot sign a link.
 */
export interface BodyCipher {
  seal(body: string): string;
  /** The body as written; throws when its key is no longer configured. */
  open(sealed: string): string;
}

/** "sealed:v<key version>:<base64url of IV, ciphertext and GCM tag>". Anything else is a body queued before encryption. */
const PREFIX = /^sealed:v(\d{1,5}):([A-Za-z0-9_-]+)$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const derive = (key: SigningKey, use: string) => Buffer.from(hkdfSync('sha256', key.secret, use, `${use}-body v1`, 32));

/**
 * `use` keeps each kind of sealed thing under its own derived key (the outbox's bodies by default;
 * webhooks' signing secrets, webhooks/webhook-secret.ts): one cannot open the other.
 */
export function createBodyCipher(keys: SigningKeys, use = 'outbound-email'): BodyCipher {
  const derived = new Map<number, Buffer>();
  const keyOf = (key: SigningKey) => derived.get(key.version) ?? derived.set(key.version, derive(key, use)).get(key.version)!;
  return {
    seal(body) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyOf(keys.current), iv);
      const sealed = Buffer.concat([iv, cipher.update(body, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `sealed:v${keys.current.version}:${sealed.toString('base64url')}`;
    },
    open(sealed) {
      const match = PREFIX.exec(sealed);
      if (!match) return sealed; // queued before bodies were encrypted (Migration20261201100000_link_secrets)
      const key = keys.byVersion(Number(match[1]));
      if (!key) throw new Error(`the email's body was encrypted with link-signing key version ${match[1]}, which is no longer configured`);
      const data = Buffer.from(match[2]!, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', keyOf(key), data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      return Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}
