import { DEFAULT_ALLOCATION_HISTORY_YEARS, type AccessOptions } from './auth/access-policy.js';
import path from 'node:path';
import { z } from 'zod';
import { RETENTION_ENV, retentionFromEnv, type RetentionConfig } from './retention-config.js';
import { GRAPH_ENV, calendarSyncFromEnv, type CalendarSyncConfig } from './graph/graph-config.js';
import { NOTIFICATIONS_ENV, notificationsFromEnv, type NotificationsConfig } from './notifications-config.js';
import { WEBHOOKS_ENV, webhooksFromEnv, type WebhooksConfig } from './webhooks-config.js';

export type { CalendarSyncConfig };

/** Query-cost points a minute per client: ten of the costliest requests allowed (25,000 each), far above the add-ins' use. */
export const QUERY_COST_BUDGET_DEFAULT = 250_000;

/**
 * Everything the server reads from its environment, validated once at start-up.
 * A bad value stops the process with a message naming the variable, rather than
 * surfacing later as an odd runtime failure.
 */
const EnvSchema = z.object({
  // Production unless told otherwise: a deployment that forgets the variable must not open the
  // development doors (the development sign-in, demo data, the explorer). `npm start` asks for development.
  NODE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  DEMO_DATA: z.enum(['auto', 'off']).optional(),
  GRAPHIQL: z.enum(['on', 'off']).optional(),
  AUTH_CLIENT_ID: z
    .string()
    .regex(/^[0-9a-f-]{36}$/i, "must be the API app registration's client id (a GUID)")
    .optional(),
  AUTH_TENANT_IDS: z
    .string()
    .regex(/^[0-9a-f-]{36}(\s*,\s*[0-9a-f-]{36})*$/i, 'must be one or more tenant ids (GUIDs), comma-separated')
    .optional(),
  AUTH_JWKS_URI: z.string().url().includes('{tenant}', { message: 'must contain {tenant}' }).optional(),
  ADDIN_CLIENT_ID: z
    .string()
    .regex(/^[0-9a-f-]{36}$/i, "must be the Outlook add-in and Teams app registration's client id (a GUID)")
    .optional(),
  DEV_ISSUER: z.enum(['on', 'off']).optional(),
  DEV_ISSUER_KEY_FILE: z.string().min(1).optional(),
  // The development sign-in answers only this machine (a loopback peer, not through a proxy) unless this says otherwise.
  DEV_ALLOW_REMOTE: z.enum(['on', 'off']).optional(),
  // Up to ten million: load tests (the benchmark's floor passes 100,000 a minute from one person).
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(600),
  // Where the limits count across instances (platform/limits): Redis when set, else the PostgreSQL database.
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  // Query-cost points a client (a person or a service) may spend a minute, across all instances (docs/api.md, Limits).
  QUERY_COST_BUDGET_PER_MINUTE: z.coerce.number().int().min(1_000).max(1_000_000_000).default(QUERY_COST_BUDGET_DEFAULT),
  // The school's pages (anonymous, reached by signed links): requests a minute per link and per client address.
  SCHOOL_PAGES_PER_LINK_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(20),
  SCHOOL_PAGES_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  // Which proxies in front of the server are believed about the client's address (X-Forwarded-For):
  // off (the default: the connection's own address), a number of hops, or addresses/subnets as Express takes them.
  TRUST_PROXY: z
    .string()
    .regex(
      /^(off|\d{1,2}|[0-9a-zA-Z.:/]+(\s*,\s*[0-9a-zA-Z.:/]+)*)$/,
      'must be off, a number of hops, or comma-separated addresses, subnets or loopback/linklocal/uniquelocal',
    )
    .default('off'),
  SIGN_IN_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(60_000).default(1_000),
  PUBLIC_URL: z.string().url().optional(),
  LINK_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // Rotation (README, "Rotating the link-signing secret"): the previous key is accepted only until LINK_SIGNING_PREVIOUS_UNTIL.
  LINK_SIGNING_KEY_VERSION: z.coerce.number().int().min(1).max(32_767).default(1),
  LINK_SIGNING_PREVIOUS_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LINK_SIGNING_PREVIOUS_KEY_VERSION: z.coerce.number().int().min(1).max(32_767).optional(),
  LINK_SIGNING_PREVIOUS_UNTIL: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant with its offset, e.g. 2027-03-10T00:00:00Z' }).optional(),
  LINK_VALID_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  MAIL_TRANSPORT: z.enum(['file', 'smtp']).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('School improvement <school.improvement@council.example>'),
  MAIL_OUTBOX_DIR: z.string().min(1).optional(),
  // SMTP timeouts (defaults in mail/mail-transport.ts). The socket timeout stays under the whole send's
  // deadline there, which stays under the outbox's lease (mail/outbox.ts): a send is given up before its claim lapses.
  SMTP_CONNECTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).optional(),
  SMTP_GREETING_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).optional(),
  SMTP_SOCKET_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).optional(),
  // Development and test only: the business clock (clock.ts) starts at this instant and runs on.
  CLOCK_START: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant with its offset, e.g. 2027-03-10T10:00:00Z' }).optional(),
  COUNCIL_NOTES_EMAIL: z.string().email('must be an email address').optional(),
  COUNCIL_NOTES_NAME: z.string().min(1).max(200).default('School improvement team'),
  ...RETENTION_ENV,
  // Calendar sync through Microsoft Graph (issue 21; graph/graph-config.ts).
  ...GRAPH_ENV,
  // Notifications: Teams activity feed, email, weekly digest (issue 22; notifications-config.ts).
  ...NOTIFICATIONS_ENV,
  // Webhooks: council systems told of changes, signed (issue 23; webhooks-config.ts).
  ...WEBHOOKS_ENV,
  /** Academic years before this one whose allocations still open a school's records to its partner (auth/access-policy.ts). */
  ALLOCATION_HISTORY_YEARS: z.coerce.number().int().min(0).max(10).default(DEFAULT_ALLOCATION_HISTORY_YEARS),
});

