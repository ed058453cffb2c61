import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig } from '../platform/config.js';
import { isUuid } from '../platform/graphql/lookup.js';

/** What a link's signature covers: changing any of it in the URL breaks the link. */
export interface SignedFields {
  id: string;
  purpose: string;
  visitId: string;
  expiresAt: Date;
}

export interface LinkSigner {
  token(fields: SignedFields): string;
  /** The link id a token claims, or null when it is not one of ours at all. */
  idOf(token: string): string | null;
  verify(token: string, fields: SignedFields): boolean;
  /** A form token bound to one link, for the CSRF check of its page. */
  formToken(linkId: string): string;
}

async function developmentSecret(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const secret = randomBytes(32).toString('base64url');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}

/**
 * Tokens are "<link id>.<HMAC-SHA256 of its id, purpose, visit and expiry>".
 * Production takes the secret from LINK_SIGNING_SECRET; development keeps a
 * random one in DATA_DIR (config refuses production without one).
 */
export async function createLinkSigner(config: AppConfig['schoolSide']): Promise<LinkSigner> {
  const secret = config.linkSecret ?? (await developmentSecret(config.linkSecretFile));
  const mac = (text: string) => createHmac('sha256', secret).update(text).digest('base64url');
  const signature = (f: SignedFields) => mac(`link|${f.id}|${f.purpose}|${f.visitId}|${f.expiresAt.toISOString()}`);
  return {
    token: (f) => `${f.id}.${signature(f)}`,
    idOf: (token) => {
      const id = token.split('.')[0] ?? '';
      return isUuid(id) && id === id.toLowerCase() ? id : null;
    },
    verify: (token, f) => {
      const given = Buffer.from(token.split('.')[1] ?? '');
      const expected = Buffer.from(signature(f));
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
    formToken: (linkId) => mac(`form|${linkId}`),
  };
}
