import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { ReadDb } from '../db/orm.js';
import { readStatement } from '../db/read-statement.js';
import { badInput } from '../errors.js';
import type { Connection } from '../pagination/connection.js';
import { decodeCursorObject, encodeCursorObject } from '../pagination/cursor-json.js';
import { DomainEventKind } from './domain-events.js';

/**
 * Tombstones: the records that left a list, or changed state for good, so a copy kept by another
 * system can drop or mark them. They are read from the domain events (the change's own
 * transaction wrote them), in the events' order, and hold ids, kinds and instants only; what
 * each event kind means here is the table below. Lists with `changedSince` give what is there;
 * tombstones what went.
 */

export enum RecordType {
  SCHOOL = 'SCHOOL',
  PARTNER = 'PARTNER',
  VISIT = 'VISIT',
  NOTE_OF_VISIT = 'NOTE_OF_VISIT',
}
registerEnumType(RecordType, { name: 'RecordType', description: 'A kind of record other systems keep copies of.' });

export enum TombstoneKind {
  DELETED = 'DELETED',
  CLOSED = 'CLOSED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(TombstoneKind, {
  name: 'TombstoneKind',
  description: 'What became of the record.',
  valuesConfig: {
    DELETED: { description: 'Disposed of under the retention schedule: gone from every list and query.' },
    CLOSED: { description: 'A school the national register import closed; it stays, with status CLOSED.' },
    CANCELLED: { description: 'A visit cancelled; it stays, with status CANCELLED (a visit booked again comes back in the lists).' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'A record deleted, closed or cancelled: for keeping a copy in step (docs/api.md, "Following changes").' })
export class Tombstone {
  @Field(() => ID, { description: "The record's id." })
  id!: string;

  @Field(() => RecordType)
  type!: RecordType;

  @Field(() => TombstoneKind)
  kind!: TombstoneKind;

  @Field(() => Date, { description: 'When it happened.' })
  at!: Date;
}

/** Each event kind that makes a tombstone, as SQL over the event (alias e), with the id it is about. */
const SOURCES: { type: RecordType; kind: TombstoneKind; where: string; id: string }[] = [
  {
    type: RecordType.SCHOOL,
    kind: TombstoneKind.CLOSED,
    where: `e.kind = '${DomainEventKind.SCHOOL_REGISTER_CHANGED}' and e.data->>'closed' = 'true'`,
    id: 'e.school_id',
  },
  { type: RecordType.VISIT, kind: TombstoneKind.CANCELLED, where: `e.kind = '${DomainEventKind.VISIT_CANCELLED}'`, id: 'e.visit_id' },
  {
    type: RecordType.VISIT,
    kind: TombstoneKind.DELETED,
    where: `e.kind = '${DomainEventKind.RECORD_DISPOSED}' and e.data->>'record' = 'visit'`,
    id: 'e.visit_id',
  },
  {
    type: RecordType.NOTE_OF_VISIT,
    kind: TombstoneKind.DELETED,
    where: `e.kind = '${DomainEventKind.RECORD_DISPOSED}' and e.data->>'record' = 'note'`,
    id: 'e.note_id',
  },
];

/** Record types anyone who may read the list may see: the register's schools and the council's partners. */
const PUBLIC_TYPES = new Set([RecordType.SCHOOL, RecordType.PARTNER]);

/** A tombstone's cursor: its event's id (a sequence). */
export function encodeTombstoneCursor(eventId: string): string {
  return encodeCursorObject({ event: eventId });
}

export function decodeTombstoneCursor(after: string): string {
  const value = decodeCursorObject(after);
  const event = value?.event;
  if (!value || Object.keys(value).length !== 1 || typeof event !== 'string' || !/^[1-9]\d{0,17}$/.test(event)) {
    throw badInput('The cursor "after" is not valid: pass a pageInfo.endCursor from an earlier page of tombstones.', 'after');
  }
  return event;
}

export interface TombstoneQuery {
  changedSince: Date;
  /** Only these types; all when empty. */
  types: RecordType[];
  first: number;
  after: string | null;
  /**
   * The schools whose visits and notes the reader may see (AccessPolicy.visitSchoolIds); null for all.
   * Tombstones of visits and notes elsewhere are left out, like the visits themselves.
   */
  visitSchoolIds: ReadonlySet<string> | null;
}

/**
 * A page of tombstones after `changedSince` (the event's instant), in the events' order, in one
 * statement with its total (domain_event_kind_index: the kinds, then the instant).
 */
export async function tombstones(db: ReadDb, { changedSince, types, first, after, visitSchoolIds }: TombstoneQuery): Promise<Connection<Tombstone>> {
  const lastEvent = after ? decodeTombstoneCursor(after) : null;
  const sources = SOURCES.filter((s) => !types.length || types.includes(s.type));
  const empty = { edges: [], nodes: [], pageInfo: { hasNextPage: false, hasPreviousPage: !!lastEvent, startCursor: null, endCursor: null }, totalCount: 0 };
  if (!sources.length) return empty;
  const params: unknown[] = [];
  const which = sources.map((s, i) => {
    const scoped = visitSchoolIds && !PUBLIC_TYPES.has(s.type);
    return { when: `(${s.where} and ${s.id} is not null${scoped ? " and e.school_id = any(string_to_array(?, ',')::uuid[])" : ''})`, scoped, i };
  });
  // the source of each event: its index in `sources`, by the first condition it meets
  const sourceSql = `case ${which.map((w) => `when ${w.when} then ${w.i}`).join(' ')} end`;
  // the schools as one text (the embedded database's driver would spread an array into a list)
  const scopeParams = () => which.flatMap((w) => (w.scoped ? [[...visitSchoolIds!].join(',')] : []));
  const matches = `e.occurred_at > ? and (${which.map((w) => w.when).join(' or ')})`;
  const sql =
    `with page as (select e.id, e.occurred_at, ${sourceSql} as source, ${sources.map((s, i) => `${s.id} as id${i}`).join(', ')} ` +
    `from domain_event e where ${matches}${lastEvent ? ' and e.id > ?' : ''} order by e.id limit ?) ` +
    `select (select count(*)::int from domain_event e where ${matches}) as total, page.* from (select 1) one left join page on true order by page.id`;
  params.push(...scopeParams(), changedSince, ...scopeParams(), ...(lastEvent ? [lastEvent] : []), first + 1, changedSince, ...scopeParams());
  const rows = await readStatement(db, sql, params);
  const found = rows.filter((r) => r.id !== null);
  const page = found.slice(0, first).map((r) => {
    const source = Number(r.source);
    const s = sources[source]!;
    const node = Object.assign(new Tombstone(), { id: r[`id${source}`] as string, type: s.type, kind: s.kind, at: new Date(r.occurred_at as string) });
    return { cursor: encodeTombstoneCursor(String(r.id)), node };
  });
  return {
    edges: page,
    nodes: page.map((e) => e.node),
    pageInfo: {
      hasNextPage: found.length > first,
      hasPreviousPage: !!lastEvent,
      startCursor: page[0]?.cursor ?? null,
      endCursor: page.at(-1)?.cursor ?? null,
    },
    totalCount: Number(rows[0]?.total ?? 0),
  };
}
