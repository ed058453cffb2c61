import type { EntityClass } from '@mikro-orm/core';
import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../platform/graphql/context.js';
import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { ReadDb } from '../platform/db/orm.js';
import { readStatement } from '../platform/db/read-statement.js';
import { notFound } from '../platform/errors.js';
import { checkId, findOr404 } from '../platform/graphql/lookup.js';
import { rowJson, viewOf } from '../platform/graphql/read-views.js';
import { perSelection, selectedFieldNames, selectionWithin, type ViewSelection } from '../platform/graphql/selection.js';
import { Partner } from '../partners/partner.entity.js';
import { School } from '../schools/school.entity.js';
import { Visit } from '../visits/visit.entity.js';
import { CHILDREN, loadNoteChildren, type ChildField } from './note-children.js';
import { NoteOfVisit } from './note-of-visit.entity.js';
import { LATE_READS } from './late-note.rules.js';
import { Recommendation } from './recommendation.entity.js';
import { assertCanReadNote } from './note.access.js';

type Row = Record<string, unknown>;

/** What a note's visit, with its school, serves as a read view (shared with the overdue report). */
export const NOTE_VISIT_VIEW_FIELDS: ReadonlyArray<[string, readonly string[]]> = [
  ['NoteOfVisit.visit', []],
  ['NoteOfVisit.author', []],
  ['NoteOfVisit.overdue', LATE_READS],
  ['Visit.school', []],
  ['School.dfeNumber', ['laCode', 'establishmentNumber']],
  ['Visit.expectsNote', ['type']],
  ['Visit.noteDraftDueOn', ['type', 'startsAt']],
  ['Visit.noteCirculationDueOn', ['type', 'startsAt']],
];

/**
 * The field resolvers a note's read views serve, with the fields of their own type
 * each reads; a request reaching any other (e.g. the note's revisions, a target's
 * school) goes through the ORM.
 */
export const NOTE_VIEW_FIELDS: ReadonlyMap<string, readonly string[]> = new Map([
  ...NOTE_VISIT_VIEW_FIELDS,
  ...(Object.keys(CHILDREN) as ChildField[]).map((f): [string, string[]] => [`NoteOfVisit.${f}`, []]),
  ['RecommendationReview.recommendation', []],
  ['NoteOfVisit.docxUrl', ['id']],
]);

/** GraphQL type name of each child collection's items (the entity class names). */
const typeOf = (entity: unknown) => (entity as { name: string }).name;

/**
 * SQL columns for a note (alias n, joined to its visit v) with its visit, school
 * and author as JSON, each with only the columns the request asked for.
 */
export function noteWithVisitColumns(em: ReadDb, { reached, fields }: ViewSelection): string {
  const columns = [`v.school_id`, `${rowJson(em, NoteOfVisit, 'n', fields.get('NoteOfVisit'), ['id', 'status'])} as note`];
  if (reached.has('NoteOfVisit.visit')) columns.push(`${rowJson(em, Visit, 'v', fields.get('Visit'))} as visit`);
  if (reached.has('Visit.school')) columns.push(`(select ${rowJson(em, School, 's', fields.get('School'))} from school s where s.id = v.school_id) as school`);
  if (reached.has('NoteOfVisit.author'))
    columns.push(`(select ${rowJson(em, Partner, 'a', fields.get('Partner'))} from partner a where a.id = n.author_id) as author`);
  return columns.join(', ');
}

/** The note's view from a row of noteWithVisitColumns (plus `more` relations). */
export function noteWithVisitView(em: ReadDb, row: Row, { reached }: ViewSelection, more: Row = {}): NoteOfVisit {
  const relations: Row = { ...more };
  if (reached.has('NoteOfVisit.visit')) {
    relations.visit = viewOf(em, Visit, row.visit as Row, reached.has('Visit.school') ? { school: viewOf(em, School, row.school as Row) } : {});
  }
  if (reached.has('NoteOfVisit.author')) relations.author = viewOf(em, Partner, row.author as Row);
  return viewOf(em, NoteOfVisit, row.note as Row, relations);
}

