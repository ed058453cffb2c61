import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { startApp, type App } from '../../src/app/app.js';
import type { DevIssuer } from '../../src/platform/auth/dev-issuer.js';
import { ServiceRole } from '../../src/platform/auth/principal.js';
import { loadConfig, type AppConfig } from '../../src/platform/config.js';
import { pino } from 'pino';
import { createLogger, type Logger } from '../../src/platform/logger.js';
import { createMailTransport, type MailTransport } from '../../src/platform/mail/mail-transport.js';
import { recordingMail, recordTokensOf } from './issued-secrets.js';
import { Partner } from '../../src/partners/partner.entity.js';
import { PartnerRole } from '../../src/partners/partner.enums.js';
import { testClock } from './test-clock.js';
import { cloneTemplate, TEST_DATA_ROOT, type TestDatabase } from './test-database.js';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface TestApp {
  app: App;
  url: string;
  config: AppConfig;
  issuer: DevIssuer;
  /** A manager's token, sent by default. */
  managerToken: string;
  /** SQL statements sent since the last reset. */
  sql: string[];
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, options?: { token?: string | null }): Promise<GraphQLResponse<T>>;
  /** A raw POST to /graphql; `token: null` sends no Authorization header. */
  post(body: string, options?: { headers?: Record<string, string>; token?: string | null }): Promise<Response>;
  /** A token for the first active person with this role (by name), with their partner record. */
  personWithRole(role: PartnerRole): Promise<{ partner: Partner; token: string }>;
  serviceToken(name: string, roles?: string[]): Promise<string>;
  stop(): Promise<void>;
}

export function testConfig(database: AppConfig['database'], overrides: Partial<AppConfig> = {}): AppConfig {
  const base = loadConfig({
    NODE_ENV: 'test',
    DEV_ISSUER_KEY_FILE: path.join(TEST_DATA_ROOT, 'keys', `${randomUUID()}.json`),
    LINK_SIGNING_SECRET: randomBytes(32).toString('hex'),
    MAIL_OUTBOX_DIR: path.join(TEST_DATA_ROOT, 'outbox', randomUUID()),
    // Generous: a file of tests opens the school's pages many times a minute from one address
    // (school-page-guards.test.ts sets its own low limits to test them).
    SCHOOL_PAGES_PER_LINK_PER_MINUTE: '1000',
    SCHOOL_PAGES_PER_ADDRESS_PER_MINUTE: '10000',
    // Notifications run when a test says so (app.notifications.runOnce), as the outbox does.
    NOTIFICATIONS_INTERVAL_SECONDS: '3600',
    // Webhooks too (app.webhooks.runOnce).
    WEBHOOKS_INTERVAL_SECONDS: '3600',
  });
  return {
    ...base,
    port: 0,
    database,
    // Request lines included: every test server's log goes to a file the suite-wide log check reads (testLogger).
    logLevel: 'info',
    loadDemoData: false,
    shutdownDelayMs: 0,
    ...overrides,
    auth: { ...base.auth, ...overrides.auth },
    schoolSide: { ...base.schoolSide, ...overrides.schoolSide },
  };
}

/**
 * A test server's logger: its lines go to a file of its own under TEST_DATA_ROOT/logs, which
 * global teardown searches for every token the suite issued (log-check.ts), not to the console.
 */
export function testLogger(config: Pick<AppConfig, 'logLevel' | 'env'>): Logger {
  return createLogger(config, pino.destination({ dest: path.join(TEST_DATA_ROOT, 'logs', `${randomUUID()}.log`), mkdir: true, sync: true }));
}

const COUNTER_STATEMENT = /\brate_limit_count\b/;

/** The real server on a free port, over its own copy of the demo database, on the suite's clock (test-clock.ts). */
export async function startTestApp(options: { db?: TestDatabase; config?: Partial<AppConfig>; mailTransport?: MailTransport } = {}): Promise<TestApp> {
  const db = options.db ?? (await cloneTemplate());
  const config = testConfig(db.database, options.config);
  const sql: string[] = [];
  // Mail goes out when a test says so (outbox.runOnce), not on a timer in the middle of a statement count.
  const logger = testLogger(config);
  const app = await startApp(config, logger, {
    // The shared limits' count (one statement a request on real PostgreSQL; in memory on the embedded database)
    // is the platform's, not the request's reads: left out, statement counts are the same on both databases.
    onQuery: (q) => {
      if (!COUNTER_STATEMENT.test(q)) sql.push(q);
    },
    port: 0,
    // Every message's text is recorded for the log check (the school's links are in it).
    mailTransport: recordingMail(options.mailTransport ?? createMailTransport(config.mail, logger)),
    outboxIntervalMs: 3_600_000,
    clock: testClock,
  });
  if (app.devIssuer) recordTokensOf(app.devIssuer);
  // In production mode there is no development issuer: such tests bring their own tokens.
  const issuer =
    app.devIssuer ??
    (new Proxy(
      {},
      {
        get: () => {
          throw new Error('no development issuer in this app');
        },
      },
    ) as DevIssuer);
  const url = app.server.url;

  const personWithRole = async (role: PartnerRole) => {
    const partner = await app.orm.em.fork().findOneOrFail(Partner, { role, active: true }, { orderBy: { name: 'asc' } });
    return { partner, token: await issuer.signForPerson(partner.email) };
  };
  const managerToken = app.devIssuer ? (await personWithRole(PartnerRole.MANAGER)).token : '';
  sql.length = 0;

  const post: TestApp['post'] = (body, { headers = {}, token = managerToken } = {}) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body,
    });
  return {
    app,
    url,
    config,
    issuer,
    managerToken,
    sql,
    post,
    personWithRole,
    serviceToken: (name, roles = [ServiceRole.READ]) => issuer.signForService(name, roles),
    async gql(query, variables, options = {}) {
      const res = await post(JSON.stringify({ query, variables }), options.token === undefined ? {} : { token: options.token });
      const json = (await res.json()) as GraphQLResponse;
      return { status: res.status, data: json.data as never, errors: json.errors };
    },
    async stop() {
      await app.stop();
      await db.drop();
    },
  };
}
