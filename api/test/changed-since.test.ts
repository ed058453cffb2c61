import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { runAs } from '../src/platform/audit/audit-context.js';
import { importGias } from '../src/register/gias-import.js';
import { ESTABLISHMENT_COLUMNS, giasFixture, writeGiasCsv } from './support/gias-fixtures.js';
import { bookedVisits } from './support/booked-visits.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { realPostgresUrl, TEST_DATA_ROOT } from './support/test-database.js';
import { testClock } from './support/test-clock.js';

/**
 * Following changes (issue 23; docs/api.md, "Following changes"): every list with `changedSince`
 * gives exactly the records changed after the instant, in order of change, page by page with a
 * cursor that holds while others write; tombstones give what was cancelled, closed or disposed of.
 * `updatedAt` is real time (the row's stamp): instants are taken from the database and the answers.
 */
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return t.app.orm.em.fork().getConnection().execute<T[]>(text, params);
}

async function gql(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await t.gql(query, variables, token ? { token } : {});
  expect(res.errors).toBeUndefined();
  return res.data!;
}

/** The database's clock now: what the next change will be stamped after (SQL and the ORM stamp on this machine). */
async function dbNow(): Promise<string> {
  const [row] = await sql<{ now: string }>(`select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as now`);
  return row!.now;
}

/**
 * Stamps rows as changed now, in the order given, each at a later instant than the one before: the
 * embedded database's clock may tick by the millisecond, and two rows of one instant go in id order.
 */
async function touch(table: 'school' | 'partner' | 'visit', ids: string[]): Promise<void> {
  for (const id of ids) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    await sql(`update ${table} set updated_at = clock_timestamp() where id = ?`, [id]);
  }
}

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string; updatedAt: string } }[];
}

/** Walks a list with changedSince two at a time; `between` runs after each page (for changes mid-walk). */
async function walk(
  list: 'schools' | 'partners' | 'visits',
  changedSince: string,
  { fields = '', token, between }: { fields?: string; token?: string; between?: (page: number) => Promise<void> } = {},
): Promise<{ ids: string[]; pages: Page[] }> {
  const query = `query($since: DateTime!, $after: String) {
    ${list}(first: 2, after: $after, changedSince: $since) {
      totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id updatedAt ${fields} } }
    } }`;
  const pages: Page[] = [];
  let after: string | null = null;
  for (;;) {
    const page = (await gql(query, { since: changedSince, after }, token))[list] as Page;
    pages.push(page);
    expect(page.edges.length).toBeLessThanOrEqual(2);
    expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
    if (!page.pageInfo.hasNextPage) break;
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
    after = page.pageInfo.endCursor;
    await between?.(pages.length);
    expect(pages.length).toBeLessThan(500);
  }
  return { ids: pages.flatMap((p) => p.edges.map((e) => e.node.id)), pages };
}

const idsOf = async (table: string, where: string, limit: number) =>
  (await sql<{ id: string }>(`select id from ${table} where ${where} order by id limit ${limit}`)).map((r) => r.id);

