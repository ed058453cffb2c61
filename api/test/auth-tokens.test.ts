import { SignJWT, base64url, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../src/platform/audit/audit-event.entity.js';
import { ServiceRole } from '../src/platform/auth/principal.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { FakeEntra, makeKey } from './support/fake-entra.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Sign-in: Entra ID v2 tokens checked against the tenant's JWKS (here a local
 * stand-in), and the bad-token corpus: each is refused with UNAUTHENTICATED (401).
 */
let t: TestApp;
let entra: FakeEntra;
let managerEmail: string;
let audience: string;
const QUERY = JSON.stringify({ query: '{ schools(first: 1) { totalCount } }' });
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  entra = await new FakeEntra().start();
  t = await startTestApp({ config: { auth: { tenants: [entra.tenant], jwksUri: entra.jwksUri, jwksCooldownMs: 0 } as never } });
  managerEmail = (await t.personWithRole(PartnerRole.MANAGER)).partner.email;
  audience = t.config.auth.clientId;
});
afterAll(async () => {
  await t?.stop();
  await entra?.stop();
});

const person = (extra: Record<string, unknown> = {}) => ({ preferred_username: managerEmail, scp: 'access_as_user', oid: 'o-1', ...extra });

async function send(authorization: string | null) {
  const res = await t.post(QUERY, { token: null, headers: authorization === null ? {} : { authorization } });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: { message: string; extensions: { code: string } }[] } };
}

