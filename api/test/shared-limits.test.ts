import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../src/app/app.js';
import { ServiceRole } from '../src/platform/auth/principal.js';
import type { AppConfig } from '../src/platform/config.js';
import { QUERY_LIMITS } from '../src/platform/graphql/limits.plugin.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { Partner } from '../src/partners/partner.entity.js';
import { startTestApp, testConfig, testLogger, type TestApp } from './support/test-app.js';
import { cloneTemplate, realPostgresUrl, TEST_DATA_ROOT, type TestDatabase } from './support/test-database.js';

/**
 * Limits counted across instances (platform/limits): the request rate per client holds however
 * many instances share the load, through PostgreSQL or Redis; the query-cost budget is spent by
 * each answer's cost and refused with 429 and words when spent; every answer says its cost; and a
 * dry run says what a request would cost without executing it.
 */

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: { code?: string } }[]; extensions?: { cost?: any } };
}

async function ask(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Answer['body'] };
}

/**
 * Fixed windows are aligned on the minute: a burst straddling a minute's end would be counted in
 * two windows. Starting with at least 20 seconds of the minute left keeps a burst in one.
 */
async function awayFromMinuteEnd(): Promise<void> {
  const into = Date.now() % 60_000;
  if (into > 40_000) await sleep(60_000 - into + 50);
}

const LOW_RATE = 8;
const SCHOOL_NAMES = '{ schools(first: 5) { nodes { id name } } }';

/** One person's 2 × LOW_RATE requests, alternately to each instance: LOW_RATE answered, then 429 with Retry-After. */
async function expectOneLimitAcross(apps: App[]): Promise<void> {
  const email = (await apps[0]!.orm.em.fork().findOneOrFail(Partner, { role: PartnerRole.MANAGER, active: true }, { orderBy: { name: 'asc' } })).email;
  const tokens = await Promise.all(apps.map((app) => app.devIssuer!.signForPerson(email)));
  await awayFromMinuteEnd();
  const answers: Answer[] = [];
  for (let i = 0; i < 2 * LOW_RATE; i++) answers.push(await ask(apps[i % apps.length]!.server.url, tokens[i % apps.length]!, SCHOOL_NAMES));
  expect(answers.map((a) => a.status)).toEqual([...Array<number>(LOW_RATE).fill(200), ...Array<number>(LOW_RATE).fill(429)]);
  const refused = answers.at(-1)!;
  expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  expect(refused.body.errors?.[0]?.message).toMatch(`${LOW_RATE} a minute may be made, all servers together`);
}

function lowRateConfig(database: AppConfig['database'], extra: Partial<AppConfig> = {}, keyFile?: string): AppConfig {
  const config = testConfig(database, extra);
  return {
    ...config,
    auth: {
      ...config.auth,
      rateLimitPerMinute: LOW_RATE,
      // One signing key for every instance, as one deployment has: a token is good at each.
      devIssuer: { ...config.auth.devIssuer!, keyFile: keyFile ?? config.auth.devIssuer!.keyFile },
    },
  };
}

describe.runIf(realPostgresUrl())('the request rate across two instances on one PostgreSQL', () => {
  let db: TestDatabase;
  const apps: App[] = [];
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await db?.drop();
  });

  it('lets through exactly the limit in total, however the requests are split', { timeout: 180_000 }, async () => {
    db = await cloneTemplate();
    const config = lowRateConfig(db.database);
    for (let i = 0; i < 2; i++) apps.push(await startApp(config, testLogger(config), { port: 0, outboxIntervalMs: 3_600_000 }));
    await expectOneLimitAcross(apps);
  });
});

