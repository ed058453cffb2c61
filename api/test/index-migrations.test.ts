import { MikroORM, type MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AppConfig } from '../src/platform/config.js';
import { migrate, type Orm } from '../src/platform/db/orm.js';
import { ormOptions } from '../src/app/database.js';
import { withStartupLock } from '../src/platform/db/startup-lock.js';
import { createLogger } from '../src/platform/logger.js';
import { ConcurrentIndexMigration } from '../src/platform/db/migrations/concurrent-index.js';
import { MIGRATIONS } from '../src/platform/db/migrations/index.js';
import { cloneTemplate, realPostgresUrl, type TestDatabase } from './support/test-database.js';

/**
 * Migrations on a large live database (README, "Changing the schema while two versions run"):
 * indexes built CONCURRENTLY by ConcurrentIndexMigration (plain on the embedded PGlite), a failed
 * build retried, and no pool timeout applied to a migration. The test migrations come after the
 * committed ones, on a copy of the migrated demo database.
 */
class LocationIndex extends ConcurrentIndexMigration {
  override name = 'Migration20990101000000_test_location_index';
  override async up() {
    await this.createIndex({ name: 'visit_test_location_index', table: 'visit', on: '("location", "starts_at")' });
  }
  override async down() {
    await this.dropIndex('visit_test_location_index');
  }
}

class UniqueLocation extends ConcurrentIndexMigration {
  override name = 'Migration20990101000001_test_unique_location';
  override async up() {
    await this.createIndex({ name: 'visit_test_location_unique', table: 'visit', on: '("location") where "location" is not null', unique: true });
  }
}

/** An ordinary (transactional) migration slower than the pool's statement timeout, waiting for a lock longer than its lock timeout. */
class SlowTableChange extends Migration {
  override name = 'Migration20990101000002_test_slow_table_change';
  override up() {
    this.addSql('select pg_sleep(0.5)');
    this.addSql('alter table "council_closure_day" add column "test_note" text null');
  }
}

const logger = createLogger({ logLevel: 'silent', env: 'test' });
const onRealPostgres = !!realPostgresUrl();

const dbs: TestDatabase[] = [];
const orms: Orm[] = [];
afterEach(async () => {
  for (const orm of orms.splice(0)) await orm.close(true);
});
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

async function database(): Promise<TestDatabase> {
  const db = await cloneTemplate();
  dbs.push(db);
  return db;
}

/** An ORM whose migrations are the committed ones followed by `extra`. */
async function ormWith(db: AppConfig['database'], extra: MigrationObject[], sql: string[] = []): Promise<Orm> {
  const options = ormOptions({ database: db, logger, onQuery: (q) => sql.push(q) });
  const orm = await MikroORM.init({ ...options, migrations: { ...options.migrations, migrationsList: [...MIGRATIONS, ...extra] } });
  orms.push(orm);
  return orm;
}

const entry = (cls: { new (...args: any[]): Migration }): MigrationObject => ({ name: new cls(null as never, null as never).name!, class: cls });

async function indexValid(orm: Orm, name: string): Promise<boolean | null> {
  const [row] = await orm.em
    .getConnection()
    .execute<{ valid: boolean }[]>('select indisvalid as valid from pg_index where indexrelid = to_regclass(?)', [`"${name}"`]);
  return row ? row.valid : null;
}

const applied = async (orm: Orm) => (await orm.migrator.getExecuted()).map((m) => m.name);

