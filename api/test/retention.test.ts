import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundEmail, EmailStatus } from '../src/mail/outbound-email.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { runAs } from '../src/platform/audit/audit-context.js';
import { AuditEvent } from '../src/platform/audit/audit-event.entity.js';
import { ConfigError, loadConfig } from '../src/platform/config.js';
import { retentionFromEnv } from '../src/platform/retention-config.js';
import type { Em } from '../src/platform/db/orm.js';
import { cutoffOf } from '../src/records/retention.rules.js';
import { withJobLock } from '../src/platform/db/job-lock.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testClock } from './support/test-clock.js';
import { realPostgresUrl } from './support/test-database.js';

/**
 * Retention and rights (issue 20): the schedule in configuration, the disposal job run on a
 * moved clock, the subject access export of a demo headteacher, and anonymisation.
 */
const sql = <T = Record<string, any>>(t: TestApp, text: string, params: unknown[] = []) =>
  (t.app.orm.em.fork() as Em).getConnection().execute<T[]>(text, params);

describe('the retention schedule in configuration', () => {
  it('has a default for every kind, takes overrides, and refuses what is not a duration', () => {
    const base = { NODE_ENV: 'test' };
    const config = loadConfig(base);
    expect(config.retention.schedule.notes).toEqual({ amount: 6, unit: 'years' });
    expect(config.retention.schedule.outboundEmails).toEqual({ amount: 90, unit: 'days' });
    expect(config.retention.schedule.accessLinks).toEqual({ amount: 30, unit: 'days' });
    expect(config.retention.job.enabled).toBe(true);
    expect(loadConfig({ ...base, RETENTION_OUTBOUND_EMAILS: '30d', RETENTION_AUDIT_EVENTS: '7y' }).retention.schedule).toMatchObject({
      outboundEmails: { amount: 30, unit: 'days' },
      auditEvents: { amount: 7, unit: 'years' },
    });
    for (const bad of ['forever', '0d', '6', '6 years', '-1y']) {
      expect(() => loadConfig({ ...base, RETENTION_NOTES: bad }), bad).toThrow(ConfigError);
    }
    expect(() => loadConfig({ ...base, RETENTION_NOTES: 'never' })).toThrow(/RETENTION_NOTES/);
  });

  it('counts periods back in calendar terms', () => {
    expect(cutoffOf(new Date('2033-03-10T10:00:00Z'), { amount: 6, unit: 'years' }).toISOString()).toBe('2027-03-10T10:00:00.000Z');
    expect(cutoffOf(new Date('2032-02-29T10:00:00Z'), { amount: 1, unit: 'years' }).toISOString()).toBe('2031-02-28T10:00:00.000Z');
    expect(cutoffOf(new Date('2027-03-31T00:00:00Z'), { amount: 30, unit: 'days' }).toISOString()).toBe('2027-03-01T00:00:00.000Z');
  });
});

