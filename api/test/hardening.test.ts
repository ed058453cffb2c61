import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { FakeEntra } from './support/fake-entra.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { realPostgresUrl } from './support/test-database.js';

describe('the per-principal rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ config: { auth: { rateLimitPerMinute: 5 } as never } });
  });
  afterAll(() => t?.stop());

  it('answers RATE_LIMITED (429, Retry-After) past the limit, for that principal only', async () => {
    const query = '{ __typename }';
    for (let i = 0; i < 5; i++) expect((await t.gql(query)).status).toBe(200);
    const res = await t.post(JSON.stringify({ query }));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('RATE_LIMITED');
    expect(body.errors[0]!.message).toMatch(/Try again in \d+ seconds/);
    const other = await t.personWithRole(PartnerRole.PARTNER);
    expect((await t.gql(query, {}, { token: other.token })).status).toBe(200);
  });
});

describe('NODE_ENV=production', () => {
  let t: TestApp;
  let entra: FakeEntra;
  let token: string;
  beforeAll(async () => {
    entra = await new FakeEntra().start();
    t = await startTestApp({
      config: {
        env: 'production',
        graphiql: false,
        auth: { tenants: [entra.tenant], jwksUri: entra.jwksUri, devIssuer: null } as never,
      },
    });
    const manager = await t.app.orm.em.fork().findOneOrFail(Partner, { role: PartnerRole.MANAGER });
    token = await entra.sign({ preferred_username: manager.email, scp: 'access_as_user' }, { audience: t.config.auth.clientId });
  });
  afterAll(async () => {
    await t?.stop();
    await entra?.stop();
  });

  it('answers real sign-ins', async () => {
    const res = await t.gql('{ schools(first: 1) { totalCount } }', {}, { token });
    expect(res.errors).toBeUndefined();
  });

  it('turns introspection off', async () => {
    const res = await t.gql('{ __schema { types { name } } }', {}, { token });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.data ?? null).toBeNull();
  });

  it('gives no field suggestions', async () => {
    const res = await t.gql('{ schoolz { totalCount } }', {}, { token });
    expect(res.errors?.[0]?.message).toMatch(/Cannot query field "schoolz"/);
    expect(res.errors?.[0]?.message).not.toMatch(/Did you mean/);
  });

  it('has no development issuer: its tokens are refused and the explorer is gone', async () => {
    expect(t.app.devIssuer).toBeNull();
    // A token from a development issuer elsewhere (e.g. a developer's machine).
    const dev = await startTestApp();
    try {
      const devToken = await dev.issuer.signForPerson((await dev.personWithRole(PartnerRole.MANAGER)).partner.email, { audience: t.config.auth.clientId });
      const res = await t.gql('{ __typename }', {}, { token: devToken });
      expect(res.status).toBe(401);
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    } finally {
      await dev.stop();
    }
    expect((await fetch(`${t.url}/graphiql`)).status).toBe(404);
  });

  it('makes `npm run dev-token` refuse to run', async () => {
    const run = promisify(execFile)(process.execPath, ['api/dist/src/cli/dev-token.js', '--role', 'manager'], {
      env: { ...process.env, NODE_ENV: 'production' },
    });
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/refuses to run when NODE_ENV=production/) });
  });
});

// The statement timeout is a PostgreSQL server setting; the embedded database runs one statement at a time in-process and has none.
describe.runIf(realPostgresUrl())('on real PostgreSQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.stop());

  it('sets statement_timeout on every connection', async () => {
    const [row] = await t.app.orm.em.fork().getConnection().execute<{ statement_timeout: string }[]>('show statement_timeout');
    expect(row!.statement_timeout).toBe('30s');
  });
});
