import type { Em, Orm } from '../platform/db/orm.js';
import type { Logger } from '../platform/logger.js';
import { NotificationKind, NotificationStatus } from './notification.enums.js';
import { FEED_KINDS, noteDeepLink, previewOf } from './notification.rules.js';
import { queueNotificationEmail, type TellDeps } from './notification-record.js';
import type { TeamsFeed } from './teams-feed.js';

/**
 * Delivery of the notifications waiting for the Teams feed, as the outbox delivers mail: each is claimed in
 * a short transaction (FOR UPDATE SKIP LOCKED, a lease, the attempt counted), sent with no transaction open,
 * and its outcome recorded in a second one. The feed taking it: SENT_TEAMS. The feed refusing it (after the
 * Graph client's own retries): the email goes instead, queued in the transaction that records the refusal.
 * A sender that dies mid-call leaves the lease to lapse, and the next run sends again (at least once).
 */
const LEASE_MS = 5 * 60_000;
const BATCH = 50;

interface Claimed {
  id: string;
  attempts: number;
  kind: NotificationKind;
  title: string;
  text: string;
  note_id: string | null;
  visit_id: string | null;
  school: string | null;
  recipient_id: string;
  email: string;
  name: string;
}

const dueWhere = `status = 'pending' and (lease_until is null or lease_until < ?)`;

async function claim(orm: Orm, id: string, now: Date): Promise<Claimed | null> {
  return (orm.em.fork() as Em).transactional(async (tx) => {
    const [row] = await tx.execute<{ id: string }[]>(`select id from notification where id = ? and ${dueWhere} for update skip locked`, [id, now]);
    if (!row) return null;
    const [claimed] = await tx.execute<Claimed[]>(
      `update notification n set lease_until = ?, attempts = n.attempts + 1, updated_at = ?
         from partner p
        where n.id = ? and p.id = n.recipient_id
        returning n.id, n.attempts, n.kind, n.title, n.text, n.note_id, n.visit_id, n.recipient_id, p.email, p.name,
                  (select s.name from visit v join school s on s.id = v.school_id where v.id = n.visit_id) as school`,
      [new Date(now.getTime() + LEASE_MS), now, id],
    );
    return claimed ?? null;
  });
}

/** Records the outcome while the claim is still this attempt's; on a refusal, the email instead. */
async function record(orm: Orm, deps: TellDeps, n: Claimed, error: Error | null, now: Date): Promise<void> {
  await (orm.em.fork() as Em).transactional(async (tx) => {
    const [row] = await tx.execute<{ id: string }[]>(`select id from notification where id = ? and status = 'pending' and attempts = ? for update`, [
      n.id,
      n.attempts,
    ]);
    if (!row) return;
    if (!error) {
      await tx.execute(`update notification set status = ?, sent_at = ?, lease_until = null, updated_at = ? where id = ?`, [
        NotificationStatus.SENT_TEAMS,
        now,
        now,
        n.id,
      ]);
      return;
    }
    await tx.execute(`update notification set status = ?, sent_at = ?, lease_until = null, feed_error = ?, updated_at = ? where id = ?`, [
      NotificationStatus.SENT_EMAIL,
      now,
      error.message.slice(0, 300),
      now,
      n.id,
    ]);
    queueNotificationEmail(tx, deps, {
      recipient: { id: n.recipient_id, email: n.email, name: n.name },
      words: { title: n.title, text: n.text },
      noteId: n.note_id,
      visitId: n.visit_id,
    });
    await tx.flush();
  });
}

/** Sends what waits for the feed; returns how many went by the feed and how many by email instead. */
export async function deliverPending(orm: Orm, deps: TellDeps, feed: TeamsFeed, logger: Logger, time: () => Date): Promise<{ feed: number; email: number }> {
  const tally = { feed: 0, email: 0 };
  for (let batch = 0; batch < 20; batch++) {
    const ids = await (orm.em.fork() as Em).execute<{ id: string }[]>(`select id from notification where ${dueWhere} order by created_at, id limit ${BATCH}`, [
      time(),
    ]);
    for (const { id } of ids) await deliverOne(id);
    // The rest (a backlog of more than a thousand) waits for the next turn.
    if (ids.length < BATCH) break;
  }
  return tally;

  async function deliverOne(id: string): Promise<void> {
    const n = await claim(orm, id, time());
    if (!n) return;
    let error: Error | null = null;
    try {
      if (n.kind === NotificationKind.WEEKLY_DIGEST) throw new Error('the digest is an email');
      const feedKind = FEED_KINDS[n.kind];
      await feed.send({
        userPrincipalName: n.email,
        activityType: feedKind.activityType,
        topic: { value: n.title, webUrl: noteDeepLink(deps.teamsAppId, n.note_id ? n.visit_id : null) },
        previewText: previewOf(n.text.split('\n')[0] ?? n.text),
        templateParameters: { school: n.school ?? 'a school' },
      });
    } catch (caught) {
      error = caught instanceof Error ? caught : new Error(String(caught));
      logger.warn({ notificationId: n.id, kind: n.kind, reason: error.message }, 'Teams activity feed refused a notification; sent by email instead');
    }
    await record(orm, deps, n, error, time());
    if (error) tally.email += 1;
    else tally.feed += 1;
  }
}
