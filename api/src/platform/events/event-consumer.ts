import type { Em, Orm } from '../db/orm.js';

/**
 * One consumer's reading of the domain events, each event handled once however many instances read
 * at once: an event is claimed by a row in the consumer's claim table (`id` bigint primary key,
 * `handled_at` timestamptz default now()), inserted in the transaction that handles it, so a second
 * instance's claim waits for the first's commit and then finds it taken. The cursor table's one row
 * (`id` smallint, `below` bigint) is a low-water mark: every event at or below it is handled, and its
 * claims are dropped. A sequence's ids can commit out of order (a transaction that took id 7 may commit
 * after one that took id 8), so the mark passes only events handled a while ago with none missing below.
 * (Notifications and webhooks each read the events this way, with tables of their own.)
 */
export interface EventConsumerTables {
  claim: string;
  cursor: string;
}

export interface ConsumedEvent {
  id: string;
  kind: string;
  occurred_at: Date;
  actor: string;
  school_id: string | null;
  visit_id: string | null;
  note_id: string | null;
  partner_id: string | null;
  data: Record<string, unknown> | null;
}

const CURSOR = 1;
const BATCH = 100;
const IDENTIFIER = /^[a-z_]+$/;

/** Moves the low-water mark past events handled a while ago with none unhandled below them, and drops the claims under it. */
async function advanceCursor(em: Em, { claim, cursor }: EventConsumerTables, floor: string): Promise<void> {
  await em.execute(`insert into ${cursor} (id, below) values (?, 0) on conflict do nothing`, [CURSOR]);
  await em.execute(`update ${cursor} set below = greatest(below, ?::bigint) where id = ?`, [floor, CURSOR]);
  await em.execute(
    `update ${cursor} c set below = coalesce((
        select max(h.id) from ${claim} h
         where h.id > c.below and h.handled_at < now() - interval '5 minutes'
           and not exists (select 1 from domain_event e where e.id > c.below and e.id < h.id
                             and not exists (select 1 from ${claim} h2 where h2.id = e.id))
      ), c.below)
      where c.id = ?`,
    [CURSOR],
  );
  await em.execute(`delete from ${claim} where id <= (select below from ${cursor} where id = ?)`, [CURSOR]);
}

/**
 * Hands each event not yet handled by this consumer to `handle`, in id order, each in its own
 * transaction with its claim; returns how many this run handled. `floor`: events at or below it
 * concern this consumer no more (e.g. older than every subscription) and are passed over.
 */
export async function consumeEvents(
  orm: Orm,
  tables: EventConsumerTables,
  handle: (tx: Em, event: ConsumedEvent) => Promise<void>,
  options: { floor?: string } = {},
): Promise<number> {
  const floor = options.floor ?? '0';
  if (!/^\d{1,19}$/.test(floor)) throw new Error('consumeEvents: the floor is an event id');
  if (!IDENTIFIER.test(tables.claim) || !IDENTIFIER.test(tables.cursor)) throw new Error('consumeEvents: table names are identifiers');
  const em = orm.em.fork() as Em;
  let handled = 0;
  for (;;) {
    const events = await em.execute<ConsumedEvent[]>(
      `select e.id::text as id, e.kind, e.occurred_at, e.actor, e.school_id, e.visit_id, e.note_id, e.partner_id, e.data
         from domain_event e
        where e.id > greatest(coalesce((select below from ${tables.cursor} where id = ?), 0), ?::bigint)
          and not exists (select 1 from ${tables.claim} c where c.id = e.id)
        order by e.id limit ${BATCH}`,
      [CURSOR, floor],
    );
    for (const event of events) {
      const mine = await (orm.em.fork() as Em).transactional(async (tx) => {
        const claimed = await tx.execute(`insert into ${tables.claim} (id) values (?) on conflict do nothing returning id`, [event.id]);
        if (!claimed.length) return false;
        await handle(tx, event);
        return true;
      });
      if (mine) handled += 1;
    }
    if (events.length < BATCH) break;
  }
  await advanceCursor(em, tables, floor);
  return handled;
}
