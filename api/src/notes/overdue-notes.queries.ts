import { raw, type FilterQuery } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Em } from '../platform/db/orm.js';
import { readStatement } from '../platform/db/read-statement.js';
import { badInput } from '../platform/errors.js';
import { checkId } from '../platform/graphql/lookup.js';
import { rowJson, viewOf } from '../platform/graphql/read-views.js';
import { perSelection, type ViewSelection } from '../platform/graphql/selection.js';
import { Partner } from '../partners/partner.entity.js';
import { NoteOfVisit } from './note-of-visit.entity.js';
import { LATE_READS, LATE_SQL } from './late-note.rules.js';
import { noteWithVisitColumns, noteWithVisitView, NOTE_VISIT_VIEW_FIELDS } from './note.queries.js';
import { NoteStatus } from './note.enums.js';
import { canSeeNote } from './note.access.js';

@ObjectType({ simpleResolvers: true, description: "One partner's late notes of visit." })
export class OverdueNotesOfPartner {
  @Field(() => Partner)
  partner!: Partner;

  @Field(() => Int, { description: 'Drafts not yet shared with the headteacher 5 working days after the visit.' })
  lateDrafts!: number;

  @Field(() => Int, { description: 'Notes not yet circulated 10 working days after the visit.' })
  lateCirculations!: number;

  @Field(() => [NoteOfVisit], { description: 'The late notes, most overdue first (empty for other council systems: the notes are not circulated).' })
  notes!: NoteOfVisit[];
}

/** The field resolvers the report's read views serve (a note's visit, its school); see note.queries.ts. */
export const OVERDUE_VIEW_FIELDS: ReadonlyMap<string, readonly string[]> = new Map(NOTE_VISIT_VIEW_FIELDS.filter(([key]) => key !== 'NoteOfVisit.author'));

interface Filters {
  partnerId?: string | null;
  laCode?: number | null;
}

/**
 * Late notes by partner: a manager or a service sees everyone's, a partner their own;
 * optionally one partner's, or one local authority's (a national service serves many).
 * `today` is the business clock's date (businessDateOf(context.clock.now())).
 * With `selection` (from selectionWithin(info, OVERDUE_VIEW_FIELDS)), read views in one
 * statement; without, the ORM's entities.
 */
export async function overdueNotes(
  em: Em,
  access: AccessPolicy,
  { partnerId = null, laCode = null }: Filters = {},
  today: string,
  selection: ViewSelection | null = null,
): Promise<OverdueNotesOfPartner[]> {
  if (laCode !== null && (!Number.isInteger(laCode) || laCode < 100 || laCode > 999)) {
    throw badInput('laCode must be a three-digit local authority code, e.g. 926.', 'laCode');
  }
  const ownOnly = access.principal.kind === 'person' && !access.isManager ? access.principal.partnerId : null;
  const author = partnerId ? checkId(partnerId, 'partnerId') : null;
  const late = selection
    ? await lateNoteViews(em, { ownOnly, author, laCode }, today, selection)
    : await lateNoteEntities(em, { ownOnly, author, laCode }, today);
  return byPartner(late, access, today);
}

interface LateFilters {
  ownOnly: string | null;
  author: string | null;
  laCode: number | null;
}

/** The late notes' conditions (alias n, its visit v): the rule (late-note.rules.ts) and the filters, for both paths. */
function lateConditions({ ownOnly, author, laCode }: LateFilters, today: string): { sql: string; params: unknown[] } {
  const conditions = [LATE_SQL];
  const params: unknown[] = [today, today];
  if (ownOnly) {
    conditions.push('n.author_id = ?');
    params.push(ownOnly);
  }
  if (author) {
    conditions.push('n.author_id = ?');
    params.push(author);
  }
  if (laCode !== null) {
    conditions.push('v.school_id in (select id from school where la_code = ?)');
    params.push(laCode);
  }
  return { sql: conditions.join(' and '), params };
}

/** The late notes as entities, in one statement: the same SQL as the read views, as a condition on the id. */
async function lateNoteEntities(em: Em, filters: LateFilters, today: string) {
  const late = lateConditions(filters, today);
  const lateIds = raw(`(select n.id from note_of_visit n join visit v on v.id = n.visit_id where ${late.sql})`, late.params);
  const notes = await em.find(NoteOfVisit, { id: { $in: lateIds } } as FilterQuery<NoteOfVisit>, {
    populate: ['author'],
    orderBy: { circulationDueOn: 'asc', id: 'asc' },
  });
  return notes.map((note) => ({ note, partner: note.author.getEntity() }));
}

/** A selection's columns: made once per query. */
const selectList = perSelection((selection, em) => {
  // The grouping reads each note's status and due dates, and its author's id and name.
  const fields = new Map(selection.fields);
  fields.set('NoteOfVisit', new Set([...(selection.fields.get('NoteOfVisit') ?? []), ...LATE_READS]));
  const notes = { reached: selection.reached, fields };
  return { notes, sql: `${noteWithVisitColumns(em, notes)}, ${rowJson(em, Partner, 'a', selection.fields.get('Partner'), ['id', 'name'])} as partner` };
});

/**
 * The late notes as read views, in one statement: their ids found from the open
 * notes' partial index alone (note_of_visit_open_visit_id_cover_index), then only
 * those rows read, with the visit, school and author columns the request asked for.
 */
async function lateNoteViews(em: Em, filters: LateFilters, today: string, selection: ViewSelection) {
  const late = lateConditions(filters, today);
  const columns = selectList(selection, em);
  const rows = await readStatement(
    em,
    `select ${columns.sql}
     from note_of_visit n join visit v on v.id = n.visit_id join partner a on a.id = n.author_id
     where n.id in (select n.id from note_of_visit n join visit v on v.id = n.visit_id where ${late.sql})
     order by n.circulation_due_on, n.id`,
    late.params,
  );
  const notes = columns.notes;
  return rows.map((row) => ({ note: noteWithVisitView(em, row, notes), partner: viewOf(em, Partner, row.partner as Record<string, unknown>) }));
}

function byPartner(late: { note: NoteOfVisit; partner: Partner }[], access: AccessPolicy, today: string): OverdueNotesOfPartner[] {
  const groups = new Map<string, OverdueNotesOfPartner>();
  for (const { note, partner } of late) {
    const group = groups.get(partner.id) ?? { partner, lateDrafts: 0, lateCirculations: 0, notes: [] };
    if (note.status === NoteStatus.DRAFT && note.draftDueOn < today) group.lateDrafts += 1;
    if (note.circulationDueOn < today) group.lateCirculations += 1;
    if (canSeeNote(access, note)) group.notes.push(note);
    groups.set(partner.id, group);
  }
  return [...groups.values()].sort(
    (a, b) => b.lateDrafts + b.lateCirculations - (a.lateDrafts + a.lateCirculations) || a.partner.name.localeCompare(b.partner.name),
  );
}
