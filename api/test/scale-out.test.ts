import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, type App } from '../src/app/app.js';
import { MIGRATIONS } from '../src/platform/db/migrations/index.js';
import { loadDemoDataIfEmpty } from '../demo/load-demo-data.js';
import { EmailStatus, OutboundEmail } from '../src/mail/outbound-email.entity.js';
import type { Em } from '../src/platform/db/orm.js';
import { RecordingTransport } from './support/recording-transport.js';
import { testConfig, testLogger } from './support/test-app.js';
import { cloneTemplate, emptyDatabase, realPostgresUrl, type TestDatabase } from './support/test-database.js';

/**
 * Two instances starting at the same moment on one empty database: migrations and
 * the demo county happen once (start-up advisory lock), and both serve. Without the
 * lock both migrate and load at once, and one of them fails to start.
 * Real PostgreSQL only: two processes on one embedded folder are refused by design.
 */
describe.runIf(realPostgresUrl())('instances starting together (real PostgreSQL)', () => {
  let db: TestDatabase;
  const apps: App[] = [];
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await db?.drop();
  });

  it('migrate and load the demo county once, and both start', { timeout: 120_000 }, async () => {
    db = await emptyDatabase();
    const start = () => {
      const config = testConfig(db.database, { loadDemoData: true });
      return startApp(config, testLogger(config), { port: 0, outboxIntervalMs: 3_600_000, demoData: loadDemoDataIfEmpty });
    };
    const results = await Promise.allSettled([start(), start()]);
    for (const r of results) if (r.status === 'fulfilled') apps.push(r.value);
    expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'started'))).toEqual(['started', 'started']);

    const client = new pg.Client({ connectionString: (db.database as { url: string }).url });
    await client.connect();
    try {
      const migrations = await client.query('select name from mikro_orm_migrations');
      expect(migrations.rowCount).toBe(MIGRATIONS.length);
      // One demo load: its schools were created by one request's worth of audit (one actor, once each).
      const schools = await client.query(`select count(*)::int as n from school`);
      const created = await client.query(`select count(*)::int as n from audit_event where entity_type = 'School' and action = 'create'`);
      expect(schools.rows[0].n).toBeGreaterThanOrEqual(40);
      expect(created.rows[0].n).toBe(schools.rows[0].n);
    } finally {
      await client.end();
    }
  });
});

/**
 * Two instances delivering from one outbox: both kicked and both running at once, every email
 * goes exactly once (each message is claimed FOR UPDATE SKIP LOCKED; the job queue only says
 * when to look). Real PostgreSQL only, for the reason above.
 */
describe.runIf(realPostgresUrl())('two instances sending from one outbox (real PostgreSQL)', () => {
  let db: TestDatabase;
  const apps: App[] = [];
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await db?.drop();
  });

  it('send each email exactly once', { timeout: 120_000 }, async () => {
    db = await cloneTemplate();
    const transports = [new RecordingTransport(), new RecordingTransport()];
    const config = testConfig(db.database); // one configuration, as servers of one service share (the same body cipher keys)
    for (const mailTransport of transports) {
      apps.push(await startApp(config, testLogger(config), { port: 0, outboxIntervalMs: 3_600_000, mailTransport }));
    }
    const [a, b] = apps;
    const subjects = Array.from({ length: 30 }, (_, i) => `Scale-out ${i}`);
    await (a.orm.em.fork() as Em).transactional(async (tx) => {
      for (const subject of subjects) a.outbox.queue(tx, { to: 'head@school.example', subject, body: 'Hello.' });
    });
    a.outbox.kick();
    b.outbox.kick();
    await Promise.all([a.outbox.runOnce(), b.outbox.runOnce()]);

    const unsent = () => a.orm.em.fork().count(OutboundEmail, { subject: { $in: subjects }, status: { $ne: EmailStatus.SENT } });
    await expect.poll(unsent).toBe(0);
    const sent = transports.flatMap((transport) => transport.sent.map((message) => message.subject));
    expect(sent.toSorted()).toEqual(subjects.toSorted());
  });
});
