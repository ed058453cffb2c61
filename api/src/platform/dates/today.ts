import { TZDate } from '@date-fns/tz';
import { format, parseISO } from 'date-fns';
import { COUNCIL_TIME_ZONE } from '../graphql/scalars.js';

/** An instant formatted as a wall-clock time in the council's time zone (date-fns patterns). */
export function formatLondon(instant: Date, pattern: string): string {
  return format(new TZDate(instant.getTime(), COUNCIL_TIME_ZONE), pattern);
}

/**
 * THE way a date reads in documents, emails and the school's pages: "6 March 2027", or
 * "Saturday 6 March 2027" with the weekday where a person plans by it (a visit, a
 * deadline). A calendar date ("2027-03-06") is that day; an instant is its day in the
 * council's time zone. Never an ISO date in front of a person.
 */
export function dateInWords(value: string | Date, options: { weekday?: boolean } = {}): string {
  const pattern = options.weekday ? 'EEEE d MMMM yyyy' : 'd MMMM yyyy';
  if (value instanceof Date) return formatLondon(value, pattern);
  // A calendar date has no zone: read as the day it names, wherever the server runs.
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? format(parseISO(value), pattern) : formatLondon(new Date(value), pattern);
}

/** A day as letters and emails write it: "Tuesday 9 March 2027". */
export function longLondonDate(instant: Date): string {
  return dateInWords(instant, { weekday: true });
}

/** Today's date in the council's time zone, "YYYY-MM-DD", for a reading of the app's clock (clock.ts): never the machine's own. */
export function businessToday(now: Date): string {
  return formatLondon(now, 'yyyy-MM-dd');
}

/** The calendar date of an instant in the council's time zone. */
export function businessDateOf(instant: Date): string {
  return businessToday(instant);
}
