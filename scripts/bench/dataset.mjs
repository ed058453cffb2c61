import pg from 'pg';
import { createOrm } from '../../api/dist/src/app/database.js';
import { migrate } from '../../api/dist/src/platform/db/orm.js';
import { createLogger } from '../../api/dist/src/platform/logger.js';
import { generate, GENERATOR_VERSION } from './generate.mjs';

/**
 * The generated data set is kept between runs: a marker row in the `bench` schema
 * (outside the product's tables) records the generator version. A database with
 * product data but no marker is never touched: it may be someone's real data.
 */
const MARKER =
  'create schema if not exists bench; create table if not exists bench.dataset (generator_version int not null, state text not null, started_at timestamptz not null default now(), seconds numeric, counts jsonb)';

async function isEmpty(client) {
  const { rows } = await client.query(`select count(*)::int as n from information_schema.tables where table_schema = 'public'`);
  return rows[0].n === 0;
}

async function marker(client) {
  const { rows } = await client.query(`select to_regclass('bench.dataset') as t`);
  if (!rows[0].t) return null;
  return (await client.query('select * from bench.dataset limit 1')).rows[0] ?? null;
}

async function runMigrations(url) {
  const orm = await createOrm({
    database: { kind: 'postgresql', url, poolMax: 2, statementTimeoutMs: 600_000 },
    logger: createLogger({ logLevel: 'warn', env: 'production' }),
  });
  try {
    await migrate(orm);
  } finally {
    await orm.close(true);
  }
}

/** Makes sure the database holds the current national data set; returns what it holds. */
export async function ensureDataset(url, { regenerate = false, log = console.log } = {}) {
  const client = new pg.Client({ connectionString: url, application_name: 'school-visits-bench' });
  await client.connect();
  try {
    const found = await marker(client);
    if (found && found.state === 'complete' && found.generator_version === GENERATOR_VERSION && !regenerate) {
      log(
        `Reusing the data set (generator version ${GENERATOR_VERSION}, generated in ${Number(found.seconds).toFixed(0)} s). Pass --regenerate to build it again.`,
      );
      return { reused: true, seconds: Number(found.seconds), counts: found.counts };
    }
    if (!found && !(await isEmpty(client))) {
      throw new Error(
        'DATABASE_URL points at a database that holds tables but no benchmark data set. Use an empty database of its own for the benchmark (e.g. createdb sv_bench).',
      );
    }
    if (found) {
      log(
        found.state !== 'complete'
          ? 'An unfinished data set is here: starting again.'
          : `Regenerating the data set (found generator version ${found.generator_version}).`,
      );
      await client.query('drop schema if exists public cascade; create schema public; drop schema if exists bench cascade');
    }
    await client.query(MARKER);
    await client.query('insert into bench.dataset (generator_version, state) values ($1, $2)', [GENERATOR_VERSION, 'generating']);

    const started = Date.now();
    log('Applying the migrations…');
    await runMigrations(url);
    log('Generating the national data set (COPY, a term at a time)…');
    const counts = await generate(client, { log });
    log('VACUUM ANALYZE (fresh statistics and visibility map, as in a database that has been running for a while)…');
    await client.query('vacuum analyze');
    const seconds = (Date.now() - started) / 1000;
    await client.query(`update bench.dataset set state = 'complete', seconds = $1, counts = $2`, [seconds, counts]);
    log(
      `Generated in ${seconds.toFixed(0)} s: ${Object.entries(counts)
        .map(([t, n]) => `${t} ${n.toLocaleString('en-GB')}`)
        .join(', ')}`,
    );
    return { reused: false, seconds, counts };
  } finally {
    await client.end();
  }
}