describe('changedSince on the lists', () => {
  it('schools: exactly those changed, in order of change, across pages; a school changed mid-walk comes again at the end', async () => {
    const since = await dbNow();
    const changed = await idsOf('school', 'true', 5);
    await touch('school', changed);
    const mixed = [changed[2]!, changed[0]!, changed[4]!, changed[1]!, changed[3]!];
    await touch('school', mixed); // a second change reorders them: the list follows the last change

    const first = await walk('schools', since);
    expect(first.ids).toEqual(mixed);
    expect(first.pages).toHaveLength(3);
    expect(first.pages.every((p) => p.totalCount === 5)).toBe(true);
    const instants = first.pages.flatMap((p) => p.edges.map((e) => Date.parse(e.node.updatedAt)));
    expect(instants).toEqual([...instants].sort((a, b) => a - b));

    // While a client walks, the first school it read changes again: it is not lost, nor anything else; it comes again last.
    const again = await walk('schools', since, { between: async (n) => (n === 1 ? touch('school', [mixed[0]!]) : undefined) });
    expect(again.ids).toEqual([...mixed, mixed[0]]);

    // Strictly after: answers give updatedAt to the second (the DateTime scalar), so from the second after
    // the last one read, nothing; to the database's own instant, nothing after it, and from just before it, that school alone.
    const lastAt = Date.parse(again.pages.at(-1)!.edges.at(-1)!.node.updatedAt);
    expect((await walk('schools', new Date(lastAt + 1000).toISOString())).ids).toEqual([]);
    const [row] = await sql<{ ms: string; exact: boolean }>(
      `select floor(extract(epoch from updated_at) * 1000)::bigint::text as ms, extract(microseconds from updated_at)::bigint % 1000 = 0 as exact from school where id = ?`,
      [mixed[0]],
    );
    const ms = Number(row!.ms);
    expect((await walk('schools', new Date(row!.exact ? ms : ms + 1).toISOString())).ids).toEqual([]);
    expect((await walk('schools', new Date(ms - 1).toISOString())).ids).toEqual([mixed[0]]);
  });

  it('schools: with a filter, only the changed ones it matches', async () => {
    const since = await dbNow();
    const [la] = await sql<{ la_code: number }>(`select la_code from school group by la_code order by count(*) desc limit 1`);
    const inside = await idsOf('school', `la_code = ${la!.la_code}`, 2);
    const outside = await idsOf('school', `la_code <> ${la!.la_code}`, 2);
    await touch('school', [...inside, ...outside]);
    const data = await gql(
      `query($since: DateTime!, $la: [Int!]) { schools(first: 10, changedSince: $since, filter: { laCode: $la }) { totalCount nodes { id laCode } } }`,
      {
        since,
        la: [la!.la_code],
      },
    );
    expect(data.schools.nodes.map((n: { id: string }) => n.id)).toEqual(inside);
    expect(data.schools.totalCount).toBe(2);
  });

  it('partners: exactly those changed, in order of change', async () => {
    const since = await dbNow();
    const changed = await idsOf('partner', 'true', 3);
    await touch('partner', [changed[1]!, changed[2]!, changed[0]!]);
    const { ids, pages } = await walk('partners', since, { fields: 'name' });
    expect(ids).toEqual([changed[1], changed[2], changed[0]]);
    expect(pages[0]!.totalCount).toBe(3);
  });

  it('visits: through real mutations, the same pages on the read view and through the ORM', async () => {
    // Visits to come whatever the suite's day (in the summer holiday the demo county has none booked).
    const made = await bookedVisits(t, 2);
    const since = await dbNow();
    const [a, b] = await sql<{ id: string; version: number; starts_at: Date; ends_at: Date }>(
      `select id, version, starts_at, ends_at from visit where id = any(string_to_array(?, ',')::uuid[]) order by starts_at desc, id`,
      [made.map((v) => v.id).join(',')],
    );
    const moved = await gql(
      `mutation($id: ID!, $v: Int!, $s: DateTime!, $e: DateTime!) { rescheduleVisit(id: $id, expectedVersion: $v, startsAt: $s, endsAt: $e, location: "The hall") { id updatedAt } }`,
      { id: a!.id, v: a!.version, s: new Date(a!.starts_at).toISOString(), e: new Date(a!.ends_at).toISOString() },
    );
    const cancelled = await gql(`mutation($id: ID!) { cancelVisit(id: $id, reason: "The school is closed for snow") { id updatedAt status } }`, { id: b!.id });
    expect(cancelled.cancelVisit.status).toBe('CANCELLED');
    const bySql = await idsOf('visit', `status = 'completed'`, 1);
    await touch('visit', bySql);
    const expected = [a!.id, b!.id, bySql[0]!];

    const view = await walk('visits', since, { fields: 'status school { name dfeNumber }' });
    const orm = await walk('visits', since, { fields: 'status leadPartner { id }' });
    expect(view.ids).toEqual(expected);
    expect(orm.ids).toEqual(expected);
    // the same cursors both ways: a client may change what it selects between pages
    expect(orm.pages.map((p) => p.edges.map((e) => e.cursor))).toEqual(view.pages.map((p) => p.edges.map((e) => e.cursor)));
    expect(view.pages.map((p) => p.totalCount)).toEqual([3, 3]);
    expect(view.pages[0]!.edges[0]!.node.updatedAt).toBe(moved.rescheduleVisit.updatedAt);
    expect(view.pages[0]!.edges[1]!.node.updatedAt).toBe(cancelled.cancelVisit.updatedAt);
  });

  it('visits: a partner sees exactly the changed visits they could see before', async () => {
    const { partner, token } = await t.personWithRole(PartnerRole.PARTNER);
    const own = await idsOf('visit', `lead_partner_id = '${partner.id}'`, 2);
    const others = await idsOf('visit', `lead_partner_id <> '${partner.id}'`, 40);
    const visible = async (id: string) => !(await t.gql(`query($id: ID!) { visit(id: $id) { id } }`, { id }, { token })).errors;
    const hidden: string[] = [];
    for (const id of others) if (hidden.length < 2 && !(await visible(id))) hidden.push(id);
    expect(hidden).toHaveLength(2);

    const since = await dbNow();
    await touch('visit', [hidden[0]!, own[0]!, hidden[1]!, own[1]!]);
    for (const fields of ['school { name }', 'leadPartner { id }']) {
      const { ids, pages } = await walk('visits', since, { fields, token });
      expect(ids).toEqual(own);
      expect(pages[0]!.totalCount).toBe(2);
    }
    // the manager sees all four
    expect((await walk('visits', since)).ids).toEqual([hidden[0], own[0], hidden[1], own[1]]);
  });

  it('visits: filters apply as without changedSince (laCode on both paths)', async () => {
    const since = await dbNow();
    const [school] = await sql<{ la_code: number }>(
      `select s.la_code from visit v join school s on s.id = v.school_id group by s.la_code order by count(*) desc limit 1`,
    );
    const inside = await idsOf('visit', `school_id in (select id from school where la_code = ${school!.la_code})`, 2);
    const outside = await idsOf('visit', `school_id in (select id from school where la_code <> ${school!.la_code})`, 1);
    await touch('visit', [...inside, ...outside]);
    for (const fields of 'school { laCode }|leadPartner { id } school { laCode }'.split('|')) {
      const data = await gql(
        `query($since: DateTime!, $la: [Int!]) { visits(first: 10, changedSince: $since, filter: { laCode: $la }) { totalCount nodes { id ${fields} } } }`,
        {
          since,
          la: [school!.la_code],
        },
      );
      expect(data.visits.nodes.map((n: { id: string }) => n.id)).toEqual(inside);
      expect(data.visits.totalCount).toBe(2);
    }
  });

  it('a cursor of another list, of the list without changedSince, or made up, is refused', async () => {
    const since = '2000-01-01T00:00:00Z';
    const byName = (await gql(`{ schools(first: 1) { pageInfo { endCursor } } }`)).schools.pageInfo.endCursor;
    const byChange = (await gql(`query($since: DateTime!) { schools(first: 1, changedSince: $since) { pageInfo { endCursor } } }`, { since })).schools.pageInfo
      .endCursor;
    const madeUp = Buffer.from(JSON.stringify({ changedAt: '2026-01-01T00:00:00Z', id: 'x' })).toString('base64url');
    const refused = async (list: string, after: string, withSince: boolean) => {
      const res = await t.gql(`query($since: DateTime, $after: String) { ${list}(first: 2, after: $after, changedSince: $since) { nodes { id } } }`, {
        since: withSince ? since : null,
        after,
      });
      expect(res.errors?.[0]?.extensions?.code, `${list} ${after}`).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(/cursor "after" is not valid/);
    };
    await refused('schools', byName, true);
    await refused('schools', byChange, false);
    await refused('partners', madeUp, true);
    await refused('visits', 'not a cursor', true);
    await refused('visits', byName, true);
  });

  it('without changedSince nothing changes: the usual order and cursors', async () => {
    const data = await gql(`{ schools(first: 3) { nodes { name } pageInfo { endCursor } } }`);
    const names = data.schools.nodes.map((n: { name: string }) => n.name);
    expect(JSON.parse(Buffer.from(data.schools.pageInfo.endCursor, 'base64url').toString())).toEqual([names[2], expect.any(String)]);
  });
});

