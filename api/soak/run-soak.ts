import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDevIssuer } from '../src/platform/auth/dev-issuer.js';
import { loadConfig } from '../src/platform/config.js';
import { requestEm, type Orm } from '../src/platform/db/orm.js';
import { createOrm } from '../src/app/database.js';
import { createLogger } from '../src/platform/logger.js';
import {
  ALL_FAULTS,
  holdRowLock,
  killServer,
  restartPostgres,
  restartPostgresBusy,
  stallSmtp,
  terminateServer,
  type FaultContext,
  type FaultName,
  type FaultReport,
} from './soak-faults.js';
import { Ledger, runLoad } from './soak-load.js';
import { SoakRecorder, type Violation } from './soak-recorder.js';
import { prepareCast, type Directory } from './soak-setup.js';
import { verifyLedger, type Verification } from './soak-verify.js';
import { PostgresInstance, freePort } from './postgres-instance.js';
import { ServerProcess } from './server-process.js';
import { SmtpStandIn } from './smtp-stand-in.js';

/**
 * The soak: a private PostgreSQL, two API servers against it, a mixed load over
 * both for a bounded time with faults injected on a schedule, then every
 * acknowledged write looked up in the database. The CLI (`npm run soak`) and
 * the short soak in the test suite both run this.
 */
export interface SoakOptions {
  durationMs: number;
  faults: FaultName[];
  workers: number;
  /** Server settings under test, e.g. DB_POOL_MAX (the defaults unless given). */
  serverEnv?: Record<string, string>;
  /** Keep the temporary folder (logs) afterwards. */
  keep?: boolean;
  /** How soon after a fault every server must serve again (10 s unless given). */
  recoveryLimitMs?: number;
  /** How long the stalled mail server takes over each message (65 s unless given). */
  smtpStallMs?: number;
  log?: (line: string) => void;
}

export interface SoakReport {
  ok: boolean;
  durationMs: number;
  requests: number;
  requestsByOp: Record<string, number>;
  errorsByCode: Record<string, number>;
  statuses: Record<string, number>;
  noResponse: Record<string, number>;
  latencyMs: { p50: number; p95: number; p99: number };
  writes: Verification & { staleSavesRefused: number; raceConflicts: number; sameAppointmentOnTwoServers: number };
  faults: FaultReport[];
  violations: Violation[];
  serverStartupsMs: Record<string, number[]>;
  settings: Record<string, unknown>;
  folder: string;
}

