import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Em } from '../platform/db/orm.js';
import { checkVersion } from '../platform/db/versioning.js';
import { badInput } from '../platform/errors.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { checkAcademicYear } from '../platform/dates/academic-year.js';
import { TermCalendarInput } from './term-calendar.input.js';
import { Holiday, Term, TermCalendar } from './term-calendar.entity.js';

/** Terms in order without overlaps, everything inside the academic year (1 August to 31 August). */
function checkCalendar(input: TermCalendarInput, year: string): void {
  const start = Number(year.slice(0, 4));
  const first = `${start}-08-01`;
  const last = `${start + 1}-08-31`;
  const ranges = [...input.terms.map((t, i) => ({ ...t, field: `terms[${i}]` })), ...input.holidays.map((h, i) => ({ ...h, field: `holidays[${i}]` }))];
  for (const r of ranges) {
    if (r.startsOn > r.endsOn) throw badInput(`${r.field} (${r.name}) ends before it starts.`, r.field);
    if (r.startsOn < first || r.endsOn > last) throw badInput(`${r.field} (${r.name}) is outside ${year} (${first} to ${last}).`, r.field);
  }
  input.terms.forEach((term, i) => {
    const previous = input.terms[i - 1];
    if (previous && previous.endsOn >= term.startsOn) throw badInput(`terms[${i}] (${term.name}) must start after ${previous.name} ends.`, `terms[${i}]`);
  });
}

@Resolver(() => TermCalendar)
export class TermCalendarResolver {
  @Query(() => TermCalendar, { nullable: true, description: "An academic year's terms and holidays; null when none is recorded." })
  termCalendar(@Arg('academicYear') academicYear: string, @Ctx() { em }: GraphQLContext) {
    return em.findOne(TermCalendar, { academicYear: checkAcademicYear(academicYear) });
  }

  @Mutation(() => TermCalendar, { description: "Records an academic year's terms and holidays (managers)." })
  upsertTermCalendar(@Arg('input', () => TermCalendarInput) input: TermCalendarInput, @Ctx() { em, access }: GraphQLContext) {
    access.assertManager('change the term calendar');
    const year = checkAcademicYear(input.academicYear, 'input.academicYear');
    checkCalendar(input, year);
    return em.fork().transactional(async (tx) => {
      const calendar = (await (tx as Em).findOne(TermCalendar, { academicYear: year })) ?? Object.assign(new TermCalendar(), { academicYear: year });
      checkVersion(calendar, calendar.version ? input.expectedVersion : null, 'term calendar');
      calendar.terms = input.terms.map((t) => Object.assign(new Term(), { name: t.name.trim(), season: t.season, startsOn: t.startsOn, endsOn: t.endsOn }));
      calendar.holidays = input.holidays.map((h) => Object.assign(new Holiday(), { name: h.name.trim(), startsOn: h.startsOn, endsOn: h.endsOn }));
      tx.persist(calendar);
      return calendar;
    });
  }
}
