import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAs } from '../src/platform/audit/audit-context.js';
import { AuditEvent } from '../src/platform/audit/audit-event.entity.js';
import { academicYearOf } from '../src/platform/dates/academic-year.js';
import { TermCalendar } from '../src/calendar/term-calendar.entity.js';
import { isWorkingDay } from '../src/platform/dates/working-days.js';
import { businessDateOf } from '../src/platform/dates/today.js';
import { migrate, requestEm, type Orm } from '../src/platform/db/orm.js';
import { createOrm } from '../src/app/database.js';
import { loadDemoDataIfEmpty } from '../demo/load-demo-data.js';
import { createLogger } from '../src/platform/logger.js';
import { NoteOfVisit } from '../src/notes/note-of-visit.entity.js';
import { NoteStatus } from '../src/notes/note.enums.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { Allocation } from '../src/partners/allocation.entity.js';
import { SchoolSuccession } from '../src/schools/school-succession.entity.js';
import { School } from '../src/schools/school.entity.js';
import { SchoolPhase, SchoolType } from '../src/schools/school.enums.js';
import { Visit } from '../src/visits/visit.entity.js';
import { testClock } from './support/test-clock.js';
import { emptyDatabase, type TestDatabase } from './support/test-database.js';

let db: TestDatabase;
let orm: Orm;
// Built around the suite's day (TEST_NOW), as npm start builds it around today.
const now = testClock.now();

beforeAll(async () => {
  db = await emptyDatabase();
  orm = await createOrm({ database: db.database, logger: createLogger({ logLevel: 'silent', env: 'test' }) });
  await migrate(orm);
  expect(await loadDemoDataIfEmpty(requestEm(orm), now)).not.toBeNull();
});
afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

describe('the demo county', () => {
  it('has at least 40 schools across every phase and type, and the 17 academy conversions of seed 003', async () => {
    const em = requestEm(orm);
    const schools = await em.find(School, {});
    expect(schools.length).toBeGreaterThanOrEqual(40);
    expect(new Set(schools.map((s) => s.phase))).toEqual(new Set(Object.values(SchoolPhase)));
    expect(new Set(schools.map((s) => s.type))).toEqual(new Set(Object.values(SchoolType)));
    const academies = schools.filter((s) => [SchoolType.ACADEMY_CONVERTER, SchoolType.SPONSORED_ACADEMY, SchoolType.FREE_SCHOOL].includes(s.type));
    expect(academies).toHaveLength(17);
    expect(await em.count(SchoolSuccession, {})).toBe(15); // the two free schools replaced nothing
  });

  it('has partners, managers and allocations for this academic year', async () => {
    const em = requestEm(orm);
    expect(await em.count(Partner, { role: PartnerRole.PARTNER })).toBeGreaterThanOrEqual(6);
    expect(await em.count(Partner, { role: PartnerRole.MANAGER })).toBeGreaterThanOrEqual(1);
    const label = academicYearOf(businessDateOf(now));
    expect(await em.count(Allocation, { academicYear: label })).toBeGreaterThanOrEqual(30);
    expect(await em.count(TermCalendar, { academicYear: label })).toBe(1);
    expect(await em.count(TermCalendar, { academicYear: '2009-10' })).toBe(1); // Kent, seed 004
  });

  it('has a year of visits on working days in term time, completed before today and booked after', async () => {
    const em = requestEm(orm);
    const visits = await em.find(Visit, {});
    const yearAgo = new Date(now.getTime() - 365 * 86_400_000);
    expect(visits.filter((v) => v.startsAt < now && v.startsAt > yearAgo).length).toBeGreaterThan(100);
    for (const visit of visits) {
      expect(isWorkingDay(businessDateOf(visit.startsAt)), `${visit.startsAt.toISOString()}`).toBe(true);
      if (visit.status === 'completed') expect(visit.endsAt.getTime()).toBeLessThan(now.getTime());
      if (visit.status === 'booked') expect(visit.endsAt.getTime()).toBeGreaterThan(now.getTime());
    }
  });

  it('has notes of visit in every status', async () => {
    const statuses = new Set((await requestEm(orm).find(NoteOfVisit, {})).map((n) => n.status));
    expect(statuses).toEqual(new Set(Object.values(NoteStatus)));
  });

  it('was written with an audit trail naming who loaded it', async () => {
    const em = requestEm(orm);
    const events = await em.find(AuditEvent, { actor: 'system:demo-data', action: 'create', entityType: 'School' });
    const schools = await em.find(School, {});
    expect(new Set(events.map((e) => e.entityId))).toEqual(new Set(schools.map((s) => s.id)));
  });

  it('is not loaded twice', async () => {
    expect(await loadDemoDataIfEmpty(requestEm(orm), now)).toBeNull();
  });
});

describe('the audit trail', () => {
  it('records an update with who made it, in the same transaction', async () => {
    const em = requestEm(orm);
    const school = (await em.findOne(School, { name: { $ne: null } }))!;
    await runAs({ actor: 'partner:test', requestId: 'req-1' }, async () => {
      school.district = 'Audited district';
      await em.flush();
    });
    const event = await requestEm(orm).findOne(AuditEvent, { entityId: school.id, action: 'update' }, { orderBy: { id: 'desc' } });
    expect(event).toMatchObject({ actor: 'partner:test', requestId: 'req-1', entityType: 'School' });
    expect(event!.changes).toMatchObject({ district: 'Audited district' });
  });
});
