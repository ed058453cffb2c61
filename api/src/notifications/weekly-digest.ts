import { randomUUID } from 'node:crypto';
import { LATE_SQL } from '../notes/late-note.rules.js';
import { plusDays } from '../platform/dates/bank-holidays.js';
import { businessDateOf, formatLondon } from '../platform/dates/today.js';
import type { Em, Orm } from '../platform/db/orm.js';
import { NotificationChannel, NotificationKind, NotificationStatus } from './notification.enums.js';
import { EVENT_NOTIFICATIONS, notificationWords } from './notification.rules.js';
import { channelOf, dayInWords, visitInWords, type Person, type TellDeps } from './notification-record.js';

/**
 * The weekly digest by email: on Monday from 07:00 London time, once per person and week (keyed
 * `weekly_digest:<Monday>`, the same unique row as every notification), to each active person who has not
 * turned it off: their notes due this week, their late notes, what awaits them (moderation for managers, a
 * first note to review for mentors), and what happened to their notes last week. Nothing to say, no email.
 */
export const DIGEST_FROM_HOUR = 7;

/**
 * The Monday of the digest's week while its digest may go (Monday from 07:00 London time); null otherwise.
 * A digest is about the week ahead: one not sent on the Monday (every instance down all day) is not sent late.
 */
export function digestWeek(now: Date): string | null {
  const isoDay = Number(formatLondon(now, 'i')); // 1 = Monday
  const hour = Number(formatLondon(now, 'H'));
  if (isoDay !== 1 || hour < DIGEST_FROM_HOUR) return null;
  return businessDateOf(now);
}

interface NoteLine {
  note_id: string;
  type: string;
  starts_at: Date;
  school: string;
  status: string;
  draft_due_on: string;
  circulation_due_on: string;
}

const NOTE_COLUMNS = `n.id as note_id, v.type, v.starts_at, s.name as school, n.status,
  to_char(n.draft_due_on, 'YYYY-MM-DD') as draft_due_on, to_char(n.circulation_due_on, 'YYYY-MM-DD') as circulation_due_on`;
const NOTE_JOINS = `from note_of_visit n join visit v on v.id = n.visit_id join school s on s.id = v.school_id`;

const visitOf = (n: NoteLine) => visitInWords(n.type, n.school, new Date(n.starts_at));

export interface DigestSections {
  dueThisWeek: string[];
  late: string[];
  awaitingYou: string[];
  lastWeek: string[];
}

/** What one person's digest says for the week starting `monday`. */
export async function digestFor(em: Em, person: Person & { role: string }, monday: string, today: string): Promise<DigestSections> {
  const sunday = plusDays(monday, 6);
  const due = await em.execute<NoteLine[]>(
    `select ${NOTE_COLUMNS} ${NOTE_JOINS}
      where n.author_id = ? and n.revision = 1 and n.status <> 'circulated'
        and ((n.status = 'draft' and n.draft_due_on between ? and ?) or n.circulation_due_on between ? and ?)
      order by least(n.draft_due_on, n.circulation_due_on), n.id`,
    [person.id, monday, sunday, monday, sunday],
  );
  const dueThisWeek = due.flatMap((n) => [
    ...(n.status === 'draft' && n.draft_due_on >= monday && n.draft_due_on <= sunday
      ? [`Draft to the headteacher by ${dayInWords(n.draft_due_on)}: ${visitOf(n)}`]
      : []),
    ...(n.circulation_due_on >= monday && n.circulation_due_on <= sunday ? [`Circulation by ${dayInWords(n.circulation_due_on)}: ${visitOf(n)}`] : []),
  ]);
  const lateRows = await em.execute<NoteLine[]>(
    `select ${NOTE_COLUMNS} ${NOTE_JOINS} where n.author_id = ? and ${LATE_SQL} order by n.circulation_due_on, n.id`,
    [person.id, today, today],
  );
  const late = lateRows.map((n) =>
    n.status === 'draft' && n.draft_due_on < today
      ? `Draft was due ${dayInWords(n.draft_due_on)}: ${visitOf(n)}`
      : `Circulation was due ${dayInWords(n.circulation_due_on)}: ${visitOf(n)}`,
  );
  const awaitingYou: string[] = [];
  if (person.role === 'manager') {
    const disputed = await em.execute<NoteLine[]>(`select ${NOTE_COLUMNS} ${NOTE_JOINS} where n.status = 'disputed' order by n.headteacher_responded_at, n.id`);
    awaitingYou.push(...disputed.map((n) => `To moderate (the headteacher disputed it): ${visitOf(n)}`));
  }
  // First notes sent to this person as mentor and not yet released (quality assurance's events, read as they arrive).
  const mentoring = await em.execute<NoteLine[]>(
    `select ${NOTE_COLUMNS} ${NOTE_JOINS} join partner a on a.id = n.author_id
      where exists (select 1 from domain_event e where e.note_id = n.id and e.kind = 'note.awaiting_mentor'
                      and coalesce(e.data->>'mentorId', a.mentor_id::text) = ?
                      and not exists (select 1 from domain_event r where r.note_id = n.id and r.id > e.id
                                        and r.kind in ('note.mentor_released', 'note.mentor_commented')))
      order by n.id`,
    [person.id],
  );
  awaitingYou.push(...mentoring.map((n) => `A first note to review as mentor: ${visitOf(n)}`));
  // Last week on their notes: what the author is told of, in the same words.
  const authorKinds = Object.entries(EVENT_NOTIFICATIONS).flatMap(([kind, rules]) =>
    rules.filter((r) => r.to === 'author').map((r) => ({ event: kind, kind: r.kind })),
  );
  const events = await em.execute<(NoteLine & { kind: string })[]>(
    `select e.kind, ${NOTE_COLUMNS} from domain_event e join note_of_visit n on n.id = e.note_id join visit v on v.id = n.visit_id join school s on s.id = v.school_id
      where coalesce(e.partner_id, n.author_id) = ? and e.occurred_at >= ?::date::timestamptz - interval '7 days' and e.occurred_at < ?::date::timestamptz
        and e.kind in (${authorKinds.map(() => '?').join(', ')})
      order by e.occurred_at, e.id`,
    [person.id, monday, monday, ...authorKinds.map((k) => k.event)],
  );
  const lastWeek = events.map((e) => {
    const kind = authorKinds.find((k) => k.event === e.kind)!.kind;
    return notificationWords(kind as never, { school: e.school, visit: visitOf(e) }).text;
  });
  return { dueThisWeek, late, awaitingYou, lastWeek };
}

