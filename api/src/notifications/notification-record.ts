import { randomUUID } from 'node:crypto';
import { utcDay } from '../platform/dates/bank-holidays.js';
import { longLondonDate } from '../platform/dates/today.js';
import type { Em } from '../platform/db/orm.js';
import type { Outbox } from '../mail/outbox.js';
import { Visit } from '../visits/visit.entity.js';
import { VISIT_TYPE_LABELS, type VisitType } from '../visits/visit.enums.js';
import { NotificationChannel, type NotificationKind, NotificationStatus } from './notification.enums.js';
import { defaultChannel, noteDeepLink, type NotificationWords } from './notification.rules.js';

/** What telling someone needs from the app: the outbox, and the feed when there is one. */
export interface TellDeps {
  outbox: Pick<Outbox, 'queue'>;
  /** The Teams feed is on: TEAMS notifications wait for it (notification-delivery.ts); otherwise they go by email at once. */
  feedOn: boolean;
  teamsAppId: string;
}

export interface Person {
  id: string;
  email: string;
  name: string;
}

export interface Telling {
  key: string;
  kind: NotificationKind;
  recipient: Person;
  words: NotificationWords;
  noteId: string | null;
  visitId: string | null;
}

/** A date "YYYY-MM-DD" in words: "Thursday 11 March 2027". */
export const dayInWords = (isoDate: string): string => longLondonDate(utcDay(isoDate));

/** A visit in words, as emails have said it since calendar sync: "autumn visit to Oakfield Primary on Tuesday 9 March 2027". */
export const visitInWords = (type: string, school: string, startsAt: Date): string =>
  `${(VISIT_TYPE_LABELS[type as VisitType] ?? 'Visit').toLowerCase()} to ${school} on ${longLondonDate(startsAt)}`;

/** The person's channel for a kind: their choice, or the default. */
export async function channelOf(tx: Em, partnerId: string, kind: NotificationKind): Promise<NotificationChannel> {
  const [row] = await tx.execute<{ channel: NotificationChannel }[]>(`select channel from notification_preference where partner_id = ? and kind = ?`, [
    partnerId,
    kind,
  ]);
  return row?.channel ?? defaultChannel(kind);
}

export function emailBody(words: NotificationWords, link: string | null): string {
  return [
    words.text,
    ...(words.advice ? ['', words.advice] : []),
    ...(link ? ['', `Open it in Teams: ${link}`] : []),
    '',
    'You choose what you are told, and how, in the School visits app (Notifications).',
  ].join('\n');
}

/** Queues the email of a notification in the caller's transaction (flushed with it). */
export function queueNotificationEmail(
  tx: Em,
  deps: Pick<TellDeps, 'outbox' | 'teamsAppId'>,
  t: Pick<Telling, 'recipient' | 'words' | 'visitId' | 'noteId'>,
): void {
  deps.outbox.queue(tx, {
    to: t.recipient.email,
    toName: t.recipient.name,
    subject: t.words.title,
    body: emailBody(t.words, t.noteId && t.visitId ? noteDeepLink(deps.teamsAppId, t.visitId) : null),
    visit: t.visitId ? tx.getReference(Visit, t.visitId) : null,
  });
}

/**
 * Tells one person one thing, once, in the caller's transaction: the notification row is inserted first
 * (unique on key and recipient: a second attempt, here or on another instance, inserts nothing and sends
 * nothing), then, for email, the message is queued beside it. A TEAMS notification with the feed on waits,
 * PENDING, for the delivery run. False when nothing was done (already told, or they chose NONE).
 */
export async function tell(tx: Em, deps: TellDeps, t: Telling, now: Date): Promise<boolean> {
  const channel = await channelOf(tx, t.recipient.id, t.kind);
  if (channel === NotificationChannel.NONE) return false;
  const byFeed = channel === NotificationChannel.TEAMS && deps.feedOn;
  const inserted = await tx.execute<{ id: string }[]>(
    `insert into notification (id, created_at, updated_at, key, recipient_id, kind, channel, status, note_id, visit_id, title, text, attempts, sent_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
     on conflict (key, recipient_id) do nothing returning id`,
    [
      randomUUID(),
      now,
      now,
      t.key,
      t.recipient.id,
      t.kind,
      channel,
      byFeed ? NotificationStatus.PENDING : NotificationStatus.SENT_EMAIL,
      t.noteId,
      t.visitId,
      t.words.title,
      [t.words.text, t.words.advice].filter(Boolean).join('\n\n'),
      byFeed ? null : now,
    ],
  );
  if (!inserted.length) return false;
  if (!byFeed) queueNotificationEmail(tx, deps, t);
  return true;
}
