import pg from 'pg';
import { callGraphql, succeeded, type Outcome } from './soak-client.js';
import type { SoakRecorder } from './soak-recorder.js';
import type { PostgresInstance } from './postgres-instance.js';
import type { ServerProcess } from './server-process.js';
import { after, type SmtpStandIn } from './smtp-stand-in.js';

/**
 * The faults the soak injects, one function each. Each opens a fault window in
 * the recorder (calls inside it may answer SERVICE_UNAVAILABLE, or not at all
 * from a server taken away), does its damage, checks what the issue promises,
 * and closes the window once the system has recovered.
 */
export type FaultName = 'postgres-restart' | 'postgres-restart-busy' | 'row-lock' | 'sigterm' | 'sigkill' | 'smtp-stall';
export const ALL_FAULTS: FaultName[] = ['postgres-restart', 'postgres-restart-busy', 'row-lock', 'sigterm', 'sigkill', 'smtp-stall'];

export interface FaultReport {
  fault: FaultName;
  ok: boolean;
  details: Record<string, unknown>;
  problems: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PROBE = '{ schools(first: 1) { totalCount } }';
/** After a fault ends, calls still in flight from before may yet answer SERVICE_UNAVAILABLE. */
const GRACE_MS = 3_000;

export interface FaultContext {
  recorder: SoakRecorder;
  servers: ServerProcess[];
  postgres: PostgresInstance;
  databaseUrl: string;
  /** A token for reads (a manager's: sees every note). */
  token: string;
  /** A note the load is saving, for the row-lock fault. */
  noteId: string;
  /** How long a save waits for a locked row before giving up: the lock or statement timeout, whichever is shorter. */
  lockWaitMs: number;
  /** Each server's pool size (DB_POOL_MAX). */
  poolMax: number;
  /** The draft notes the load saves (for faults that need many writes at once). */
  noteIds: string[];
  /** How soon after a fault ends every server must serve again. */
  recoveryLimitMs: number;
  /** The mail server the servers send through. */
  smtp: SmtpStandIn;
  /** How long the stalled mail server takes to answer each message. */
  smtpStallMs: number;
  /** Visits the load has booked so far (school links can be sent for them). */
  bookedVisitIds: () => string[];
}

const probe = (server: ServerProcess, token: string, op = 'probe') => callGraphql({ name: server.name, url: server.url }, op, token, PROBE);

/** Polls until a read through this server succeeds; returns when (ms since epoch). */
async function waitUntilServing(server: ServerProcess, token: string, limitMs: number): Promise<number | null> {
  const until = Date.now() + limitMs;
  while (Date.now() < until) {
    const res = await probe(server, token);
    if (succeeded(res)) return Date.now();
    await sleep(100);
  }
  return null;
}

/** How long after PostgreSQL came back (upAt) a server served again, or null (and a problem) past the recovery limit. */
async function recoveryAfter(ctx: FaultContext, server: ServerProcess, upAt: number, problems: string[]): Promise<number | null> {
  const at = await waitUntilServing(server, ctx.token, ctx.recoveryLimitMs);
  if (at === null) problems.push(`${server.name} did not serve again within ${ctx.recoveryLimitMs / 1000} s of PostgreSQL coming back`);
  return at === null ? null : at - upAt;
}

/** PostgreSQL stopped (fast shutdown: every session cut) and started again a few seconds later. */
export async function restartPostgres(ctx: FaultContext, downMs = 4_000): Promise<FaultReport> {
  const problems: string[] = [];
  const window = ctx.recorder.openFault('postgres-restart');
  const stopAt = Date.now();
  await ctx.postgres.stop('fast');
  const stoppedMs = Date.now() - stopAt;
  // While it is down: every server answers quickly, with SERVICE_UNAVAILABLE (503).
  const downProbes: Outcome[] = [];
  const ready: number[] = [];
  const downUntil = Date.now() + downMs;
  while (Date.now() < downUntil) {
    for (const server of ctx.servers) {
      const res = await probe(server, ctx.token, 'probe (postgres down)');
      downProbes.push(res);
      ctx.recorder.record(res);
      const readyz = await fetch(`${server.url}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      ready.push(readyz);
    }
    await sleep(250);
  }
  for (const res of downProbes) {
    if (!(res.status === 503 && res.codes.includes('SERVICE_UNAVAILABLE')))
      problems.push(`while PostgreSQL was down ${res.server} answered HTTP ${res.status} [${res.codes}] ${res.transport ?? ''}`);
  }
  if (ready.some((s) => s !== 503)) problems.push(`/readyz answered ${[...new Set(ready)].join(', ')} while PostgreSQL was down (expected 503)`);
  const slowest = Math.max(0, ...downProbes.map((r) => r.ms));
  const startAt = Date.now();
  await ctx.postgres.start();
  const upAt = Date.now();
  const recovery: Record<string, number | null> = {};
  await Promise.all(
    ctx.servers.map(async (server) => {
      recovery[server.name] = await recoveryAfter(ctx, server, upAt, problems);
    }),
  );
  window.endsAt = Date.now() + GRACE_MS;
  return {
    fault: 'postgres-restart',
    ok: problems.length === 0,
    problems,
    details: {
      stopTookMs: stoppedMs,
      downForMs: upAt - stopAt,
      startTookMs: upAt - startAt,
      probesWhileDown: downProbes.length,
      slowestAnswerWhileDownMs: slowest,
      recoveryAfterRestartMs: recovery,
    },
  };
}

/**
 * A fast restart (`pg_ctl restart -m fast`, as a failover or a managed database's maintenance does)
 * while more write transactions are open than each server's pool holds: a session holds the row
 * locks of some notes, saves of those notes pile up inside their transactions (each holding a pooled
 * connection), and PostgreSQL cuts every one of them. Each server must then serve again, /readyz
 * must say ready, and a burst of as many reads as the pool holds must all be answered: a broken
 * transaction that kept its connection would leave the pool short for good.
 */
export async function restartPostgresBusy(ctx: FaultContext): Promise<FaultReport> {
  const problems: string[] = [];
  const window = ctx.recorder.openFault('postgres-restart-busy');
  const holder = new pg.Client({ connectionString: ctx.databaseUrl });
  holder.on('error', () => undefined); // the restart cuts this session too
  await holder.connect();
  await holder.query('begin');
  const notes = ctx.noteIds.slice(0, 4);
  const { rows } = await holder.query<{ id: string; version: number }>('select id, version from note_of_visit where id = any($1) for update', [notes]);
  const perServer = ctx.poolMax + 2;
  const saves = ctx.servers.flatMap((server) =>
    Array.from({ length: perServer }, (_, i) => {
      const note = rows[i % rows.length]!;
      // From a version the note never had: a save that gets through after the restart is refused
      // (CONFLICT) and writes nothing, so the load's ledger stays the whole truth about the notes.
      return callGraphql(
        { name: server.name, url: server.url },
        'save note (in flight at restart)',
        ctx.token,
        `mutation($id: ID!, $v: Int!) { updateNote(id: $id, expectedVersion: $v, input: { summary: "Never saved." }) { id } }`,
        {
          id: note.id,
          v: note.version + 1_000_000,
        },
      );
    }),
  );
  // Let the saves reach the database and wait there on the locks, inside their transactions.
  await sleep(Math.min(1_000, ctx.lockWaitMs / 2));
  const inFlight = await holder
    .query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where application_name = 'school-visits-api' and state <> 'idle'`)
    .then(
      (r) => r.rows[0]!.n,
      () => null,
    );
  const restartAt = Date.now();
  await ctx.postgres.stop('fast');
  await ctx.postgres.start();
  const upAt = Date.now();
  const answers = await Promise.all(saves);
  for (const res of answers) ctx.recorder.record(res);
  await holder.end().catch(() => undefined);
  const recovery: Record<string, number | null> = {};
  const readiness: Record<string, number> = {};
  const burst: Record<string, string> = {};
  await Promise.all(
    ctx.servers.map(async (server) => {
      recovery[server.name] = await recoveryAfter(ctx, server, upAt, problems);
      readiness[server.name] = await fetch(`${server.url}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (readiness[server.name] !== 200) problems.push(`${server.name} /readyz answered ${readiness[server.name]} after PostgreSQL came back`);
      // As many reads at once as the pool holds: every pooled connection must be usable again.
      const reads = await Promise.all(Array.from({ length: ctx.poolMax }, () => probe(server, ctx.token, 'read (pool after restart)')));
      for (const res of reads) ctx.recorder.record(res);
      const failed = reads.filter((r) => !succeeded(r));
      burst[server.name] = `${reads.length - failed.length}/${reads.length}`;
      if (failed.length)
        problems.push(
          `${server.name}: ${failed.length} of ${reads.length} simultaneous reads failed after the restart [${[...new Set(failed.flatMap((r) => r.codes))]}] (connections lost to the pool?)`,
        );
    }),
  );
  window.endsAt = Date.now() + GRACE_MS;
  const answered = answers.filter((r) => r.status !== 0).length;
  return {
    fault: 'postgres-restart-busy',
    ok: problems.length === 0,
    problems,
    details: {
      savesInFlight: answers.length,
      activeSessionsAtRestart: inFlight,
      poolMaxPerServer: ctx.poolMax,
      restartTookMs: upAt - restartAt,
      savesAnswered: answered,
      saveCodes: Object.fromEntries([...new Set(answers.flatMap((r) => r.codes))].map((code) => [code, answers.filter((r) => r.codes.includes(code)).length])),
      recoveryAfterRestartMs: recovery,
      readyzAfter: readiness,
      simultaneousReadsAfter: burst,
    },
  };
}

/**
 * Another session holds a note's row lock for longer than the statement timeout:
 * saves of that note give up with SERVICE_UNAVAILABLE after about the timeout,
 * change nothing, and the servers keep answering everything else quickly.
 */
export async function holdRowLock(ctx: FaultContext): Promise<FaultReport> {
  const problems: string[] = [];
  const holdMs = ctx.lockWaitMs * 2 + 2_000;
  const holder = new pg.Client({ connectionString: ctx.databaseUrl });
  await holder.connect();
  holder.on('error', () => undefined); // a later fault may cut this session: not this fault's business
  const window = ctx.recorder.openFault('row-lock');
  const lockedAt = Date.now();
  await holder.query('begin');
  const { rows } = await holder.query('select version from note_of_visit where id = $1 for update', [ctx.noteId]);
  const version = rows[0]?.version as number;
  const blocked: Outcome[] = [];
  const reads: Outcome[] = [];
  try {
    const save = (server: ServerProcess) =>
      callGraphql(
        { name: server.name, url: server.url },
        'save note (row locked)',
        ctx.token,
        `mutation($id: ID!, $v: Int!) { updateNote(id: $id, expectedVersion: $v, input: { summary: "Blocked by the soak's row lock." }) { id } }`,
        {
          id: ctx.noteId,
          v: version,
        },
      );
    const saves = Promise.all(ctx.servers.map(save));
    // Meanwhile, reads on every server keep coming back quickly.
    while (Date.now() - lockedAt < holdMs - 500) {
      for (const server of ctx.servers) {
        const res = await probe(server, ctx.token, 'read (row locked)');
        reads.push(res);
        ctx.recorder.record(res);
      }
      await sleep(300);
    }
    blocked.push(...(await saves));
    for (const res of blocked) ctx.recorder.record(res);
  } finally {
    await holder.query('rollback').catch(() => undefined);
    await holder.end().catch(() => undefined);
    window.endsAt = Date.now() + GRACE_MS;
  }
  for (const res of blocked) {
    if (!res.codes.includes('SERVICE_UNAVAILABLE'))
      problems.push(`a save of the locked note through ${res.server} answered HTTP ${res.status} [${res.codes}], not SERVICE_UNAVAILABLE`);
    if (res.ms > ctx.lockWaitMs + 10_000) problems.push(`a save of the locked note took ${res.ms} ms (timeout ${ctx.lockWaitMs} ms)`);
  }
  const slowRead = Math.max(0, ...reads.map((r) => r.ms));
  const failedReads = reads.filter((r) => !succeeded(r));
  if (failedReads.length) problems.push(`${failedReads.length} of ${reads.length} reads failed while a note was locked`);
  return {
    fault: 'row-lock',
    ok: problems.length === 0,
    problems,
    details: {
      heldMs: Date.now() - lockedAt,
      blockedSavesMs: blocked.map((r) => r.ms),
      blockedSaveCodes: blocked.map((r) => r.codes.join(',')),
      reads: reads.length,
      slowestReadMs: slowRead,
    },
  };
}

/**
 * SIGTERM while calls are in flight: every call it had accepted gets its answer,
 * the process exits 0 (pool closed), and it starts again.
 */
export async function terminateServer(ctx: FaultContext, server: ServerProcess): Promise<FaultReport> {
  const problems: string[] = [];
  const window = ctx.recorder.openFault('sigterm', { serversDown: [server.name] });
  // A burst of calls, then the signal while they are being served.
  const burst = Array.from({ length: 8 }, () =>
    callGraphql(
      { name: server.name, url: server.url },
      'read (in flight at SIGTERM)',
      ctx.token,
      '{ visits(first: 50) { totalCount nodes { id agenda { title } } } }',
    ),
  );
  await sleep(40);
  const sentAt = Date.now();
  const exited = server.terminate();
  const answers = await Promise.all(burst);
  for (const res of answers) ctx.recorder.record(res);
  const code = await exited;
  const stopMs = Date.now() - sentAt;
  if (code !== 0) problems.push(`${server.name} exited with ${code} after SIGTERM`);
  const unanswered = answers.filter((r) => r.status === 0);
  if (unanswered.length)
    problems.push(`${unanswered.length} of ${answers.length} calls in flight at SIGTERM got no answer (${unanswered.map((r) => r.transport).join(', ')})`);
  const restartAt = Date.now();
  await server.start();
  window.endsAt = Date.now() + GRACE_MS;
  return {
    fault: 'sigterm',
    ok: problems.length === 0,
    problems,
    details: {
      server: server.name,
      exitCode: code,
      stopTookMs: stopMs,
      inFlightAnswered: answers.length - unanswered.length,
      inFlight: answers.length,
      restartTookMs: Date.now() - restartAt,
    },
  };
}

/** SIGKILL in the middle of the load's writes; it is started again. What survived is checked at the end. */
export async function killServer(ctx: FaultContext, server: ServerProcess): Promise<FaultReport> {
  const window = ctx.recorder.openFault('sigkill', { serversDown: [server.name] });
  await server.kill();
  const restartAt = Date.now();
  await server.start();
  window.endsAt = Date.now() + GRACE_MS;
  return { fault: 'sigkill', ok: true, problems: [], details: { server: server.name, restartTookMs: Date.now() - restartAt } };
}

/**
 * A mail server that takes a message, then answers only after `smtpStallMs` (65 s by default:
 * longer than PostgreSQL's idle-in-transaction timeout, which used to end the sending
 * transaction, leave the email queued with no attempt counted, and send it again). School links
 * are sent for a few booked visits while it stalls. Each must be delivered exactly once (one
 * copy per Message-ID at the mail server), with one attempt counted, and SENT; meanwhile every
 * server answers reads, and no session of theirs sits idle in a transaction.
 */
export async function stallSmtp(ctx: FaultContext): Promise<FaultReport> {
  const problems: string[] = [];
  const window = ctx.recorder.openFault('smtp-stall');
  const db = new pg.Client({ connectionString: ctx.databaseUrl });
  db.on('error', () => undefined);
  await db.connect();
  const acceptedBefore = ctx.smtp.accepted.length;
  ctx.smtp.otherwise = after(ctx.smtpStallMs);
  const startedAt = Date.now();
  // One link through each server: a server's outbox sends one message at a time, so each stalled
  // message holds the ones queued behind it on that server for the whole stall.
  const visits = ctx.bookedVisitIds().slice(-ctx.servers.length);
  const SEND = `mutation($v: ID!) { sendSchoolSectionLink(visitId: $v) { id } }`;
  const sent: string[] = [];
  for (const [i, visitId] of visits.entries()) {
    const server = ctx.servers[i % ctx.servers.length]!;
    const res = await callGraphql({ name: server.name, url: server.url }, 'send school link (mail server stalled)', ctx.token, SEND, { v: visitId });
    ctx.recorder.record(res);
    if (succeeded(res)) sent.push(visitId);
    else problems.push(`sending a school link through ${server.name} answered HTTP ${res.status} [${res.codes}]`);
  }
  type Row = { id: string; status: string; attempts: number };
  const emails = async () =>
    (
      await db.query<Row>(`select id, status, attempts from outbound_email where visit_id = any($1) and created_at >= $2 order by created_at`, [
        sent,
        new Date(startedAt - 1_000),
      ])
    ).rows;
  let reads = 0;
  let failedReads = 0;
  let idleInTransaction = 0;
  let slowestReadMs = 0;
  const until = startedAt + ctx.smtpStallMs * Math.ceil(visits.length / ctx.servers.length) + 60_000;
  let rows: Row[] = [];
  while (Date.now() < until) {
    for (const server of ctx.servers) {
      const res = await probe(server, ctx.token, 'read (mail server stalled)');
      ctx.recorder.record(res);
      reads++;
      slowestReadMs = Math.max(slowestReadMs, res.ms);
      if (!succeeded(res)) failedReads++;
    }
    // A sender holding a transaction open while the mail server thinks shows here within seconds.
    const idle = await db.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where application_name = 'school-visits-api' and state = 'idle in transaction' and state_change < now() - interval '3 seconds'`,
    );
    idleInTransaction = Math.max(idleInTransaction, idle.rows[0]!.n);
    rows = await emails();
    if (rows.length >= sent.length && rows.every((r) => r.status !== 'queued' && r.status !== 'sending')) break;
    await sleep(1_000);
  }
  ctx.smtp.otherwise = null;
  await db.end().catch(() => undefined);
  window.endsAt = Date.now() + GRACE_MS;

  const copies = new Map<string, number>();
  for (const mail of ctx.smtp.accepted.slice(acceptedBefore)) copies.set(mail.messageId, (copies.get(mail.messageId) ?? 0) + 1);
  for (const row of rows) {
    const delivered = copies.get(`<${row.id}@school-visits>`) ?? 0;
    if (row.status !== 'sent' || row.attempts !== 1 || delivered !== 1) {
      problems.push(`email ${row.id}: ${row.status} after ${row.attempts} attempt(s), delivered ${delivered} time(s) (expected sent once, one attempt)`);
    }
  }
  if (rows.length !== sent.length) problems.push(`${sent.length} school links sent, ${rows.length} emails queued for them`);
  if (failedReads) problems.push(`${failedReads} of ${reads} reads failed while the mail server stalled`);
  if (idleInTransaction) problems.push(`${idleInTransaction} session(s) sat idle in a transaction while the mail server stalled`);
  return {
    fault: 'smtp-stall',
    ok: problems.length === 0,
    problems,
    details: {
      stallMs: ctx.smtpStallMs,
      linksSent: sent.length,
      emails: rows.map((r) => `${r.status}/${r.attempts}`),
      deliveredCopies: [...copies.values()],
      tookMs: Date.now() - startedAt,
      readsWhileStalled: reads,
      slowestReadMs,
    },
  };
}
