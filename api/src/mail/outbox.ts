import { LockMode, ref, type Ref } from '@mikro-orm/core';
import { runAs } from '../platform/audit/audit-context.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Em, Orm } from '../platform/db/orm.js';
import type { JobQueue } from '../platform/jobs/job-queue.js';
import type { Logger } from '../platform/logger.js';
import { SMTP_SEND_DEADLINE_MS, type MailAttachment, type MailTransport } from '../platform/mail/mail-transport.js';
import type { BodyCipher } from './body-cipher.js';
import { EmailStatus, OutboundEmail, type EmailAttachmentRef } from './outbound-email.entity.js';
import { rowsByParent } from '../platform/graphql/request-loaders.js';

/** Minutes to wait after the 1st, 2nd... failed attempt; after the last, the message is FAILED. */
const BACKOFF_MINUTES = [1, 5, 15, 60, 240];
/**
 * How long a sender's claim on a message lasts. A message still SENDING after it (its sender
 * died mid-send, or could not record the outcome) is due again: delivery is at-least-once, and a
 * second copy carries the same Message-ID (mail-transport.ts). Twice the longest an SMTP send may
 * take (SMTP_SEND_DEADLINE_MS), so a live sender has given up or finished long before it lapses.
 */
export const SEND_LEASE_MS = 2 * SMTP_SEND_DEADLINE_MS;
const BATCH = 20;

/** The visit an email is about (the visits module's entity, named through the email's relation: visits sit above mail). */
type VisitOfEmail = NonNullable<OutboundEmail['visit']> extends Ref<infer V> ? V : never;

export interface QueuedMessage {
  to: string;
  toName?: string | null;
  subject: string;
  body: string;
  visit?: VisitOfEmail | null;
  attachment?: EmailAttachmentRef | null;
}

/**
 * Puts a message in the outbox inside the caller's transaction: it exists exactly when the change does.
 * The body is kept encrypted until it is sent, then dropped (callers use Outbox.queue, which knows the cipher).
 */
function queueEmail(tx: Em, cipher: BodyCipher, message: QueuedMessage): OutboundEmail {
  const email = Object.assign(new OutboundEmail(), {
    toAddress: message.to,
    toName: message.toName ?? null,
    subject: message.subject,
    body: cipher.seal(message.body),
    attachment: message.attachment ?? null,
    visit: message.visit ? ref(message.visit) : null,
    status: EmailStatus.QUEUED,
    // No time: due at once, whatever clock the outbox runs on (a time from another clock could hold it back).
    nextAttemptAt: null,
  });
  tx.persist(email);
  return email;
}

/**
 * Makes an attachment at send time (the app supplies it: mail knows no domain). It
 * reads through an entity manager of its own, outside any transaction; a throw fails
 * the attempt as a transport failure would (retried with backoff).
 */
export type AttachmentRenderer = (em: Em, attachment: EmailAttachmentRef) => Promise<MailAttachment>;

export interface OutboxOptions {
  /** Encrypts bodies while they wait (body-cipher.ts): required, so no outbox keeps a link in clear. */
  bodyCipher: BodyCipher;
  /**
   * The job queue that says when to look (scheduleOutbox): a kick becomes a queued job, so kicks
   * from every instance collapse into one run. Without it (a test's own outbox) a kick runs here at once.
   */
  jobs?: JobQueue;
  renderAttachment?: AttachmentRenderer;
  /** Retries are timed on the business clock. */
  clock?: Clock;
}

export interface Outbox {
  /** Queues a message in the caller's transaction (see queueEmail). */
  queue(tx: Em, message: QueuedMessage): OutboundEmail;
  /** Sends what is due now; resolves with how many were sent and how many failed. */
  runOnce(now?: Date): Promise<{ sent: number; failed: number }>;
  /** Asks for a run soon (after a commit that queued mail; not inside the transaction). */
  kick(): void;
  stop(): Promise<void>;
}

/** Due now: queued and its time has come, or claimed by a sender whose lease has lapsed. */
const due = (now: Date) => ({
  $or: [
    { status: EmailStatus.QUEUED, nextAttemptAt: null },
    { status: { $in: [EmailStatus.QUEUED, EmailStatus.SENDING] }, nextAttemptAt: { $lte: now } },
  ],
});

