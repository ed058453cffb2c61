import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The read API over the demo county. The demo is built around today's date with a
 * seeded generator, so expectations are derived from other queries, never hard-coded.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}
interface Page<N> {
  totalCount: number;
  pageInfo: PageInfo;
  edges: { cursor: string; node: N }[];
}
interface SchoolRow {
  id: string;
  name: string;
  urn: number;
  dfeNumber: string;
  phase: string;
  type: string;
  status: string;
  district: string | null;
  currentRiskCategory: { category: string } | null;
  predecessors: { predecessor: { id: string } }[];
}
interface PartnerRow {
  id: string;
  name: string;
  email: string;
  role: string;
  allocations: { academicYear: string }[];
}
interface VisitRow {
  id: string;
  type: string;
  status: string;
  startsAt: string;
  endsAt: string;
  expectsNote: boolean;
  school: { id: string };
  leadPartner: { id: string };
  note: { status: string; sharedAt: string | null; circulatedAt: string | null; headteacherAgreed: boolean | null } | null;
}

const SCHOOL_FIELDS = `id name urn dfeNumber phase type status district currentRiskCategory { category } predecessors { predecessor { id } }`;
const PARTNER_FIELDS = `id name email role allocations { academicYear }`;
const VISIT_FIELDS = `id type status startsAt endsAt expectsNote school { id } leadPartner { id }
  note { status sharedAt circulatedAt headteacherAgreed }`;

const FILTER_TYPE = { schools: 'SchoolFilter', partners: 'PartnerFilter', visits: 'VisitFilter' } as const;
type ListName = keyof typeof FILTER_TYPE;

async function ok<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await t.gql<T>(query, variables);
  expect(res.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.data!;
}

async function page<N>(list: ListName, fields: string, variables: { first: number; after?: string | null; filter?: object }) {
  const query = `query($first: Int!, $after: String, $filter: ${FILTER_TYPE[list]}) {
    ${list}(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { ${fields} } }
    }
  }`;
  return (await ok<Record<ListName, Page<N>>>(query, variables))[list];
}

/** Every node of a list, walked 100 at a time. */
async function all<N>(list: ListName, fields: string, filter?: object): Promise<N[]> {
  const nodes: N[] = [];
  let after: string | null = null;
  for (let i = 0; i < 50; i++) {
    const p: Page<N> = await page<N>(list, fields, { first: 100, after, filter });
    nodes.push(...p.edges.map((e) => e.node));
    if (!p.pageInfo.hasNextPage) {
      expect(nodes).toHaveLength(p.totalCount);
      return nodes;
    }
    after = p.pageInfo.endCursor;
  }
  throw new Error(`${list} never reached its last page`);
}

const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
const instant = (dateTime: string) => new Date(dateTime).getTime();

