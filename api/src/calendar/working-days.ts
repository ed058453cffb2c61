import Holidays from 'date-holidays';
import { addDays, format, isWeekend, parseISO } from 'date-fns';

/**
 * Working days for the note-of-visit deadlines: no weekends, no bank holidays in
 * England and Wales. Bank holidays come from date-holidays' offline rules (which
 * know the substitute days), not from a list that would need yearly upkeep.
 */
const englandAndWales = new Holidays('GB', 'ENG');
const bankHolidaysByYear = new Map<number, Set<string>>();

function bankHolidays(year: number): Set<string> {
  let days = bankHolidaysByYear.get(year);
  if (!days) {
    days = new Set(
      englandAndWales
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    );
    bankHolidaysByYear.set(year, days);
  }
  return days;
}

export function isBankHoliday(isoDate: string): boolean {
  return bankHolidays(Number(isoDate.slice(0, 4))).has(isoDate);
}

export function isWorkingDay(isoDate: string): boolean {
  return !isWeekend(parseISO(isoDate)) && !isBankHoliday(isoDate);
}

/** The date `count` working days after `isoDate` (the visit day itself not counted). */
export function addWorkingDays(isoDate: string, count: number): string {
  let date = parseISO(isoDate);
  let remaining = count;
  while (remaining > 0) {
    date = addDays(date, 1);
    if (isWorkingDay(format(date, 'yyyy-MM-dd'))) remaining -= 1;
  }
  return format(date, 'yyyy-MM-dd');
}