/** The development issuer's tenant: tokens from it are signed by a local key (see auth/dev-issuer.ts). */
export const DEV_TENANT_ID = 'de7e1000-5c00-4000-8000-000000000001';
/** The API's client id when no app registration is configured (development only). */
export const DEV_CLIENT_ID = 'de7e1000-5c00-4000-8000-0000000000a1';

export interface AuthConfig {
  /** Accepted `aud` values: the API's client id and its api:// URI. */
  audiences: string[];
  clientId: string;
  /** Tenants whose Entra ID tokens are accepted. */
  tenants: string[];
  /** Where a tenant's signing keys are published; {tenant} is replaced. */
  jwksUri: string;
  /** Seconds of clock skew allowed on exp and nbf. */
  clockToleranceSeconds: number;
  /** After fetching a tenant's keys, how long an unknown key id waits before fetching again. */
  jwksCooldownMs: number;
  /** The local development issuer, or null when it is off (always in production). */
  devIssuer: {
    tenant: string;
    keyFile: string;
    /** Whether its pages and tokens (/dev/*) answer other machines; otherwise only a loopback peer. */
    allowRemote: boolean;
  } | null;
  rateLimitPerMinute: number;
  /** How long a person's partner record, found at sign-in, is remembered (0: looked up on every request). */
  signInCacheSeconds: number;
}

