import { fork } from 'node:child_process';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { ensureDataset } from './dataset.mjs';
import { startEntra } from './entra.mjs';
import { writeLoad } from './writes.mjs';
import { BENCH_LA, FULL_NOTE, OVERDUE_REPORT, PARTNER_VISITS, pickSubjects, TYPENAME, UPDATE_NOTE } from './scenarios.mjs';

/**
 * npm run bench: the API against the physical limit, at national scale.
 * 1. makes sure DATABASE_URL holds the national data set (generates it once);
 * 2. starts the API and the reference handler in a child process;
 * 3. runs each scenario under autocannon at fixed concurrency on loopback, checking
 *    every response body against its golden answer, and prints the figures.
 * Exits 1 when any response was wrong or failed: a fast error is not a result.
 */
const { values: args } = parseArgs({
  options: {
    regenerate: { type: 'boolean', default: false },
    'generate-only': { type: 'boolean', default: false },
    connections: { type: 'string', default: '10' },
    duration: { type: 'string', default: '12' },
    warmup: { type: 'string', default: '3' },
    only: { type: 'string' },
    'pool-max': { type: 'string', default: '10' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`npm run bench -- [--regenerate] [--generate-only] [--connections 10] [--duration 12] [--warmup 3] [--only 1,2,5] [--pool-max 10]
DATABASE_URL must point at a real PostgreSQL database of the benchmark's own (e.g. createdb sv_bench).`);
  process.exit(0);
}
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
  console.error(
    'The benchmark needs a real PostgreSQL: set DATABASE_URL to an empty database of its own, e.g.\n  createdb sv_bench && DATABASE_URL=postgresql://postgres@127.0.0.1:5432/sv_bench npm run bench',
  );
  process.exit(2);
}
const connections = Number(args.connections);
const duration = Number(args.duration);
const warmup = Number(args.warmup);
const only = args.only ? new Set(args.only.split(',').map((s) => s.trim())) : null;

const dataset = await ensureDataset(databaseUrl, { regenerate: args.regenerate });
if (args['generate-only']) process.exit(0);

// The API as it is deployed (from api/dist over PostgreSQL, NODE_ENV=production, Entra sign-in against a
// local stand-in for Entra's key endpoint), quiet logs, a rate limit no benchmark reaches.
const workDir = await mkdtemp(path.join(os.tmpdir(), 'school-visits-bench-'));
const entra = await startEntra();
const env = {
  ...process.env,
  NODE_ENV: 'production',
  DATABASE_URL: databaseUrl,
  DB_POOL_MAX: args['pool-max'],
  DEMO_DATA: 'off',
  GRAPHIQL: 'off',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_PER_MINUTE: '10000000',
  QUERY_COST_BUDGET_PER_MINUTE: '1000000000',
  AUTH_CLIENT_ID: entra.clientId,
  AUTH_TENANT_IDS: entra.tenant,
  AUTH_JWKS_URI: entra.jwksUri,
  PUBLIC_URL: 'https://bench.invalid',
  ADDIN_CLIENT_ID: entra.clientId,
  LINK_SIGNING_SECRET: randomBytes(32).toString('hex'),
  DATA_DIR: workDir,
  MAIL_TRANSPORT: 'file',
  COUNCIL_NOTES_EMAIL: 'school.improvement@bench.example',
  PORT: '0',
};
const child = fork(new URL('./server.mjs', import.meta.url), [], { env, execArgv: process.env.BENCH_SERVER_NODE_OPTIONS?.split(' ').filter(Boolean) ?? [] });
const { apiUrl, referenceUrl } = await new Promise((resolve, reject) => {
  child.once('message', resolve);
  child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready`)));
});

/**
 * Every answer ends with its cost and what is left of the budget (extensions.cost, docs/api.md),
 * which changes from one answer to the next: answers are compared without it.
 */
const withoutCost = (text) => text.replace(/,"extensions":\{"cost":\{[^{}]*\{[^{}]*\}\}\}\}\s*$/, '}');

async function post(url, token, query, variables, operationName) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables, operationName }),
  });
  return { status: res.status, text: withoutCost(await res.text()) };
}

/** A load run; `check(status, body, context)` returns true for a right answer. */
async function load({ url, token, body, check, setup, beforeRun = async () => {} }) {
  let wrong = 0;
  let firstWrong = null;
  const request = {
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
    ...(setup ? { setupRequest: setup } : {}),
    onResponse: (status, responseBody, context) => {
      if (!check(status, withoutCost(String(responseBody)), context)) {
        wrong += 1;
        firstWrong ??= `${status} ${String(responseBody).slice(0, 300)}`;
      }
    },
  };
  const run = async (seconds) => {
    await beforeRun();
    return autocannon({ url, connections, pipelining: 1, duration: seconds, requests: [request], timeout: 10 });
  };
  if (warmup > 0) await run(warmup);
  wrong = 0;
  firstWrong = null;
  const r = await run(duration);
  return {
    rps: r.requests.total / duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    failed: wrong + r.errors + r.timeouts + r.non2xx,
    firstWrong,
  };
}

const client = new pg.Client({ connectionString: databaseUrl });
await client.connect();
const subjects = await pickSubjects(client, connections);
const partnerToken = await entra.signForPerson(subjects.partner);
const managerToken = await entra.signForPerson(subjects.manager);
const editorToken = await entra.signForPerson(subjects.editor);
const floorToken = await entra.signForPerson(subjects.floor);

const results = [];
let failures = 0;
function report(name, who, r) {
  results.push({ scenario: name, server: who, ...r });
  if (r.failed) failures += 1;
  console.log(
    `${name.padEnd(34)} ${who.padEnd(9)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  ${r.total} requests${r.failed ? `  ${r.failed} WRONG OR FAILED, e.g. ${r.firstWrong}` : ''}`,
  );
}

/**
 * Scenarios 1 and 2: the API's first answer is the golden one, but only once it
 * equals the reference's (parsed, so key order does not matter); every later
 * response from either must then be byte-identical to its own first one.
 */
async function againstReference(name, token, query, variables, operationName) {
  const body = JSON.stringify({ query, variables, operationName });
  const ours = await post(apiUrl, token, query, variables, operationName);
  const ref = await post(referenceUrl, token, query, variables, operationName);
  if (ours.status !== 200 || JSON.parse(ours.text).errors || !isDeepStrictEqual(JSON.parse(ours.text), JSON.parse(ref.text))) {
    console.error(`${name}: the API and the reference disagree.\nAPI:       ${ours.text.slice(0, 800)}\nreference: ${ref.text.slice(0, 800)}`);
    failures += 1;
    return;
  }
  const r1 = await load({ url: apiUrl, token, body, check: (s, b) => s === 200 && b === ours.text });
  report(name, 'API', r1);
  const r2 = await load({ url: referenceUrl, token, body, check: (s, b) => s === 200 && b === ref.text });
  report(name, 'reference', r2);
  results.push({ scenario: name, server: 'ratio', rps: r1.rps / r2.rps });
  console.log(`${''.padEnd(34)} ${'ours/ref'.padEnd(9)} ${(r1.rps / r2.rps).toFixed(2).padStart(6)}x throughput`);
}

const selected = (n) => !only || only.has(String(n));
console.log(
  `\nNational data set: ${Object.entries(dataset.counts)
    .map(([t, n]) => `${t} ${Number(n).toLocaleString('en-GB')}`)
    .join(', ')}`,
);
console.log(
  `Load: autocannon, ${connections} connections, ${duration} s per run after ${warmup} s warm-up, loopback; API pool ${args['pool-max']}, reference pool the same.\n`,
);

if (selected(1)) await againstReference('1 partner visit list (50)', partnerToken, PARTNER_VISITS, { first: 50 }, 'PartnerVisits');
if (selected(2)) await againstReference('2 one note of visit in full', managerToken, FULL_NOTE, { id: subjects.noteId }, 'FullNote');

if (selected(3)) {
  // No reference for the report: its golden answer is the first response, checked against plain SQL first.
  const variables = { laCode: BENCH_LA };
  const first = await post(apiUrl, managerToken, OVERDUE_REPORT, variables);
  const ids = JSON.parse(first.text).data?.overdueNotes?.flatMap((g) => g.notes.map((n) => n.id)) ?? [];
  const { rows } = await client.query(
    `select n.id from note_of_visit n join visit v on v.id = n.visit_id join school s on s.id = v.school_id
     where s.la_code = $1 and n.status <> 'circulated' and ((n.status = 'draft' and n.draft_due_on < $2::date) or n.circulation_due_on < $2::date)`,
    [BENCH_LA, new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date())],
  );
  if (first.status !== 200 || !ids.length || !isDeepStrictEqual([...ids].sort(), rows.map((r) => r.id).sort())) {
    console.error(`3 overdue report: the API's notes differ from SQL's (${ids.length} vs ${rows.length}): ${first.text.slice(0, 500)}`);
    failures += 1;
  } else {
    const body = JSON.stringify({ query: OVERDUE_REPORT, variables });
    report(
      `3 overdue report, LA ${BENCH_LA} (${ids.length} notes)`,
      'API',
      await load({ url: apiUrl, token: managerToken, body, check: (s, b) => s === 200 && b === first.text }),
    );
  }
}

if (selected(4)) {
  // Each connection edits a draft of its own and sends the version its last answer gave back.
  // autocannon shares one request object between connections (the first requests are all built
  // before any is sent), so this scenario runs on a small closed loop of its own (writes.mjs).
  const { rows } = await client.query('select id, version from note_of_visit where id = any($1) order by id', [subjects.drafts.map((d) => d.id)]);
  report(
    '4 updateNote (version check)',
    'API',
    await writeLoad({ url: apiUrl, token: editorToken, notes: rows, connections, duration, warmup, query: UPDATE_NOTE }),
  );
}

if (selected(5)) {
  const golden = JSON.stringify({ data: { __typename: 'Query' } });
  report(
    '5 { __typename }',
    'API',
    await load({ url: apiUrl, token: floorToken, body: JSON.stringify({ query: TYPENAME }), check: (s, b) => s === 200 && b.trimEnd() === golden }),
  );
}

await client.end();
child.send('stop');
await new Promise((resolve) => child.once('exit', resolve));
await entra.stop();
await rm(workDir, { recursive: true, force: true });
console.log(
  `\nMachine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${os.type()} ${os.release()}`,
);
if (process.env.BENCH_JSON) {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(process.env.BENCH_JSON, JSON.stringify({ dataset, connections, duration, results }, null, 2));
}
if (failures) {
  console.error(`\n${failures} run(s) had wrong or failed answers: the figures above do not count.`);
  process.exit(1);
}