/** The job queue's names for the outbox's runs: the schedule, and a run soon after mail was queued. */
const OUTBOX_SCHEDULE = 'mail.outbox';
const OUTBOX_KICK = 'mail.outbox-kick';

/**
 * Delivers queued mail: at start-up, every half minute, and when kicked (the job queue decides
 * when, scheduleOutbox; the rows below are the record of what was sent, and their claims keep
 * two runs, on one server or several, from sending a message twice). No
 * transaction is open while the mail server is talked to (a slow one used to hold a
 * row lock and a pooled connection past PostgreSQL's idle-in-transaction timeout,
 * and the whole embedded database). Each message goes in three steps:
 *  1. claim, in a short transaction: the row is locked FOR UPDATE SKIP LOCKED (so several
 *     server processes never take the same one at once), the attempt is counted, and it
 *     becomes SENDING with a lease (nextAttemptAt = now + SEND_LEASE_MS);
 *  2. send, outside any transaction: the attachment is made and the transport called;
 *  3. record, in a second short transaction: SENT, or back to QUEUED with backoff, or
 *     FAILED after the last attempt. A failure is recorded only while the claim is still
 *     this attempt's; a success always is (the message has gone).
 * A claim whose lease lapsed is due again, so a message is sent at least once, and in
 * rare cases (a sender that died after the server took the message) twice, with the same
 * Message-ID.
 */
