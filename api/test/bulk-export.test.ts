import { parse } from 'csv-parse/sync';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceRole } from '../src/platform/auth/principal.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The bulk exports (issue 23; docs/api.md "Bulk export") over the demo county: each export's
 * rows are what GraphQL answers for the same filter, within the same access rules; mistakes are
 * refused before a row is sent; 50,000 rows stream with the server's memory flat.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

type Row = Record<string, string>;
type Json = Record<string, any>;

const get = (app: TestApp, path: string, token: string | null = app.managerToken) =>
  fetch(`${app.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

async function csv(path: string, token?: string | null): Promise<Row[]> {
  const res = await get(t, path, token);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[a-z]+-\d{4}-\d\d-\d\d\.csv"$/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 byte order mark, for Excel
  return parse(Buffer.from(bytes).toString('utf8'), { bom: true, columns: true }) as Row[];
}

async function csvHeader(path: string, token?: string | null): Promise<string[]> {
  const res = await get(t, path, token);
  expect(res.status).toBe(200);
  return (parse(await res.text(), { bom: true, to_line: 1 }) as string[][])[0]!;
}

async function ndjson(path: string, token?: string | null): Promise<Json[]> {
  const res = await get(t, path, token);
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
  const text = await res.text();
  if (!text) return [];
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line) as Json);
}

/** Every page of a GraphQL list. */
async function all(field: 'schools' | 'visits', filter: Json | null, fields: string, token?: string): Promise<Json[]> {
  const nodes: Json[] = [];
  let after: string | null = null;
  for (;;) {
    const res = await t.gql(
      `query($filter: ${field === 'schools' ? 'SchoolFilter' : 'VisitFilter'}, $after: String) { ${field}(filter: $filter, first: 100, after: $after) { nodes { ${fields} } pageInfo { hasNextPage endCursor } } }`,
      { filter, after },
      token ? { token } : {},
    );
    expect(res.errors).toBeUndefined();
    const page = res.data![field] as { nodes: Json[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
    nodes.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

const sql = (text: string, params: unknown[] = []): Promise<Json[]> => t.app.orm.em.getConnection().execute<Json[]>(text, params);

const NOTE_RECORDS = `note { id status judgements { id area schoolGrade partnerGrade insufficientEvidence }
  recommendations { id action dueOn status ownerRole } targets { id keyStage measure year value } }`;

/** The notes' records GraphQL gives for a visit filter, by id. */
async function noteRecords(filter: Json | null, token?: string) {
  const visits = await all('visits', filter, `id startsAt school { id urn } ${NOTE_RECORDS}`, token);
  const of = (kind: 'judgements' | 'recommendations' | 'targets') =>
    new Map<string, Json>(visits.flatMap((v) => (v.note?.[kind] ?? []).map((r: Json) => [r.id as string, { ...r, visit: v }] as const)));
  return { judgements: of('judgements'), recommendations: of('recommendations'), targets: of('targets') };
}

describe('bulk exports: the rows GraphQL answers', () => {
  it('schools: the same rows, order and values as schools(filter), in CSV and NDJSON', async () => {
    const graph = await all('schools', { phase: ['PRIMARY'], status: ['OPEN'] }, 'id urn laCode dfeNumber name phase type status district openedOn updatedAt');
    expect(graph.length).toBeGreaterThan(5);
    const rows = await csv('/exports/schools.csv?phase=PRIMARY&status=OPEN');
    const lines = await ndjson('/exports/schools.ndjson?phase=PRIMARY&status=OPEN');
    expect(rows.map((r) => r['School id'])).toEqual(graph.map((s) => s.id));
    expect(lines.map((l) => l.id)).toEqual(graph.map((s) => s.id));
    for (const [i, s] of graph.entries()) {
      expect(lines[i]).toMatchObject(s);
      expect(rows[i]).toMatchObject({
        URN: String(s.urn),
        'DfE number': s.dfeNumber,
        School: s.name,
        Phase: 'PRIMARY',
        Status: 'OPEN',
        'Updated at': s.updatedAt,
      });
    }
    // several values of a list parameter, repeated or comma-separated; and a search, as GraphQL's
    const both = await all('schools', { phase: ['PRIMARY', 'SECONDARY'], search: 'a' }, 'id');
    expect((await ndjson('/exports/schools.ndjson?phase=PRIMARY,SECONDARY&search=a')).map((l) => l.id)).toEqual(both.map((s) => s.id));
    expect((await ndjson('/exports/schools.ndjson?phase=PRIMARY&phase=SECONDARY&search=a')).map((l) => l.id)).toEqual(both.map((s) => s.id));
  });

  it('schools: laCode, the local authority (School.laCode)', async () => {
    const [{ la_code: code }] = await sql('select la_code from school order by urn limit 1');
    const expected = await sql('select id from school where la_code = ? order by name, id', [code]);
    const rows = await ndjson(`/exports/schools.ndjson?laCode=${code}`);
    expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
    expect(rows.every((r) => r.laCode === code)).toBe(true);
    expect(await ndjson('/exports/schools.ndjson?laCode=999')).toEqual([]);
  });

  it('visits: the same rows, order and values as visits(filter)', async () => {
    const filter = { status: ['COMPLETED', 'BOOKED'], from: '2026-09-01T00:00:00+01:00', to: '2027-06-01T00:00:00+01:00' };
    const graph = await all(
      'visits',
      filter,
      'id type status startsAt endsAt school { id urn dfeNumber name } leadPartner { id name } note { id status } updatedAt',
    );
    expect(graph.length).toBeGreaterThan(10);
    const query = `status=COMPLETED,BOOKED&from=${encodeURIComponent(filter.from)}&to=${encodeURIComponent(filter.to)}`;
    const lines = await ndjson(`/exports/visits.ndjson?${query}`);
    const rows = await csv(`/exports/visits.csv?${query}`);
    expect(lines.map((l) => l.visitId)).toEqual(graph.map((v) => v.id));
    expect(rows.map((r) => r['Visit id'])).toEqual(graph.map((v) => v.id));
    for (const [i, v] of graph.entries()) {
      expect(lines[i]).toEqual(
        expect.objectContaining({
          type: v.type,
          status: v.status,
          startsAt: v.startsAt,
          endsAt: v.endsAt,
          schoolId: v.school.id,
          urn: v.school.urn,
          dfeNumber: v.school.dfeNumber,
          schoolName: v.school.name,
          leadPartnerId: v.leadPartner.id,
          leadPartnerName: v.leadPartner.name,
          noteId: v.note?.id ?? null,
          noteStatus: v.note?.status ?? null,
          updatedAt: v.updatedAt,
        }),
      );
    }
    // one school's visits, as visits(filter: { schoolId })
    const school = graph[0]!.school.id as string;
    const ofSchool = await all('visits', { schoolId: school }, 'id');
    expect((await ndjson(`/exports/visits.ndjson?schoolId=${school}`)).map((l) => l.visitId)).toEqual(ofSchool.map((v) => v.id));
  });

  it("judgements, recommendations and targets: the visits' notes' records GraphQL gives, with their values", async () => {
    const filter = { status: ['COMPLETED'] };
    const graph = await noteRecords(filter);
    expect(graph.judgements.size).toBeGreaterThan(10);
    expect(graph.recommendations.size).toBeGreaterThan(5);
    expect(graph.targets.size).toBeGreaterThan(0);
    const judgements = await ndjson('/exports/judgements.ndjson?status=COMPLETED');
    const recommendations = await csv('/exports/recommendations.csv?status=COMPLETED');
    const targets = await ndjson('/exports/targets.ndjson?status=COMPLETED');
    expect(judgements.map((j) => j.id).sort()).toEqual([...graph.judgements.keys()].sort());
    expect(recommendations.map((r) => r.Id).sort()).toEqual([...graph.recommendations.keys()].sort());
    expect(targets.map((r) => r.id).sort()).toEqual([...graph.targets.keys()].sort());
    for (const j of judgements) {
      const g = graph.judgements.get(j.id)!;
      expect(j).toMatchObject({
        area: g.area,
        schoolGrade: g.schoolGrade,
        partnerGrade: g.partnerGrade,
        insufficientEvidence: g.insufficientEvidence,
        noteId: g.visit.note.id,
        noteStatus: g.visit.note.status,
        visitId: g.visit.id,
        visitStartsAt: g.visit.startsAt,
        urn: g.visit.school.urn,
      });
    }
    for (const r of recommendations) {
      const g = graph.recommendations.get(r.Id)!;
      expect(r).toMatchObject({ Action: g.action, 'Due on': g.dueOn, Status: g.status, 'Owner role': g.ownerRole, URN: String(g.visit.school.urn) });
    }
    for (const r of targets) {
      const g = graph.targets.get(r.id)!;
      expect(r).toMatchObject({ keyStage: g.keyStage, measure: g.measure, year: g.year, value: g.value });
    }
  });
});

describe('bulk exports: changedSince', () => {
  it('gives exactly the records changed strictly after the instant (a note for its judgements, recommendations and targets)', async () => {
    const [{ latest }] = await sql(`select (extract(epoch from max(updated_at)) * 1000)::float8 as latest from school`);
    const since = new Date(Math.ceil(latest as number) + 1000);
    const schools = await sql('select id from school order by urn limit 4');
    // three changed a minute after; one exactly at the instant, which is not "after" it
    await sql(`update school set updated_at = ? where id in (?, ?, ?)`, [new Date(since.getTime() + 60_000), ...schools.slice(0, 3).map((s) => s.id)]);
    await sql(`update school set updated_at = ? where id = ?`, [since, schools[3]!.id]);
    const changed = await ndjson(`/exports/schools.ndjson?changedSince=${encodeURIComponent(since.toISOString())}`);
    expect(changed.map((s) => s.id).sort()).toEqual(
      schools
        .slice(0, 3)
        .map((s) => s.id)
        .sort(),
    );

    const [{ last }] = await sql(
      `select (extract(epoch from greatest((select max(updated_at) from visit), (select max(updated_at) from note_of_visit))) * 1000)::float8 as last`,
    );
    const after = new Date(Math.ceil(last as number) + 1000);
    const [note] = await sql(
      `select n.id, n.visit_id from note_of_visit n where exists (select 1 from judgement j where j.note_id = n.id) and exists (select 1 from recommendation r where r.note_id = n.id) limit 1`,
    );
    await sql('update note_of_visit set updated_at = ? where id = ?', [new Date(after.getTime() + 60_000), note!.id]);
    await sql('update visit set updated_at = ? where id = ?', [new Date(after.getTime() + 60_000), note!.visit_id]);
    const query = `changedSince=${encodeURIComponent(after.toISOString())}`;
    expect((await ndjson(`/exports/visits.ndjson?${query}`)).map((v) => v.visitId)).toEqual([note!.visit_id]);
    const judgements = await ndjson(`/exports/judgements.ndjson?${query}`);
    const expected = await sql('select id from judgement where note_id = ? order by id', [note!.id]);
    expect(judgements.map((j) => j.id)).toEqual(expected.map((j) => j.id));
    const recommendations = await ndjson(`/exports/recommendations.ndjson?${query}`);
    expect(recommendations.length).toBeGreaterThan(0);
    expect(recommendations.every((r) => r.noteId === note!.id)).toBe(true);
  });
});

describe('bulk exports: access', () => {
  it('a service gets contact emails only with Contacts.Read.All and risk categories only with RiskCategories.Read.All', async () => {
    const plain = await t.serviceToken('Dashboard');
    const header = await csvHeader('/exports/schools.csv', plain);
    expect(header).toContain('Headteacher');
    expect(header).not.toContain('Headteacher email');
    expect(header).not.toContain('Chair of governors email');
    expect(header).not.toContain('Risk category');
    expect(Object.keys((await ndjson('/exports/schools.ndjson', plain))[0]!)).not.toContain('headteacherEmail');
    // filtering by a confidential category is refused, as schools(filter) refuses it
    const refused = await get(t, '/exports/schools.csv?riskCategory=A4', plain);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Json).errors[0].message).toContain(ServiceRole.RISK_CATEGORIES);

    const granted = await t.serviceToken('Dashboard', [ServiceRole.READ, ServiceRole.CONTACTS, ServiceRole.RISK_CATEGORIES]);
    const rows = await ndjson('/exports/schools.ndjson', granted);
    const manager = await ndjson('/exports/schools.ndjson');
    expect(rows).toEqual(manager);
    expect(rows.some((r) => r.headteacherEmail)).toBe(true);
    expect(rows.some((r) => r.riskCategory)).toBe(true);
  });

  it("a service sees the records of circulated notes only, and a visit's note once circulated", async () => {
    const service = await t.serviceToken('Dashboard');
    const [{ circulated, other }] = await sql(
      `select count(*) filter (where n.status = 'circulated')::int as circulated, count(*) filter (where n.status <> 'circulated')::int as other
       from judgement j join note_of_visit n on n.id = j.note_id`,
    );
    expect(other).toBeGreaterThan(0);
    const judgements = await ndjson('/exports/judgements.ndjson', service);
    expect(judgements).toHaveLength(circulated);
    expect(judgements.every((j) => j.noteStatus === 'CIRCULATED')).toBe(true);
    const graph = await noteRecords(null, service);
    expect(judgements.map((j) => j.id).sort()).toEqual([...graph.judgements.keys()].sort());
    expect((await ndjson('/exports/targets.ndjson', service)).map((r) => r.id).sort()).toEqual([...graph.targets.keys()].sort());

    const visits = await all('visits', null, 'id note { id }', service);
    const lines = await ndjson('/exports/visits.ndjson', service);
    expect(lines.map((l) => [l.visitId, l.noteId])).toEqual(visits.map((v) => [v.id, v.note?.id ?? null]));
    expect(lines.some((l) => l.noteId === null) && lines.some((l) => l.noteId !== null)).toBe(true);
  });

  it("a partner: the visits and notes' records GraphQL gives them, and risk categories only of their schools this year", async () => {
    const { token } = await t.personWithRole(PartnerRole.PARTNER);
    const visits = await all('visits', null, 'id', token);
    const [{ count }] = await sql('select count(*)::int as count from visit');
    expect(visits.length).toBeGreaterThan(0);
    expect(visits.length).toBeLessThan(count);
    expect((await ndjson('/exports/visits.ndjson', token)).map((l) => l.visitId)).toEqual(visits.map((v) => v.id));
    const graph = await noteRecords(null, token);
    expect((await ndjson('/exports/judgements.ndjson', token)).map((j) => j.id).sort()).toEqual([...graph.judgements.keys()].sort());

    const schools = await all('schools', null, 'id visibleRiskCategory { category }', token);
    const rows = await ndjson('/exports/schools.ndjson', token);
    expect(rows.map((r) => [r.id, r.riskCategory])).toEqual(schools.map((s) => [s.id, s.visibleRiskCategory?.category ?? null]));
    expect(rows.some((r) => r.riskCategory) && rows.some((r) => !r.riskCategory)).toBe(true);
    // another school's visits are refused, as visits(filter: { schoolId }) refuses them
    const seen = new Set((await all('visits', null, 'school { id }', token)).map((v) => v.school.id));
    const other = (await sql('select distinct school_id from visit')).map((r) => r.school_id as string).find((id) => !seen.has(id))!;
    const answer = await t.gql('query($id: ID!) { visits(filter: { schoolId: $id }) { totalCount } }', { id: other }, { token });
    expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const res = await get(t, `/exports/visits.ndjson?schoolId=${other}`, token);
    expect(res.status).toBe(403);
    expect(((await res.json()) as Json).errors[0].message).toBe(answer.errors![0]!.message);
  });
});

describe('bulk exports: refusals before any row', () => {
  it.each([
    ['/exports/schools.csv?phase=TOWER', 'phase', 'TOWER'],
    ['/exports/schools.csv?colour=red', 'Unknown parameter "colour"', 'changedSince'],
    ['/exports/schools.csv?search=' + 'x'.repeat(101), 'search must be at most 100 characters', ''],
    ['/exports/visits.csv?changedSince=yesterday', 'changedSince', 'yesterday'],
    ['/exports/visits.csv?changedSince=2027-03-10T10:00:00', 'changedSince', 'offset'],
    ['/exports/visits.ndjson?from=2027-03-10T00:00:00Z&to=2027-01-01T00:00:00Z', 'from must not be after to', ''],
    ['/exports/judgements.csv?schoolId=abc', 'abc', 'not an id'],
    ['/exports/visits.csv?partnerId=' + '1'.repeat(3) + '&partnerId=2', 'partnerId once', ''],
    ['/exports/schools.csv?laCode=north', 'laCode', ''],
  ])('%s is refused with 400 and words', async (path, words, more) => {
    const res = await get(t, path);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as Json;
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0].message).toContain(words);
    expect(body.errors[0].message).toContain(more);
  });

  it('answers an unknown school or partner with 404, as visits(filter) answers NOT_FOUND', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const path of [`/exports/visits.csv?schoolId=${unknown}`, `/exports/judgements.ndjson?partnerId=${unknown}`]) {
      const res = await get(t, path);
      expect(res.status).toBe(404);
      expect(((await res.json()) as Json).errors[0].extensions.code).toBe('NOT_FOUND');
    }
    const answer = await t.gql('query($id: ID!) { visits(filter: { schoolId: $id }) { totalCount } }', { id: unknown });
    expect(answer.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('asks for a token, as /graphql does', async () => {
    const res = await get(t, '/exports/visits.ndjson', null);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('writes text that a spreadsheet would run as a formula as text, in the CSV only', async () => {
    const [school] = await sql('select id from school order by urn limit 1');
    await sql(`update school set district = '=HYPERLINK("http://example.invalid")' where id = ?`, [school!.id]);
    const rows = await csv(`/exports/schools.csv?district=${encodeURIComponent('=HYPERLINK("http://example.invalid")')}`);
    expect(rows.map((r) => r.District)).toEqual([`'=HYPERLINK("http://example.invalid")`]);
    const lines = await ndjson(`/exports/schools.ndjson?district=${encodeURIComponent('=HYPERLINK("http://example.invalid")')}`);
    expect(lines.map((l) => l.district)).toEqual(['=HYPERLINK("http://example.invalid")']);
  });
});

