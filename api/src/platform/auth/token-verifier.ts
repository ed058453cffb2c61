import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { AuthConfig } from '../config.js';

/** Why a token was refused, for the log (the client only hears "not valid"). */
export class TokenRejected extends Error {}

export interface VerifiedClaims extends JWTPayload {
  tid: string;
  scp?: string;
  roles?: string[];
  preferred_username?: string;
  upn?: string;
  email?: string;
  azp?: string;
  /** v1 tokens' name for azp: the calling app's client id. */
  appid?: string;
  app_displayname?: string;
  idtyp?: string;
}

const TENANT_ISSUER = /^https:\/\/login\.microsoftonline\.com\/([0-9a-f-]{36})\/v2\.0$/;

/**
 * Verifies Entra ID v2 access tokens: RS256 only, issuer of an allowed tenant,
 * audience the API, exp/nbf with a little clock skew. Each tenant's signing keys
 * come from its JWKS, cached by jose and fetched again on an unknown key id. The
 * development tenant's key is local; everything else is the same path.
 */
export function createTokenVerifier(auth: AuthConfig, devJwks?: Parameters<typeof createLocalJWKSet>[0]) {
  const remote = new Map<string, JWTVerifyGetKey>();
  const local = devJwks ? createLocalJWKSet(devJwks) : null;
  const allowed = new Set(auth.tenants);
  if (auth.devIssuer && local) allowed.add(auth.devIssuer.tenant);

  const keyFor = (tenant: string): JWTVerifyGetKey => {
    if (auth.devIssuer && tenant === auth.devIssuer.tenant && local) return local;
    let keys = remote.get(tenant);
    if (!keys) {
      keys = createRemoteJWKSet(new URL(auth.jwksUri.replace('{tenant}', tenant)), {
        cooldownDuration: auth.jwksCooldownMs,
        cacheMaxAge: 6 * 3_600_000,
        timeoutDuration: 5_000,
      });
      remote.set(tenant, keys);
    }
    return keys;
  };

  // Tokens already verified, until they expire: a client sends the same token for an hour, and
  // checking an RS256 signature is most of what signing in costs (issue 10). Each is remembered
  // only until its expiry (with the clock skew allowed), the least recently used leaving first.
  const verified = new LRUCache<string, Readonly<VerifiedClaims>>({ max: 5_000, ttlAutopurge: false });
  const msLeft = (claims: VerifiedClaims) => (typeof claims.exp === 'number' ? (claims.exp + auth.clockToleranceSeconds) * 1000 - Date.now() : 0);

  return async function verify(token: string): Promise<VerifiedClaims> {
    const known = verified.get(token);
    if (known) return known;
    const claims = await verifyOnce(token);
    const ttl = msLeft(claims);
    if (ttl > 0) verified.set(token, Object.freeze(claims), { ttl });
    return claims;
  };

  async function verifyOnce(token: string): Promise<VerifiedClaims> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new TokenRejected('not a JWT');
    }
    // Pick the tenant from the issuer before verifying, so only allowed tenants' keys are ever fetched.
    const tenant = typeof unverified.iss === 'string' ? TENANT_ISSUER.exec(unverified.iss)?.[1]?.toLowerCase() : undefined;
    if (!tenant || !allowed.has(tenant)) throw new TokenRejected(`issuer not allowed: ${String(unverified.iss).slice(0, 100)}`);
    try {
      const { payload } = await jwtVerify(token, keyFor(tenant), {
        algorithms: ['RS256'],
        issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
        audience: auth.audiences,
        clockTolerance: auth.clockToleranceSeconds,
        requiredClaims: ['exp', 'iat', 'tid'],
      });
      if (String(payload.tid).toLowerCase() !== tenant) throw new TokenRejected('tid does not match the issuer');
      return payload as VerifiedClaims;
    } catch (error) {
      if (error instanceof TokenRejected) throw error;
      if (error instanceof errors.JOSEError) throw new TokenRejected(`${error.code}: ${error.message}`);
      throw error;
    }
  }
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;
