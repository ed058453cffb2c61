import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK, type JSONWebKeySet, type CryptoKey } from 'jose';
import type { AuthConfig } from '../config.js';
import { PERSON_SCOPE, ServiceRole } from './principal.js';

/**
 * A local stand-in for Entra ID in development and tests: an RSA key kept in a
 * file, whose public half the verifier trusts for the development tenant only.
 * Tokens it signs have Entra's v2 shape, so the production verifier checks them
 * unchanged. Never on in production (config refuses it).
 */
export interface DevIssuer {
  tenant: string;
  jwks: JSONWebKeySet;
  signForPerson(email: string, options?: TokenOptions): Promise<string>;
  signForService(name: string, roles?: string[], options?: TokenOptions): Promise<string>;
}

export interface TokenOptions {
  lifetimeSeconds?: number;
  scope?: string;
  audience?: string;
}

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

async function loadOrCreateKey(file: string): Promise<StoredKey> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StoredKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = `dev-${randomUUID()}`;
  const stored: StoredKey = {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(stored), { mode: 0o600 });
  return stored;
}

export async function createDevIssuer(auth: AuthConfig): Promise<DevIssuer> {
  if (!auth.devIssuer) throw new Error('The development issuer is off.');
  const { tenant, keyFile } = auth.devIssuer;
  const stored = await loadOrCreateKey(keyFile);
  const privateKey = (await importJWK(stored.privateJwk, 'RS256')) as CryptoKey;
  const issuer = `https://login.microsoftonline.com/${tenant}/v2.0`;

  const sign = (claims: Record<string, unknown>, subject: string, options: TokenOptions = {}) =>
    new SignJWT({ ...claims, tid: tenant, ver: '2.0' })
      .setProtectedHeader({ alg: 'RS256', kid: stored.kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(options.audience ?? auth.clientId)
      .setSubject(subject)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(`${options.lifetimeSeconds ?? 3600}s`)
      .sign(privateKey);

  return {
    tenant,
    jwks: { keys: [stored.publicJwk] },
    signForPerson: (email, options) => sign({ preferred_username: email, oid: randomUUID(), scp: options?.scope ?? PERSON_SCOPE }, email, options),
    signForService: (name, roles = [ServiceRole.READ], options) =>
      sign({ roles, azp: name, app_displayname: name, idtyp: 'app', oid: randomUUID() }, name, options),
  };
}
