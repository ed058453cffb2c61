import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { startApp, type App } from '../../src/app/app.js';
import type { CalendarVisits } from '../../src/outlook-sync/calendar-change.js';
import { calendarSyncFromEnv } from '../../src/platform/graph/graph-config.js';
import type { AppConfig } from '../../src/platform/config.js';
import { startGraphStandIn, type GraphStandIn } from '../../demo/graph-stand-in/graph-stand-in.js';
import { ALL_PEOPLE, emailFor } from '../../demo/demo-people.js';
import { recordIssued, recordTokensOf } from './issued-secrets.js';
import { testConfig, testLogger } from './test-app.js';
import { testClock } from './test-clock.js';
import type { TestDatabase } from './test-database.js';

/** Every person of the demo county has a mailbox in the stand-in. */
export const DEMO_MAILBOXES = ALL_PEOPLE.map((p) => emailFor(p.name));

export function startStandIn(): Promise<GraphStandIn> {
  return startGraphStandIn({
    users: ALL_PEOPLE.map((p) => ({ id: randomUUID(), mail: emailFor(p.name), displayName: p.name })),
    // Quick redeliveries: a test waits seconds, not Graph's minutes.
    notificationRetryDelaysMs: [200, 500],
  });
}

export interface SyncSettings {
  mode?: 'push' | 'poll';
  /** Reconciliation (push) or polling (poll) interval. */
  intervalSeconds?: number;
  checkSeconds?: number;
  subscriptionMinutes?: number;
  renewMinutes?: number;
}

/** The calendar sync settings for a stand-in, read through the same environment variables a council sets. */
export function syncConfigFor(standIn: GraphStandIn, settings: SyncSettings = {}): NonNullable<AppConfig['calendarSync']> {
  const { config, problems } = calendarSyncFromEnv({
    NODE_ENV: 'test',
    CALENDAR_SYNC: settings.mode ?? 'push',
    GRAPH_TENANT_ID: standIn.tenantId,
    GRAPH_CLIENT_ID: standIn.clientId,
    GRAPH_CLIENT_SECRET: standIn.clientSecret,
    GRAPH_AUTHORITY_HOST: standIn.url,
    GRAPH_BASE_URL: standIn.url,
    CALENDAR_SYNC_INTERVAL_SECONDS: settings.intervalSeconds ?? 3600,
    CALENDAR_SUBSCRIPTION_MINUTES: settings.subscriptionMinutes ?? 60,
    CALENDAR_SUBSCRIPTION_RENEW_MINUTES: settings.renewMinutes ?? 5,
    CALENDAR_SUBSCRIPTION_CHECK_SECONDS: settings.checkSeconds ?? 1,
    GRAPH_CERTIFICATE_PATH: undefined,
    GRAPH_CERTIFICATE_THUMBPRINT: undefined,
  });
  if (!config) throw new Error(problems.join('\n'));
  return config;
}

export interface SyncApp {
  app: App;
  config: AppConfig;
  url: string;
  /** A GraphQL call as the person with this email. */
  gql<T = Record<string, any>>(email: string, query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: { message: string }[] }>;
  stop(): Promise<void>;
}

/** The real server with calendar sync on, over `db`, against the stand-in; `visits` replaces what changes do to visits (mechanism tests). */
export async function startSyncApp(db: TestDatabase, standIn: GraphStandIn, settings: SyncSettings = {}, visits?: CalendarVisits): Promise<SyncApp> {
  // The suite's log check fails the run if the app's secret appears in any server log.
  recordIssued('bearer', standIn.clientSecret);
  const config = testConfig(db.database, { calendarSync: syncConfigFor(standIn, settings) });
  const app = await startApp(config, testLogger(config), { port: 0, outboxIntervalMs: 3_600_000, clock: testClock, calendarVisits: visits });
  if (app.devIssuer) recordTokensOf(app.devIssuer);
  const url = app.server.url;
  return {
    app,
    config,
    url,
    async gql(email, query, variables) {
      const token = await app.devIssuer!.signForPerson(email);
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as never;
    },
    stop: () => app.stop(),
  };
}
