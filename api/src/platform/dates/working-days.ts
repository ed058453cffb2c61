import { bankHolidayOn, isWeekend, plusDays, type BankHoliday, type WarningLog } from './bank-holidays.js';

export { bankHolidayOn, isBankHoliday } from './bank-holidays.js';

/** A day the council is closed of its own accord (a Christmas shutdown): "YYYY-MM-DD". */
export interface ClosureDayLike {
  date: string;
  reason: string;
}

/** Why a day is not a working day. */
export type NonWorkingReason = { kind: 'weekend' } | { kind: 'bank_holiday'; holiday: BankHoliday } | { kind: 'council_closure'; reason: string };

/**
 * Working days for the note-of-visit deadlines: no weekends, no England and Wales
 * bank holidays (bank-holidays.ts: the government's list), and none of the days the
 * council has closed (council-closure-days.ts). Dates are "YYYY-MM-DD", London dates.
 */
export class WorkingCalendar {
  private readonly closures: ReadonlyMap<string, string>;
  private readonly log?: WarningLog;

  /** `log`: where to say (once per year) that a year's bank holidays are not published yet. */
  constructor(closures: Iterable<ClosureDayLike> = [], options: { log?: WarningLog } = {}) {
    this.closures = new Map([...closures].map((c) => [c.date, c.reason]));
    this.log = options.log;
  }

  /** The council's own closure on a date, if any. */
  closureOn(isoDate: string): string | undefined {
    return this.closures.get(isoDate);
  }

  /** Why the day is not a working day; null when it is one. */
  nonWorkingReason(isoDate: string): NonWorkingReason | null {
    if (isWeekend(isoDate)) return { kind: 'weekend' };
    const holiday = bankHolidayOn(isoDate, this.log);
    if (holiday) return { kind: 'bank_holiday', holiday };
    const reason = this.closures.get(isoDate);
    return reason === undefined ? null : { kind: 'council_closure', reason };
  }

  isWorkingDay(isoDate: string): boolean {
    return this.nonWorkingReason(isoDate) === null;
  }

  /** The date `count` working days after `isoDate` (the day itself not counted). */
  addWorkingDays(isoDate: string, count: number): string {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`addWorkingDays: ${count} is not a whole number of days`);
    let date = isoDate;
    let remaining = count;
    while (remaining > 0) {
      date = plusDays(date, 1);
      if (this.isWorkingDay(date)) remaining -= 1;
    }
    return date;
  }
}

/** Weekends and England and Wales bank holidays only: for callers with no council (demo term dates, tests). */
export const ENGLAND_AND_WALES = new WorkingCalendar();

/** A weekday that is not an England and Wales bank holiday (council closures not considered). */
export function isWorkingDay(isoDate: string): boolean {
  return ENGLAND_AND_WALES.isWorkingDay(isoDate);
}

/** `count` working days after `isoDate`, skipping weekends and bank holidays (council closures not considered). */
export function addWorkingDays(isoDate: string, count: number): string {
  return ENGLAND_AND_WALES.addWorkingDays(isoDate, count);
}
