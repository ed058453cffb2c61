import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../src/app/app.js';
import { createOrm } from '../src/app/database.js';
import type { Em, Orm } from '../src/platform/db/orm.js';
import { startJobQueue, type JobQueue } from '../src/platform/jobs/job-queue.js';
import { startTestApp, testConfig, testLogger, type TestApp } from './support/test-app.js';
import { cloneTemplate, realPostgresUrl, type TestDatabase } from './support/test-database.js';

/**
 * The job queue (platform/jobs/job-queue.ts, pg-boss): jobs queued with a write exist exactly when
 * it commits, on both databases; one instance per turn and per key, on real PostgreSQL.
 */
const uid = () => randomUUID().slice(0, 8);

/** A promise the test settles: a handler that holds until the test lets it go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('jobs queued in a transaction (both databases)', () => {
  let t: TestApp;
  const ran: string[] = [];
  const queueName = `test.in-transaction-${uid()}`;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.jobs.work<{ label: string }>(queueName, async ({ label }) => void ran.push(label), { pollingIntervalSeconds: 0.5 });
  });
  afterAll(() => t?.stop());

  const jobsInTable = async () =>
    (
      await t.app.orm.em
        .getConnection()
        .execute<{ label: string }[]>(`select data->>'label' as label from pgboss.job where name = ? order by created_on`, [queueName])
    ).map((row: { label: string }) => row.label);

  it('never runs a job whose transaction rolled back, and runs one whose transaction committed', async () => {
    const fork = () => t.app.orm.em.fork() as Em;
    const rolledBack = fork().transactional(async (tx) => {
      await t.app.jobs.send(queueName, { label: 'rolled back' }, { tx });
      throw new Error('the write failed');
    });
    await expect(rolledBack).rejects.toThrow('the write failed');
    await fork().transactional(async (tx) => {
      await t.app.jobs.send(queueName, { label: 'committed' }, { tx });
    });

    await expect.poll(() => ran).toEqual(['committed']);
    // Not merely late: the rolled-back job is not in the queue at all.
    expect(await jobsInTable()).toEqual(['committed']);
  });

  it('refuses a send inside a transaction without `tx` (on the embedded database it would wait for that transaction forever)', async () => {
    const attempt = (t.app.orm.em.fork() as Em).transactional(async () => {
      await t.app.jobs.send(queueName, { label: 'outside the transaction' });
    });
    await expect(attempt).rejects.toThrow(/inside a transaction/);
    expect(await jobsInTable()).not.toContain('outside the transaction');
  });
});

/**
 * Concurrency is tested on real PostgreSQL only: the embedded database is one process per folder
 * (two instances on one folder are refused by design) and runs one transaction at a time, which
 * would hide the races these tests look for.
 */
describe.skipIf(!realPostgresUrl())('two instances on one database (real PostgreSQL)', () => {
  let db: TestDatabase;
  const apps: App[] = [];
  const start = async () => {
    const config = testConfig(db.database);
    const app = await startApp(config, testLogger(config), { port: 0, outboxIntervalMs: 3_600_000 });
    apps.push(app);
    return app;
  };
  beforeAll(async () => {
    db = await cloneTemplate();
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await db?.drop();
  });

  const sql = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: (db.database as { url: string }).url });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  /** Jobs of this queue not yet finished (waiting, to be retried, or running). */
  const unfinished = async (name: string) =>
    (await sql<{ n: number }>(`select count(*)::int as n from pgboss.job where name = $1 and state in ('created', 'retry', 'active')`, [name]))[0].n;

  it('runs a scheduled job once per turn, on one instance at a time', { timeout: 60_000 }, async () => {
    const [a, b] = [await start(), await start()];
    const name = `test.every-${uid()}`;
    const runs: string[] = [];
    let running = 0;
    let most = 0;
    const run = (instance: string) => async () => {
      running += 1;
      most = Math.max(most, running);
      await sleep(300); // work long enough that a second run at the same time would be seen
      runs.push(instance);
      running -= 1;
    };
    await a.jobs.every(name, 1, run('a'), { pollingIntervalSeconds: 0.5 });
    await b.jobs.every(name, 1, run('b'), { pollingIntervalSeconds: 0.5 });
    await expect.poll(() => runs.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(4);
    await Promise.all([a.jobs.stop(), b.jobs.stop()]); // no more turns taken; a run under way ends

    expect(most).toBe(1);
    // Each turn is one job, and each job ran once: as many runs as turns completed.
    const [{ n: completed }] = await sql<{ n: number }>(`select count(*)::int as n from pgboss.job where name = $1 and state = 'completed'`, [name]);
    expect(runs).toHaveLength(completed);
    // Both instances asked for the schedule at start, and each run asks for the next: still one
    // next turn waits, not two (if the stop caught a turn just taken, that one, to be retried).
    expect(await unfinished(name)).toBe(1);
  });

  it('runs a keyed job sent ten times to two instances once or twice, never twice at once', { timeout: 60_000 }, async () => {
    const [a, b] = [await start(), await start()];
    const name = `test.keyed-${uid()}`;
    const held = gate();
    let runs = 0;
    let running = 0;
    let most = 0;
    const handler = async () => {
      runs += 1;
      running += 1;
      most = Math.max(most, running);
      await held.opened; // the first run holds until every send has been made
      running -= 1;
    };
    await a.jobs.work(name, handler, { pollingIntervalSeconds: 0.5 });
    await b.jobs.work(name, handler, { pollingIntervalSeconds: 0.5 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).jobs.send(name, { i }, { key: 'the-same-work' })));
    held.open();

    await expect.poll(() => unfinished(name)).toBe(0);
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(runs).toBeLessThanOrEqual(2);
    expect(most).toBe(1);
  });
});