export interface LimitsConfig {
  /** Redis for the shared counters (REDIS_URL); null: the PostgreSQL database (memory on the embedded one). */
  redisUrl: string | null;
  /** Query-cost points a client may spend a minute, all instances together. */
  queryCostBudgetPerMinute: number;
}

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  database:
    | {
        kind: 'postgresql';
        url: string;
        poolMax: number;
        statementTimeoutMs: number;
        /** Longest wait for a row lock (a note being saved by someone else); defaults in db/orm.ts. */
        lockTimeoutMs?: number;
        /** Longest wait for a pooled connection (or a new one): how fast requests fail when PostgreSQL is unreachable. */
        connectTimeoutMs?: number;
      }
    | { kind: 'embedded'; dataDir: string; statementTimeoutMs: number };
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** On SIGTERM, how long to keep serving (readiness 503, connections told to close) before closing the listener. */
  shutdownDelayMs: number;
  /** Load the demo county into an empty database at start-up. */
  loadDemoData: boolean;
  /** Serve the GraphiQL explorer at /graphiql. */
  graphiql: boolean;
  auth: AuthConfig;
  /** Request rates and query-cost budgets, counted across instances (platform/limits). */
  limits: LimitsConfig;
  /** Links sent to schools, and the mail that carries them. */
  schoolSide: {
    publicUrl: string;
    /** HMAC secret for links; null means "keep one in DATA_DIR" (development only). */
    linkSecret: string | null;
    linkSecretFile: string;
    /** The version of linkSecret: new links carry it (platform/signing-keys.ts). */
    linkKeyVersion: number;
    /** The key before the last rotation, accepted for links it signed only until `until` (the grace period's end). */
    previousLinkKey: { secret: string; version: number; until: Date } | null;
    linkValidDays: number;
    /** Rate limits of the school's pages, per link and per client address (requests a minute). */
    perLinkPerMinute: number;
    perAddressPerMinute: number;
  };
  /** Express's 'trust proxy': false (the connection's address is the client's), a hop count or trusted addresses. */
  trustProxy: false | number | string;
  /** The Outlook task pane and Teams tab: the app registration they sign in with (nested app authentication). */
  frontEnd: { clientId: string | null };
  mail:
    | { transport: 'file'; outboxDir: string; from: string }
    | {
        transport: 'smtp';
        smtpUrl: string;
        from: string;
        /** Longest wait to reach the server (DNS and connecting); defaults in mail/mail-transport.ts. */
        connectionTimeoutMs?: number;
        /** Longest wait for the server's greeting once connected. */
        greetingTimeoutMs?: number;
        /** Longest silence from the server at any step (e.g. its answer to a message's end). */
        socketTimeoutMs?: number;
      };
  /** Where the business clock starts (CLOCK_START); null: the real time. Never set in production. */
  clockStart: Date | null;
  /** The council's own copy of every circulated note: the third entry of a new note's distribution list. */
  council: CouncilContact;
  /** The retention schedule and the disposal job (retention-config.ts). */
  retention: RetentionConfig;
  /** Who sees what: how long an allocation keeps a school's records open to its partner (issue 20). */
  access: Required<AccessOptions>;
  /** Outlook calendar sync through Microsoft Graph (graph/graph-config.ts); null when CALENDAR_SYNC=off. */
  calendarSync: CalendarSyncConfig | null;
  /** Who is told what (notifications-config.ts): email always, the Teams activity feed when configured. */
  notifications: NotificationsConfig;
  /** Webhooks to council systems (webhooks-config.ts). */
  webhooks: WebhooksConfig;
}

/** Where the council receives circulated notes of visit. */
export interface CouncilContact {
  name: string;
  email: string;
}

export class ConfigError extends Error {}

/**
 * For the commands that serve nothing (migrate, seed, import, dev-token): with NODE_ENV unset they
 * take development's settings, so a database-only task on a developer's machine does not demand
 * the production server's Entra and mail settings. They open no door: only the server listens.
 */
export function loadCommandConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return loadConfig({ ...env, NODE_ENV: env.NODE_ENV || 'development' });
}

