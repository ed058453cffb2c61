import type { Em, Orm } from '../platform/db/orm.js';
import { EVENT_NOTIFICATIONS, notificationWords, type Audience } from './notification.rules.js';
import { tell, visitInWords, type Person, type TellDeps } from './notification-record.js';

/**
 * The consumer of domain events (platform/events): each event is claimed once (a row in
 * notification_event_claim, inserted in the transaction that tells its people; a second instance's
 * claim waits for the first's commit and then finds it taken), and told to the people
 * EVENT_NOTIFICATIONS names, keyed `event:<id>` per person.
 */
/** The cursor row's id (one consumer). */
const CURSOR = 1;
const BATCH = 100;

interface EventRow {
  id: string;
  kind: string;
  actor: string;
  school_id: string | null;
  visit_id: string | null;
  note_id: string | null;
  partner_id: string | null;
  data: Record<string, unknown> | null;
}

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

/** Handles one event in its own transaction; false when another run had claimed it. */
async function handleEvent(orm: Orm, deps: TellDeps, e: EventRow, now: Date): Promise<boolean> {
  return (orm.em.fork() as Em).transactional(async (tx) => {
    const claimed = await tx.execute(`insert into notification_event_claim (id) values (?) on conflict do nothing returning id`, [e.id]);
    if (!claimed.length) return false;
    const rules = EVENT_NOTIFICATIONS[e.kind] ?? [];
    if (!rules.length) return true;
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
    return true;
  });
}

/**
 * Moves the low-water mark past events handled a while ago with none unhandled below them (a transaction
 * holding an older id commits within seconds, never minutes), and drops the claims under it.
 */
async function advanceCursor(em: Em): Promise<void> {
  await em.execute(`insert into notification_cursor (id, below) values (?, 0) on conflict do nothing`, [CURSOR]);
  await em.execute(
    `update notification_cursor c set below = coalesce((
        select max(h.id) from notification_event_claim h
         where h.id > c.below and h.handled_at < now() - interval '5 minutes'
           and not exists (select 1 from domain_event e where e.id > c.below and e.id < h.id
                             and not exists (select 1 from notification_event_claim h2 where h2.id = e.id))
      ), c.below)
      where c.id = ?`,
    [CURSOR],
  );
  await em.execute(`delete from notification_event_claim where id <= (select below from notification_cursor where id = ?)`, [CURSOR]);
}

/** Tells what the events not yet handled say; returns how many events this run handled. */
export async function tellEvents(orm: Orm, deps: TellDeps, now: Date): Promise<number> {
  const em = orm.em.fork() as Em;
  let handled = 0;
  for (;;) {
    const events = await em.execute<EventRow[]>(
      `select e.id::text as id, e.kind, e.actor, e.school_id, e.visit_id, e.note_id, e.partner_id, e.data
         from domain_event e
        where e.id > coalesce((select below from notification_cursor where id = ?), 0)
          and not exists (select 1 from notification_event_claim c where c.id = e.id)
        order by e.id limit ${BATCH}`,
      [CURSOR],
    );
    for (const e of events) if (await handleEvent(orm, deps, e, now)) handled += 1;
    if (events.length < BATCH) break;
  }
  await advanceCursor(em);
  return handled;
}
