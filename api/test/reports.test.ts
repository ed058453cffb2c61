import { ref } from '@mikro-orm/core';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Holiday, Term, TermCalendar, type TermSeason } from '../src/calendar/term-calendar.entity.js';
import { typicalTermCalendar } from '../demo/term-dates.js';
import { migrate } from '../src/platform/db/orm.js';
import { createOrm } from '../src/app/database.js';
import { createLogger } from '../src/platform/logger.js';
import { Judgement } from '../src/notes/judgement.entity.js';
import { NoteOfVisit } from '../src/notes/note-of-visit.entity.js';
import { NoteTarget } from '../src/notes/note-target.entity.js';
import { JudgementArea, NoteStatus } from '../src/notes/note.enums.js';
import { Allocation } from '../src/partners/allocation.entity.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { School } from '../src/schools/school.entity.js';
import { RiskCategory, SchoolPhase, SchoolType } from '../src/schools/school.enums.js';
import { Visit } from '../src/visits/visit.entity.js';
import { VisitStatus, VisitType } from '../src/visits/visit.enums.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { emptyDatabase } from './support/test-database.js';

/**
 * Reports on a small county built here, so every number is known: two partners,
 * three schools, the 2025-26 terms, six visits and four notes.
 */
let t: TestApp;
let partnerToken: string;

beforeAll(async () => {
  const db = await emptyDatabase();
  const orm = await createOrm({ database: db.database, logger: createLogger({ logLevel: 'silent', env: 'test' }) });
  await migrate(orm);
  const em = orm.em.fork();
  const add = <T extends object>(cls: new () => T, props: Partial<T>) => {
    const entity = Object.assign(new cls(), props);
    em.persist(entity);
    return entity;
  };
  add(Partner, { name: 'Mary Manager', email: 'manager@council.example', role: PartnerRole.MANAGER });
  const alice = add(Partner, { name: 'Alice Adams', email: 'alice@council.example' });
  const bob = add(Partner, { name: 'Bob Brown', email: 'bob@council.example' });
  const school = (urn: number, name: string, riskCategory: RiskCategory | null) =>
    add(School, {
      urn,
      laCode: 926,
      establishmentNumber: urn % 10000,
      name,
      phase: SchoolPhase.PRIMARY,
      type: SchoolType.MAINTAINED,
      currentRiskCategory: riskCategory,
    });
  const s1 = school(100001, 'Ash Primary', RiskCategory.E2);
  const s2 = school(100002, 'Birch Primary', RiskCategory.A4);
  const s3 = school(100003, 'Cedar Primary', null);
  const calendar = typicalTermCalendar(2025);
  add(TermCalendar, {
    academicYear: '2025-26',
    terms: calendar.terms.map((x) => Object.assign(new Term(), { ...x, season: x.season as TermSeason })),
    holidays: calendar.holidays.map((h) => Object.assign(new Holiday(), h)),
  });
  add(Allocation, { partner: ref(alice), school: ref(s1), academicYear: '2025-26', days: 5 });
  add(Allocation, { partner: ref(alice), school: ref(s2), academicYear: '2025-26', days: 7 });
  add(Allocation, { partner: ref(bob), school: ref(s3), academicYear: '2025-26', days: 5 });
  const visit = (s: School, p: Partner, type: VisitType, date: string, status = VisitStatus.COMPLETED, days: [number, number] = [1, 0.5]) =>
    add(Visit, {
      school: ref(s),
      leadPartner: ref(p),
      type,
      status,
      startsAt: new Date(`${date}T09:00:00Z`),
      endsAt: new Date(`${date}T13:00:00Z`),
      inSchoolDays: days[0],
      outOfSchoolDays: days[1],
    });
  const v1 = visit(s1, alice, VisitType.AUTUMN, '2025-11-11');
  const v2 = visit(s2, alice, VisitType.AUTUMN, '2025-11-12');
  const v3 = visit(s2, alice, VisitType.SPRING, '2026-03-10');
  const v4 = visit(s3, bob, VisitType.SPRING, '2026-03-11');
  visit(s2, alice, VisitType.ROUND_TABLE, '2025-11-20', VisitStatus.COMPLETED, [0.5, 0.5]);
  visit(s1, alice, VisitType.SUMMER, '2026-06-10', VisitStatus.CANCELLED);
  const note = (v: Visit, author: Partner, status: NoteStatus, circulationDueOn: string, circulatedAt: string | null) =>
    add(NoteOfVisit, {
      visit: ref(v),
      author: ref(author),
      status,
      draftDueOn: circulationDueOn,
      circulationDueOn,
      circulatedAt: circulatedAt ? new Date(`${circulatedAt}T12:00:00Z`) : null,
      firstCirculatedAt: circulatedAt ? new Date(`${circulatedAt}T12:00:00Z`) : null,
    });
  const n1 = note(v1, alice, NoteStatus.CIRCULATED, '2025-11-25', '2025-11-20'); // on time
  const n2 = note(v2, alice, NoteStatus.CIRCULATED, '2025-11-26', '2025-12-01'); // late
  const n3 = note(v3, alice, NoteStatus.SHARED, '2026-03-24', null); // late: past due, not circulated
  const n4 = note(v4, bob, NoteStatus.DRAFT, '2099-01-01', null); // still open
  const judge = (n: NoteOfVisit, area: JudgementArea, schoolGrade: number, partnerGrade: number) =>
    add(Judgement, { note: ref(n), area, schoolGrade, partnerGrade, disagreementReason: schoolGrade === partnerGrade ? null : 'Evidence seen.' });
  judge(n1, JudgementArea.ACHIEVEMENT, 2, 2);
  judge(n1, JudgementArea.QUALITY_OF_TEACHING, 1, 2);
  judge(n2, JudgementArea.ACHIEVEMENT, 3, 3);
  judge(n2, JudgementArea.QUALITY_OF_TEACHING, 3, 4);
  judge(n3, JudgementArea.ACHIEVEMENT, 4, 3);
  judge(n4, JudgementArea.ACHIEVEMENT, 2, 3); // a draft: not counted
  add(NoteTarget, { note: ref(n1), position: 1, keyStage: 'KS2', measure: '% expected standard RWM', year: 2027, value: 70 });
  add(NoteTarget, { note: ref(n2), position: 1, keyStage: 'KS2', measure: '% expected standard RWM', year: 2027, value: 55 });
  add(NoteTarget, { note: ref(n4), position: 1, keyStage: 'KS2', measure: '% expected standard RWM', year: 2027, value: 60 });
  add(NoteTarget, { note: ref(n1), position: 2, keyStage: 'KS2', measure: '% expected standard RWM', year: 2028, value: 75 });
  await em.flush();
  await orm.close(true);

  t = await startTestApp({ db });
  partnerToken = await t.issuer.signForPerson('alice@council.example');
});
afterAll(() => t?.stop());

