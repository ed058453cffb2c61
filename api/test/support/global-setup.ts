import 'reflect-metadata';
import { testClock } from './test-clock.js';
import { dropTemplate, prepareTemplate, realPostgresUrl } from './test-database.js';

export async function setup(): Promise<void> {
  const started = Date.now();
  await prepareTemplate();
  console.log(
    `Test database: ${realPostgresUrl() ? 'real PostgreSQL (DATABASE_URL)' : 'embedded PGlite'}; template ready in ${Date.now() - started} ms; ` +
      `business clock ${testClock.now().toISOString()} (TEST_NOW to change)`,
  );
}

export async function teardown(): Promise<void> {
  await dropTemplate();
}