/** A Redis for the test: TEST_REDIS_URL when CI provides one, else a redis-server of our own on a free port when the binary is installed. */
async function testRedis(): Promise<{ url: string; stop: () => Promise<void> } | null> {
  if (process.env.TEST_REDIS_URL) return { url: process.env.TEST_REDIS_URL, stop: async () => {} };
  if (spawnSync('redis-server', ['--version']).status !== 0) return null;
  const port = await new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  // Never left behind, even when a hook times out before stop() runs.
  process.once('exit', () => child.kill());
  const url = `redis://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    const probe = createClient({ url, socket: { reconnectStrategy: false } });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.close();
      break;
    } catch (error) {
      if (attempt > 50) throw error;
      await sleep(100);
    }
  }
  return {
    url,
    stop: async () => {
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

const redisAvailable = !!process.env.TEST_REDIS_URL || spawnSync('redis-server', ['--version']).status === 0;

// Skipped only where there is no Redis to test against: neither TEST_REDIS_URL nor a redis-server binary.
describe.runIf(redisAvailable)('the request rate across two instances through Redis', () => {
  let redis: Awaited<ReturnType<typeof testRedis>>;
  const dbs: TestDatabase[] = [];
  const apps: App[] = [];
  afterAll(async () => {
    for (const app of apps) await app.stop();
    for (const db of dbs) await db.drop();
    await redis?.stop();
  });

  it('lets through exactly the limit in total, each instance over its own database', { timeout: 180_000 }, async () => {
    redis = await testRedis();
    // Two databases, one Redis: only the counters are shared, so only Redis can hold the limit.
    const keyFile = path.join(TEST_DATA_ROOT, 'keys', `${randomUUID()}.json`);
    for (let i = 0; i < 2; i++) {
      const db = await cloneTemplate();
      dbs.push(db);
      const base = testConfig(db.database);
      const config = lowRateConfig(db.database, { limits: { ...base.limits, redisUrl: redis!.url } }, keyFile);
      apps.push(await startApp(config, testLogger(config), { port: 0, outboxIntervalMs: 3_600_000 }));
    }
    await expectOneLimitAcross(apps);
  });

  it('count in this process while Redis is down: requests are still answered, and still counted', { timeout: 60_000 }, async () => {
    const db = await cloneTemplate();
    dbs.push(db);
    const base = testConfig(db.database);
    // Nothing listens on port 1: every count fails at once.
    const config = { ...base, limits: { ...base.limits, redisUrl: 'redis://127.0.0.1:1' } };
    const app = await startApp(config, testLogger(config), { port: 0, outboxIntervalMs: 3_600_000 });
    apps.push(app);
    const token = await app.devIssuer!.signForService(`down-${randomUUID().slice(0, 8)}`, ['Visits.Read.All']);
    const answer = await ask(app.server.url, token, SCHOOL_NAMES);
    expect(answer.status).toBe(200);
    expect(answer.body.extensions?.cost?.budget.remaining).toBe(config.limits.queryCostBudgetPerMinute - answer.body.extensions?.cost?.requestedQueryCost);
  });
});

/** Over the 25,000 a request may cost: 100 visits, each with its agenda, attendees and note in full. */
const COSTLY =
  'visits(first: 100) { nodes { id school { name dfeNumber } agenda { title position minutes } note { status summary judgements { area schoolGrade partnerGrade evidenceBasis commentary } findings { text area evidenceBasis } recommendations { action successMeasure ownerRole dueOn status } reviews { comment progress } distribution { name role } targets { keyStage measure year value } } attendees { name role } } }';

describe('the query-cost budget, the cost on every answer, and the dry run', () => {
  const BUDGET = 2_000;
  const RATE = 40;
  let t: TestApp;
  beforeAll(async () => {
    // testConfig lays these over its own settings (test-app.ts).
    const auth = { rateLimitPerMinute: RATE } as AppConfig['auth'];
    t = await startTestApp({ config: { auth, limits: { redisUrl: null, queryCostBudgetPerMinute: BUDGET } } });
  });
  afterAll(async () => {
    await t?.stop();
  });
  /** A service of its own for each test (its budget is its own), allowed contact details (the costly request reads names). */
  const freshClient = () => t.serviceToken(`limits-${randomUUID().slice(0, 8)}`, [ServiceRole.READ, ServiceRole.CONTACTS]);

  it('spends each answer’s cost, says so in extensions.cost, and refuses with 429 and words when spent', async () => {
    await awayFromMinuteEnd();
    const token = await freshClient();
    const query = '{ schools(first: 20) { nodes { id name urn } } }';
    const first = await ask(t.url, token, query);
    expect(first.status).toBe(200);
    const cost = first.body.extensions!.cost;
    expect(cost).toMatchObject({ maximumQueryCost: QUERY_LIMITS.maxCost, budget: { limit: BUDGET, remaining: BUDGET - cost.requestedQueryCost } });
    // The connection, then 20 times (nodes and its three fields).
    expect(cost.requestedQueryCost).toBe(1 + 20 * (1 + 3));
    expect(Date.parse(cost.budget.resetAt)).toBeGreaterThan(Date.now());

    let remaining = cost.budget.remaining;
    while (remaining >= cost.requestedQueryCost) {
      const answer = await ask(t.url, token, query);
      expect(answer.status).toBe(200);
      expect(answer.body.extensions!.cost.budget.remaining).toBe(remaining - cost.requestedQueryCost);
      remaining = answer.body.extensions!.cost.budget.remaining;
    }
    const refused = await ask(t.url, token, query);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(60);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(refused.body.errors?.[0]?.message).toMatch(
      new RegExp(`cost ${cost.requestedQueryCost} points; ${remaining} of your 2,000 points a minute are left`),
    );
    // A refused request spends nothing: what is left is still there for a cheaper one.
    expect(refused.body.extensions!.cost.budget.remaining).toBe(remaining);
    const cheap = await ask(t.url, token, '{ schools(first: 1) { nodes { id } } }');
    expect(cheap.status).toBe(200);
    expect(cheap.body.extensions!.cost.budget.remaining).toBe(remaining - cheap.body.extensions!.cost.requestedQueryCost);
  });

  it('count a request refused before its cost is known (not valid GraphQL) against the request rate', async () => {
    await awayFromMinuteEnd();
    const token = await freshClient();
    for (let i = 0; i < RATE - 1; i++) expect((await ask(t.url, token, '{ schools(first: 1) {')).status).toBe(400);
    expect((await ask(t.url, token, SCHOOL_NAMES)).status).toBe(200);
    const refused = await ask(t.url, token, SCHOOL_NAMES);
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0]?.message).toMatch(`${RATE} a minute may be made, all servers together`);
    // The one answered spent its cost; the one refused for the request rate spent none.
    expect(refused.body.extensions!.cost.budget.remaining).toBe(BUDGET - refused.body.extensions!.cost.requestedQueryCost);
  });

  it('charges nothing for introspection', async () => {
    const token = await freshClient();
    const before = (await ask(t.url, token, '{ rateLimit { remaining } }')).body.data!.rateLimit.remaining;
    const introspection = await ask(t.url, token, '{ __schema { queryType { name } types { name fields { name } } } }');
    expect(introspection.status).toBe(200);
    expect(introspection.body.extensions!.cost).toMatchObject({ requestedQueryCost: 0, budget: { remaining: before } });
  });

  it('says a too costly request’s cost on its refusal, and spends nothing', async () => {
    const token = await freshClient();
    const costly = `{ ${COSTLY} }`;
    const refused = await ask(t.url, token, costly);
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.message).toMatch(/would cost [\d,]+ .* the limit is 25,000/);
    expect(refused.body.extensions!.cost.requestedQueryCost).toBeGreaterThan(QUERY_LIMITS.maxCost);
    expect(refused.body.extensions!.cost.budget.remaining).toBe(BUDGET);
  });

  it('answers a dry run with the cost the request would have, executing nothing and spending nothing', async () => {
    const token = await freshClient();
    const costly = COSTLY;
    const refused = await ask(t.url, token, `{ ${costly} }`);
    const refusedCost = refused.body.extensions!.cost.requestedQueryCost;

    t.sql.length = 0;
    const dry = await ask(t.url, token, `query Q($dry: Boolean!) { limit: rateLimit(dryRun: $dry) { cost limit remaining resetAt } ${costly} }`, { dry: true });
    expect(dry.status).toBe(200);
    // Only the rate limit answers: nothing was read but the budget (a statement on PostgreSQL's store, none in memory).
    expect(Object.keys(dry.body.data!)).toEqual(['limit']);
    expect(t.sql).toEqual([]); // the counter's own statement is not recorded (test-app.ts)
    // The rateLimit field itself costs nothing: the dry run says exactly what the refused request costs.
    expect(dry.body.data!.limit).toMatchObject({ cost: refusedCost, limit: BUDGET, remaining: BUDGET });
    expect(dry.body.extensions!.cost.requestedQueryCost).toBe(refusedCost);
    expect(dry.body.data!.limit.resetAt).toBe(dry.body.extensions!.cost.budget.resetAt);

    // The same request run for real (a page small enough to run): its rateLimit answers the cost spent.
    const small = `query { rateLimit { cost remaining } schools(first: 2) { nodes { id } } }`;
    const smallDry = await ask(t.url, token, small.replace('rateLimit {', 'rateLimit(dryRun: true) {'));
    const run = await ask(t.url, token, small);
    expect(run.body.data!.schools.nodes).toHaveLength(2);
    expect(run.body.data!.rateLimit.cost).toBe(smallDry.body.data!.rateLimit.cost);
    expect(run.body.data!.rateLimit.remaining).toBe(BUDGET - run.body.data!.rateLimit.cost);
  });
});