describe('reports', () => {
  it('are for managers and council systems, not partners', async () => {
    const res = await t.gql(`{ noteTimelinessReport(academicYear: "2025-26") { onTime } }`, {}, { token: partnerToken });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const service = await t.gql(`{ noteTimelinessReport(academicYear: "2025-26") { onTime } }`, {}, { token: await t.serviceToken('Scrutiny') });
    expect(service.errors).toBeUndefined();
  });

  it('count notes on time, late and still open by partner and term', async () => {
    const rows = (await t.gql(`{ noteTimelinessReport(academicYear: "2025-26") { partner { name } term onTime late stillOpen } }`)).data!.noteTimelinessReport;
    expect(rows).toEqual([
      { partner: { name: 'Alice Adams' }, term: 'AUTUMN', onTime: 1, late: 1, stillOpen: 0 },
      { partner: { name: 'Alice Adams' }, term: 'SPRING', onTime: 0, late: 1, stillOpen: 0 },
      { partner: { name: 'Bob Brown' }, term: 'SPRING', onTime: 0, late: 0, stillOpen: 1 },
    ]);
  });

  it("measure agreement between schools' and partners' grades by heading and risk category", async () => {
    const rows = (
      await t.gql(
        `{ judgementAgreementReport(academicYear: "2025-26") { area riskCategory judged agreed partnerGradeBetter partnerGradeWorse agreementRate } }`,
      )
    ).data!.judgementAgreementReport;
    expect(rows).toEqual([
      { area: 'ACHIEVEMENT', riskCategory: 'A4', judged: 2, agreed: 1, partnerGradeBetter: 1, partnerGradeWorse: 0, agreementRate: 0.5 },
      { area: 'ACHIEVEMENT', riskCategory: 'E2', judged: 1, agreed: 1, partnerGradeBetter: 0, partnerGradeWorse: 0, agreementRate: 1 },
      { area: 'QUALITY_OF_TEACHING', riskCategory: 'A4', judged: 1, agreed: 0, partnerGradeBetter: 0, partnerGradeWorse: 1, agreementRate: 0 },
      { area: 'QUALITY_OF_TEACHING', riskCategory: 'E2', judged: 1, agreed: 0, partnerGradeBetter: 0, partnerGradeWorse: 1, agreementRate: 0 },
    ]);
  });

  it('collect targets per school for a year, with the CSV a spreadsheet opens', async () => {
    const query = `{ targetsReport(year: 2027) { school { name } keyStage value note { status } } }`;
    expect((await t.gql(query)).data!.targetsReport).toEqual([
      { school: { name: 'Ash Primary' }, keyStage: 'KS2', value: 70, note: { status: 'CIRCULATED' } },
      { school: { name: 'Birch Primary' }, keyStage: 'KS2', value: 55, note: { status: 'CIRCULATED' } },
      { school: { name: 'Cedar Primary' }, keyStage: 'KS2', value: 60, note: { status: 'DRAFT' } },
    ]);
    const service = await t.serviceToken('Performance dashboard');
    expect((await t.gql(query, {}, { token: service })).data!.targetsReport).toHaveLength(2); // circulated notes only

    const res = await fetch(`${t.url}/exports/reports/targets.csv?year=2027`, { headers: { authorization: `Bearer ${t.managerToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const records = parse(await res.text(), { bom: true }) as string[][];
    expect(records[0]).toEqual(['URN', 'DfE number', 'School', 'Key stage', 'Measure', 'Year', 'Target (%)', 'Agreed at visit on', 'Note status']);
    expect(records.slice(1)).toEqual([
      ['100001', '926/0001', 'Ash Primary', 'KS2', '% expected standard RWM', '2027', '70', '2025-11-11', 'circulated'],
      ['100002', '926/0002', 'Birch Primary', 'KS2', '% expected standard RWM', '2027', '55', '2025-11-12', 'circulated'],
      ['100003', '926/0003', 'Cedar Primary', 'KS2', '% expected standard RWM', '2027', '60', '2026-03-11', 'draft'],
    ]);
    expect((await fetch(`${t.url}/exports/reports/targets.csv?year=2027`, { headers: { authorization: `Bearer ${partnerToken}` } })).status).toBe(403);
  });

  it('show allocation days used and remaining by school and partner (cancelled visits free their days)', async () => {
    const rows = (await t.gql(`{ allocationUsageReport(academicYear: "2025-26") { school { name } partner { name } days daysSpent daysRemaining } }`)).data!
      .allocationUsageReport;
    expect(rows).toEqual([
      { school: { name: 'Ash Primary' }, partner: { name: 'Alice Adams' }, days: 5, daysSpent: 1.5, daysRemaining: 3.5 },
      { school: { name: 'Birch Primary' }, partner: { name: 'Alice Adams' }, days: 7, daysSpent: 4, daysRemaining: 3 },
      { school: { name: 'Cedar Primary' }, partner: { name: 'Bob Brown' }, days: 5, daysSpent: 1.5, daysRemaining: 3.5 },
    ]);
  });

  it('compare visits per school per term with the expected pattern', async () => {
    const rows = (await t.gql(`{ visitPatternReport(academicYear: "2025-26") { school { name } term expected visits cancelled meetsPattern } }`)).data!
      .visitPatternReport;
    const row = (name: string, term: string) => rows.find((r: { school: { name: string }; term: string }) => r.school.name === name && r.term === term);
    expect(rows).toHaveLength(9);
    expect(row('Ash Primary', 'AUTUMN')).toMatchObject({ expected: 1, visits: 1, meetsPattern: true });
    expect(row('Ash Primary', 'SUMMER')).toMatchObject({ expected: 1, visits: 0, cancelled: 1, meetsPattern: false });
    expect(row('Birch Primary', 'AUTUMN')).toMatchObject({ expected: 2, visits: 2, meetsPattern: true });
    expect(row('Birch Primary', 'SPRING')).toMatchObject({ expected: 2, visits: 1, meetsPattern: false });
    expect(row('Cedar Primary', 'SPRING')).toMatchObject({ expected: 1, visits: 1, meetsPattern: true });
    expect(rows.filter((r: { meetsPattern: boolean }) => r.meetsPattern)).toHaveLength(3);
  });
});
