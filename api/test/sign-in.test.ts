import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Each process remembers the partner record a person signed in as for
 * SIGN_IN_CACHE_SECONDS (auth/partner-lookup.ts): a statement less per request.
 * What that must not change: a deactivated partner is refused once the time is
 * up, and someone just registered can sign in at once.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ config: { auth: { signInCacheSeconds: 1 } as never } });
});
afterAll(() => t?.stop());

const execute = (sql: string, params: unknown[] = []) => t.app.orm.em.fork().getConnection().execute(sql, params);
const ME = '{ me { id email role } }';

describe('signing in, with partner records remembered for a second', () => {
  it('refuses a deactivated partner once the time is up', async () => {
    const { partner, token } = await t.personWithRole(PartnerRole.PARTNER);
    expect((await t.gql(ME, {}, { token })).data!.me.id).toBe(partner.id);
    await execute('update partner set active = false where id = ?', [partner.id]);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const res = await t.gql(ME, {}, { token });
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    } finally {
      await execute('update partner set active = true where id = ?', [partner.id]);
    }
  });

  it('does not remember that someone is not registered: once added, they sign in at once', async () => {
    const email = `new.partner.${randomUUID().slice(0, 8)}@council.example`;
    const token = await t.issuer.signForPerson(email);
    expect((await t.gql(ME, {}, { token })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const id = randomUUID();
    await execute(`insert into partner (id, created_at, updated_at, name, email, role, active) values (?, now(), now(), 'New Partner', ?, 'partner', true)`, [
      id,
      email,
    ]);
    const res = await t.gql(ME, {}, { token });
    expect(res.errors).toBeUndefined();
    expect(res.data!.me).toEqual({ id, email, role: 'PARTNER' });
  });
});