describe('an index migration', () => {
  it(`builds its index ${onRealPostgres ? 'concurrently, outside a transaction' : 'plainly (embedded PGlite)'}, is recorded, and is undone`, async () => {
    const sql: string[] = [];
    const db = await database();
    const orm = await ormWith(db.database, [entry(LocationIndex)], sql);
    expect(await migrate(orm)).toEqual(['Migration20990101000000_test_location_index']);
    expect(await indexValid(orm, 'visit_test_location_index')).toBe(true);
    const build = sql.find((q) => q.includes('"visit_test_location_index" on "visit"'));
    expect(build).toContain(onRealPostgres ? 'create index concurrently if not exists' : 'create index if not exists');
    expect(await applied(orm)).toContain('Migration20990101000000_test_location_index');
    expect(await migrate(orm)).toEqual([]);

    await orm.migrator.down();
    expect(await indexValid(orm, 'visit_test_location_index')).toBeNull();
    expect(await applied(orm)).not.toContain('Migration20990101000000_test_location_index');
  });

  it('that failed is not recorded; the next attempt drops what it left and builds the index', async () => {
    const db = await database();
    const orm = await ormWith(db.database, [entry(UniqueLocation)]);
    const connection = orm.em.getConnection();
    await connection.execute(`update visit set location = null`);
    await connection.execute(`update visit set location = 'The same room' where id in (select id from visit order by id limit 2)`);

    await expect(migrate(orm)).rejects.toThrow(/could not create unique index|duplicate key/);
    expect(await applied(orm)).not.toContain('Migration20990101000001_test_unique_location');
    // A concurrent build that fails leaves its index behind, INVALID (never used, but kept up on
    // every write); a plain one in a transaction leaves nothing.
    expect(await indexValid(orm, 'visit_test_location_unique')).toBe(onRealPostgres ? false : null);

    await connection.execute(`update visit set location = 'Another room' where id = (select id from visit order by id limit 1)`);
    expect(await migrate(orm)).toEqual(['Migration20990101000001_test_unique_location']);
    expect(await indexValid(orm, 'visit_test_location_unique')).toBe(true);
  });
});

/**
 * Real PostgreSQL only: the pool's timeouts are PostgreSQL settings given at connect time (the
 * embedded database has none), and a second connection must hold the locks a migration waits for.
 */
describe.runIf(onRealPostgres)('migrations and the pool timeouts (real PostgreSQL)', () => {
  it('wait for locks and run longer than the pool allows a request; the pool keeps its timeouts', { timeout: 60_000 }, async () => {
    const db = await database();
    const url = (db.database as { url: string }).url;
    const strict: AppConfig['database'] = {
      ...(db.database as Extract<AppConfig['database'], { kind: 'postgresql' }>),
      statementTimeoutMs: 300,
      lockTimeoutMs: 200,
    };
    const orm = await ormWith(strict, [entry(SlowTableChange), entry(LocationIndex)]);

    // Another session writing: a closure day table lock for 1 s, a visit row for 2.5 s.
    const blockers = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
    for (const c of blockers) await c.connect();
    try {
      await blockers[0].query(`begin; lock table "council_closure_day" in row exclusive mode`);
      await blockers[1].query(`begin; update visit set location = location where id = (select id from visit order by id limit 1)`);

      // What a request's connection does with the same build: gives up at the lock timeout, leaving
      // the index INVALID, which the migration then has to drop and build again.
      await expect(
        orm.em.getConnection().execute('create index concurrently "visit_test_location_index" on "visit" ("location", "starts_at")'),
      ).rejects.toThrow(/lock timeout/);
      expect(await indexValid(orm, 'visit_test_location_index')).toBe(false);

      const release = [setTimeout(() => void blockers[0].query('commit'), 1_000), setTimeout(() => void blockers[1].query('commit'), 2_500)];
      const started = Date.now();
      try {
        expect(await migrate(orm)).toEqual(['Migration20990101000002_test_slow_table_change', 'Migration20990101000000_test_location_index']);
      } finally {
        release.forEach(clearTimeout);
      }
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_400);
      expect(await indexValid(orm, 'visit_test_location_index')).toBe(true);
    } finally {
      for (const c of blockers) await c.end();
    }

    // Every pooled connection (the index session's among them) still has the request limits.
    const connection = orm.em.getConnection();
    const limits = await Promise.all(
      Array.from({ length: 4 }, () =>
        connection.transactional(async (trx) =>
          connection.execute(`select current_setting('statement_timeout') as s, current_setting('lock_timeout') as l, pg_sleep(0.05)`, [], 'get', trx),
        ),
      ),
    );
    expect(limits.map((r: any) => `${r.s}/${r.l}`)).toEqual(Array(4).fill('300ms/200ms'));
  });
});

/**
 * The reason for all this: an index on a table of a million rows, built while another connection
 * keeps writing to that table. Real PostgreSQL only: the embedded database runs one transaction at
 * a time, so nothing can write beside a build there. Figures are logged, not asserted (the machine's
 * load decides them); INDEX_BUILD_ROWS changes the size.
 */
