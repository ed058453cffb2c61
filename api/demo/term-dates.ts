import { addDays, format, getDay, lastDayOfMonth, parseISO, previousFriday, subDays } from 'date-fns';
import { goodFriday } from '../src/platform/dates/bank-holidays.js';
import type { HolidaySeed, TermCalendarSeed } from './kent-2009-11.data.js';

/**
 * A typical English maintained-school calendar for the academic year starting in
 * September of `startYear`: six terms, with half terms in the weeks councils
 * usually choose (last week of October, mid February, the spring bank holiday
 * week) and Easter from Good Friday. Used for demo data and as a default a
 * council replaces with its own published dates.
 */
export function typicalTermCalendar(startYear: number): TermCalendarSeed {
  const iso = (d: Date) => format(d, 'yyyy-MM-dd');
  const monday = (d: Date) => addDays(d, (8 - getDay(d)) % 7); // on or after
  const mondayOnOrBefore = (d: Date) => subDays(d, (getDay(d) + 6) % 7);
  const fridayOnOrBefore = (d: Date) => (getDay(d) === 5 ? d : previousFriday(d));
  const week = (start: Date, name: string): HolidaySeed => ({ name, startsOn: iso(start), endsOn: iso(addDays(start, 4)) });
  const y1 = startYear + 1;

  const easterFriday = parseISO(goodFriday(y1));

  const sep3 = new Date(startYear, 8, 3);
  const autumn1Start = getDay(sep3) === 0 || getDay(sep3) === 6 ? monday(sep3) : sep3;
  const octHalfTerm = mondayOnOrBefore(lastDayOfMonth(new Date(startYear, 9, 1)));
  const autumn2End = fridayOnOrBefore(new Date(startYear, 11, 20));
  const christmas = addDays(autumn2End, 3);
  const spring1Start = addDays(christmas, 14);
  const febHalfTerm = mondayOnOrBefore(new Date(y1, 1, 15));
  const easterEnd = addDays(easterFriday, 14);
  const mayHalfTerm = mondayOnOrBefore(lastDayOfMonth(new Date(y1, 4, 1)));
  const july22 = new Date(y1, 6, 22);
  const summer2End = getDay(july22) === 0 || getDay(july22) === 6 ? fridayOnOrBefore(july22) : july22;

  return {
    academicYear: `${startYear}-${String(y1 % 100).padStart(2, '0')}`,
    terms: [
      { name: 'Autumn 1', season: 'autumn', startsOn: iso(autumn1Start), endsOn: iso(subDays(octHalfTerm, 3)) },
      { name: 'Autumn 2', season: 'autumn', startsOn: iso(addDays(octHalfTerm, 7)), endsOn: iso(autumn2End) },
      { name: 'Spring 1', season: 'spring', startsOn: iso(spring1Start), endsOn: iso(subDays(febHalfTerm, 3)) },
      { name: 'Spring 2', season: 'spring', startsOn: iso(addDays(febHalfTerm, 7)), endsOn: iso(subDays(easterFriday, 1)) },
      { name: 'Summer 1', season: 'summer', startsOn: iso(addDays(easterEnd, 3)), endsOn: iso(subDays(mayHalfTerm, 3)) },
      { name: 'Summer 2', season: 'summer', startsOn: iso(addDays(mayHalfTerm, 7)), endsOn: iso(summer2End) },
    ],
    holidays: [
      week(octHalfTerm, 'October half term'),
      { name: 'Christmas', startsOn: iso(christmas), endsOn: iso(addDays(christmas, 11)) },
      week(febHalfTerm, 'February half term'),
      { name: 'Easter', startsOn: iso(easterFriday), endsOn: iso(easterEnd) },
      week(mayHalfTerm, 'May half term'),
      { name: 'Summer', startsOn: iso(addDays(summer2End, 1)), endsOn: `${y1}-08-31` },
    ],
  };
}
