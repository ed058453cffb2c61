import type { EntityName } from '@mikro-orm/core';
import type { Em } from '../platform/db/orm.js';
import { Finding } from './finding.entity.js';
import { HeadteacherResponse } from './headteacher-response.entity.js';
import { Judgement } from './judgement.entity.js';
import { headingOrderSql } from './note.enums.js';
import type { NoteOfVisit } from './note-of-visit.entity.js';
import { NoteRecipient } from './note-recipient.entity.js';
import { NoteRevision } from './note-revision.entity.js';
import { NoteTarget } from './note-target.entity.js';
import { RecommendationReview } from './recommendation-review.entity.js';
import { Recommendation } from './recommendation.entity.js';

export type ChildField = 'judgements' | 'findings' | 'recommendations' | 'reviews' | 'targets' | 'distribution' | 'responses' | 'revisions';

/**
 * Each collection of a note: its table and the order of the entity's `orderBy` (note-of-visit.entity.ts);
 * judgements in heading order (note.enums.ts), which the ORM's path sorts to as well.
 */
export const CHILDREN: Record<ChildField, { entity: EntityName<object>; table: string; orderBy: string }> = {
  judgements: { entity: Judgement, table: 'judgement', orderBy: headingOrderSql('c.area') },
  findings: { entity: Finding, table: 'finding', orderBy: 'c.position' },
  recommendations: { entity: Recommendation, table: 'recommendation', orderBy: 'c.position' },
  reviews: { entity: RecommendationReview, table: 'recommendation_review', orderBy: 'c.created_at, c.id' },
  targets: { entity: NoteTarget, table: 'note_target', orderBy: 'c.position' },
  distribution: { entity: NoteRecipient, table: 'note_recipient', orderBy: 'c.position' },
  responses: { entity: HeadteacherResponse, table: 'headteacher_response', orderBy: 'c.responded_at, c.id' },
  revisions: { entity: NoteRevision, table: 'note_revision', orderBy: 'c.revision' },
};

/**
 * Loads the collections of one note that a request asks for in ONE statement
 * (each kind gathered as JSON by PostgreSQL; with the reviews, the recommendations
 * they review) and hands them to the note's collections, initialised, so the field
 * resolvers find them loaded and send nothing more. Otherwise each kind is a
 * statement of its own (plus one for the reviewed recommendations), one round
 * trip and one pass through the ORM's query machinery each.
 */
export async function loadNoteChildren(em: Em, note: NoteOfVisit, wanted: Iterable<string>): Promise<void> {
  const fields = [...new Set(wanted)].filter((f): f is ChildField => f in CHILDREN);
  if (!fields.length) return;
  const columns = fields.map(
    (f) => `(select coalesce(json_agg(c order by ${CHILDREN[f].orderBy}), '[]') from "${CHILDREN[f].table}" c where c.note_id = ?) as "${f}"`,
  );
  const params: unknown[] = fields.map(() => note.id);
  if (fields.includes('reviews')) {
    columns.push(
      `(select coalesce(json_agg(c), '[]') from recommendation c where c.id in (select recommendation_id from recommendation_review where note_id = ?)) as "reviewed"`,
    );
    params.push(note.id);
  }
  const [row] = await em.getConnection().execute<Record<string, unknown>[]>(`select ${columns.join(', ')}`, params);
  // The recommendations under review first, so the reviews' references find them loaded.
  if (row!.reviewed) mapRows(em, Recommendation, row!.reviewed);
  for (const f of fields) {
    note[f].hydrate(mapRows(em, CHILDREN[f].entity, row![f]) as never[], true);
  }
}

/** Rows as PostgreSQL's JSON gives them (column names, timestamps as text) into managed entities. */
function mapRows<T extends object>(em: Em, entity: EntityName<T>, rows: unknown): T[] {
  const dates = em
    .getMetadata()
    .get(entity)
    .props.filter((p) => p.runtimeType === 'Date' && p.fieldNames?.length === 1)
    .map((p) => p.fieldNames[0]!);
  return (rows as Record<string, unknown>[]).map((r) => {
    for (const column of dates) if (typeof r[column] === 'string') r[column] = new Date(r[column] as string);
    // As em.find registers what it loads: the rows' references (the note, the reviewed
    // recommendations) are managed already, so no cascade through the graph.
    return em.map(entity, r as never, { cascade: false } as never);
  });
}
