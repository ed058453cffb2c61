import { createDevIssuer, type DevIssuer } from '../platform/auth/dev-issuer.js';
import { writeDevPeople } from '../partners/dev-people.js';
import { createTokenVerifier } from '../platform/auth/token-verifier.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { AppConfig } from '../platform/config.js';
import { migrate, readDb, requestEm, type Em, type Orm } from '../platform/db/orm.js';
import { createOrm } from './database.js';
import type { QueryListener } from '../platform/db/orm-logger.js';
import { withStartupLock } from '../platform/db/startup-lock.js';
import { buildApiSchema } from './schema.js';
import { startServer, type RunningServer } from './http-server.js';
import type { Logger } from '../platform/logger.js';
import { createMailTransport, type MailTransport } from '../platform/mail/mail-transport.js';
import { scheduleOutbox, startOutbox, type Outbox } from '../mail/outbox.js';
import { renderNoteAttachment } from '../notes/note-circulation.js';
import { createLinkSigner } from '../school-side/link-signer.js';
import { loadSigningKeys } from '../platform/signing-keys.js';
import { createBodyCipher } from '../mail/body-cipher.js';
import type { SchoolSideDeps } from '../school-side/school-side.js';
import { sendHeadteacherResponseLink } from '../school-side/links.service.js';
import type { ModuleServices } from './request-context.js';
import { startDisposalJob, type DisposalJob } from '../records/disposal.job.js';
import { startJobQueue, type JobQueue } from '../platform/jobs/job-queue.js';
import type { CalendarVisits } from '../outlook-sync/calendar-change.js';
import { createCalendarVisits } from '../outlook-sync/calendar-visits.service.js';
import { startCalendarSync } from '../outlook-sync/start-calendar-sync.js';
import type { CalendarSync } from '../outlook-sync/calendar-sync.js';
import { startNotifications, type Notifications } from '../notifications/start-notifications.js';
import { startWebhooks, type Webhooks } from '../webhooks/start-webhooks.js';
import { webhookSecretCipher } from '../webhooks/webhook-secret.js';
import { SERVICE_FIELDS } from './service-fields.js';
import { selectCounterStore } from '../platform/limits/select-counter-store.js';
import type { CounterStore } from '../platform/limits/counter-store.js';

/** Fills an empty database with demonstration data (api/demo); returns a summary, or null when not empty. */
export type DemoData = (em: Em, now: Date) => Promise<object | null>;

export interface App {
  orm: Orm;
  server: RunningServer;
  /** The development issuer, when on (never in production). */
  devIssuer: DevIssuer | null;
  /** Background and scheduled work (platform/jobs): the outbox's runs, disposal, calendar sync. */
  jobs: JobQueue;
  outbox: Outbox;
  /** Disposal of records past retention (records/), on a schedule and on demand. */
  disposal: DisposalJob;
  schoolSide: SchoolSideDeps;
  /** Outlook calendar sync through Microsoft Graph (issue 21); null when CALENDAR_SYNC=off. */
  calendarSync: CalendarSync | null;
  /** Who is told what (notifications/): Teams feed, email, weekly digest; null when NOTIFICATIONS=off. */
  notifications: Notifications | null;
  /** Council systems told of events by signed webhooks (webhooks/); null when WEBHOOKS=off. */
  webhooks: Webhooks | null;
  /** Where business rules read "now" (clock.ts). */
  clock: Clock;
  stop(): Promise<void>;
}

/**
 * Start-up in order: database (migrations applied), demo data when the database
 * is empty and demo data is on, schema, HTTP server. `clock` is the business
 * clock (the real time unless a test or CLOCK_START says otherwise).
 */