/**
 * An instance that takes a job and never finishes it (stuck, or gone): once the attempt has
 * expired the job is another instance's. Two job queues, each over an ORM of its own, as two
 * servers would have; upkeep every second so the expiry is noticed quickly.
 * Real PostgreSQL only, for the reason above.
 */
describe.skipIf(!realPostgresUrl())('work whose instance stopped mid-job (real PostgreSQL)', () => {
  let db: TestDatabase;
  const orms: Orm[] = [];
  const queues: JobQueue[] = [];
  /** Handlers held until the test ends (then let go, so the stops complete). */
  const held: ReturnType<typeof gate>[] = [];
  const hold = () => {
    const g = gate();
    held.push(g);
    return g.opened;
  };
  beforeAll(async () => {
    db = await cloneTemplate();
  });
  afterEach(() => {
    for (const g of held.splice(0)) g.open();
  });
  afterAll(async () => {
    for (const queue of queues) await queue.stop();
    for (const orm of orms) await orm.close();
    await db?.drop();
  });
  const instance = async () => {
    const config = testConfig(db.database);
    const logger = testLogger(config);
    const orm = await createOrm({ database: db.database, logger });
    orms.push(orm);
    const queue = await startJobQueue(orm, db.database, logger, { superviseIntervalSeconds: 1 });
    queues.push(queue);
    return queue;
  };

  it('is taken again by another instance after its expiry', { timeout: 60_000 }, async () => {
    const name = `test.expiry-${uid()}`;
    const options = { expireSeconds: 2, retryLimit: 2, retryDelaySeconds: 1, pollingIntervalSeconds: 0.5 };
    const taken: string[] = [];
    const [a, b] = [await instance(), await instance()];
    await a.work(
      name,
      async () => {
        taken.push('a');
        await hold(); // never finishes while the test runs
      },
      options,
    );
    await a.send(name, {});
    await expect.poll(() => taken).toEqual(['a']);
    // Only now does the other instance work this queue: the job can reach it only by expiring.
    await b.work(name, async () => void taken.push('b'), options);
    a.stop().catch(() => undefined); // stopping, with the job still running

    await expect.poll(() => taken, { timeout: 30_000 }).toEqual(['a', 'b']);
  });

  it('does not end a schedule: another instance takes the next turns', { timeout: 60_000 }, async () => {
    const name = `test.schedule-${uid()}`;
    const options = { expireSeconds: 2, retryDelaySeconds: 1, pollingIntervalSeconds: 0.5 };
    const turns: number[] = [];
    const instances = [await instance(), await instance()];
    // Both ask for the schedule before its first turn (a second from now); the instance that takes that turn never finishes it.
    for (const [i, queue] of instances.entries())
      await queue.every(
        name,
        1,
        async () => {
          turns.push(i);
          if (turns.length === 1) await hold();
        },
        { ...options, firstAfterSeconds: 1 },
      );
    await expect.poll(() => turns.length).toBeGreaterThanOrEqual(1);
    const first = turns[0]!;
    instances[first]!.stop().catch(() => undefined); // stopping mid-run

    await expect.poll(() => turns.filter((turn) => turn !== first).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  });
});

/**
 * A database restart ends every connection. Played by ending every session on the test's
 * database (a real restart would disturb everyone else's databases on this server): the queue's
 * pool opens new connections, and a job sent afterwards runs. Real PostgreSQL only: the embedded
 * database lives in the process and has no connections to lose.
 */
describe.skipIf(!realPostgresUrl())('a database restart (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.stop());

  it('does not stop the queue: once PostgreSQL is back, jobs run again', { timeout: 60_000 }, async () => {
    const name = `test.after-restart-${uid()}`;
    const ran: number[] = [];
    await t.app.jobs.work<{ n: number }>(name, async ({ n }) => void ran.push(n), { pollingIntervalSeconds: 0.5 });
    await t.app.jobs.send(name, { n: 1 });
    await expect.poll(() => ran).toEqual([1]);

    const client = new pg.Client({ connectionString: (t.config.database as { url: string }).url });
    await client.connect();
    try {
      const ended = await client.query<{ application_name: string }>(
        `select application_name, pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
      );
      expect(ended.rows.map((row) => row.application_name)).toContain('school-visits-jobs');
    } finally {
      await client.end();
    }

    // Sent until one is taken: the first sends after the cut may meet a dead pooled connection.
    await expect
      .poll(async () => {
        await t.app.jobs.send(name, { n: 2 }, { key: 'after' }).catch(() => null);
        return ran;
      })
      .toContain(2);
    // And the server still answers.
    expect((await t.gql(`{ schools(first: 1) { nodes { id } } }`)).errors).toBeUndefined();
  });
});