interface TombstonePage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string; type: string; kind: string; at: string } }[];
}

/** Walks tombstones two at a time, as `type kind id` lines; `between` runs after each page. */
async function walkTombstones(
  changedSince: Date,
  { types, token, between }: { types?: string[]; token?: string; between?: (page: number) => Promise<void> } = {},
): Promise<{ lines: string[]; pages: TombstonePage[] }> {
  const query = `query($since: DateTime!, $types: [RecordType!], $after: String) {
    tombstones(changedSince: $since, types: $types, first: 2, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id type kind at } } } }`;
  const pages: TombstonePage[] = [];
  let after: string | null = null;
  for (;;) {
    const page = (await gql(query, { since: changedSince.toISOString(), types: types ?? null, after }, token)).tombstones as TombstonePage;
    pages.push(page);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
    await between?.(pages.length);
    expect(pages.length).toBeLessThan(200);
  }
  return { lines: pages.flatMap((p) => p.edges.map((e) => `${e.node.type} ${e.node.kind} ${e.node.id}`)), pages };
}

const CANCEL = `mutation($id: ID!) { cancelVisit(id: $id, reason: "The school is closed for a flood") { id status } }`;

describe('tombstones', () => {
  const dir = path.join(TEST_DATA_ROOT, `changed-since-${randomUUID()}`);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('cancellations, a school closed by the register import and disposals, exactly, across pages, each in its own place for each reader', async () => {
    // Events are stamped on the business clock (the suite's), as every door's `now`.
    const since = testClock.now();
    const { partner, token: partnerToken } = await t.personWithRole(PartnerRole.PARTNER);
    const visible = async (id: string) => !(await t.gql(`query($id: ID!) { visit(id: $id) { id } }`, { id }, { token: partnerToken })).errors;
    // Booked here, whatever the suite's day: another partner's visit at a school this partner has nothing to do
    // with (hidden from them), and one of their own at another school.
    const [other] = await idsOf('partner', `role = 'partner' and active and id <> '${partner.id}'`, 1);
    const [away, home] = await idsOf(
      'school',
      `status = 'open' and not exists (select 1 from allocation a where a.school_id = school.id and a.partner_id = '${partner.id}')
         and not exists (select 1 from visit v where v.school_id = school.id and v.lead_partner_id = '${partner.id}')
         and not exists (select 1 from visit_attendee x join visit v on v.id = x.visit_id where v.school_id = school.id and x.partner_id = '${partner.id}')`,
      2,
    );
    const book = async (leadPartnerId: string, schoolId: string) => {
      const startsAt = new Date(testClock.now().getTime() + 9 * 86_400_000);
      const input = {
        schoolId,
        leadPartnerId,
        type: 'SPRING',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
      };
      return (await gql(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, { input })).bookVisit.id as string;
    };
    const hidden = await book(other!, away!);
    const own = await book(partner.id, home!);
    const another = await book(other!, home!);
    expect(await visible(hidden)).toBe(false);
    expect(await visible(own)).toBe(true);

    // 1. two visits cancelled through the partner's and the manager's door
    await gql(CANCEL, { id: own });
    await gql(CANCEL, { id: hidden });

    // 2. the register import: two schools of an authority arrive open, then the register closes one
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, 'edubasealldata20270310.csv');
    const rows = giasFixture(6).rows.filter((r) => r['LA (code)'] === '925' && r['EstablishmentStatus (name)'] === 'Open');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    await writeGiasCsv(file, ESTABLISHMENT_COLUMNS, rows);
    await importGias(t.app.orm, [file], [925], testClock);
    rows[0]!['EstablishmentStatus (name)'] = 'Closed';
    rows[0]!.CloseDate = '28-02-2027';
    await writeGiasCsv(file, ESTABLISHMENT_COLUMNS, rows);
    const report = await importGias(t.app.orm, [file], [925], testClock);
    expect(report.closed).toBe(1);
    const [closed] = await sql<{ id: string }>(`select id from school where urn = ?`, [Number(rows[0]!.URN)]);

    // 3. the retention schedule, on a clock moved to six years after the second oldest notes: the oldest go, with any old visits
    const [second] = await sql<{ trigger: Date }>(
      `select distinct coalesce(n.first_circulated_at, v.starts_at) as trigger from note_of_visit n join visit v on v.id = n.visit_id order by 1 offset 1 limit 1`,
    );
    const later = new Date(second!.trigger);
    later.setUTCFullYear(later.getUTCFullYear() + 6);
    const disposalAt = new Date(Math.max(later.getTime(), testClock.now().getTime() + 1000));
    const notesBefore = (await sql<{ id: string }>(`select id from note_of_visit`)).map((r) => r.id);
    const visitsBefore = (await sql<{ id: string }>(`select id from visit`)).map((r) => r.id);
    await runAs({ actor: 'system:retention' }, () => t.app.disposal.runOnce(disposalAt));
    const notesAfter = new Set((await sql<{ id: string }>(`select id from note_of_visit`)).map((r) => r.id));
    const visitsAfter = new Set((await sql<{ id: string }>(`select id from visit`)).map((r) => r.id));
    const goneNotes = notesBefore.filter((id) => !notesAfter.has(id));
    const goneVisits = visitsBefore.filter((id) => !visitsAfter.has(id));
    expect(goneNotes.length).toBeGreaterThan(0);

    const expected = [
      `VISIT CANCELLED ${own}`,
      `VISIT CANCELLED ${hidden}`,
      `SCHOOL CLOSED ${closed!.id}`,
      ...goneNotes.map((id) => `NOTE_OF_VISIT DELETED ${id}`),
      ...goneVisits.map((id) => `VISIT DELETED ${id}`),
    ];
    // The manager: all of them, in the order they happened (the disposals' among themselves as the job went)
    const all = await walkTombstones(since);
    expect(all.lines.slice(0, 3)).toEqual(expected.slice(0, 3));
    expect([...all.lines].sort()).toEqual([...expected].sort());
    expect(all.pages.every((p) => p.totalCount === expected.length)).toBe(true);
    expect(all.pages.length).toBe(Math.ceil(expected.length / 2));
    expect(all.pages[0]!.edges[0]!.node.at).toBeTruthy();
    // A service reads them too (Visits.Read.All)
    const service = await t.serviceToken('council-dashboard');
    expect((await walkTombstones(since, { token: service })).lines).toEqual(all.lines);
    // Some types only
    expect((await walkTombstones(since, { types: ['SCHOOL'] })).lines).toEqual([`SCHOOL CLOSED ${closed!.id}`]);
    expect([...(await walkTombstones(since, { types: ['VISIT', 'PARTNER'] })).lines].sort()).toEqual(expected.filter((l) => l.startsWith('VISIT ')).sort());
    // The partner: their own visit's cancellation and the register's school; not a visit they may not see,
    // nor disposals (gone with their school: nothing says the partner could see them)
    expect((await walkTombstones(since, { token: partnerToken })).lines).toEqual([`VISIT CANCELLED ${own}`, `SCHOOL CLOSED ${closed!.id}`]);

    // A cancellation while a reader pages comes at the end of their walk; nothing is skipped
    const walked = await walkTombstones(since, { between: async (page) => (page === 1 ? void (await gql(CANCEL, { id: another })) : undefined) });
    expect(walked.lines).toEqual([...all.lines, `VISIT CANCELLED ${another}`]);
    // and after the last instant, nothing
    expect((await walkTombstones(new Date(disposalAt.getTime() + 60_000))).lines).toEqual([]);
  });

  it("refuses a cursor that is not a tombstone page's", async () => {
    const byName = (await gql(`{ schools(first: 1) { pageInfo { endCursor } } }`)).schools.pageInfo.endCursor;
    for (const after of [byName, 'garbage', Buffer.from(JSON.stringify({ event: '1 or 1=1' })).toString('base64url')]) {
      const res = await t.gql(`query($after: String) { tombstones(changedSince: "2020-01-01T00:00:00Z", after: $after) { nodes { id } } }`, { after });
      expect(res.errors?.[0]?.extensions?.code, after).toBe('BAD_USER_INPUT');
    }
  });
});

