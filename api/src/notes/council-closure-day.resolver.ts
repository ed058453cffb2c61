import { ArrayMaxSize, ArrayMinSize } from 'class-validator';
import { Arg, Ctx, Field, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { CouncilClosureDay } from '../calendar/council-closure-day.entity.js';
import { addClosureDays, closureDaysBetween, loadWorkingCalendar, MAX_DAYS_PER_CHANGE, removeClosureDays } from '../calendar/council-closure-days.js';
import type { Em } from '../platform/db/orm.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { DateScalar } from '../platform/graphql/scalars.js';
import { rescheduleNoteDeadlines } from './note-deadlines.js';

/**
 * The council's closure days, managed by senior advisers. It lives with the notes
 * because a change moves notes' deadlines (note-deadlines.ts): calendar/ holds the
 * days themselves and must not depend on notes/.
 */

@InputType({ description: 'Days the council is closed, all for one reason (e.g. the days of a Christmas shutdown).' })
export class CouncilClosureDaysInput {
  @Field(() => [DateScalar], {
    description: `The weekdays the council is closed, 1 to ${MAX_DAYS_PER_CHANGE}; weekends and bank holidays are refused (deadlines skip them already).`,
  })
  @ArrayMinSize(1, { message: 'give at least one date' })
  @ArrayMaxSize(MAX_DAYS_PER_CHANGE, { message: `give at most ${MAX_DAYS_PER_CHANGE} dates at a time` })
  dates!: string[];

  @Field(() => String, { description: 'Why, e.g. "Christmas shutdown" (1 to 200 characters).' })
  reason!: string;
}

@ObjectType({ description: 'Closure days added or removed, and how many notes had their deadlines moved as a result.' })
export class CouncilClosureDaysChange {
  @Field(() => [CouncilClosureDay], { description: 'The days added, or the days removed (as they were).' })
  days!: CouncilClosureDay[];

  @Field(() => Int, {
    description:
      'Notes whose deadlines moved: a draft deadline moves while the draft has not gone to the headteacher, a circulation deadline while the note has not been circulated. Deadlines already met or missed stay.',
  })
  rescheduledNotes!: number;
}

async function change(em: Em, work: (tx: Em) => Promise<CouncilClosureDay[]>): Promise<CouncilClosureDaysChange> {
  return em.fork().transactional(async (tx) => {
    const days = await work(tx as Em);
    const calendar = await loadWorkingCalendar(tx as Em);
    const rescheduledNotes = await rescheduleNoteDeadlines(
      tx as Em,
      calendar,
      days.map((d) => d.date),
    );
    return Object.assign(new CouncilClosureDaysChange(), { days, rescheduledNotes });
  });
}

@Resolver(() => CouncilClosureDay)
export class CouncilClosureDayResolver {
  @Query(() => [CouncilClosureDay], { description: "The council's closure days from `from` to `to` (inclusive), in date order." })
  councilClosureDays(@Arg('from', () => DateScalar) from: string, @Arg('to', () => DateScalar) to: string, @Ctx() { em }: GraphQLContext) {
    return closureDaysBetween(em, from, to);
  }

  @Mutation(() => CouncilClosureDaysChange, {
    description: "Adds days the council is closed (managers). Working-day deadlines skip them; notes' deadlines still ahead move.",
  })
  addCouncilClosureDays(@Arg('input', () => CouncilClosureDaysInput) input: CouncilClosureDaysInput, @Ctx() { em, access }: GraphQLContext) {
    access.assertManager('change the council closure days');
    return change(em, (tx) => addClosureDays(tx, input.dates, input.reason));
  }

  @Mutation(() => CouncilClosureDaysChange, {
    description: "Removes closure days (managers): they count as working days again; notes' deadlines still ahead move back.",
  })
  removeCouncilClosureDays(@Arg('dates', () => [DateScalar]) dates: string[], @Ctx() { em, access }: GraphQLContext) {
    access.assertManager('change the council closure days');
    return change(em, (tx) => removeClosureDays(tx, dates));
  }
}