export function digestBody(monday: string, s: DigestSections): string {
  const section = (heading: string, lines: string[], none: string) => [heading, ...(lines.length ? lines.map((l) => `- ${l}`) : [`- ${none}`]), ''];
  return [
    `Your week from ${dayInWords(monday)}.`,
    '',
    ...section('Due this week', s.dueThisWeek, 'Nothing.'),
    ...section('Late', s.late, 'Nothing late.'),
    ...section('Waiting for you', s.awaitingYou, 'Nothing.'),
    ...section('Last week on your notes', s.lastWeek, 'Nothing happened.'),
    'You choose what you are told, and how, in the School visits app (Notifications).',
  ].join('\n');
}

/** Sends this week's digests not yet sent; returns how many were sent. */
export async function sendWeeklyDigests(orm: Orm, deps: Pick<TellDeps, 'outbox'>, now: Date): Promise<number> {
  const monday = digestWeek(now);
  if (!monday) return 0;
  const key = `${NotificationKind.WEEKLY_DIGEST}:${monday}`;
  const em = orm.em.fork() as Em;
  const everyone = await em.execute<(Person & { role: string })[]>(
    `select p.id, p.email, p.name, p.role from partner p
      where p.active and not exists (select 1 from notification x where x.key = ? and x.recipient_id = p.id)
      order by p.name, p.id`,
    [key],
  );
  const today = businessDateOf(now);
  let sent = 0;
  for (const person of everyone) {
    if ((await channelOf(em, person.id, NotificationKind.WEEKLY_DIGEST)) === NotificationChannel.NONE) continue;
    const sections = await digestFor(em, person, monday, today);
    if (!Object.values(sections).some((lines) => lines.length)) continue;
    const title = `Your week: ${dayInWords(monday)}`;
    await (orm.em.fork() as Em).transactional(async (tx) => {
      const inserted = await tx.execute(
        `insert into notification (id, created_at, updated_at, key, recipient_id, kind, channel, status, title, text, attempts, sent_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) on conflict (key, recipient_id) do nothing returning id`,
        [
          randomUUID(),
          now,
          now,
          key,
          person.id,
          NotificationKind.WEEKLY_DIGEST,
          NotificationChannel.EMAIL,
          NotificationStatus.SENT_EMAIL,
          title,
          'The weekly digest.',
          now,
        ],
      );
      if (!inserted.length) return;
      deps.outbox.queue(tx, { to: person.email, toName: person.name, subject: title, body: digestBody(monday, sections) });
      await tx.flush();
      sent += 1;
    });
  }
  return sent;
}
