import { randomUUID } from 'node:crypto';
import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { AppConfig } from '../../src/platform/config.js';
import { migrate, requestEm } from '../../src/platform/db/orm.js';
import { createOrm } from '../../src/app/database.js';
import { loadDemoDataIfEmpty } from '../../demo/load-demo-data.js';
import { createLogger } from '../../src/platform/logger.js';
import { startJobQueue } from '../../src/platform/jobs/job-queue.js';
import { testClock } from './test-clock.js';

/**
 * Every test file gets a database of its own, copied from a template that global
 * set-up migrated (the job queue's schema included) and filled with the demo county once, built around the suite's
 * clock (test-clock.ts), the same clock the test apps run on. The suite runs on the
 * embedded PGlite by default, on real PostgreSQL when DATABASE_URL is set.
 */
export const TEST_DATA_ROOT = path.resolve(process.env.TEST_DATA_ROOT ?? '.data-test');
const EMBEDDED_TEMPLATE = path.join(TEST_DATA_ROOT, 'template');

export const realPostgresUrl = (): string | undefined => process.env.DATABASE_URL || undefined;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function templateName(url: string): string {
  return `${new URL(url).pathname.slice(1) || 'postgres'}_tpl`;
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Global set-up: builds the template database the test files copy. */
export async function prepareTemplate(): Promise<void> {
  const logger = createLogger({ logLevel: 'warn', env: 'test' });
  const url = realPostgresUrl();
  let database: AppConfig['database'];
  if (url) {
    const name = templateName(url);
    await admin(url, async (c) => {
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.query(`create database "${name}"`);
    });
    database = { kind: 'postgresql', url: withDatabase(url, name), poolMax: 2, statementTimeoutMs: 30_000 };
  } else {
    await rm(TEST_DATA_ROOT, { recursive: true, force: true });
    await mkdir(TEST_DATA_ROOT, { recursive: true });
    database = { kind: 'embedded', dataDir: EMBEDDED_TEMPLATE, statementTimeoutMs: 30_000 };
  }
  const orm = await createOrm({ database, logger });
  try {
    await migrate(orm);
    // The job queue's schema (pgboss) too, so a test app does not create it on every start.
    await (await startJobQueue(orm, database, logger)).stop();
    await loadDemoDataIfEmpty(requestEm(orm), testClock.now());
  } finally {
    await orm.close(true);
  }
}

export async function dropTemplate(): Promise<void> {
  const url = realPostgresUrl();
  if (url) await admin(url, (c) => c.query(`drop database if exists "${templateName(url)}" with (force)`));
  else await rm(TEST_DATA_ROOT, { recursive: true, force: true });
}

export interface TestDatabase {
  database: AppConfig['database'];
  drop(): Promise<void>;
}

/** A fresh copy of the template (migrated, demo county loaded). */
export async function cloneTemplate(): Promise<TestDatabase> {
  const url = realPostgresUrl();
  const id = randomUUID().slice(0, 8);
  if (url) {
    const name = `${templateName(url)}_${id}`;
    await admin(url, (c) => c.query(`create database "${name}" template "${templateName(url)}"`));
    return {
      database: { kind: 'postgresql', url: withDatabase(url, name), poolMax: 4, statementTimeoutMs: 30_000 },
      drop: () => admin(url, (c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
    };
  }
  const dataDir = path.join(TEST_DATA_ROOT, `db-${id}`);
  await cp(EMBEDDED_TEMPLATE, dataDir, { recursive: true });
  return { database: { kind: 'embedded', dataDir, statementTimeoutMs: 30_000 }, drop: () => rm(dataDir, { recursive: true, force: true }) };
}

/** An empty database, for tests of what happens on first start. */
export async function emptyDatabase(): Promise<TestDatabase> {
  const url = realPostgresUrl();
  const id = randomUUID().slice(0, 8);
  if (url) {
    const name = `${templateName(url)}_empty_${id}`;
    await admin(url, (c) => c.query(`create database "${name}"`));
    return {
      database: { kind: 'postgresql', url: withDatabase(url, name), poolMax: 4, statementTimeoutMs: 30_000 },
      drop: () => admin(url, (c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
    };
  }
  const dataDir = path.join(TEST_DATA_ROOT, `empty-${id}`);
  return { database: { kind: 'embedded', dataDir, statementTimeoutMs: 30_000 }, drop: () => rm(dataDir, { recursive: true, force: true }) };
}
