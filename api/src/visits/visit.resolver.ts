import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import { fromView, type ViewRoot } from '../platform/graphql/read-views.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { findOr404 } from '../platform/graphql/lookup.js';
import { CHANGED_SINCE_DESCRIPTION } from '../platform/pagination/change-order.js';
import { connectionType, PageArgs } from '../platform/pagination/connection.js';
import { Partner } from '../partners/partner.entity.js';
import { School } from '../schools/school.entity.js';
import { AgendaItem } from './agenda-item.entity.js';
import { VisitAttendee } from './visit-attendee.entity.js';
import { VisitFilter } from './visit-filter.input.js';
import { visitList } from './visit.queries.js';
import { Visit } from './visit.entity.js';
import { assertCanSeeVisit } from './visit.access.js';
import { visitTypeHasNote } from './visit.enums.js';
import { createAgendaLoader } from './agenda-rows.js';

export const VisitConnection = connectionType(Visit, 'Visit');

@Resolver(() => Visit)
export class VisitResolver {
  @Query(() => VisitConnection, { description: 'Visits, latest first (in order of change with changedSince).' })
  async visits(
    @Args() page: PageArgs,
    @Arg('filter', () => VisitFilter, { nullable: true }) filter: VisitFilter | null,
    @Ctx() context: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('changedSince', () => Date, { nullable: true, description: CHANGED_SINCE_DESCRIPTION }) changedSince?: Date | null,
  ) {
    return visitList(context, filter, page, info, changedSince ?? null);
  }

  @Query(() => Visit, { nullable: true, description: 'One visit; NOT_FOUND when the id is unknown.' })
  async visit(@Arg('id', () => ID) id: string, @Ctx() { em, access }: GraphQLContext) {
    const visit = await findOr404(em, Visit, 'Visit', id);
    await assertCanSeeVisit(access, visit);
    return visit;
  }

  @FieldResolver(() => School)
  school(@Root() visit: ViewRoot<Visit>) {
    return fromView(visit, 'school', () => visit.school.load());
  }

  @FieldResolver(() => Partner)
  leadPartner(@Root() visit: Visit) {
    return visit.leadPartner.load();
  }

  @FieldResolver(() => [VisitAttendee])
  async attendees(@Root() visit: Visit) {
    return (await visit.attendees.load()).getItems();
  }

  @FieldResolver(() => [AgendaItem], { description: 'The agenda, in order.' })
  // Not async: a read view's agenda is there already, and a value (not a promise) per visit spares
  // graphql-js a promise for each of a page's visits.
  agenda(@Root() visit: ViewRoot<Visit>, @Ctx() { loaders }: GraphQLContext) {
    return fromView(visit, 'agenda', () => {
      // Loaded in this request (e.g. just changed): the entities; otherwise plain rows, cheaper by far.
      if (visit.agendaItems.isInitialized()) return visit.agendaItems.getItems();
      return loaders.get(createAgendaLoader).load(visit.id);
    });
  }

  @FieldResolver(() => Boolean, {
    description: 'False for a headteacher performance-management visit: governors get a feedback form instead of a note.',
  })
  expectsNote(@Root() visit: ViewRoot<Visit>) {
    return visitTypeHasNote(visit.type);
  }
}

@Resolver(() => VisitAttendee)
export class VisitAttendeeResolver {
  @FieldResolver(() => Partner, { nullable: true, description: 'The partner, when the attendee is one.' })
  partner(@Root() attendee: VisitAttendee) {
    return attendee.partner?.load() ?? null;
  }
}