describe('valid tokens', () => {
  it.each([
    ['a person with access_as_user, audience the client id', () => entra.sign(person(), { audience })],
    ['audience the api:// URI', () => entra.sign(person(), { audience: `api://${audience}` })],
    ['expired 30 s ago (within the allowed clock skew)', () => entra.sign(person(), { audience, expiresIn: now() - 30 })],
    ['a service with the read app role', () => entra.sign({ roles: [ServiceRole.READ], azp: 'finance', app_displayname: 'Finance' }, { audience })],
    ['the development issuer', () => t.issuer.signForPerson(managerEmail)],
  ])('accepts %s', async (_name, token) => {
    const { status, body } = await send(`Bearer ${await token()}`);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
  });

  it('fetches the keys again when a token names a key id it has not seen (key rotation), and only then', async () => {
    await send(`Bearer ${await entra.sign(person(), { audience })}`);
    const before = entra.fetches;
    const rotated = await makeKey();
    entra.published = [...entra.published, rotated];
    const token = await entra.sign(person(), { audience, key: rotated });
    expect((await send(`Bearer ${token}`)).status).toBe(200);
    expect(entra.fetches).toBe(before + 1);
    expect((await send(`Bearer ${token}`)).status).toBe(200);
    expect(entra.fetches).toBe(before + 1);
  });

  it('refuses a token it verified before once that token expires (a verified signature is remembered, its expiry is not)', async () => {
    // Expires, with the 60 s of clock skew allowed, one to two seconds from now.
    const token = await entra.sign(person(), { audience, expiresIn: now() - 58 });
    expect((await send(`Bearer ${token}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const { status, body } = await send(`Bearer ${token}`);
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });
});

describe('the bad-token corpus', () => {
  const otherTenant = '0badc0de-0000-4000-8000-000000000000';
  const BAD_TOKENS: [string, () => Promise<string | null>][] = [
    ['no Authorization header', async () => null],
    ['"Bearer" and nothing else', async () => 'Bearer'],
    ['Basic credentials', async () => 'Basic dXNlcjpwYXNzd29yZA=='],
    ['not a JWT', async () => 'Bearer not-a-jwt'],
    ['three segments of garbage', async () => 'Bearer aaa.bbb.ccc'],
    [
      'alg: none',
      async () => {
        const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
        const payload = base64url.encode(JSON.stringify({ ...person(), iss: entra.issuer, aud: audience, tid: entra.tenant, exp: now() + 600, iat: now() }));
        return `Bearer ${header}.${payload}.`;
      },
    ],
    [
      'HS256 signed with the public key as the secret',
      async () => {
        const secret = new TextEncoder().encode(JSON.stringify(entra.published[0]!.publicJwk));
        const token = await new SignJWT({ ...person(), tid: entra.tenant })
          .setProtectedHeader({ alg: 'HS256', kid: entra.published[0]!.kid })
          .setIssuer(entra.issuer)
          .setAudience(audience)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(secret);
        return `Bearer ${token}`;
      },
    ],
    [
      'RS384 instead of RS256',
      async () => {
        const { privateKey } = await generateKeyPair('RS384');
        const token = await new SignJWT({ ...person(), tid: entra.tenant })
          .setProtectedHeader({ alg: 'RS384', kid: entra.published[0]!.kid })
          .setIssuer(entra.issuer)
          .setAudience(audience)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(privateKey);
        return `Bearer ${token}`;
      },
    ],
    ['expired 10 minutes ago', async () => `Bearer ${await entra.sign(person(), { audience, expiresIn: now() - 600 })}`],
    ['not valid for another 10 minutes', async () => `Bearer ${await entra.sign(person(), { audience, notBefore: now() + 600 })}`],
    ['for another audience', async () => `Bearer ${await entra.sign(person(), { audience: 'api://someone-else' })}`],
    [
      'from an issuer of a tenant not allowed',
      async () => `Bearer ${await entra.sign(person({ tid: otherTenant }), { audience, issuer: `https://login.microsoftonline.com/${otherTenant}/v2.0` })}`,
    ],
    ['v1 issuer (sts.windows.net)', async () => `Bearer ${await entra.sign(person(), { audience, issuer: `https://sts.windows.net/${entra.tenant}/` })}`],
    ['tid claim of another tenant', async () => `Bearer ${await entra.sign(person({ tid: otherTenant }), { audience })}`],
    ['signed by an unknown key', async () => `Bearer ${await entra.sign(person(), { audience, key: await makeKey() })}`],
    [
      'a known key id but signed by another key',
      async () => `Bearer ${await entra.sign(person(), { audience, key: { ...(await makeKey()), kid: entra.published[0]!.kid } })}`,
    ],
    [
      'payload altered after signing',
      async () => {
        const [h, , s] = (await entra.sign(person(), { audience })).split('.');
        const forged = base64url.encode(
          JSON.stringify({
            ...person({ preferred_username: 'someone@else.example' }),
            iss: entra.issuer,
            aud: audience,
            tid: entra.tenant,
            exp: now() + 600,
            iat: now(),
          }),
        );
        return `Bearer ${h}.${forged}.${s}`;
      },
    ],
    ['without the access_as_user scope', async () => `Bearer ${await entra.sign(person({ scp: 'User.Read' }), { audience })}`],
    ['with neither a scope nor an app role', async () => `Bearer ${await entra.sign({ preferred_username: managerEmail }, { audience })}`],
    ['development token for another audience', async () => `Bearer ${await t.issuer.signForPerson(managerEmail, { audience: 'api://other' })}`],
    ['development token already expired', async () => `Bearer ${await t.issuer.signForPerson(managerEmail, { lifetimeSeconds: -600 })}`],
  ];

  it(`refuses each of the ${BAD_TOKENS.length} bad tokens with UNAUTHENTICATED, writing nothing`, async () => {
    console.log(`bad-token corpus: ${BAD_TOKENS.length} tokens`);
    const em = t.app.orm.em.fork();
    const auditBefore = await em.count(AuditEvent, {});
    for (const [name, make] of BAD_TOKENS) {
      const { status, body } = await send(await make());
      expect(status, name).toBe(401);
      expect(body.errors?.[0]?.extensions.code, name).toBe('UNAUTHENTICATED');
      expect(body.errors?.[0]?.message, name).toMatch(/Sign in first/);
      expect(body.data, name).toBeUndefined();
    }
    expect(await em.count(AuditEvent, {})).toBe(auditBefore);
    expect(BAD_TOKENS.length).toBeGreaterThanOrEqual(12);
  });

  it('refuses every operation without a valid token, even a malformed one, with UNAUTHENTICATED', async () => {
    for (const body of ['{ __typename }', '{not json', JSON.stringify({ query: 'mutation { x }' })]) {
      const res = await t.post(body, { token: null });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    }
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });
});

describe('verified tokens that may not use the API', () => {
  it('refuses a person who is not a partner or manager with FORBIDDEN', async () => {
    const { status, body } = await send(`Bearer ${await entra.sign(person({ preferred_username: 'stranger@elsewhere.example' }), { audience })}`);
    expect(status).toBe(403);
    expect(body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(body.errors?.[0]?.message).toMatch(/not registered/);
  });

  it('refuses a service without the read app role with FORBIDDEN', async () => {
    const { status, body } = await send(`Bearer ${await entra.sign({ roles: ['Something.Else'], azp: 'x' }, { audience })}`);
    expect(status).toBe(403);
    expect(body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  });
});