describe('the disposal job, on a moved clock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.stop());

  it('disposes of what is past retention with its children and audit trail, keeps what is inside, and logs it without personal data', async () => {
    const notes = await sql<{ id: string; trigger: Date }>(
      t,
      `select n.id, coalesce(n.first_circulated_at, v.starts_at) as trigger from note_of_visit n join visit v on v.id = n.visit_id order by 2, 1`,
    );
    expect(notes.length).toBeGreaterThan(4);
    // The clock moves to six years after the middle note's trigger: the notes before it are past retention, it and those after are not.
    const middle = notes[Math.floor(notes.length / 2)]!;
    const pivot = new Date(middle.trigger);
    const now = new Date(pivot);
    now.setUTCFullYear(now.getUTCFullYear() + 6);
    expect(cutoffOf(now, { amount: 6, unit: 'years' }).getTime()).toBe(pivot.getTime());
    const old = notes.filter((n) => new Date(n.trigger) < pivot).map((n) => n.id);
    const young = notes.filter((n) => new Date(n.trigger) >= pivot).map((n) => n.id);
    expect(old.length).toBeGreaterThan(0);
    const oldNote = old[0]!;
    const [{ n: oldJudgements }] = await sql<{ n: string }>(t, 'select count(*) as n from judgement where note_id = ?', [oldNote]);
    expect(Number(oldJudgements)).toBeGreaterThan(0);
    // Its audit trail (what the note said, as written): made here so the test does not rest on how the demo was loaded.
    const em = t.app.orm.em.fork() as Em;
    em.persist(
      em.create(AuditEvent, {
        occurredAt: new Date(),
        actor: 'partner:x',
        action: 'update',
        entityType: 'NoteOfVisit',
        entityId: oldNote,
        changes: { summary: 'said' },
      }),
    );
    // Emails on the moved clock: one sent 100 days before it (past 90 days), one 10 days before (inside), one still queued.
    const day = 86_400_000;
    const email = (sentAt: Date | null, status: EmailStatus) =>
      Object.assign(new OutboundEmail(), { toAddress: 'head@school.example', subject: 'Your link', body: 'Dear head', status, sentAt });
    const emailOld = email(new Date(now.getTime() - 100 * day), EmailStatus.SENT);
    const emailRecent = email(new Date(now.getTime() - 10 * day), EmailStatus.SENT);
    const emailQueued = email(null, EmailStatus.QUEUED);
    em.persist([emailOld, emailRecent, emailQueued]);
    // An audit row of a change made a day before the moved clock: inside six years.
    const recentAudit = em.create(AuditEvent, {
      occurredAt: new Date(now.getTime() - day),
      actor: 'system',
      action: 'update',
      entityType: 'Other',
      entityId: 'x',
    });
    em.persist(recentAudit);
    await em.flush();

    const summary = await runAs({ actor: 'system:retention' }, () => t.app.disposal.runOnce(now));
    expect(summary).not.toBeNull();
    expect(summary!.disposed.note_of_visit).toBe(old.length);

    const remaining = new Set((await sql<{ id: string }>(t, 'select id from note_of_visit')).map((r) => r.id));
    for (const id of old) expect(remaining.has(id), `old note ${id}`).toBe(false);
    for (const id of young) expect(remaining.has(id), `young note ${id}`).toBe(true);
    expect(await sql(t, 'select id from judgement where note_id = ?', [oldNote])).toEqual([]);
    expect(await sql(t, 'select id from audit_event where entity_id = ?', [oldNote])).toEqual([]);
    const [{ n: youngJudgements }] = await sql<{ n: string }>(t, "select count(*) as n from judgement where note_id = any(string_to_array(?, ',')::uuid[])", [
      young.join(','),
    ]);
    expect(Number(youngJudgements)).toBeGreaterThan(0);
    const emails = new Set((await sql<{ id: string }>(t, 'select id from outbound_email')).map((r) => r.id));
    expect(emails.has(emailOld.id)).toBe(false);
    expect(emails.has(emailRecent.id)).toBe(true);
    expect(emails.has(emailQueued.id)).toBe(true);
    expect(await sql(t, 'select id from audit_event where id = ?', [recentAudit.id])).toHaveLength(1);

    // The log: what kind, how many, the rule, when, which run, a digest of the ids; and nothing that names anyone.
    const log = await sql<{ record_kind: string; count: number; ids_digest: string; rule: string; run_id: string; run_by: string; disposed_at: Date }>(
      t,
      'select * from disposal_log where run_id = ?',
      [summary!.runId],
    );
    const noteEntries = log.filter((l) => l.record_kind === 'note_of_visit');
    expect(noteEntries.reduce((a, l) => a + l.count, 0)).toBe(old.length);
    expect(noteEntries[0]!.rule).toBe('notes: first circulated (or the visit, if never circulated) + 6 years');
    expect(noteEntries[0]!.run_by).toBe('system:retention');
    expect(new Date(noteEntries[0]!.disposed_at).getTime()).toBe(now.getTime());
    if (noteEntries.length === 1)
      expect(noteEntries[0]!.ids_digest).toBe(
        createHash('sha256')
          .update([...old].sort().join('\n'))
          .digest('hex'),
      );
    expect(log.map((l) => l.record_kind)).toEqual(expect.arrayContaining(['judgement', 'outbound_email', 'audit_event']));
    const names = (await sql<{ name: string }>(t, 'select name from partner')).map((r) => r.name);
    const logText = JSON.stringify(log);
    expect(logText).not.toContain('@');
    for (const name of names) expect(logText).not.toContain(name);
    for (const id of old) expect(logText).not.toContain(id);

    // The disposal itself is audited, by whoever ran it, in its own transaction with the log.
    const audited = await sql<{ entity_id: string; actor: string }>(
      t,
      `select entity_id, actor from audit_event where entity_type = 'DisposalLog' and action = 'create'`,
    );
    const logIds = new Set(log.map((l: any) => l.id));
    expect(audited.filter((a) => logIds.has(a.entity_id) && a.actor === 'system:retention')).toHaveLength(log.length);

    // Run again at the same instant: nothing more is due.
    expect((await t.app.disposal.runOnce(now))!.disposed).toEqual({});
  });

  it.skipIf(!realPostgresUrl())('runs on one server at a time: a second taker of the job lock skips its turn', async () => {
    const inner = await withJobLock(t.app.orm, 'disposal', () => withJobLock(t.app.orm, 'disposal', async () => 'ran twice'));
    expect(inner).toBeNull();
    expect(await withJobLock(t.app.orm, 'disposal', async () => 'ran')).toBe('ran');
  });

  it('runs on demand for a manager only, and shows the schedule and the log to managers only', async () => {
    const partner = (await t.personWithRole(PartnerRole.PARTNER)).token;
    const run = `mutation { disposeExpiredRecords { ran runId disposed { table count } } }`;
    const refused = await t.gql(run, {}, { token: partner });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const done = await t.gql(run);
    expect(done.errors, JSON.stringify(done.errors)).toBeUndefined();
    expect(done.data!.disposeExpiredRecords.ran).toBe(true);
    const schedule = await t.gql(`{ retentionSchedule { kind table trigger period } }`);
    expect(schedule.errors, JSON.stringify(schedule.errors)).toBeUndefined();
    expect(schedule.data!.retentionSchedule).toContainEqual(expect.objectContaining({ kind: 'outboundEmails', table: 'outbound_email', period: '90 days' }));
    expect((await t.gql(`{ retentionSchedule { kind } }`, {}, { token: partner })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const log = await t.gql(`{ disposalLog(limit: 5) { runId recordKind rule count idsDigest cutoff disposedAt runBy } }`);
    expect(log.errors, JSON.stringify(log.errors)).toBeUndefined();
    expect(log.data!.disposalLog.length).toBeGreaterThan(0);
    expect((await t.gql(`{ disposalLog { count } }`, {}, { token: partner })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('subject access and anonymisation of a demo headteacher', () => {
  let t: TestApp;
  let head: { name: string; email: string };
  const EXPORT = `mutation($person: PersonInput!) { exportSubjectAccess(person: $person) { total tables { table count } document } }`;
  const ANONYMISE = `mutation($input: AnonymisePersonInput!) { anonymisePerson(input: $input) { pseudonym pseudonymEmail changed { table count } remaining } }`;

  /** Every row of every table whose text, read whole, names the person: independent of the export's column-by-column search. */
  async function rowsNaming(person: { name: string; email: string }): Promise<Map<string, Set<string>>> {
    const tables = await sql<{ table_name: string }>(
      t,
      `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'
        and table_name not in ('mikro_orm_migrations', 'disposal_log')`,
    );
    const words = `\\m${person.name.replace(/[.^$*+?()[\]{}|\\-]/g, '\\$&').replace(/ /g, '\\s+')}\\M`;
    const found = new Map<string, Set<string>>();
    for (const { table_name } of tables) {
      // a table without an id column (the rate limits' counters) is told by the row itself
      const rows = await sql<{ id: string }>(
        t,
        `select coalesce(to_jsonb(t)->>'id', t::text) as id from "${table_name}" t where position(? in lower(t::text)) > 0 or t::text ~* ?`,
        [person.email.toLowerCase(), words],
      );
      if (rows.length) found.set(table_name, new Set(rows.map((r) => r.id)));
    }
    return found;
  }

  beforeAll(async () => {
    t = await startTestApp();
    // The headteacher named in the most rows: a school whose notes went to them.
    const [row] = await sql<{ name: string; email: string }>(
      t,
      `select s.headteacher_name as name, s.headteacher_email as email from school s
        join visit v on v.school_id = s.id join note_of_visit n on n.visit_id = v.id join note_recipient r on r.note_id = n.id and lower(r.email) = lower(s.headteacher_email)
        group by 1, 2 order by count(*) desc, 2 limit 1`,
    );
    expect(row, 'a demo headteacher on a distribution list').toBeDefined();
    head = row!;
  });
  afterAll(() => t?.stop());

  it('exports every record naming the headteacher, for a manager only, audited without their name', async () => {
    const expected = await rowsNaming(head);
    expect(expected.get('school')?.size).toBeGreaterThan(0);
    expect(expected.get('note_recipient')?.size).toBeGreaterThan(0);
    const partner = (await t.personWithRole(PartnerRole.PARTNER)).token;
    expect((await t.gql(EXPORT, { person: head }, { token: partner })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const res = await t.gql(EXPORT, { person: head });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const doc = JSON.parse(res.data!.exportSubjectAccess.document);
    expect(doc.format).toBe('school-visits/subject-access-export@1');
    for (const [table, ids] of expected) {
      const exported = new Set((doc.records[table] ?? []).map((r: { id: unknown }) => String(r.id)));
      for (const id of ids) expect(exported.has(id), `${table} ${id}`).toBe(true);
    }
    const total = [...expected.values()].reduce((a, s) => a + s.size, 0);
    expect(res.data!.exportSubjectAccess.total).toBe(total);

    const digest = createHash('sha256').update(`${head.email.toLowerCase()}\n${head.name.toLowerCase()}`).digest('hex');
    const audit = await sql<{ actor: string; changes: unknown }>(
      t,
      `select actor, changes from audit_event where entity_type = 'SubjectAccessExport' and entity_id = ?`,
      [digest],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toMatch(/^partner:/);
    expect(JSON.stringify(audit[0]!.changes)).not.toContain(head.email);
    expect(JSON.stringify(audit[0]!.changes)).not.toContain(head.name);
  });

  it('exports a partner with what refers to their account: the visits they lead, the notes they wrote, what they did', async () => {
    const [partner] = await sql<{ id: string; email: string }>(
      t,
      `select p.id, p.email from partner p join visit v on v.lead_partner_id = p.id group by p.id, p.email order by count(*) desc, p.email limit 1`,
    );
    const res = await t.gql(EXPORT, { person: { email: partner!.email.toUpperCase() } });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const doc = JSON.parse(res.data!.exportSubjectAccess.document);
    const ids = (table: string) => new Set((doc.records[table] ?? []).map((r: { id: unknown }) => String(r.id)));
    const led = await sql<{ id: string }>(t, 'select id from visit where lead_partner_id = ?', [partner!.id]);
    const wrote = await sql<{ id: string }>(t, 'select id from note_of_visit where author_id = ?', [partner!.id]);
    expect(led.length).toBeGreaterThan(0);
    for (const { id } of led) expect(ids('visit').has(id), `visit ${id}`).toBe(true);
    for (const { id } of wrote) expect(ids('note_of_visit').has(id), `note ${id}`).toBe(true);
    expect(ids('partner').has(partner!.id)).toBe(true);
    const acted = await sql<{ id: string }>(t, 'select id::text as id from audit_event where actor = ?', [`partner:${partner!.id}`]);
    for (const { id } of acted) expect(ids('audit_event').has(id), `audit ${id}`).toBe(true);
  });

  it('refuses a search that would find everyone', async () => {
    const res = await t.gql(EXPORT, { person: { name: 'Ann' } });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await t.gql(EXPORT, { person: {} })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('anonymises the headteacher everywhere in one audited transaction, with a stable pseudonym, keeping the records', async () => {
    const before = await rowsNaming(head);
    const [{ n: recipientsBefore }] = await sql<{ n: string }>(t, 'select count(*) as n from note_recipient');
    const partner = (await t.personWithRole(PartnerRole.PARTNER)).token;
    const input = { ...head, formerRole: 'HEADTEACHER' };
    expect((await t.gql(ANONYMISE, { input }, { token: partner })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const res = await t.gql(ANONYMISE, { input });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const result = res.data!.anonymisePerson;
    expect(result.pseudonym).toMatch(/^Former headteacher [0-9a-f]{4}$/);
    expect(result.pseudonymEmail).toMatch(/^former-headteacher-[0-9a-f]{4}@anonymised\.invalid$/);
    expect(result.remaining).toBe(0);
    // Every row that named them changed (the export's own audit row names only a digest, so it is not among them).
    const changed = Object.fromEntries(result.changed.map((c: { table: string; count: number }) => [c.table, c.count]));
    for (const [table, ids] of before) expect(changed[table], table).toBe(ids.size);

    expect((await rowsNaming(head)).size).toBe(0);
    const [{ n: recipientsAfter }] = await sql<{ n: string }>(t, 'select count(*) as n from note_recipient');
    expect(recipientsAfter).toBe(recipientsBefore);
    const schoolIds = [...before.get('school')!];
    const [school] = await sql<{ headteacher_name: string; headteacher_email: string }>(
      t,
      'select headteacher_name, headteacher_email from school where id = ?',
      [schoolIds[0]],
    );
    expect(school).toEqual({ headteacher_name: result.pseudonym, headteacher_email: result.pseudonymEmail });

    const audit = await sql<{ changes: Record<string, unknown>; actor: string }>(
      t,
      `select changes, actor from audit_event where action = 'anonymise' and entity_id = ?`,
      [result.pseudonym],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toMatch(/^partner:/);
    expect(JSON.stringify(audit[0]!.changes)).not.toContain(head.name);
    expect(JSON.stringify(audit[0]!.changes)).not.toContain(head.email);

    // The same person again: the same pseudonym, and nothing left to change.
    const again = await t.gql(ANONYMISE, { input });
    expect(again.data!.anonymisePerson.pseudonym).toBe(result.pseudonym);
    expect(again.data!.anonymisePerson.changed).toEqual([]);
  });
});

describe('the disposal job on its schedule', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Every second, so the first turn comes at once (it is never later than one interval after start-up).
    t = await startTestApp({ config: { retention: { ...retentionFromEnv({}), job: { enabled: true, intervalMs: 1_000 } } } });
  });
  afterAll(() => t?.stop());

  it('runs on the job queue, unasked, as system:retention', async () => {
    const em = t.app.orm.em.fork() as Em;
    // Sent 100 days before the suite's clock: past its 90 days.
    const sentAt = new Date(testClock.now().getTime() - 100 * 86_400_000);
    const email = Object.assign(new OutboundEmail(), { toAddress: 'head@school.example', subject: 'Old', body: null, status: EmailStatus.SENT, sentAt });
    await em.persist(email).flush();

    await expect.poll(async () => (await sql(t, 'select id from outbound_email where id = ?', [email.id])).length).toBe(0);
    const actors = await sql<{ actor: string }>(t, `select distinct actor from audit_event where entity_type = 'DisposalLog' and action = 'create'`);
    expect(actors.map((a) => a.actor)).toEqual(['system:retention']);
  });
});