export const DEFAULT_SOAK: SoakOptions = { durationMs: 60_000, faults: ALL_FAULTS, workers: 10 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const runId = `soak${Date.now().toString(36)}`;
  const folder = await mkdtemp(path.join(os.tmpdir(), 'sv-soak-'));
  const servers: ServerProcess[] = [];
  let postgres: PostgresInstance | null = null;
  let orm: Orm | null = null;
  let smtp: SmtpStandIn | null = null;
  // The folder (server and PostgreSQL logs) is kept when asked, or when anything went wrong.
  let keep = !!options.keep;
  try {
    log(`soak ${runId}: logs in ${folder}`);
    postgres = await PostgresInstance.create();
    log(`private PostgreSQL on port ${postgres.port} (${postgres.dir})`);
    const admin = new pg.Client({ connectionString: postgres.url() });
    await admin.connect();
    await admin.query('create database school_visits');
    await admin.end();
    const databaseUrl = postgres.url('school_visits');
    // Mail goes over SMTP to a server the soak controls (the smtp-stall fault slows it down).
    smtp = await SmtpStandIn.start();

    const keyFile = path.join(folder, 'dev-issuer-key.json');
    const issuer = await createDevIssuer(loadConfig({ NODE_ENV: 'development', DEV_ISSUER_KEY_FILE: keyFile }).auth);
    const env = (name: string): NodeJS.ProcessEnv => ({
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl,
      DATA_DIR: path.join(folder, name),
      DEMO_DATA: 'auto',
      GRAPHIQL: 'off',
      DEV_ISSUER_KEY_FILE: keyFile,
      LINK_SIGNING_SECRET: randomBytes(32).toString('hex'),
      // The per-process limiter guards against runaway clients; the soak is a deliberate one.
      RATE_LIMIT_PER_MINUTE: '100000',
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: smtp!.url,
      // Settings to try (DB_POOL_MAX, DB_STATEMENT_TIMEOUT_MS, DB_LOCK_TIMEOUT_MS...) pass through.
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('DB_'))),
      ...options.serverEnv,
    });
    // The settings the servers run with, as they read them.
    const settings = loadConfig(env('api-1')).database as { poolMax: number; statementTimeoutMs: number; lockTimeoutMs: number; connectTimeoutMs: number };
    log(`server settings: ${JSON.stringify(settings)}`);
    for (const name of ['api-1', 'api-2']) servers.push(new ServerProcess(name, await freePort(), env(name), path.join(folder, `${name}.log`)));
    // Both at once on an empty database: migrations and the demo county happen once (start-up lock).
    await Promise.all(servers.map((s) => s.start()));
    log(`servers up: ${servers.map((s) => `${s.name} ${s.url} (${s.startups.at(-1)} ms)`).join(', ')}`);

    // Looked up over a plain connection, closed before the faults (a PostgreSQL restart would cut it).
    const lookup = new pg.Client({ connectionString: databaseUrl });
    await lookup.connect();
    const directory: Directory = {
      people: async (role) => {
        const rows = (await lookup.query(`select id, email from partner where role = $1 and active order by name`, [role])).rows;
        for (const row of rows) {
          const visited = await lookup.query(`select distinct school_id from visit where lead_partner_id = $1 order by school_id limit 4`, [row.id]);
          row.schoolIds = visited.rows.map((r) => r.school_id as string);
        }
        return rows;
      },
    };
    const target = { name: servers[0]!.name, url: servers[0]!.url };
    const cast = await prepareCast(target, directory, issuer, { runId, partners: 5, notesEach: 2 }).finally(() => lookup.end());
    const { people, manager } = cast;
    log(`cast: ${people.length} partners, ${people.reduce((n, p) => n + p.noteIds.length, 0)} draft notes, a manager`);

    const recorder = new SoakRecorder();
    const ledger = new Ledger();
    const started = Date.now();
    const deadline = started + options.durationMs;
    const ctx: FaultContext = {
      recorder,
      servers,
      postgres,
      databaseUrl,
      token: manager.token,
      noteId: people[0]!.noteIds[0]!,
      lockWaitMs: Math.min(settings.lockTimeoutMs, settings.statementTimeoutMs),
      poolMax: settings.poolMax,
      noteIds: people.flatMap((p) => p.noteIds),
      recoveryLimitMs: options.recoveryLimitMs ?? 10_000,
      smtp,
      smtpStallMs: options.smtpStallMs ?? 65_000,
      bookedVisitIds: () => ledger.bookings.map((b) => b.visitId),
    };
    const load = runLoad({
      runId,
      targets: () => servers.map((s) => ({ name: s.name, url: s.url })),
      people,
      manager,
      workers: options.workers,
      deadline,
      recorder,
      ledger,
    });
    const faults: FaultReport[] = [];
    const inject: Record<FaultName, () => Promise<FaultReport>> = {
      'postgres-restart': () => restartPostgres(ctx),
      'postgres-restart-busy': () => restartPostgresBusy(ctx),
      'row-lock': () => holdRowLock(ctx),
      sigterm: () => terminateServer(ctx, servers[1]!),
      sigkill: () => killServer(ctx, servers[0]!),
      'smtp-stall': () => stallSmtp(ctx),
    };
    const schedule = async () => {
      // Spread over the run, the first after a quiet start, the last well before the end.
      const slots = options.faults.map((fault, i) => ({ fault, at: started + ((i + 1) / (options.faults.length + 1)) * options.durationMs * 0.9 }));
      for (const { fault, at } of slots) {
        await sleep(Math.max(0, at - Date.now()));
        log(`fault: ${fault}`);
        const report = await inject[fault]();
        log(`  ${report.ok ? 'ok' : 'PROBLEMS'} ${JSON.stringify(report.details)}${report.problems.length ? `\n  ${report.problems.join('\n  ')}` : ''}`);
        faults.push(report);
      }
    };
    await Promise.all([load, schedule()]);
    const durationMs = Date.now() - started;
    log(`load done: ${recorder.requests} calls in ${Math.round(durationMs / 1000)} s; verifying`);

    orm = await createOrm({
      database: { kind: 'postgresql', url: databaseUrl, poolMax: 2, statementTimeoutMs: 60_000 },
      logger: createLogger({ logLevel: 'silent', env: 'development' }),
    });
    const verification = await verifyLedger(requestEm(orm), ledger, runId);
    // Last: both servers stop cleanly (SIGTERM → exit 0).
    for (const server of servers) {
      const code = await server.terminate();
      if (code !== 0) verification.problems.push(`${server.name} exited with ${code} on the final SIGTERM`);
    }
    const violations = recorder.violations;
    const ok =
      violations.length === 0 && verification.problems.length === 0 && faults.every((f) => f.ok) && ledger.noteAcks.length > 0 && ledger.bookings.length > 0;
    if (!ok) keep = true;
    return {
      ok,
      durationMs,
      requests: recorder.requests,
      requestsByOp: Object.fromEntries(recorder.byOp),
      errorsByCode: Object.fromEntries(recorder.byCode),
      statuses: Object.fromEntries([...recorder.byStatus].map(([k, v]) => [String(k), v])),
      noResponse: Object.fromEntries(recorder.transport),
      latencyMs: { p50: recorder.percentile(50), p95: recorder.percentile(95), p99: recorder.percentile(99) },
      writes: {
        ...verification,
        staleSavesRefused: ledger.staleRefused,
        raceConflicts: ledger.raceConflicts,
        sameAppointmentOnTwoServers: ledger.crossServerBookings,
      },
      faults,
      violations,
      serverStartupsMs: Object.fromEntries(servers.map((s) => [s.name, s.startups])),
      settings: { ...settings, url: undefined, servers: servers.length, workers: options.workers },
      folder,
    };
  } catch (error) {
    keep = true;
    throw error;
  } finally {
    await orm?.close(true).catch(() => undefined);
    await smtp?.stop().catch(() => undefined);
    for (const server of servers) await server.dispose().catch(() => undefined);
    if (keep && postgres) await cp(postgres.logFile, path.join(folder, 'postgres.log')).catch(() => undefined);
    await postgres?.destroy().catch(() => undefined);
    if (!keep) await rm(folder, { recursive: true, force: true }).catch(() => undefined);
  }
}
