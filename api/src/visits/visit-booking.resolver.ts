import { IsOptional, Length, Max, Min } from 'class-validator';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { agendaHtml } from './agenda-html.js';
import { visitDocument } from './visit-document.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { badInput } from '../platform/errors.js';
import { validateList } from '../platform/graphql/validate-list.js';
import { AgendaItemInput, BookVisitInput } from './visit.input.js';
import { bookVisit, cancelVisit, completeVisit, findByAppointment, previewBookingWarnings, rescheduleVisit, setAgenda } from './visit-booking.service.js';
import { VisitWarning } from './visit-warnings.js';
import { Visit } from './visit.entity.js';
import { assertCanSeeVisit } from './visit.access.js';
import { createWarningsLoader } from './visit-warnings.js';

@ArgsType()
class RescheduleVisitArgs {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'The version you loaded: a visit changed since is not overwritten (CONFLICT).' })
  expectedVersion!: number;

  @Field(() => Date)
  startsAt!: Date;

  @Field(() => Date)
  endsAt!: Date;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Length(0, 300)
  location?: string | null;
}

@ArgsType()
class CancelVisitArgs {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Why: kept with the visit.' })
  @Length(1, 1000, { message: 'reason must be 1 to 1000 characters' })
  reason!: string;

  @Field(() => Int, { nullable: true })
  expectedVersion?: number | null;
}

@ArgsType()
class CompleteVisitArgs {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true })
  expectedVersion?: number | null;

  @Field(() => Float, { nullable: true, description: 'Days actually spent in school, if not as booked.' })
  @IsOptional()
  @Min(0)
  @Max(5)
  inSchoolDays?: number | null;

  @Field(() => Float, { nullable: true, description: 'Days of preparation and writing, if not as booked.' })
  @IsOptional()
  @Min(0)
  @Max(5)
  outOfSchoolDays?: number | null;
}

@Resolver(() => Visit)
export class VisitBookingResolver {
  @Query(() => [VisitWarning], {
    description: 'The warnings `bookVisit` would give for this input, without booking anything (show them before the partner books).',
  })
  bookingWarnings(@Arg('input', () => BookVisitInput) input: BookVisitInput, @Ctx() { em, access, clock }: GraphQLContext) {
    return previewBookingWarnings(em, access, input, clock.now());
  }

  @Mutation(() => Visit, {
    description: 'Books a visit, or, for an appointment already booked, updates that visit (never a second one). Check `warnings` afterwards.',
  })
  bookVisit(@Arg('input', () => BookVisitInput) input: BookVisitInput, @Ctx() { em, access, clock }: GraphQLContext) {
    return bookVisit(em, access, input, clock.now());
  }

  @Mutation(() => Visit, { description: 'Moves a booked visit.' })
  rescheduleVisit(@Args(() => RescheduleVisitArgs) args: RescheduleVisitArgs, @Ctx() { em, access, clock }: GraphQLContext) {
    return rescheduleVisit(em, access, args, clock.now());
  }

  @Mutation(() => Visit, { description: 'Cancels a booked visit; it stays on record, marked cancelled, and frees its time.' })
  cancelVisit(@Args(() => CancelVisitArgs) args: CancelVisitArgs, @Ctx() { em, access, clock }: GraphQLContext) {
    return cancelVisit(em, access, args, clock.now());
  }

  @Mutation(() => Visit, { description: 'Marks a visit that has taken place as completed.' })
  completeVisit(@Args(() => CompleteVisitArgs) args: CompleteVisitArgs, @Ctx() { em, access, clock }: GraphQLContext) {
    return completeVisit(em, access, args, clock.now());
  }

  @Mutation(() => Visit, { description: "Replaces a visit's agenda with these items, in this order." })
  async setAgenda(
    @Arg('visitId', () => ID) visitId: string,
    @Arg('items', () => [AgendaItemInput], { validate: false }) items: AgendaItemInput[],
    @Arg('expectedVersion', () => Int, { description: 'The visit version you loaded.' }) expectedVersion: number,
    @Ctx() { em, access }: GraphQLContext,
  ) {
    await validateList(items, 'items');
    return setAgenda(em, access, { visitId, items, expectedVersion });
  }

  @Query(() => Visit, {
    nullable: true,
    description: 'The visit booked from an Outlook appointment, found by its item id or iCal UID; null when none is.',
  })
  async visitForAppointment(
    @Arg('itemId', () => String, { nullable: true }) itemId: string | null,
    @Arg('icalUid', () => String, { nullable: true }) icalUid: string | null,
    @Ctx() { em, access }: GraphQLContext,
  ) {
    if (!itemId && !icalUid) throw badInput('Give the appointment’s itemId or icalUid.', 'itemId');
    if ((itemId?.length ?? 0) > 512 || (icalUid?.length ?? 0) > 512) throw badInput('itemId and icalUid are at most 512 characters.', 'itemId');
    const visit = await findByAppointment(em, { icalUid, itemId });
    if (visit) await assertCanSeeVisit(access, visit);
    return visit;
  }

  @FieldResolver(() => [VisitWarning], { description: 'What the partner should know about this booking (none for a cancelled visit).' })
  warnings(@Root() visit: Visit, @Ctx() { loaders }: GraphQLContext) {
    return loaders.get(createWarningsLoader).load(visit);
  }

  @FieldResolver(() => String, { description: 'The agenda as HTML for the top of an Outlook appointment body (inline styles, text escaped).' })
  async agendaHtml(@Root() visit: Visit) {
    const [school, items] = await Promise.all([visit.school.loadOrFail(), visit.agendaItems.load()]);
    return agendaHtml(visitDocument(visit, school, items.getItems()));
  }

  @FieldResolver(() => String, { description: 'Path of the agenda as a Word document; fetch it with your bearer token.' })
  agendaDocxUrl(@Root() visit: Visit) {
    return `/exports/visits/${visit.id}/agenda.docx`;
  }

  @FieldResolver(() => String, { description: 'Path of the visit as an iCalendar (.ics) event; fetch it with your bearer token.' })
  icsUrl(@Root() visit: Visit) {
    return `/exports/visits/${visit.id}/visit.ics`;
  }
}
