import type { DayOfWeek, PatternedRecurrence } from '@microsoft/microsoft-graph-types';

/**
 * The dates a patterned recurrence falls on (Graph's recurrencePattern + recurrenceRange),
 * for the patterns the stand-in supports: daily and weekly, with a numbered, endDate or
 * noEnd range. Dates are calendar dates ("YYYY-MM-DD") in the recurrence's zone; the time of
 * day is the series master's.
 */
const DAY_MS = 86_400_000;
const DAYS: DayOfWeek[] = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const toDay = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const fromDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const weekday = (day: number): number => (day + 4) % 7; // 1970-01-01 was a Thursday

/** Answered 400, as Graph answers a recurrence it cannot read. */
export class UnsupportedRecurrence extends Error {
  readonly status = 400;
  readonly code = 'ErrorInvalidRequest';
}

/** Every occurrence date up to `until` (inclusive), at most 2,000. */
export function occurrenceDates(recurrence: PatternedRecurrence, until: string): string[] {
  const pattern = recurrence.pattern ?? {};
  const range = recurrence.range ?? {};
  if (!range.startDate) throw new UnsupportedRecurrence('recurrence.range.startDate is required');
  const interval = Math.max(1, pattern.interval ?? 1);
  const first = toDay(range.startDate);
  let last = toDay(until);
  if (range.type === 'endDate') {
    if (!range.endDate) throw new UnsupportedRecurrence('recurrence.range.endDate is required for an endDate range');
    last = Math.min(last, toDay(range.endDate));
  } else if (range.type !== 'noEnd' && range.type !== 'numbered') {
    throw new UnsupportedRecurrence(`recurrence range ${String(range.type)} is not supported by the stand-in`);
  }
  const limit = range.type === 'numbered' ? Math.max(0, range.numberOfOccurrences ?? 0) : 2_000;
  const dates: string[] = [];
  const take = (day: number): boolean => {
    if (dates.length >= limit || day > last) return false;
    dates.push(fromDay(day));
    return true;
  };
  if (pattern.type === 'daily') {
    for (let day = first; take(day); day += interval);
    return dates;
  }
  if (pattern.type === 'weekly') {
    const wanted = (pattern.daysOfWeek ?? []).map((d) => DAYS.indexOf(d)).filter((d) => d >= 0);
    if (!wanted.length) throw new UnsupportedRecurrence('a weekly recurrence needs daysOfWeek');
    const weekStarts = DAYS.indexOf(pattern.firstDayOfWeek ?? 'sunday');
    const firstWeek = first - ((weekday(first) - weekStarts + 7) % 7);
    for (let week = firstWeek; week <= last; week += 7 * interval) {
      for (let offset = 0; offset < 7; offset += 1) {
        const day = week + offset;
        if (day < first || !wanted.includes(weekday(day))) continue;
        if (!take(day)) return dates;
      }
    }
    return dates;
  }
  throw new UnsupportedRecurrence(`recurrence pattern ${String(pattern.type)} is not supported by the stand-in`);
}