describe('bulk exports: 50,000 rows', () => {
  let big: TestApp;
  beforeAll(async () => {
    big = await startTestApp();
  }, 120_000);
  afterAll(() => big?.stop());

  it('streams a 50,000-visit export in batches with the server’s memory flat, read line by line', async () => {
    const em = big.app.orm.em.fork();
    const [{ school, partner }] = await em
      .getConnection()
      .execute<Json[]>(`select (select id from school order by urn limit 1) as school, (select id from partner order by name limit 1) as partner`);
    // 50,000 visits an hour apart from 2001, in the test's own copy of the database
    await em.getConnection().execute(
      `insert into visit (id, created_at, updated_at, school_id, lead_partner_id, type, status, starts_at, ends_at, location, in_school_days, out_of_school_days, version)
       select gen_random_uuid(), now(), now(), ?, ?, 'other', 'completed', timestamptz '2001-01-01T09:00:00Z' + g * interval '1 hour',
         timestamptz '2001-01-01T10:00:00Z' + g * interval '1 hour', 'Visit number ' || g || ', the school hall, with some words to fill the row', 0.5, 0.25, 1
       from generate_series(1, 50000) g`,
      [school, partner],
    );
    // statistics for the planner, as PostgreSQL's autovacuum would gather after such a load (the embedded database has none)
    await em.getConnection().execute('analyze visit');
    const [{ total }] = await em.getConnection().execute<Json[]>('select count(*)::int as total from visit');
    const started = performance.now();
    expect(total).toBeGreaterThan(50_000);

    // the live heap (after a full collection), so garbage waiting to be collected does not count
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const live = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const baseline = live();
    let peak = baseline;
    let bytes = 0;
    let lines = 0;
    let carry = '';
    const res = await get(big, '/exports/visits.csv');
    expect(res.status).toBe(200);
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      // line by line: only the unfinished last line is kept between chunks
      const text = carry + decoder.decode(chunk, { stream: true });
      const parts = text.split('\r\n');
      carry = parts.pop()!;
      const before = lines;
      lines += parts.length;
      if (Math.floor(lines / 2500) > Math.floor(before / 2500)) peak = Math.max(peak, live());
    }
    const seconds = (performance.now() - started) / 1000;
    expect(carry).toBe('');
    expect(lines).toBe(total + 1); // the header and every visit
    const growth = peak - baseline;
    console.log(
      `bulk export of ${total} visits: ${(bytes / 1e6).toFixed(1)} MB of CSV; live heap at most ${(growth / 1e6).toFixed(1)} MB above its start; ${seconds.toFixed(1)} s (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded database'})`,
    );
    // buffering the export would hold at least the body (tens of MB): the stream holds a batch or two
    expect(bytes).toBeGreaterThan(15e6);
    expect(growth).toBeLessThan(bytes / 4);
  }, 600_000);

  it('cuts the connection when a batch fails after the first rows were sent: the client sees an incomplete body, not an end', async () => {
    const db = big.app.orm.em.getConnection();
    const res = await get(big, '/exports/visits.ndjson');
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    // the next batch's statement fails: a column it reads has gone
    await db.execute('alter table visit rename column location to location_gone');
    try {
      const rest = async () => {
        for (;;) if ((await reader.read()).done) return 'ended as if complete';
      };
      await expect(rest()).rejects.toThrow();
    } finally {
      await db.execute('alter table visit rename column location_gone to location');
    }
  }, 120_000);
});