/** A previous link key needs its version and the end of its grace period: never accepted open-ended. */
function previousKeyProblems(e: z.infer<typeof EnvSchema>): string[] {
  const given = [e.LINK_SIGNING_PREVIOUS_SECRET, e.LINK_SIGNING_PREVIOUS_KEY_VERSION, e.LINK_SIGNING_PREVIOUS_UNTIL].filter((v) => v !== undefined).length;
  if (given === 0) return [];
  if (given < 3) {
    return [
      'LINK_SIGNING_PREVIOUS_SECRET: give it with LINK_SIGNING_PREVIOUS_KEY_VERSION and LINK_SIGNING_PREVIOUS_UNTIL (the end of its grace period), or none of them',
    ];
  }
  const problems: string[] = [];
  if (!e.LINK_SIGNING_SECRET) problems.push('LINK_SIGNING_PREVIOUS_SECRET: a previous key needs a current one (LINK_SIGNING_SECRET)');
  if (e.LINK_SIGNING_PREVIOUS_KEY_VERSION === e.LINK_SIGNING_KEY_VERSION)
    problems.push('LINK_SIGNING_PREVIOUS_KEY_VERSION: must differ from LINK_SIGNING_KEY_VERSION (each key has its own version)');
  if (e.LINK_SIGNING_PREVIOUS_SECRET === e.LINK_SIGNING_SECRET) problems.push('LINK_SIGNING_PREVIOUS_SECRET: must differ from LINK_SIGNING_SECRET');
  return problems;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`Invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const problems: string[] = [];
  if (production && !e.DATABASE_URL) problems.push('DATABASE_URL: required when NODE_ENV=production');
  if (production && !e.AUTH_CLIENT_ID) problems.push('AUTH_CLIENT_ID: required when NODE_ENV=production');
  if (production && !e.AUTH_TENANT_IDS) problems.push('AUTH_TENANT_IDS: required when NODE_ENV=production');
  if (production && e.DEV_ISSUER === 'on') problems.push('DEV_ISSUER: the development issuer cannot run when NODE_ENV=production');
  if (production && !e.PUBLIC_URL) problems.push('PUBLIC_URL: required when NODE_ENV=production (links sent to schools point there)');
  // Links carry a school's key to its forms: over plain http anyone on the path could read and use them.
  if (production && e.PUBLIC_URL && new URL(e.PUBLIC_URL).protocol !== 'https:')
    problems.push('PUBLIC_URL: must be an https:// address when NODE_ENV=production (links sent to schools carry their key)');
  if (production && !e.ADDIN_CLIENT_ID)
    problems.push('ADDIN_CLIENT_ID: required when NODE_ENV=production (the Outlook add-in and Teams app sign in with this Entra app registration)');
  if (production && e.DEV_ALLOW_REMOTE === 'on') problems.push('DEV_ALLOW_REMOTE: the development sign-in cannot run when NODE_ENV=production');
  if (production && !e.LINK_SIGNING_SECRET) problems.push('LINK_SIGNING_SECRET: required when NODE_ENV=production');
  problems.push(...previousKeyProblems(e));
  const calendarSync = calendarSyncFromEnv(e);
  problems.push(...calendarSync.problems);
  const notifications = notificationsFromEnv(e);
  problems.push(...notifications.problems);
  const webhooks = webhooksFromEnv(e);
  problems.push(...webhooks.problems);
  // Refused rather than ignored: a server that thinks it is another day gets every deadline wrong.
  if (production && e.CLOCK_START) problems.push('CLOCK_START: moves the business clock for development and tests; it cannot be set when NODE_ENV=production');
  const mailTransport = e.MAIL_TRANSPORT ?? (production ? 'smtp' : 'file');
  if (mailTransport === 'smtp' && !e.SMTP_URL) problems.push('SMTP_URL: required when mail goes through SMTP (MAIL_TRANSPORT=smtp, the production default)');
  // A placeholder here would send the council's copy of every note to an address nobody reads.
  if (production && !e.COUNCIL_NOTES_EMAIL)
    problems.push("COUNCIL_NOTES_EMAIL: required when NODE_ENV=production (the council's copy of every circulated note goes there)");
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  const dataDir = path.resolve(e.DATA_DIR);
  const clientId = (e.AUTH_CLIENT_ID ?? DEV_CLIENT_ID).toLowerCase();
  const devIssuerOn = !production && (e.DEV_ISSUER ?? 'on') === 'on';
  const development = e.NODE_ENV === 'development';
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? {
          kind: 'postgresql',
          url: e.DATABASE_URL,
          poolMax: e.DB_POOL_MAX,
          statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
          lockTimeoutMs: e.DB_LOCK_TIMEOUT_MS,
          connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
        }
      : { kind: 'embedded', dataDir, statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS },
    logLevel: e.LOG_LEVEL,
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    loadDemoData: (e.DEMO_DATA ?? (development ? 'auto' : 'off')) === 'auto',
    graphiql: (e.GRAPHIQL ?? (production ? 'off' : 'on')) === 'on',
    auth: {
      clientId,
      audiences: [clientId, `api://${clientId}`],
      tenants: (e.AUTH_TENANT_IDS ?? '')
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
      jwksUri: e.AUTH_JWKS_URI ?? 'https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys',
      clockToleranceSeconds: 60,
      jwksCooldownMs: 30_000,
      devIssuer: devIssuerOn
        ? {
            tenant: DEV_TENANT_ID,
            keyFile: path.resolve(e.DEV_ISSUER_KEY_FILE ?? path.join(e.DATA_DIR, 'dev-issuer-key.json')),
            allowRemote: e.DEV_ALLOW_REMOTE === 'on',
          }
        : null,
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      signInCacheSeconds: e.SIGN_IN_CACHE_SECONDS,
    },
    limits: { redisUrl: e.REDIS_URL ?? null, queryCostBudgetPerMinute: e.QUERY_COST_BUDGET_PER_MINUTE },
    schoolSide: {
      publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/$/, ''),
      linkSecret: e.LINK_SIGNING_SECRET ?? null,
      linkSecretFile: path.join(dataDir, 'link-signing-secret'),
      linkKeyVersion: e.LINK_SIGNING_KEY_VERSION,
      previousLinkKey: e.LINK_SIGNING_PREVIOUS_SECRET
        ? { secret: e.LINK_SIGNING_PREVIOUS_SECRET, version: e.LINK_SIGNING_PREVIOUS_KEY_VERSION!, until: new Date(e.LINK_SIGNING_PREVIOUS_UNTIL!) }
        : null,
      linkValidDays: e.LINK_VALID_DAYS,
      perLinkPerMinute: e.SCHOOL_PAGES_PER_LINK_PER_MINUTE,
      perAddressPerMinute: e.SCHOOL_PAGES_PER_ADDRESS_PER_MINUTE,
    },
    trustProxy: e.TRUST_PROXY === 'off' ? false : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
    frontEnd: { clientId: e.ADDIN_CLIENT_ID?.toLowerCase() ?? null },
    mail:
      mailTransport === 'smtp'
        ? {
            transport: 'smtp',
            smtpUrl: e.SMTP_URL!,
            from: e.MAIL_FROM,
            connectionTimeoutMs: e.SMTP_CONNECTION_TIMEOUT_MS,
            greetingTimeoutMs: e.SMTP_GREETING_TIMEOUT_MS,
            socketTimeoutMs: e.SMTP_SOCKET_TIMEOUT_MS,
          }
        : { transport: 'file', outboxDir: path.resolve(e.MAIL_OUTBOX_DIR ?? path.join(e.DATA_DIR, 'outbox')), from: e.MAIL_FROM },
    access: { allocationHistoryYears: e.ALLOCATION_HISTORY_YEARS },
    council: { name: e.COUNCIL_NOTES_NAME.trim(), email: (e.COUNCIL_NOTES_EMAIL ?? 'school.improvement@council.example').toLowerCase() },
    clockStart: !production && e.CLOCK_START ? new Date(e.CLOCK_START) : null,
    retention: retentionFromEnv(e),
    calendarSync: calendarSync.config,
    notifications: notifications.config,
    webhooks: webhooks.config,
  };
}
