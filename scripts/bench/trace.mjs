import 'reflect-metadata';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startApp } from '../../api/dist/src/app/app.js';
import { loadConfig } from '../../api/dist/src/platform/config.js';
import { createLogger } from '../../api/dist/src/platform/logger.js';
import { BENCH_LA, FULL_NOTE, OVERDUE_REPORT, PARTNER_VISITS, pickSubjects } from './scenarios.mjs';

/**
 * npm run bench:trace -- [--explain] [--repeat N]: one request of scenarios 1-3 with every SQL statement it
 * sends, its time, and EXPLAIN (ANALYZE, BUFFERS) of each: where to look first
 * when a scenario is slow. Same DATABASE_URL as the benchmark; TRACE_FULL=1 prints
 * each statement whole. The caller's partner record is remembered after the first
 * request (SIGN_IN_CACHE_SECONDS), so the traced request shows the scenario's own
 * statements.
 */
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('Set DATABASE_URL to the benchmark database.');
  process.exit(2);
}
const workDir = await mkdtemp(path.join(os.tmpdir(), 'school-visits-trace-'));
const config = loadConfig({ ...process.env, NODE_ENV: 'development', DEMO_DATA: 'off', LOG_LEVEL: 'warn', DEV_ISSUER: 'on', DATA_DIR: workDir, PORT: '0' });
const statements = [];
const app = await startApp(config, createLogger(config), { port: 0, onQuery: (sql) => statements.push(sql) });
const client = new pg.Client({ connectionString: databaseUrl });
await client.connect();
const subjects = await pickSubjects(client, 1);
const explain = process.argv.includes('--explain');
// --repeat N: run each request N more times (e.g. under node --cpu-prof) before reporting.
const repeat = Number(process.argv[process.argv.indexOf('--repeat') + 1]) || 0;
const runs = [
  ['1 partner visit list', subjects.partner, PARTNER_VISITS, { first: 50 }],
  ['2 full note', subjects.manager, FULL_NOTE, { id: subjects.noteId }],
  ['3 overdue report', subjects.manager, OVERDUE_REPORT, { laCode: BENCH_LA }],
];
for (const [name, email, query, variables] of runs) {
  const token = await app.devIssuer.signForPerson(email);
  for (let i = 0; i < 3 + repeat; i++) {
    statements.length = 0;
    const started = performance.now();
    const res = await fetch(`${app.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    if (i < 2 + repeat) continue; // warm
    console.log(`\n=== ${name}: ${res.status}, ${text.length} bytes, ${(performance.now() - started).toFixed(1)} ms, ${statements.length} statements`);
    for (const sql of statements) {
      console.log(`--- ${process.env.TRACE_FULL ? sql : sql.slice(0, 300)}`);
      if (explain) {
        const { rows } = await client.query(`explain (analyze, buffers) ${sql}`);
        console.log(rows.map((r) => `    ${r['QUERY PLAN']}`).join('\n'));
      }
    }
  }
}
await client.end();
await app.stop();