describe.runIf(realPostgresUrl())('the overlap of a minute (real PostgreSQL: a change committed after a later one)', () => {
  it('a change stamped before the last one seen but committed after it is missed without the overlap and read with it', async () => {
    const database = t.config.database as { kind: string; url?: string };
    expect(database.kind).toBe('postgresql');
    const [early, late] = await idsOf('visit', `status = 'completed'`, 2);
    const since = await dbNow();
    const writer = new pg.Client({ connectionString: database.url });
    await writer.connect();
    try {
      // A change stamped now, its transaction still open (another instance, a slow save)...
      await writer.query('begin');
      await writer.query('update visit set updated_at = clock_timestamp() where id = $1', [early]);
      // ...while a later change (in a later second: answers give updatedAt to the second) commits, and a reader follows the list.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await touch('visit', [late!]);
      const first = await walk('visits', since);
      expect(first.ids).toEqual([late]);
      await writer.query('commit');

      // Next run: from the largest updatedAt seen, the earlier-stamped change is never seen...
      const largest = Date.parse(first.pages.at(-1)!.edges.at(-1)!.node.updatedAt);
      const stampedBefore = await sql<{ before: boolean }>(
        `select (select updated_at from visit where id = ?) < (select updated_at from visit where id = ?) as before`,
        [early, late],
      );
      expect(stampedBefore[0]!.before).toBe(true);
      const withoutOverlap = await walk('visits', new Date(largest).toISOString());
      expect(withoutOverlap.ids).toContain(late);
      expect(withoutOverlap.ids).not.toContain(early);
      // ...from a minute before it (docs/api.md, "Following changes"), it is, with the later one again.
      const withOverlap = await walk('visits', new Date(largest - 60_000).toISOString());
      expect(withOverlap.ids).toContain(early);
      expect(withOverlap.ids).toContain(late);
    } finally {
      await writer.end();
    }
  });
});