/** Flips the case of every letter, so a match must be case-insensitive. */
const swapCase = (s: string) => [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');

describe('schools', () => {
  let schools: SchoolRow[];
  beforeAll(async () => {
    schools = await all<SchoolRow>('schools', SCHOOL_FIELDS);
  });

  it('walks every page with first: 7, each school once, in name order', async () => {
    const seen: { id: string; name: string }[] = [];
    let after: string | null = null;
    let total = -1;
    for (let n = 0; ; n++) {
      const p: Page<{ id: string; name: string }> = await page('schools', 'id name', { first: 7, after });
      if (total === -1) total = p.totalCount;
      expect(p.totalCount).toBe(total);
      expect(n).toBeLessThanOrEqual(Math.ceil(total / 7));
      expect(p.pageInfo.hasPreviousPage).toBe(n > 0);
      expect(p.pageInfo.startCursor).toBe(p.edges[0]?.cursor ?? null);
      expect(p.pageInfo.endCursor).toBe(p.edges.at(-1)?.cursor ?? null);
      seen.push(...p.edges.map((e) => e.node));
      if (!p.pageInfo.hasNextPage) break;
      expect(p.edges).toHaveLength(7);
      after = p.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThan(7);
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((s) => s.id)).size).toBe(total);
    // The databases sort names with the C collation, i.e. by code point, as JS compares strings.
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1]!, seen[i]!];
      expect(a.name < b.name || (a.name === b.name && a.id < b.id), `${a.name} before ${b.name}`).toBe(true);
    }
    expect(seen.map((s) => s.id)).toEqual(schools.map((s) => s.id));
  });

  it("resumes right after any edge's cursor", async () => {
    const first = await page<{ id: string }>('schools', 'id', { first: 7 });
    const next = await page<{ id: string }>('schools', 'id', { first: 2, after: first.edges[3]!.cursor });
    expect(next.edges.map((e) => e.node.id)).toEqual(first.edges.slice(4, 6).map((e) => e.node.id));
  });

  const filterCases: [string, (s: SchoolRow[]) => [object, (s: SchoolRow) => boolean]][] = [
    ['phase', () => [{ phase: ['PRIMARY', 'SPECIAL'] }, (s) => ['PRIMARY', 'SPECIAL'].includes(s.phase)]],
    ['type', () => [{ type: ['ACADEMY_CONVERTER', 'SPONSORED_ACADEMY'] }, (s) => ['ACADEMY_CONVERTER', 'SPONSORED_ACADEMY'].includes(s.type)]],
    ['status', () => [{ status: ['CLOSED'] }, (s) => s.status === 'CLOSED']],
    [
      'district, case-insensitively',
      (rows) => {
        const district = rows.find((s) => s.district)!.district!;
        return [{ district: swapCase(district) }, (s) => s.district?.toLowerCase() === district.toLowerCase()];
      },
    ],
    ['phase and status together', () => [{ phase: ['PRIMARY'], status: ['OPEN'] }, (s) => s.phase === 'PRIMARY' && s.status === 'OPEN']],
  ];

  it.each(filterCases)('filters by %s', async (_name, make) => {
    const [filter, matches] = make(schools);
    const expected = schools.filter(matches);
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(await all<SchoolRow>('schools', SCHOOL_FIELDS, filter))).toEqual(ids(expected));
  });

  it('filters by current risk category', async () => {
    const categories = [...new Set(schools.map((s) => s.currentRiskCategory?.category).filter((c) => c))].slice(0, 2) as string[];
    expect(categories.length).toBe(2);
    const found = await all<SchoolRow>('schools', SCHOOL_FIELDS, { riskCategory: categories });
    expect(found.length).toBeGreaterThan(0);
    for (const s of found) expect(categories).toContain(s.currentRiskCategory?.category);
    expect(ids(found)).toEqual(ids(schools.filter((s) => categories.includes(s.currentRiskCategory?.category ?? ''))));
  });

  it('finds a school by its DfE number, with or without spaces', async () => {
    const school = schools[Math.floor(schools.length / 2)]!;
    expect(school.dfeNumber).toMatch(/^926\/\d{4}$/);
    for (const search of [school.dfeNumber, school.dfeNumber.replace('/', ' / ')]) {
      const found = await all<SchoolRow>('schools', SCHOOL_FIELDS, { search });
      expect(ids(found)).toContain(school.id);
      for (const s of found) expect(s.dfeNumber).toBe(school.dfeNumber);
    }
  });

  it('finds a school by its URN', async () => {
    const school = schools.at(-1)!;
    const found = await all<SchoolRow>('schools', SCHOOL_FIELDS, { search: String(school.urn) });
    expect(ids(found)).toEqual([school.id]);
  });

  it('finds schools by part of the name, case-insensitively', async () => {
    const school = schools.find((s) => /^[A-Za-z ]{12,}/.test(s.name))!;
    const part = school.name.slice(3, 10);
    const found = await all<SchoolRow>('schools', SCHOOL_FIELDS, { search: swapCase(part) });
    expect(ids(found)).toContain(school.id);
    expect(ids(found)).toEqual(ids(schools.filter((s) => s.name.toLowerCase().includes(part.toLowerCase()))));
  });

  it.each(['%%%', '%', '_', 'a_b%'])('matches the search text %j literally, wildcards included', async (search) => {
    const literal = schools.filter((s) => s.name.toLowerCase().includes(search.toLowerCase()));
    const found = await page<SchoolRow>('schools', 'id', { first: 100, filter: { search } });
    expect(found.totalCount).toBe(literal.length);
    if (search === '%%%') expect(found.totalCount).toBe(0);
  });

  it('shows an academy conversion from both sides', async () => {
    const academy = schools.find((s) => s.predecessors.length > 0)!;
    expect(academy).toBeDefined();
    const { school } = await ok(
      `query($id: ID!) {
        school(id: $id) {
          id name status
          predecessors {
            kind effectiveOn
            successor { id }
            predecessor { id status closedOn successors { kind successor { id } } }
          }
          successors { id }
        }
      }`,
      { id: academy.id },
    );
    expect(school.id).toBe(academy.id);
    expect(school.name).toBe(academy.name);
    expect(school.status).not.toBe('CLOSED');
    const link = school.predecessors[0];
    expect(link.kind).toBe('ACADEMY_CONVERSION');
    expect(link.successor.id).toBe(academy.id);
    expect(link.predecessor.status).toBe('CLOSED');
    expect(link.predecessor.successors.map((s: { successor: { id: string } }) => s.successor.id)).toContain(academy.id);
    if (link.effectiveOn && link.predecessor.closedOn) expect(link.predecessor.closedOn < link.effectiveOn).toBe(true);
  });
});

