import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { COUNCIL_TIME_ZONE } from '../graphql/scalars.js';

/** An instant formatted as a wall-clock time in the council's time zone (date-fns patterns). */
export function formatLondon(instant: Date, pattern: string): string {
  return format(new TZDate(instant.getTime(), COUNCIL_TIME_ZONE), pattern);
}

/** A day as letters and emails write it: "Tuesday 9 March 2027". */
export function longLondonDate(instant: Date): string {
  return formatLondon(instant, 'EEEE d MMMM yyyy');
}

/** Today's date in the council's time zone, "YYYY-MM-DD", for a reading of the app's clock (clock.ts): never the machine's own. */
export function businessToday(now: Date): string {
  return formatLondon(now, 'yyyy-MM-dd');
}

/** The calendar date of an instant in the council's time zone. */
export function businessDateOf(instant: Date): string {
  return businessToday(instant);
}
