import { DriverException, MikroORM } from '@mikro-orm/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ormOptions } from '../src/app/database.js';
import { classifyError } from '../src/platform/errors.js';
import { createLogger } from '../src/platform/logger.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { cloneTemplate, realPostgresUrl } from './support/test-database.js';

/** When the database cannot answer, callers hear SERVICE_UNAVAILABLE quickly, and nothing is half-changed. */
describe('database failures in the error vocabulary', () => {
  const driverError = (code: string, message = 'x') => new DriverException(Object.assign(new Error(message), { code }));
  it.each([
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['server shutting down (57P01)', driverError('57P01', 'terminating connection due to administrator command')],
    ['server starting up (57P03)', driverError('57P03', 'the database system is starting up')],
    ['connection dropped', new Error('Connection terminated unexpectedly')],
    ['client broken by an earlier drop (seen at COMMIT in the soak)', driverError('', 'Client has encountered a connection error and is not queryable')],
    ['statement timeout (57014)', driverError('57014', 'canceling statement due to statement timeout')],
    ['lock timeout (55P03)', driverError('55P03', 'canceling statement due to lock timeout')],
  ])('%s → SERVICE_UNAVAILABLE', (_name, error) => {
    expect(classifyError(error)?.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('leaves other driver errors to the internal-error path', () => {
    expect(classifyError(driverError('XX000', 'internal'))).toBeNull();
  });
});

// Row locks and statement_timeout need a PostgreSQL server and a second connection: the embedded database has neither.
describe.runIf(realPostgresUrl())('a note locked by another transaction (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    const db = await cloneTemplate();
    db.database.statementTimeoutMs = 1_500; // a short timeout, so the blocked save gives up quickly
    t = await startTestApp({ db });
  });
  afterAll(() => t?.stop());

  it('times out cleanly with SERVICE_UNAVAILABLE, changes nothing, and the server stays responsive', async () => {
    const db = t.config.database as { url: string };
    const note = (await t.gql(`{ visits(first: 50, filter: { status: [COMPLETED] }) { nodes { note { id version status summary } } } }`))
      .data!.visits.nodes.map((v: { note: unknown }) => v.note)
      .find((n: { status: string } | null) => n?.status === 'DRAFT');
    expect(note).toBeDefined();
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('begin');
    await holder.query('select id from note_of_visit where id = $1 for update', [note.id]);
    try {
      const started = Date.now();
      const res = await t.gql(`mutation($id: ID!, $v: Int!) { updateNote(id: $id, expectedVersion: $v, input: { summary: "Blocked." }) { id } }`, {
        id: note.id,
        v: note.version,
      });
      expect(res.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
      expect(res.status).toBe(503);
      // How long it waited is logged, not asserted (a loaded machine is slow): that it gave up at all is
      // the database's timeout at work, since the lock is held until this test lets it go.
      console.log(`blocked save answered SERVICE_UNAVAILABLE after ${Date.now() - started} ms (statement timeout 1500 ms)`);
      expect((await t.gql('{ schools(first: 1) { totalCount } }')).errors).toBeUndefined();
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    const after = (await t.gql(`query($id: ID!) { note(id: $id) { version summary } }`, { id: note.id })).data!.note;
    expect(after).toEqual({ version: note.version, summary: note.summary });
  });
});

// Terminating a connection needs a PostgreSQL server: the embedded database has one connection and no backends to end.
describe.runIf(realPostgresUrl())('a transaction whose connection is terminated (real PostgreSQL)', () => {
  let orm: MikroORM;
  beforeAll(async () => {
    const url = realPostgresUrl()!;
    orm = await MikroORM.init(
      ormOptions({
        // A pool of three, and a short wait for a connection: a leaked connection shows as a refused query.
        database: { kind: 'postgresql', url, poolMax: 3, statementTimeoutMs: 15_000, connectTimeoutMs: 2_000 },
        logger: createLogger({ logLevel: 'silent', env: 'test' }),
      }),
    );
  });
  afterAll(() => orm?.close(true));

  it('gives its connection back: after four broken transactions on a pool of three, the next query answers', async () => {
    for (let i = 0; i < 4; i++) {
      // As a failover or `pg_ctl restart -m fast` does to a transaction in flight: its backend ends.
      const broken = orm.em.fork().transactional(async (tx) => {
        await tx.getConnection().execute(`select 1 as before`, [], 'all', tx.getTransactionContext());
        await tx.getConnection().execute(`select pg_terminate_backend(pg_backend_pid())`, [], 'all', tx.getTransactionContext());
      });
      await expect(broken).rejects.toThrow(/terminat|connection/i);
    }
    const [row] = await orm.em.getConnection().execute<{ answer: number }[]>(`select 42 as answer`);
    expect(row!.answer).toBe(42);
    // And a write transaction still runs.
    const inTransaction = await orm.em
      .fork()
      .transactional(async (tx) => (await tx.getConnection().execute<{ n: number }[]>(`select 7 as n`, [], 'all', tx.getTransactionContext()))[0]!.n);
    expect(inTransaction).toBe(7);
  });
});