describe('partners', () => {
  let partners: PartnerRow[];
  beforeAll(async () => {
    partners = await all<PartnerRow>('partners', PARTNER_FIELDS);
  });

  it.each([
    ['MANAGER', 1],
    ['PARTNER', 6],
  ] as const)('filters by role %s (at least %i)', async (role, atLeast) => {
    const found = await all<PartnerRow>('partners', PARTNER_FIELDS, { role });
    expect(found.length).toBeGreaterThanOrEqual(atLeast);
    for (const p of found) expect(p.role).toBe(role);
    expect(ids(found)).toEqual(ids(partners.filter((p) => p.role === role)));
  });

  it('searches by part of the name or the email address', async () => {
    const partner = partners[partners.length - 1]!;
    const byName = partner.name.split(' ').at(-1)!.toUpperCase();
    const byEmail = partner.email.split('@')[0]!;
    for (const search of [byName, byEmail]) {
      const found = await all<PartnerRow>('partners', PARTNER_FIELDS, { search });
      expect(ids(found)).toContain(partner.id);
      for (const p of found) expect(`${p.name} ${p.email}`.toLowerCase()).toContain(search.toLowerCase());
    }
  });

  it('gives one partner with allocations narrowed to an academic year', async () => {
    const partner = partners.find((p) => new Set(p.allocations.map((a) => a.academicYear)).size > 1)!;
    expect(partner).toBeDefined();
    const year = partner.allocations[0]!.academicYear;
    expect(year).toMatch(/^\d{4}-\d{2}$/);
    const data = await ok(
      `query($id: ID!, $year: String) {
        partner(id: $id) { id name every: allocations { academicYear } inYear: allocations(academicYear: $year) { academicYear school { id } } }
      }`,
      { id: partner.id, year },
    );
    expect(data.partner.id).toBe(partner.id);
    expect(data.partner.every).toHaveLength(partner.allocations.length);
    expect(data.partner.inYear.length).toBe(partner.allocations.filter((a) => a.academicYear === year).length);
    expect(data.partner.inYear.length).toBeLessThan(partner.allocations.length);
    for (const a of data.partner.inYear) expect(a.academicYear).toBe(year);
  });
});

