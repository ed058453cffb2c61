import { Arg, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { bankHolidaysIn } from '../platform/dates/bank-holidays.js';
import { badInput } from '../platform/errors.js';
import { DateScalar } from '../platform/graphql/scalars.js';

@ObjectType('BankHoliday', { description: 'An England and Wales bank holiday.' })
export class BankHolidayDay {
  @Field(() => DateScalar)
  date!: string;

  @Field({ description: 'As GOV.UK names it, e.g. "Early May bank holiday".' })
  name!: string;

  @Field({ description: "True for a year beyond GOV.UK's published list: the day comes from the standing rules, and may yet move." })
  provisional!: boolean;
}

/** A year or two at a time is what a calendar shows; more is refused rather than answered at length. */
const MAX_YEARS = 3;

@Resolver()
export class BankHolidayResolver {
  @Query(() => [BankHolidayDay], {
    description:
      'England and Wales bank holidays from `from` to `to` (inclusive, at most three calendar years), in date order: what a term calendar marks beside its holidays.',
  })
  bankHolidays(@Arg('from', () => DateScalar) from: string, @Arg('to', () => DateScalar) to: string): BankHolidayDay[] {
    if (from > to) throw badInput('`from` must not be after `to`.', 'from');
    const first = Number(from.slice(0, 4));
    const last = Number(to.slice(0, 4));
    if (last - first >= MAX_YEARS) throw badInput(`Ask for at most ${MAX_YEARS} calendar years of bank holidays at a time.`, 'to');
    const days: BankHolidayDay[] = [];
    for (let year = first; year <= last; year++) {
      for (const h of bankHolidaysIn(year)) if (h.date >= from && h.date <= to) days.push({ date: h.date, name: h.title, provisional: h.provisional });
    }
    return days.sort((a, b) => a.date.localeCompare(b.date));
  }
}