export function startOutbox(
  orm: Orm,
  transport: MailTransport,
  logger: Logger,
  { bodyCipher, jobs, renderAttachment, clock = systemClock }: OutboxOptions,
): Outbox {
  let running: Promise<{ sent: number; failed: number }> | null = null;
  let stopped = false;
  const render: AttachmentRenderer = (em, attachment) => {
    if (!renderAttachment) throw new Error(`cannot attach "${attachment.filename}": this outbox has no attachment renderer`);
    return renderAttachment(em, attachment);
  };

  /** Step 1: takes the message if it is still due and no other sender holds it; null if not. */
  const claim = (id: string, now: Date) =>
    (orm.em.fork() as Em).transactional(async (tx) => {
      const email = await tx.findOne(OutboundEmail, { id, ...due(now) }, { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, populate: ['body'] });
      if (!email) return null; // another sender has it, or it was sent meanwhile
      Object.assign(email, { attempts: email.attempts + 1, status: EmailStatus.SENDING, nextAttemptAt: new Date(now.getTime() + SEND_LEASE_MS) });
      return {
        attempt: email.attempts,
        attachment: email.attachment ?? null,
        message: { id: email.id, to: email.toAddress, toName: email.toName, subject: email.subject },
        sealedBody: email.body ?? null,
      };
    });

  /** Step 3: what became of the attempt. False when a later claim has taken the message meanwhile (a failure is then not ours to record). */
  const record = (id: string, attempt: number, error: unknown, now: Date) =>
    (orm.em.fork() as Em).transactional(async (tx) => {
      // The body is loaded (it is lazy) so that dropping it on success is seen as a change.
      const email = await tx.findOne(OutboundEmail, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['body'] });
      if (!email) return false;
      if (error === null) {
        // The body goes with the sending: no email body (nor the link in it) is kept once it has gone.
        if (email.status !== EmailStatus.SENT)
          Object.assign(email, { status: EmailStatus.SENT, sentAt: now, lastError: null, nextAttemptAt: null, body: null });
        return true;
      }
      if (email.status !== EmailStatus.SENDING || email.attempts !== attempt) return false;
      const wait = BACKOFF_MINUTES[email.attempts - 1];
      Object.assign(email, {
        lastError: String((error as Error)?.message ?? error).slice(0, 500),
        status: wait === undefined ? EmailStatus.FAILED : EmailStatus.QUEUED,
        nextAttemptAt: wait === undefined ? null : new Date(now.getTime() + wait * 60_000),
      });
      return true;
    });

  const deliverOne = async (id: string, time: () => Date) => {
    const claimed = await claim(id, time());
    if (!claimed) return null;
    const started = Date.now();
    let error: unknown = null;
    try {
      if (claimed.sealedBody === null) throw new Error('the email has no body to send');
      const text = bodyCipher.open(claimed.sealedBody);
      const attachment = claimed.attachment;
      const attachments = attachment ? [await render(orm.em.fork() as Em, attachment)] : undefined;
      await transport.send({ ...claimed.message, text, attachments });
    } catch (caught) {
      error = caught ?? new Error('the mail transport failed');
    }
    const fields = { emailId: id, attempt: claimed.attempt, sendMs: Date.now() - started };
    let recorded: boolean;
    try {
      recorded = await record(id, claimed.attempt, error, time());
    } catch (recordError) {
      // The email stays SENDING: due again when its lease lapses (sent twice if it had gone).
      logger.error(
        { ...fields, sent: error === null, err: recordError },
        'outcome of an email attempt not recorded; the email is due again when its claim lapses',
      );
      throw recordError;
    }
    if (!recorded) logger.warn({ ...fields, err: error }, 'email attempt outcome not recorded: a later attempt has taken the email');
    else if (error !== null) logger.warn({ ...fields, err: error }, 'email not sent; it stays in the outbox');
    else logger.debug(fields, 'email sent');
    return error === null;
  };

  const runBatch = (now: Date | undefined) =>
    runAs({ actor: 'system:outbox' }, async () => {
      // A run asked for a given instant (tests) keeps to it; otherwise each step reads the clock, as sends take time.
      const time = () => now ?? clock.now();
      const chosen = await (orm.em.fork() as Em).find(OutboundEmail, due(time()), { orderBy: { createdAt: 'asc' }, limit: BATCH, fields: ['id'] });
      let sent = 0;
      let failed = 0;
      for (const { id } of chosen) {
        const outcome = await deliverOne(id, time);
        if (outcome === true) sent += 1;
        if (outcome === false) failed += 1;
      }
      // A full batch: more may be due. Another run soon, on whichever instance takes the kick.
      if (chosen.length === BATCH) kick();
      return { sent, failed };
    });

  let following: Promise<{ sent: number; failed: number }> | null = null;
  const runOnce = (now?: Date): Promise<{ sent: number; failed: number }> => {
    if (running) {
      // The run under way chose its emails before the caller's were queued: one more run follows it
      // (shared by every caller meanwhile), so a kick during a run is never lost.
      following ??= running
        .catch(() => undefined)
        .then(() => {
          following = null;
          return stopped ? { sent: 0, failed: 0 } : runOnce(now);
        });
      return following;
    }
    running = runBatch(now).finally(() => {
      running = null;
    });
    return running;
  };

  const runHere = () => {
    if (!stopped) runOnce().catch((error) => logger.error({ err: error }, 'outbox run failed'));
  };
  const kick = () => {
    if (stopped) return;
    if (!jobs) return void setImmediate(runHere);
    // Keyed: kicks while one waits are the same run.
    jobs.send(OUTBOX_KICK, {}, { key: 'kick' }).catch((error) => logger.error({ err: error }, 'outbox kick not queued; the scheduled run sends the mail'));
  };
  return {
    queue: (tx, message) => queueEmail(tx, bodyCipher, message),
    runOnce,
    kick,
    async stop() {
      stopped = true;
      await following?.catch(() => undefined);
      await running?.catch(() => undefined);
    },
  };
}

/**
 * Runs the outbox on the job queue: every `intervalMs` on one instance (the first turn one
 * interval after start-up, which sends what an earlier run left itself), and soon after each kick.
 * A run that fails is logged; the next turn or kick tries again.
 */
export async function scheduleOutbox(jobs: JobQueue, outbox: Outbox, { intervalMs = 30_000 }: { intervalMs?: number } = {}): Promise<void> {
  const run = async () => void (await outbox.runOnce());
  const seconds = intervalMs / 1000;
  await jobs.work(OUTBOX_KICK, run);
  await jobs.every(OUTBOX_SCHEDULE, seconds, run, { firstAfterSeconds: seconds });
}

/** A page of visits' emails, newest first, in one query. */
export const emailsOfVisit = rowsByParent(OutboundEmail, 'visit');