describe('visits', () => {
  let visits: VisitRow[];
  beforeAll(async () => {
    visits = await all<VisitRow>('visits', VISIT_FIELDS);
  });

  it('lists the latest first', () => {
    expect(visits.length).toBeGreaterThan(20);
    for (let i = 1; i < visits.length; i++) {
      const [a, b] = [visits[i - 1]!, visits[i]!];
      const later = instant(a.startsAt) > instant(b.startsAt) || (instant(a.startsAt) === instant(b.startsAt) && a.id > b.id);
      expect(later, `${a.startsAt} before ${b.startsAt}`).toBe(true);
    }
  });

  const filterCases: [string, (v: VisitRow[]) => [object, (v: VisitRow) => boolean]][] = [
    [
      'schoolId',
      (rows) => {
        const id = rows[0]!.school.id;
        return [{ schoolId: id }, (v) => v.school.id === id];
      },
    ],
    [
      'partnerId (the lead partner)',
      (rows) => {
        const id = rows.at(-1)!.leadPartner.id;
        return [{ partnerId: id }, (v) => v.leadPartner.id === id];
      },
    ],
    ['type', () => [{ type: ['SPRING', 'SUMMER'] }, (v) => ['SPRING', 'SUMMER'].includes(v.type)]],
    ['status', () => [{ status: ['COMPLETED'] }, (v) => v.status === 'COMPLETED']],
    [
      'status and type together',
      (rows) => {
        // Which statuses exist depends on the day (none is booked in August): a pair from the data
        // where each filter alone would let through visits the pair does not, so the two must combine.
        const pair = rows.find(
          ({ status, type }) => rows.some((v) => v.status === status && v.type !== type) && rows.some((v) => v.type === type && v.status !== status),
        );
        expect(pair).toBeDefined();
        const { status, type } = pair!;
        return [{ status: [status], type: [type] }, (v) => v.status === status && v.type === type];
      },
    ],
  ];

  it.each(filterCases)('filters by %s', async (_name, make) => {
    const [filter, matches] = make(visits);
    const expected = visits.filter(matches);
    expect(expected.length).toBeGreaterThan(0);
    const found = await all<VisitRow>('visits', VISIT_FIELDS, filter);
    for (const v of found) expect(matches(v)).toBe(true);
    expect(ids(found)).toEqual(ids(expected));
  });

  it('filters from (inclusive) to (exclusive), comparing instants whatever the offset', async () => {
    const to = visits[Math.floor(visits.length / 4)]!.startsAt;
    const fromInstant = instant(visits[Math.floor((visits.length * 3) / 4)]!.startsAt);
    // `from` in UTC, `to` as returned (London offset): both must be read as instants.
    const from = new Date(fromInstant).toISOString();
    const found = await all<VisitRow>('visits', VISIT_FIELDS, { from, to });
    expect(found.length).toBeGreaterThan(0);
    for (const v of found) {
      expect(instant(v.startsAt)).toBeGreaterThanOrEqual(fromInstant);
      expect(instant(v.startsAt)).toBeLessThan(instant(to));
    }
    const expected = visits.filter((v) => instant(v.startsAt) >= fromInstant && instant(v.startsAt) < instant(to));
    expect(ids(found)).toEqual(ids(expected));
  });

  it('gives one visit with its agenda in order and its note', async () => {
    const withNote = visits.find((v) => v.note && v.type !== 'HEADTEACHER_PERFORMANCE_MANAGEMENT')!;
    expect(withNote).toBeDefined();
    const { visit } = await ok(
      `query($id: ID!) {
        visit(id: $id) {
          id type startsAt
          agenda { position title ownerRole }
          note { status draftDueOn circulationDueOn purpose visit { id } author { id name } distribution { position role } }
        }
      }`,
      { id: withNote.id },
    );
    expect(visit.id).toBe(withNote.id);
    expect(visit.type).toBe(withNote.type);
    expect(visit.agenda.length).toBeGreaterThan(0);
    expect(visit.agenda.map((a: { position: number }) => a.position)).toEqual(visit.agenda.map((_: unknown, i: number) => i + 1));
    for (const item of visit.agenda) expect(item.title).not.toBe('');
    expect(visit.note.visit.id).toBe(withNote.id);
    expect(visit.note.status).toBe(withNote.note!.status);
    expect(visit.note.author.name).not.toBe('');
    // The local date of a London DateTime is its first ten characters.
    const visitDate = visit.startsAt.slice(0, 10);
    expect(visit.note.draftDueOn > visitDate).toBe(true);
    expect(visit.note.circulationDueOn > visit.note.draftDueOn).toBe(true);
    expect(visit.note.distribution.map((r: { position: number }) => r.position)).toEqual(visit.note.distribution.map((_: unknown, i: number) => i + 1));
  });

  it('gives no note for headteacher performance-management visits, and expects one for the rest', async () => {
    const hpm = await all<VisitRow>('visits', VISIT_FIELDS, { type: ['HEADTEACHER_PERFORMANCE_MANAGEMENT'] });
    expect(hpm.length).toBeGreaterThan(0);
    for (const v of hpm) {
      expect(v.expectsNote).toBe(false);
      expect(v.note).toBeNull();
    }
    for (const v of visits.filter((v) => v.type !== 'HEADTEACHER_PERFORMANCE_MANAGEMENT')) expect(v.expectsNote).toBe(true);
  });

  it('has demo notes in every status, each consistent with its status', async () => {
    const completed = await all<VisitRow>('visits', VISIT_FIELDS, { status: ['COMPLETED'] });
    const notes = completed.flatMap((v) => (v.note ? [v.note] : []));
    expect(new Set(notes.map((n) => n.status))).toEqual(new Set(['DRAFT', 'SHARED', 'AGREED', 'DISPUTED', 'MODERATED', 'CIRCULATED']));
    for (const n of notes) {
      if (n.status === 'DRAFT') expect(n.sharedAt).toBeNull();
      if (n.status === 'AGREED') expect(n.headteacherAgreed).toBe(true);
      if (n.status === 'DISPUTED' || n.status === 'MODERATED') expect(n.headteacherAgreed).toBe(false);
      if (n.status === 'CIRCULATED') expect(n.circulatedAt).not.toBeNull();
      else expect(n.circulatedAt).toBeNull();
    }
  });
});