export async function startApp(
  config: AppConfig,
  logger: Logger,
  options: {
    onQuery?: QueryListener;
    port?: number;
    mailTransport?: MailTransport;
    outboxIntervalMs?: number;
    clock?: Clock;
    demoData?: DemoData;
    /** What calendar changes do to visits (outlook-sync); tests of the sync mechanics pass their own. */
    calendarVisits?: CalendarVisits;
  } = {},
): Promise<App> {
  const clock = options.clock ?? systemClock;
  const orm = await createOrm({ database: config.database, logger, onQuery: options.onQuery });
  let jobs: JobQueue | null = null;
  let counters: CounterStore | null = null;
  try {
    // Several instances starting at once take turns here: migrations and demo data happen once.
    await withStartupLock(orm, async () => {
      const applied = await migrate(orm);
      if (applied.length) logger.info({ migrations: applied }, 'database migrated');
      if (config.loadDemoData && options.demoData) {
        const demo = await options.demoData(requestEm(orm), clock.now());
        if (demo) logger.info({ demo }, 'empty database: demo county loaded');
      }
    });
    // After the migrations, outside the start-up lock: pg-boss creates or migrates its own schema
    // (pgboss) under its own advisory lock, and a test's template database already has it.
    jobs = await startJobQueue(orm, config.database, logger);
    if (config.auth.devIssuer && config.database.kind === 'embedded') await writeDevPeople(requestEm(orm), config.database.dataDir);
    const schema = await buildApiSchema();
    const devIssuer = config.auth.devIssuer ? await createDevIssuer(config.auth) : null;
    const verify = createTokenVerifier(config.auth, devIssuer?.jwks);
    // One set of versioned keys signs the school's links and encrypts the mail that carries them.
    const signingKeys = await loadSigningKeys(config.schoolSide);
    const outbox = startOutbox(orm, options.mailTransport ?? createMailTransport(config.mail, logger), logger, {
      bodyCipher: createBodyCipher(signingKeys),
      jobs,
      renderAttachment: renderNoteAttachment,
      clock,
    });
    await outbox.runOnce(); // whatever an earlier run left queued
    await scheduleOutbox(jobs, outbox, { intervalMs: options.outboxIntervalMs });
    const schoolSide = {
      signer: createLinkSigner(signingKeys),
      publicUrl: config.schoolSide.publicUrl,
      linkValidDays: config.schoolSide.linkValidDays,
      outbox,
      council: config.council,
      clock,
    };
    const disposal = await startDisposalJob(orm, jobs, config.retention, logger, clock);
    // Subscribers' signing secrets sealed under a key of their own, derived from the same versioned keys.
    const webhookDeps = { cipher: webhookSecretCipher(signingKeys), urlPolicy: { allowInsecureLoopback: config.webhooks.allowInsecureLoopback } };
    const services: ModuleServices = {
      webhooks: webhookDeps,
      schoolSide,
      records: { retention: config.retention, disposal },
      access: config.access,
      notes: {
        council: config.council,
        outbox,
        // Sharing a draft sends the headteacher their link to answer it (the school's pages).
        sendResponseLink: (tx, note, now) => sendHeadteacherResponseLink(tx, schoolSide, note, now),
      },
    };
    // Calendar sync's jobs run on the job queue; its notification routes are served by the server below.
    const calendarSync = config.calendarSync
      ? await startCalendarSync({
          config: config.calendarSync,
          orm,
          jobs,
          logger,
          clock,
          signingKeys,
          // What a change does to visits; a partner whose cancelled appointment had a note started is told by notifications.
          visits: options.calendarVisits ?? createCalendarVisits({ clock, logger }),
        })
      : null;
    // Domain events, deadlines and the weekly digest, told on the job queue's schedule.
    const notifications = await startNotifications({ config: config.notifications, orm, jobs, outbox, clock, logger });
    // Domain events to council systems' webhooks, each payload cut to what the subscriber may read (the service field policy).
    const webhooks = await startWebhooks({ config: config.webhooks, orm, jobs, clock, logger, deps: webhookDeps, policy: SERVICE_FIELDS });
    // Request rates and query-cost budgets, counted where every instance sees the same counts.
    counters = await selectCounterStore(config, readDb(orm), logger);
    const server = await startServer({ config, logger, orm, schema, verify, services, devIssuer, clock, calendarSync, counters }, options.port);
    // Graph is told where to call once the address is known (a test's server listens on a free port).
    if (calendarSync) await calendarSync.start(config.calendarSync?.publicUrl ?? server.url);
    const queue = jobs;
    const limitCounters = counters;
    return {
      orm,
      server,
      devIssuer,
      jobs: queue,
      outbox,
      disposal,
      schoolSide,
      calendarSync,
      notifications,
      webhooks,
      clock,
      async stop() {
        // Timed step by step: a slow shutdown shows which step held it (the soak reads these).
        const started = Date.now();
        await server.stop();
        const drained = Date.now();
        // No new job taken here, and those under way finished, before the services they call stop.
        await queue.stop();
        const jobsStopped = Date.now();
        await disposal.stop();
        await outbox.stop();
        const outboxStopped = Date.now();
        await limitCounters.close();
        await orm.close();
        logger.info(
          { drainMs: drained - started, jobsMs: jobsStopped - drained, outboxMs: outboxStopped - jobsStopped, closeMs: Date.now() - outboxStopped },
          'stopped',
        );
      },
    };
  } catch (error) {
    await jobs?.stop().catch(() => undefined);
    await counters?.close().catch(() => undefined);
    await orm.close(true);
    throw error;
  }
}