/** The children a selection asks for, and its statement: made once per query. */
const statementOf = perSelection((selection, em) => {
  const children = (Object.keys(CHILDREN) as ChildField[]).filter((f) => selection.reached.has(`NoteOfVisit.${f}`));
  return { children, sql: noteStatement(em, selection, children) };
});

function noteStatement(em: ReadDb, selection: ViewSelection, children: ChildField[]): string {
  const { reached, fields } = selection;
  // the visit's id and lead partner: the access check's (a partner's own visit opens its note)
  const columns = [noteWithVisitColumns(em, selection), 'v.id as visit_id', 'v.lead_partner_id'];
  for (const f of children) {
    const { entity, table, orderBy } = CHILDREN[f];
    let item = rowJson(em, entity as EntityClass<object>, 'c', fields.get(typeOf(entity)));
    let from = `"${table}" c`;
    if (f === 'reviews' && reached.has('RecommendationReview.recommendation')) {
      item = `json_build_object('review', ${item}, 'recommendation', ${rowJson(em, Recommendation, 'r', fields.get('Recommendation'))})`;
      from += ' join recommendation r on r.id = c.recommendation_id';
    }
    columns.push(`(select coalesce(json_agg(${item} order by ${orderBy}), '[]') from ${from} where c.note_id = n.id) as "${f}"`);
  }
  return `select ${columns.join(', ')} from note_of_visit n join visit v on v.id = n.visit_id where n.id = ?`;
}

/**
 * One note of visit in full as read views (graphql/read-views.ts), in ONE
 * statement: the note, its visit, school and author, and each collection the
 * request asked for (the reviews with the recommendations they review), only the
 * columns asked for. The same checks and answer as the ORM's path
 * (NoteWorkflowResolver.note), which serves every other selection.
 */
export async function noteView(em: ReadDb, access: AccessPolicy, id: string, selection: ViewSelection): Promise<NoteOfVisit> {
  const { reached } = selection;
  const { children, sql } = statementOf(selection, em);
  const [row] = await readStatement(em, sql, [checkId(id)]);
  if (!row) throw notFound('NoteOfVisit', id);

  const more: Row = {};
  for (const f of children) {
    const entity = CHILDREN[f].entity as EntityClass<object>;
    more[f] = (row[f] as Row[]).map((item) =>
      f === 'reviews' && reached.has('RecommendationReview.recommendation')
        ? viewOf(em, entity, item.review as Row, { recommendation: viewOf(em, Recommendation, item.recommendation as Row) })
        : viewOf(em, entity, item),
    );
  }
  const note = noteWithVisitView(em, row, selection, more);
  await assertCanReadNote(access, note, { id: row.visit_id as string, schoolId: row.school_id as string, leadPartnerId: row.lead_partner_id as string }, em);
  return note;
}

/**
 * `note(id)`: the read view when every field the request reaches is one it serves
 * (NOTE_VIEW_FIELDS), else the ORM's entities; the same access check either way.
 */
export async function noteById(context: GraphQLContext, id: string, info: GraphQLResolveInfo): Promise<NoteOfVisit> {
  const { access } = context;
  const selection = selectionWithin(info, NOTE_VIEW_FIELDS);
  if (selection) return noteView(context.db, access, id, selection);
  const { em } = context;
  // The visit is needed for the access check, and its school and the author are nearly always
  // asked for: one joined statement instead of three.
  const note = await findOr404(em, NoteOfVisit, 'NoteOfVisit', id, 'id', ['visit.school', 'author']);
  const visit = note.visit.getEntity();
  await assertCanReadNote(access, note, { id: visit.id, schoolId: visit.school.id, leadPartnerId: visit.leadPartner.id }, em);
  // The collections asked for, in one statement rather than one each.
  await loadNoteChildren(em, note, selectedFieldNames(info));
  return note;
}