describe.runIf(onRealPostgres)('an index built on a million rows while another connection writes (real PostgreSQL)', () => {
  const ROWS = Number(process.env.INDEX_BUILD_ROWS ?? 1_000_000);

  class BulkIndex extends ConcurrentIndexMigration {
    override name = 'Migration20990101000003_test_bulk_index';
    override async up() {
      await this.createIndex({ name: 'bulk_visit_school_id_starts_at_index', table: 'bulk_visit', on: '("school_id", "starts_at")' });
    }
  }

  interface Write {
    at: number;
    ms: number;
  }

  /** Writes to bulk_visit on a connection of its own (an insert, then an update), until stopped. */
  function keepWriting(url: string) {
    const writes: Write[] = [];
    const failures: string[] = [];
    let stopping = false;
    const client = new pg.Client({ connectionString: url });
    const done = (async () => {
      await client.connect();
      for (let i = 0; !stopping; i++) {
        const at = performance.now();
        try {
          if (i % 2 === 0)
            await client.query(`insert into bulk_visit (school_id, starts_at, location) values (gen_random_uuid(), now(), 'written during the build')`);
          else await client.query(`update bulk_visit set location = 'updated during the build' where id = $1`, [1 + Math.floor(Math.random() * ROWS)]);
          writes.push({ at, ms: performance.now() - at });
        } catch (error) {
          failures.push(String(error));
        }
      }
      await client.end();
    })();
    return {
      writes,
      failures,
      stop: async () => {
        stopping = true;
        await done;
      },
    };
  }

  const during = (writes: Write[], from: number, to: number) => writes.filter((w) => w.at + w.ms >= from && w.at <= to);
  const longest = (writes: Write[]) => Math.max(0, ...writes.map((w) => w.ms));

  it('goes on accepting writes, and the index is valid at the end', { timeout: 600_000 }, async () => {
    const db = await database();
    const url = (db.database as { url: string }).url;
    // The production defaults (15 s statements, 5 s locks) on the pool, as an instance starts with.
    const orm = await ormWith(
      { ...(db.database as Extract<AppConfig['database'], { kind: 'postgresql' }>), statementTimeoutMs: 15_000, lockTimeoutMs: 5_000 },
      [entry(BulkIndex)],
    );
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      let t = performance.now();
      await admin.query(`create table bulk_visit (id bigserial primary key, school_id uuid not null, starts_at timestamptz not null, location text)`);
      await admin.query(
        `insert into bulk_visit (school_id, starts_at, location)
         select gen_random_uuid(), timestamptz '2020-09-01' + g * interval '7 minutes', 'Room ' || (g % 500) from generate_series(1, $1::int) g`,
        [ROWS],
      );
      await admin.query('analyze bulk_visit');
      const fillMs = performance.now() - t;

      // Concurrently, through the start-up path an instance takes (advisory lock, then migrate).
      let writer = keepWriting(url);
      await new Promise((r) => setTimeout(r, 500));
      t = performance.now();
      expect(await withStartupLock(orm, () => migrate(orm))).toEqual(['Migration20990101000003_test_bulk_index']);
      const concurrent = { from: t, to: performance.now() };
      await new Promise((r) => setTimeout(r, 500));
      await writer.stop();
      const concurrentWrites = during(writer.writes, concurrent.from, concurrent.to);
      expect(writer.failures).toEqual([]);
      expect(await indexValid(orm, 'bulk_visit_school_id_starts_at_index')).toBe(true);
      expect(concurrentWrites.length).toBeGreaterThan(10);
      expect(concurrentWrites.at(-1)!.at).toBeGreaterThan(concurrent.from);

      // For comparison, the plain CREATE INDEX the migrations used before, with the same writer.
      writer = keepWriting(url);
      await new Promise((r) => setTimeout(r, 500));
      t = performance.now();
      await admin.query(`create index "bulk_visit_plain_index" on bulk_visit ("school_id", "starts_at")`);
      const plain = { from: t, to: performance.now() };
      await new Promise((r) => setTimeout(r, 500));
      await writer.stop();
      const plainWrites = during(writer.writes, plain.from, plain.to);
      expect(writer.failures).toEqual([]);

      const figures = {
        rows: ROWS,
        fillMs: Math.round(fillMs),
        concurrently: {
          buildMs: Math.round(concurrent.to - concurrent.from),
          writes: concurrentWrites.length,
          longestWriteMs: Math.round(longest(concurrentWrites)),
        },
        plain: { buildMs: Math.round(plain.to - plain.from), writes: plainWrites.length, longestWriteMs: Math.round(longest(plainWrites)) },
      };
      console.log(`index build beside a writer: ${JSON.stringify(figures)}`);
    } finally {
      await admin.end();
    }
  });
});
