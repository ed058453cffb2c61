import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/platform/db/migrations/index.js';
import { buildRelease, PREVIOUS_RELEASE, startRelease, type ReleaseBuild, type RunningRelease } from './support/previous-release.js';
import { startTestApp, type GraphQLResponse, type TestApp } from './support/test-app.js';
import { cloneTemplate, realPostgresUrl, TEST_DATA_ROOT } from './support/test-database.js';

/**
 * A rolling deploy (README, "Changing the schema while two versions run"): the new release's
 * migrations have run, and instances of the previous release still serve until they are replaced.
 * The previous release's server, built from git history (support/previous-release.ts), starts on
 * a database the new code migrated, beside a new server, and both read and save the same notes.
 *
 * Real PostgreSQL only: two server processes on one database, which the embedded database (one
 * process per folder) cannot be.
 */
describe.runIf(realPostgresUrl())(`the previous release (${PREVIOUS_RELEASE}) on the new schema`, () => {
  let build: ReleaseBuild;
  let current: TestApp;
  let previous: RunningRelease;

  beforeAll(async () => {
    build = await buildRelease();
    const db = await cloneTemplate(); // migrated by this checkout in global set-up, with the demo county
    if (db.database.kind !== 'postgresql') throw new Error('real PostgreSQL only');
    current = await startTestApp({ db });
    previous = await startRelease(build, {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: db.database.url,
      DB_POOL_MAX: '4',
      DATA_DIR: path.join(TEST_DATA_ROOT, `previous-${randomUUID()}`),
      DEMO_DATA: 'off',
      SHUTDOWN_DELAY_MS: '0',
      // The same development key as the new server: one token signs in to both, as Entra's does.
      DEV_ISSUER_KEY_FILE: current.config.auth.devIssuer!.keyFile,
      LINK_SIGNING_SECRET: randomBytes(32).toString('hex'),
      MAIL_OUTBOX_DIR: path.join(TEST_DATA_ROOT, 'outbox', randomUUID()),
    });
  }, 900_000);

  afterAll(async () => {
    await previous?.stop();
    await current?.stop();
  });

  /** The old server's logged errors, to explain a failed expectation. */
  const errorsLogged = (server: RunningRelease) => server.lines.filter((l) => /"level":(50|60)/.test(l)).join('\n');

  const gql = async <T = Record<string, any>>(url: string, query: string, variables: Record<string, unknown> = {}, token = current.managerToken) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as Omit<GraphQLResponse<T>, 'status'>) };
  };

  it('starts on the migrated database and finds nothing of its own to migrate', async () => {
    expect(previous.lines.some((l) => l.includes('database migrated'))).toBe(false);
    const client = new pg.Client({ connectionString: (current.config.database as { url: string }).url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('select name from mikro_orm_migrations order by id');
      expect(rows.map((r) => r.name)).toEqual(MIGRATIONS.map((m) => m.name));
    } finally {
      await client.end();
    }
    console.log(`previous release ${build.commit.slice(0, 7)} built in ${build.dir}; installed beside: ${build.installed.join(', ') || 'nothing'}`);
  });

  // Fields both releases' schemas have; `overdue` and warnings left out: the old release reads the
  // real clock, the tests the suite's.
  const VISITS = `query ($first: Int!) {
    visits(first: $first, filter: { status: [COMPLETED] }) {
      totalCount
      nodes {
        id type status startsAt
        school { id name dfeNumber }
        leadPartner { id name email }
        agenda { position title }
        note { id status version purpose summary draftDueOn circulationDueOn author { email }
          findings { text } recommendations { action dueOn } judgements { area partnerGrade } revision }
      }
    }
  }`;

  /** A copy in which every `judgements` list is in one order (by area), whatever order it came in. */
  const withJudgementsByArea = (data: unknown): unknown =>
    JSON.parse(JSON.stringify(data), (key, value) =>
      key === 'judgements' && Array.isArray(value) ? [...value].sort((a, b) => String(a.area).localeCompare(String(b.area))) : value,
    );

  it('reads visits, schools, partners, agendas and notes as the new release does', async () => {
    const [old, now] = await Promise.all([gql(previous.url, VISITS, { first: 50 }), gql(current.url, VISITS, { first: 50 })]);
    expect(old.errors).toBeUndefined();
    expect(old.data!.visits.totalCount).toBeGreaterThan(0);
    // The one intended difference: the new release lists a note's judgements in their heading order
    // (issue 22), the previous one alphabetically. Same judgements, same grades.
    expect(withJudgementsByArea(old.data)).toEqual(withJudgementsByArea(now.data));
  });

  it("saves a note (the new release reads the save), and reads the new release's save", async () => {
    const { data } = await gql(current.url, VISITS, { first: 100 });
    const visit = (data!.visits.nodes as any[]).find((v) => v.note?.status === 'DRAFT');
    expect(visit, 'a draft note in the demo county').toBeDefined();
    const author = await current.issuer.signForPerson(visit.note.author.email);
    const SAVE = `mutation ($id: ID!, $v: Int!, $summary: String!) { updateNote(id: $id, expectedVersion: $v, input: { summary: $summary }) { id version summary } }`;

    const saved = await gql(previous.url, SAVE, { id: visit.note.id, v: visit.note.version, summary: 'Saved by the previous release.' }, author);
    expect(saved.errors).toBeUndefined();
    expect(saved.data!.updateNote.version).toBe(visit.note.version + 1);
    const READ = `query ($id: ID!) { note(id: $id) { version summary } }`;
    expect((await gql(current.url, READ, { id: visit.note.id })).data!.note).toEqual({
      version: visit.note.version + 1,
      summary: 'Saved by the previous release.',
    });

    const again = await gql(current.url, SAVE, { id: visit.note.id, v: visit.note.version + 1, summary: 'Saved by the new release.' }, author);
    expect(again.errors).toBeUndefined();
    expect((await gql(previous.url, READ, { id: visit.note.id })).data!.note).toEqual({
      version: visit.note.version + 2,
      summary: 'Saved by the new release.',
    });

    // A stale save through the old server is still refused (the version check is in the database's row).
    const stale = await gql(previous.url, SAVE, { id: visit.note.id, v: visit.note.version, summary: 'Stale.' }, author);
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  let pastVisit: { id: string; lead: string } | undefined;

  it('books a visit and completes it; the new release reads them', async () => {
    // The old release reads the machine's clock, the demo county is built around the suite's (months
    // later): the visit is booked for the machine's yesterday, so both take it as past.
    const { data } = await gql(current.url, VISITS, { first: 1 });
    const { school, leadPartner } = data!.visits.nodes[0];
    const lead = await current.issuer.signForPerson(leadPartner.email);
    const startsAt = new Date(Date.now() - 86_400_000);
    const booked = await gql(
      previous.url,
      `mutation ($input: BookVisitInput!) { bookVisit(input: $input) { id } }`,
      { input: { schoolId: school.id, type: 'OTHER', startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 7_200_000).toISOString() } },
      lead,
    );
    expect(booked.errors, errorsLogged(previous)).toBeUndefined();
    const id = booked.data!.bookVisit.id;
    const completed = await gql(previous.url, `mutation ($id: ID!) { completeVisit(id: $id) { status } }`, { id }, lead);
    expect(completed.errors, errorsLogged(previous)).toBeUndefined();
    expect((await gql(current.url, `query ($id: ID!) { visit(id: $id) { status note { id } } }`, { id })).data!.visit).toEqual({
      status: 'COMPLETED',
      note: null,
    });
    pastVisit = { id, lead };
  });

  // The previous release's startNote does not know note_of_visit.confirmed_not_names: the column's
  // default (expand first) lets it insert notes beside the new release.
  it('starts the note of that visit; the new release reads it', async () => {
    expect(pastVisit, 'the visit booked above').toBeDefined();
    const { id, lead } = pastVisit!;
    const started = await gql(previous.url, `mutation ($id: ID!) { startNote(visitId: $id) { id status } }`, { id }, lead);
    expect(started.errors, errorsLogged(previous)).toBeUndefined();
    expect((await gql(current.url, `query ($id: ID!) { visit(id: $id) { note { id status } } }`, { id })).data!.visit).toEqual({
      note: { id: started.data!.startNote.id, status: 'DRAFT' },
    });
  });
});
