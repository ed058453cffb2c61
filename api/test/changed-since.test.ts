import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { startTestApp, type TestApp } from './support/test-app.js';

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
    expect(pages.length).toBeLessThan(50);
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
    const since = await dbNow();
    const [a, b] = await sql<{ id: string; version: number; starts_at: Date; ends_at: Date }>(
      `select id, version, starts_at, ends_at from visit where status = 'booked' order by starts_at desc, id limit 2`,
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
