import type { Em, Orm } from '../platform/db/orm.js';
import { consumeEvents, type ConsumedEvent } from '../platform/events/event-consumer.js';
import { EVENT_NOTIFICATIONS, notificationWords, type Audience } from './notification.rules.js';
import { tell, visitInWords, type Person, type TellDeps } from './notification-record.js';

/**
 * The consumer of domain events (platform/events/event-consumer.ts): each event is claimed once (a row in
 * notification_event_claim, inserted in the transaction that tells its people; a second instance's
 * claim waits for the first's commit and then finds it taken), and told to the people
 * EVENT_NOTIFICATIONS names, keyed `event:<id>` per person.
 */
const TABLES = { claim: 'notification_event_claim', cursor: 'notification_cursor' };

type EventRow = ConsumedEvent;

interface EventContext {
  school: string;
  visit: string;
  visitId: string | null;
  noteId: string | null;
  authorId: string | null;
  leadId: string | null;
  authorMentorId: string | null;
}

/** The record an event is about, read for the words and the people: the note, else the visit, else the school. */
async function contextOf(tx: Em, e: EventRow): Promise<EventContext> {
  const [row] = await tx.execute<
    {
      visit_id: string;
      note_id: string | null;
      type: string;
      starts_at: Date;
      school: string;
      lead_partner_id: string;
      author_id: string | null;
      mentor_id: string | null;
    }[]
  >(
    `select v.id as visit_id, n.id as note_id, v.type, v.starts_at, s.name as school, v.lead_partner_id, n.author_id, a.mentor_id
       from visit v join school s on s.id = v.school_id
       left join note_of_visit n on n.visit_id = v.id
       left join partner a on a.id = n.author_id
      where ${e.note_id ? 'n.id = ?' : 'v.id = ?'}`,
    [e.note_id ?? e.visit_id ?? '00000000-0000-0000-0000-000000000000'],
  );
  if (row) {
    return {
      school: row.school,
      visit: visitInWords(row.type, row.school, new Date(row.starts_at)),
      visitId: row.visit_id,
      noteId: row.note_id,
      authorId: row.author_id,
      leadId: row.lead_partner_id,
      authorMentorId: row.mentor_id,
    };
  }
  const [school] = e.school_id ? await tx.execute<{ name: string }[]>(`select name from school where id = ?`, [e.school_id]) : [];
  const name = school?.name ?? 'a school';
  return { school: name, visit: `visit to ${name}`, visitId: null, noteId: null, authorId: null, leadId: null, authorMentorId: null };
}

const people = (tx: Em, ids: (string | null | undefined)[]) => {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (!wanted.length) return Promise.resolve([] as Person[]);
  return tx.execute<Person[]>(`select id, email, name from partner where active and id in (${wanted.map(() => '?').join(', ')}) order by name, id`, wanted);
};

/** Who an audience is for this event. The partner the event names stands before the note's author. */
async function audience(tx: Em, to: Audience, e: EventRow, c: EventContext): Promise<Person[]> {
  const author = e.partner_id ?? c.authorId;
  switch (to) {
    case 'author':
      return people(tx, [author]);
    case 'lead':
      return people(tx, [c.leadId ?? e.partner_id]);
    case 'mentor': {
      const named = typeof e.data?.mentorId === 'string' ? e.data.mentorId : null;
      if (named) return people(tx, [named]);
      if (!author) return [];
      const [row] = await tx.execute<{ mentor_id: string | null }[]>(`select mentor_id from partner where id = ?`, [author]);
      return people(tx, [row?.mentor_id]);
    }
    case 'managers':
      return tx.execute<Person[]>(`select id, email, name from partner where active and role = 'manager' order by name, id`);
  }
}

/** Tells one event's people, in the transaction that claims it (platform/events/event-consumer.ts). */
async function handleEvent(tx: Em, deps: TellDeps, e: EventRow, now: Date): Promise<void> {
  const rules = EVENT_NOTIFICATIONS[e.kind] ?? [];
  if (!rules.length) return;
  const c = await contextOf(tx, e);
  const how = typeof e.data?.how === 'string' ? e.data.how : 'cancelled';
  for (const rule of rules) {
    for (const person of await audience(tx, rule.to, e, c)) {
      // Nobody is told of what they did themselves.
      if (e.actor === `partner:${person.id}`) continue;
      const words = notificationWords(rule.kind as never, { school: c.school, visit: c.visit, how });
      await tell(tx, deps, { key: `event:${e.id}`, kind: rule.kind, recipient: person, words, noteId: c.noteId, visitId: c.visitId }, now);
    }
  }
  await tx.flush(); // the emails queued beside the rows
}

/** Tells what the events not yet handled say; returns how many events this run handled. */
export function tellEvents(orm: Orm, deps: TellDeps, now: Date): Promise<number> {
  return consumeEvents(orm, TABLES, (tx, e) => handleEvent(tx, deps, e, now));
}
