import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_NOTE } from '../../scripts/bench/queries.mjs';
import { addDays, londonMidnight } from '../../addin/src/teams/dates.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { documentForRootField, frontEndOperations } from './support/front-end-operations.js';
import { formatSql, normaliseValues, pathOf, type HotRoot } from './support/read-view-sql.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testClock, testToday } from './support/test-clock.js';

/**
 * The SQL of the hottest reads, as sent, checked in (api/test/sql-snapshots/*.sql):
 * a change of plan (a join, a subquery, a column, a statement more) is a diff a
 * reviewer reads, not a surprise in production. Each file is every statement one
 * request sent, in order, one clause a line (support/read-view-sql.ts formatSql),
 * with ids, dates, instants, academic years and email addresses written as :id, :date, :instant, :academicYear,
 * :email (the values are parameters; these are the ones that differ from run to run
 * or with TEST_NOW). The requests are the front ends' own (addin/src), narrowed to
 * the one root field, with the variables the front end sends.
 *
 * After a deliberate change: `npx vitest run api/test/sql-snapshots.test.ts -u`, and
 * read the diff.
 */

let t: TestApp;
let partner: { id: string; token: string };
let manager: { id: string; token: string };
let noteId: string;
let serviceToken: string;
const operations = frontEndOperations();
const frontEnd = (op: string, field: string) =>
  documentForRootField(
    operations.find((o) => o.name === op)!,
    field,
  );

beforeAll(async () => {
  // No remembered sign-in: each request's statements start with the caller's, every run.
  t = await startTestApp({ config: { auth: { signInCacheSeconds: 0 } as never } });
  const p = await t.personWithRole(PartnerRole.PARTNER);
  const m = await t.personWithRole(PartnerRole.MANAGER);
  partner = { id: p.partner.id, token: p.token };
  manager = { id: m.partner.id, token: m.token };
  serviceToken = await t.serviceToken('council-dashboard');
  // late notes for the report, in this file's own database
  await t.app.orm.em.fork().getConnection().execute(`update note_of_visit set status = 'agreed', circulated_at = null, circulation_due_on = date '2020-01-10'
              where id in (select id from note_of_visit where status = 'circulated' and revision = 1 order by id limit 15)`);
  const mine = await t.gql(
    `query($p: ID!) { visits(first: 50, filter: { partnerId: $p, status: [COMPLETED] }) { nodes { note { id } } } }`,
    { p: partner.id },
    { token: partner.token },
  );
  noteId = mine.data!.visits.nodes.find((v: any) => v.note).note.id;
});
afterAll(() => t?.stop());

async function statementsOf(document: string, variables: Record<string, unknown>, token: string): Promise<string[]> {
  t.sql.length = 0;
  const res = await t.gql(document, variables, { token });
  expect(res.errors).toBeUndefined();
  return [...t.sql];
}

function snapshotText(title: string, statements: string[]): string {
  return [
    `-- ${title}`,
    `-- ${statements.length} statement${statements.length === 1 ? '' : 's'}, in the order sent`,
    '',
    statements.map((s) => formatSql(normaliseValues(s)).trimEnd() + ';').join('\n\n'),
    '',
  ].join('\n');
}

const today = () => testToday();
const myVisits = (me: string) => ({ filter: { partnerId: me, from: londonMidnight(addDays(today(), -120)), to: londonMidnight(addDays(today(), 90)) } });

const CASES: { file: string; title: string; root?: HotRoot; request: () => [document: string, variables: Record<string, unknown>, token: string] }[] = [
  {
    file: 'visits-partner.sql',
    title: 'MyVisits (addin/src/teams/teams.documents.ts, the Teams app\'s "My visits") as a partner: read view (visits/visit.queries.ts)',
    root: 'visits',
    request: () => [frontEnd('MyVisits', 'visits'), myVisits(partner.id), partner.token],
  },
  {
    file: 'visits-partner-notes-tab.sql',
    title: 'MyVisits as the Teams app\'s "Notes" tab sends it (booked and completed, 180 days back) as a partner: read view',
    root: 'visits',
    request: () => [
      frontEnd('MyVisits', 'visits'),
      { filter: { partnerId: partner.id, from: londonMidnight(addDays(today(), -180)), to: testClock.now().toISOString(), status: ['BOOKED', 'COMPLETED'] } },
      partner.token,
    ],
  },
  {
    file: 'visits-manager.sql',
    // (the demo county's managers lead no visits: a partner's, so the page has rows and their deadlines)
    title: "MyVisits as a manager (every school: no scope), here for a partner's visits: read view",
    root: 'visits',
    request: () => [frontEnd('MyVisits', 'visits'), myVisits(partner.id), manager.token],
  },
  {
    file: 'note-in-full.sql',
    title: "A note in full (scripts/bench/queries.mjs FULL_NOTE, the benchmark's) as a partner: read view (notes/note.queries.ts)",
    root: 'note',
    request: () => [FULL_NOTE, { id: noteId }, partner.token],
  },
  {
    file: 'note-by-id.sql',
    title:
      "NoteById (addin/src/shared/note-editor/note-documents.ts, the note editor's autosave) as a partner: read view (notes/note.queries.ts), revisions and responses included",
    root: 'note',
    request: () => [frontEnd('NoteById', 'note'), { id: noteId }, partner.token],
  },
  {
    file: 'overdue-report.sql',
    title: "TeamOverview's overdueNotes (addin/src/teams/teams.documents.ts, the Team tab) as a manager: read view (notes/overdue-notes.queries.ts)",
    root: 'overdueNotes',
    request: () => [frontEnd('TeamOverview', 'overdueNotes'), {}, manager.token],
  },
  {
    file: 'visits-changed-since.sql',
    title:
      'A council system following visits (docs/api.md, "Following changes") as a service: visits(changedSince), read view in order of change (visits/visit.queries.ts changedVisitViews)',
    request: () => [
      `query($since: DateTime!) { visits(first: 100, changedSince: $since) { pageInfo { hasNextPage endCursor } nodes { id updatedAt startsAt status type school { id urn } } } }`,
      { since: '2026-01-01T00:00:00Z' },
      serviceToken,
    ],
  },
  {
    file: 'tombstones.sql',
    title: 'A council system reading what went (docs/api.md, "Following changes") as a service: tombstones (platform/events/tombstones.ts)',
    request: () => [
      `query($since: DateTime!) { tombstones(first: 100, changedSince: $since) { pageInfo { hasNextPage endCursor } nodes { id type kind at } } }`,
      { since: '2026-01-01T00:00:00Z' },
      serviceToken,
    ],
  },
];

describe('the SQL of the hot reads', () => {
  for (const c of CASES) {
    it(`${c.file}: ${c.title}`, async () => {
      const statements = await statementsOf(...c.request());
      // a snapshot of a read view is of the read view: were the request to go the ORM's way, say so rather than snapshot that
      if (c.root) expect(pathOf(c.root, statements).other, `${c.file}: not answered by its read view`).toEqual([]);
      await expect(snapshotText(c.title, statements)).toMatchFileSnapshot(`./sql-snapshots/${c.file}`);
    });
  }
});
