import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { requestWorkingCalendar } from '../calendar/council-closure-days.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { fromView, isView, rowJson, viewOf, type ViewRoot } from '../platform/graphql/read-views.js';
import { DateScalar, isSaneInstant } from '../platform/graphql/scalars.js';
import { serveInVisitList } from '../visits/visit.queries.js';
import { Visit } from '../visits/visit.entity.js';
import { visitTypeHasNote } from '../visits/visit.enums.js';
import { LATE_READS } from './late-note.rules.js';
import { noteDeadlines } from './note-deadlines.js';
import { NoteOfVisit } from './note-of-visit.entity.js';
import { canSeeNote } from './note.access.js';

// A page of visits brings each visit's note in its one statement (visits/visit.queries.ts).
serveInVisitList({
  field: 'Visit.note',
  property: 'note',
  // the note's status decides whether a service may see it (note.access.ts)
  sql: (em, fields) => `(select ${rowJson(em, NoteOfVisit, 'n', fields.get('NoteOfVisit'), ['id', 'status'])} from note_of_visit n where n.visit_id = v.id)`,
  view: (em, json) => (json ? viewOf(em, NoteOfVisit, json) : null),
  servedFields: [
    ['Visit.noteDraftDueOn', ['type', 'startsAt']],
    ['Visit.noteCirculationDueOn', ['type', 'startsAt']],
    ['NoteOfVisit.overdue', LATE_READS],
  ],
});

/** The fields of a visit that belong to its note of visit (notes sit above visits). */
@Resolver(() => Visit)
export class VisitNoteResolver {
  @FieldResolver(() => NoteOfVisit, {
    nullable: true,
    description: 'The note of visit, once started (for other council systems: once circulated).',
  })
  note(@Root() visit: ViewRoot<Visit>, @Ctx() { access }: GraphQLContext) {
    const visible = (note: NoteOfVisit | null | undefined) => (note && canSeeNote(access, note) ? note : null);
    // As agenda: a read view's note is returned as it is, not through a promise.
    if (isView(visit)) return visible(fromView<NoteOfVisit | null>(visit, 'note', () => null));
    return (visit.note?.load() ?? Promise.resolve(null)).then(visible);
  }

  @FieldResolver(() => DateScalar, {
    nullable: true,
    description:
      'When the draft note is due with the headteacher (5 working days after the visit), started or not; null when no note is expected (or the visit has an impossible date: see its warnings).',
  })
  async noteDraftDueOn(@Root() visit: ViewRoot<Visit>, @Ctx() context: GraphQLContext) {
    return visitTypeHasNote(visit.type) && isSaneInstant(visit.startsAt)
      ? noteDeadlines(visit.startsAt, await requestWorkingCalendar(context)).draftDueOn
      : null;
  }

  @FieldResolver(() => DateScalar, {
    nullable: true,
    description:
      'When the agreed note is due to be circulated (10 working days after the visit); null when no note is expected (or the visit has an impossible date: see its warnings).',
  })
  async noteCirculationDueOn(@Root() visit: ViewRoot<Visit>, @Ctx() context: GraphQLContext) {
    return visitTypeHasNote(visit.type) && isSaneInstant(visit.startsAt)
      ? noteDeadlines(visit.startsAt, await requestWorkingCalendar(context)).circulationDueOn
      : null;
  }
}
