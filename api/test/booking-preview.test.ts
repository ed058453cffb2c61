import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../src/platform/audit/audit-event.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { Visit } from '../src/visits/visit.entity.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * bookingWarnings: what the task pane shows before the partner books. It runs the
 * booking itself in a transaction that is rolled back, so it must warn exactly as
 * bookVisit would and leave nothing behind. Dates in 2031 keep the demo's visits away.
 */
let t: TestApp;
let partnerToken: string;
let schoolId: string;

const PREVIEW = `query($input: BookVisitInput!) { bookingWarnings(input: $input) { code message } }`;
const BOOK = `mutation($input: BookVisitInput!) { bookVisit(input: $input) { id warnings { code message } } }`;

beforeAll(async () => {
  t = await startTestApp();
  const partner = await t.personWithRole(PartnerRole.PARTNER);
  partnerToken = partner.token;
  const mine = await t.gql<{ me: { allocations: { school: { id: string } }[] } }>('{ me { allocations { school { id } } } }', {}, { token: partnerToken });
  schoolId = mine.data!.me.allocations[0]!.school.id;
});
afterAll(() => t?.stop());

const counts = async () => {
  const em = t.app.orm.em.fork();
  return { visits: await em.count(Visit, {}), audit: await em.count(AuditEvent, {}) };
};

describe('bookingWarnings', () => {
  it('warns as bookVisit would, and books nothing', async () => {
    // Saturday 15 March 2031: a weekend, and no allocation that far ahead.
    const input = {
      schoolId,
      type: 'SPRING',
      startsAt: '2031-03-15T09:00:00+00:00',
      endsAt: '2031-03-15T12:00:00+00:00',
      appointment: { itemId: 'AAMkPreview1' },
    };
    const before = await counts();
    const preview = await t.gql(PREVIEW, { input }, { token: partnerToken });
    expect(preview.errors).toBeUndefined();
    const previewed = preview.data!.bookingWarnings as { code: string; message: string }[];
    expect(previewed.map((w) => w.code)).toEqual(expect.arrayContaining(['WEEKEND', 'NO_ALLOCATION']));
    expect(await counts()).toEqual(before);

    const booked = await t.gql(BOOK, { input }, { token: partnerToken });
    expect(booked.errors).toBeUndefined();
    expect(booked.data!.bookVisit.warnings).toEqual(previewed);
  });

  it('sees the visits already booked: a second visit at the same time warns of the overlap', async () => {
    const slot = { startsAt: '2031-03-18T09:00:00+00:00', endsAt: '2031-03-18T12:00:00+00:00' };
    const first = await t.gql(BOOK, { input: { schoolId, type: 'SPRING', ...slot } }, { token: partnerToken });
    expect(first.errors).toBeUndefined();
    const preview = await t.gql(PREVIEW, { input: { schoolId, type: 'SPRING', ...slot } }, { token: partnerToken });
    expect(preview.data!.bookingWarnings.map((w: { code: string }) => w.code)).toEqual(expect.arrayContaining(['PARTNER_OVERLAP']));
  });

  it('refuses what bookVisit refuses, with the same codes', async () => {
    const backwards = await t.gql(
      PREVIEW,
      { input: { schoolId, type: 'SPRING', startsAt: '2031-03-20T12:00:00Z', endsAt: '2031-03-20T09:00:00Z' } },
      { token: partnerToken },
    );
    expect(backwards.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await t.gql(
      PREVIEW,
      { input: { schoolId: '00000000-0000-4000-8000-000000000000', type: 'SPRING', startsAt: '2031-03-20T09:00:00Z', endsAt: '2031-03-20T12:00:00Z' } },
      { token: partnerToken },
    );
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const service = await t.gql(
      PREVIEW,
      { input: { schoolId, type: 'SPRING', startsAt: '2031-03-20T09:00:00Z', endsAt: '2031-03-20T12:00:00Z' } },
      { token: await t.serviceToken('reporting') },
    );
    expect(service.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
