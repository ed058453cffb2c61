import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { COUNCIL_TIME_ZONE } from '../graphql/scalars.js';

/** Today's date in the council's time zone, "YYYY-MM-DD". */
export function businessToday(now: Date = new Date()): string {
  return format(new TZDate(now.getTime(), COUNCIL_TIME_ZONE), 'yyyy-MM-dd');
}

/** The calendar date of an instant in the council's time zone. */
export function businessDateOf(instant: Date): string {
  return businessToday(instant);
}
