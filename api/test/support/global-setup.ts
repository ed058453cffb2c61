import 'reflect-metadata';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { assertNoSecretInLogs } from './log-check.js';
import { testClock } from './test-clock.js';
import { dropTemplate, prepareTemplate, realPostgresUrl, TEST_DATA_ROOT } from './test-database.js';

export async function setup(): Promise<void> {
  const started = Date.now();
  // On real PostgreSQL the data root is not emptied by prepareTemplate: last run's logs and tokens go here.
  for (const dir of ['logs', 'issued']) await rm(path.join(TEST_DATA_ROOT, dir), { recursive: true, force: true });
  await prepareTemplate();
  console.log(
    `Test database: ${realPostgresUrl() ? 'real PostgreSQL (DATABASE_URL)' : 'embedded PGlite'}; template ready in ${Date.now() - started} ms; ` +
      `business clock ${testClock.now().toISOString()} (TEST_NOW to change)`,
  );
}

/**
 * After the whole run: no token the suite issued is in any test server's log (log-check.ts).
 * Vitest 4 prints an error thrown here ("error during close") but still exits 0, so a failed
 * check also sets the exit code, which Vitest never lowers. The embedded template's removal
 * takes the logs with it, so the check runs first and the removal runs whatever it found.
 */
export async function teardown(): Promise<void> {
  try {
    const checked = await assertNoSecretInLogs(TEST_DATA_ROOT);
    console.log(`Log check: none of ${checked.secrets} issued tokens in ${checked.logFiles} server log file(s)`);
  } catch (error) {
    process.exitCode = 1;
    throw error;
  } finally {
    await dropTemplate();
  }
}
