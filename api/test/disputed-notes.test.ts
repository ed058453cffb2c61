import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const QUERY = '{ disputedNotes { id status author { id } headteacherRespondedAt } }';

describe('disputedNotes (the Team tab’s notes to moderate)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.stop());

  it('a manager sees every disputed note, longest waiting first; a partner their own; a council system none', async () => {
    const all = await t.gql<{ disputedNotes: { id: string; status: string; author: { id: string }; headteacherRespondedAt: string }[] }>(QUERY);
    expect(all.errors).toBeUndefined();
    const notes = all.data!.disputedNotes;
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((n) => n.status === 'DISPUTED')).toBe(true);
    const times = notes.map((n) => n.headteacherRespondedAt);
    expect([...times].sort()).toEqual(times);

    const author = notes[0]!.author.id;
    const token = await t.issuer.signForPerson(
      (await t.gql<{ partner: { email: string } }>('query ($id: ID!) { partner(id: $id) { email } }', { id: author })).data!.partner.email,
    );
    const own = await t.gql<{ disputedNotes: { author: { id: string } }[] }>(QUERY, {}, { token });
    expect(own.data!.disputedNotes.length).toBeGreaterThan(0);
    expect(own.data!.disputedNotes.every((n) => n.author.id === author)).toBe(true);

    const other = await t.personWithRole(PartnerRole.PARTNER);
    const theirs = await t.gql<{ disputedNotes: { author: { id: string } }[] }>(QUERY, {}, { token: other.token });
    expect(theirs.data!.disputedNotes.every((n) => n.author.id === other.partner.id)).toBe(true);

    const service = await t.gql<{ disputedNotes: unknown[] }>(QUERY, {}, { token: await t.serviceToken('dashboards') });
    // notes not yet circulated are not for services: the allow-list refuses the field itself (app/service-fields.ts)
    expect(service.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(service.errors?.[0]?.message).toContain('Query.disputedNotes is not for services');
  });
});
