import { LockMode, ref } from '@mikro-orm/core';
import { runAs } from '../audit/audit-context.js';
import { systemClock, type Clock } from '../clock.js';
import type { Em, Orm } from '../db/orm.js';
import type { Logger } from '../logger.js';
import type { Visit } from '../visits/visit.entity.js';
import type { MailAttachment, MailTransport } from './mail-transport.js';
import { EmailStatus, OutboundEmail, type EmailAttachmentRef } from './outbound-email.entity.js';

/** Minutes to wait after the 1st, 2nd... failed attempt; after the last, the message is FAILED. */
const BACKOFF_MINUTES = [1, 5, 15, 60, 240];
const BATCH = 20;

/** Puts a message in the outbox inside the caller's transaction: it exists exactly when the change does. */
export function queueEmail(
  tx: Em,
  message: { to: string; toName?: string | null; subject: string; body: string; visit?: Visit | null; attachment?: EmailAttachmentRef | null },
): OutboundEmail {
  const email = Object.assign(new OutboundEmail(), {
    toAddress: message.to,
    toName: message.toName ?? null,
    subject: message.subject,
    body: message.body,
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
 * reads through the sending transaction's entity manager; a throw fails the
 * attempt as a transport failure would (retried with backoff).
 */
export type AttachmentRenderer = (em: Em, attachment: EmailAttachmentRef) => Promise<MailAttachment>;

export interface OutboxOptions {
  intervalMs?: number;
  renderAttachment?: AttachmentRenderer;
  /** Retries are timed on the business clock. */
  clock?: Clock;
}

export interface Outbox {
  /** Sends what is due now; resolves with how many were sent and how many failed. */
  runOnce(now?: Date): Promise<{ sent: number; failed: number }>;
  /** Asks for a run soon (after a commit that queued mail). */
  kick(): void;
  stop(): Promise<void>;
}

/**
 * Delivers queued mail: at start-up, every half minute, and when kicked. Each
 * message is claimed with FOR UPDATE SKIP LOCKED, so several server processes
 * never send the same one twice.
 */
export function startOutbox(orm: Orm, transport: MailTransport, logger: Logger, { intervalMs = 30_000, renderAttachment, clock = systemClock }: OutboxOptions = {}): Outbox {
  let running: Promise<{ sent: number; failed: number }> | null = null;
  let stopped = false;
  const render: AttachmentRenderer = (em, attachment) => {
    if (!renderAttachment) throw new Error(`cannot attach "${attachment.filename}": this outbox has no attachment renderer`);
    return renderAttachment(em, attachment);
  };

  const deliverOne = (id: string, now: Date) =>
    (orm.em.fork() as Em).transactional(async (tx) => {
      const email = await tx.findOne(OutboundEmail, { id, status: EmailStatus.QUEUED }, { lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE });
      if (!email) return null; // another process has it, or it was sent meanwhile
      email.attempts += 1;
      try {
        // In a savepoint: a renderer's failed statement must not spoil the transaction that records the attempt.
        const attachment = email.attachment;
        const attachments = attachment ? [await tx.transactional((inner) => render(inner as Em, attachment))] : undefined;
        await transport.send({ id: email.id, to: email.toAddress, toName: email.toName, subject: email.subject, text: email.body, attachments });
        Object.assign(email, { status: EmailStatus.SENT, sentAt: now, lastError: null, nextAttemptAt: null });
        return true;
      } catch (error) {
        const wait = BACKOFF_MINUTES[email.attempts - 1];
        Object.assign(email, {
          lastError: String((error as Error)?.message ?? error).slice(0, 500),
          status: wait === undefined ? EmailStatus.FAILED : EmailStatus.QUEUED,
          nextAttemptAt: wait === undefined ? null : new Date(now.getTime() + wait * 60_000),
        });
        logger.warn({ emailId: email.id, attempts: email.attempts, err: error }, 'email not sent; it stays in the outbox');
        return false;
      }
    });

  const runBatch = (now: Date) =>
    runAs({ actor: 'system:outbox' }, async () => {
      const due = await (orm.em.fork() as Em).find(
        OutboundEmail,
        { status: EmailStatus.QUEUED, $or: [{ nextAttemptAt: null }, { nextAttemptAt: { $lte: now } }] },
        { orderBy: { createdAt: 'asc' }, limit: BATCH, fields: ['id'] },
      );
      let sent = 0;
      let failed = 0;
      for (const { id } of due) {
        const outcome = await deliverOne(id, now);
        if (outcome === true) sent += 1;
        if (outcome === false) failed += 1;
      }
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
    running = runBatch(now ?? clock.now()).finally(() => {
      running = null;
    });
    return running;
  };

  const tick = () => {
    if (!stopped) runOnce().catch((error) => logger.error({ err: error }, 'outbox run failed'));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    runOnce,
    kick: () => setImmediate(tick),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await following?.catch(() => undefined);
      await running?.catch(() => undefined);
    },
  };
}