describe('dates and times', () => {
  const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}):\d{2}(\.\d+)?(\+00:00|\+01:00)$/;
  const DATE = /^\d{4}-\d{2}-\d{2}$/;
  const london = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  });
  /** "2026-06-15T09:30+01:00" for an instant, as Europe/London shows it. */
  function londonWallTime(ms: number): string {
    const p = Object.fromEntries(london.formatToParts(ms).map((x) => [x.type, x.value]));
    const offset = p.timeZoneName === 'GMT' ? '+00:00' : p.timeZoneName!.slice(3);
    return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}${offset}`;
  }

  function expectLondonDateTime(value: string) {
    const m = DATE_TIME.exec(value);
    expect(m, value).not.toBeNull();
    expect(`${m![1]}T${m![2]}${m![4]}`).toBe(londonWallTime(instant(value)));
  }

  function expectDate(value: string) {
    expect(value).toMatch(DATE);
    expect(new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10)).toBe(value);
  }

  it('returns every visit start and end in Europe/London time with its offset, winter and summer', async () => {
    const visits = await all<VisitRow>('visits', 'id startsAt endsAt createdAt updatedAt');
    const offsets = new Set<string>();
    for (const v of visits) {
      for (const value of [v.startsAt, v.endsAt]) {
        expectLondonDateTime(value);
        offsets.add(value.slice(-6));
      }
    }
    expect(offsets.size).toBeGreaterThan(1);
  });

  it('returns dates as YYYY-MM-DD', async () => {
    const { schools } = await ok(`{
      schools(first: 100) {
        nodes {
          openedOn closedOn lastOfstedDate
          currentRiskCategory { effectiveFrom }
          predecessors { effectiveOn }
        }
      }
    }`);
    const dates: string[] = schools.nodes.flatMap((s: any) => [
      s.openedOn,
      s.closedOn,
      s.lastOfstedDate,
      s.currentRiskCategory?.effectiveFrom,
      ...s.predecessors.map((p: any) => p.effectiveOn),
    ]);
    const present = dates.filter((d): d is string => typeof d === 'string');
    expect(present.length).toBeGreaterThan(10);
    for (const d of present) expectDate(d);
  });

  it('returns note dates and times in the same forms', async () => {
    const { visits } = await ok(`{
      visits(first: 100, filter: { status: [COMPLETED] }) {
        nodes { completedAt note { createdAt sharedAt circulatedAt headteacherRespondedAt draftDueOn circulationDueOn } }
      }
    }`);
    const notes = visits.nodes.flatMap((v: any) => (v.note ? [v.note] : []));
    expect(notes.length).toBeGreaterThan(0);
    for (const n of notes) {
      expectDate(n.draftDueOn);
      expectDate(n.circulationDueOn);
      for (const dt of [n.createdAt, n.sharedAt, n.circulatedAt, n.headteacherRespondedAt]) if (dt) expectLondonDateTime(dt);
    }
    for (const v of visits.nodes) if (v.completedAt) expectLondonDateTime(v.completedAt);
  });
});
