import 'reflect-metadata';
import { dropTemplate, prepareTemplate, realPostgresUrl } from './test-database.js';

export async function setup(): Promise<void> {
  const started = Date.now();
  await prepareTemplate();
  console.log(
    `Test database: ${realPostgresUrl() ? 'real PostgreSQL (DATABASE_URL)' : 'embedded PGlite'}; template ready in ${Date.now() - started} ms`,
  );
}

export async function teardown(): Promise<void> {
  await dropTemplate();
}
