import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/**
 * A stand-in for Microsoft Entra ID's key endpoint on 127.0.0.1: serves each
 * tenant's JWKS, lets a test rotate keys, and counts fetches. Tokens are signed
 * here with whatever claims and header a test wants, good or bad.
 */
export interface FakeKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeKey(kid = `key-${randomUUID().slice(0, 8)}`): Promise<FakeKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

export class FakeEntra {
  readonly tenant = randomUUID();
  fetches = 0;
  published: FakeKey[] = [];
  private server!: http.Server;
  jwksUri = '';

  async start(): Promise<this> {
    this.published = [await makeKey()];
    this.server = http.createServer((req, res) => {
      const match = /^\/([0-9a-f-]{36})\/discovery\/v2\.0\/keys$/.exec(req.url ?? '');
      if (!match || match[1] !== this.tenant) {
        res.writeHead(404).end();
        return;
      }
      this.fetches += 1;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: this.published.map((k) => k.publicJwk) }));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.jwksUri = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/{tenant}/discovery/v2.0/keys`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  get issuer(): string {
    return `https://login.microsoftonline.com/${this.tenant}/v2.0`;
  }

  /** A token as Entra would issue it for a person, with any claim or header overridden. */
  async sign(
    claims: Record<string, unknown>,
    options: { key?: FakeKey; header?: Record<string, unknown>; audience: string; issuer?: string; expiresIn?: number; notBefore?: number },
  ): Promise<string> {
    const key = options.key ?? this.published[0]!;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ tid: this.tenant, ver: '2.0', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT', ...options.header })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience)
      .setIssuedAt(now - 5)
      .setNotBefore(options.notBefore ?? now - 5)
      .setExpirationTime(options.expiresIn ?? now + 3600)
      .sign(key.privateKey);
  }
}
