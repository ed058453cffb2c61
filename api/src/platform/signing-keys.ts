import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig } from './config.js';

/** One link-signing key: its version travels with what it signed, so a rotation knows which key to check with. */
export interface SigningKey {
  version: number;
  secret: string;
  /** The end of a previous key's grace period; null for the current key. */
  until: Date | null;
}

/**
 * The link-signing keys: the current one signs, a previous one (after a rotation) is still
 * accepted for what it signed until its grace period ends. Shared by the school's links
 * (school-side/link-signer.ts) and the outbox's body encryption (mail/body-cipher.ts).
 */
export interface SigningKeys {
  current: SigningKey;
  /** The key of this version if it is still accepted at `now`; null when unknown or past its grace period. */
  accepted(version: number, now: Date): SigningKey | null;
  /** The key of this version whatever its grace period (decrypting what is already ours); null when unknown. */
  byVersion(version: number): SigningKey | null;
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

/** Production takes the secret from LINK_SIGNING_SECRET; development keeps a random one in DATA_DIR (config refuses production without one). */
export async function loadSigningKeys(config: AppConfig['schoolSide']): Promise<SigningKeys> {
  const current: SigningKey = {
    version: config.linkKeyVersion,
    secret: config.linkSecret ?? (await developmentSecret(config.linkSecretFile)),
    until: null,
  };
  const keys = [current, ...(config.previousLinkKey ? [config.previousLinkKey] : [])];
  const byVersion = (version: number) => keys.find((k) => k.version === version) ?? null;
  return {
    current,
    byVersion,
    accepted: (version, now) => {
      const key = byVersion(version);
      return key && (key.until === null || now < key.until) ? key : null;
    },
  };
}
