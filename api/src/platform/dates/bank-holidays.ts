import published from './bank-holidays.england-and-wales.json' with { type: 'json' };

/**
 * England and Wales bank holidays as the government publishes them
 * (https://www.gov.uk/bank-holidays.json, its england-and-wales division), kept in
 * bank-holidays.england-and-wales.json from 2007 to the last year published, one-off
 * and moved holidays included (the 2011 royal wedding, the 2012 and 2022 jubilees,
 * VE day 2020, the 2022 state funeral, the 2023 coronation). The list is the authority;
 * `npm run bank-holidays:refresh` (scripts/bank-holidays/refresh.mjs) brings in what
 * the government has published since.
 *
 * For a year outside the list (before 2007, or after the last year published) the
 * regular eight come from the standing rules, marked provisional: GOV.UK itself fills a
 * new year this way before any one-off is announced, so it is the best forecast there
 * is, and far closer than counting weekends alone (which would make every deadline
 * around Easter and Christmas early). Whoever uses one is told once per year (see
 * `onProvisionalBankHolidays`), so the list gets refreshed.
 */

/** One bank holiday as GOV.UK publishes it. */
export interface BankHolidayEvent {
  title: string;
  /** "YYYY-MM-DD" */
  date: string;
  /** e.g. "Substitute day", "Extra bank holiday" */
  notes: string;
  bunting: boolean;
}

export interface BankHoliday {
  /** "YYYY-MM-DD" */
  date: string;
  title: string;
  /** True when the year is outside the published list: the day comes from the standing rules. */
  provisional: boolean;
}

interface BankHolidayData {
  division: string;
  source: string;
  retrievedOn: string;
  events: BankHolidayEvent[];
}

const DATA = published as BankHolidayData;

/** The published list, in date order. */
export const BANK_HOLIDAY_EVENTS: readonly BankHolidayEvent[] = [...DATA.events].sort((a, b) => a.date.localeCompare(b.date));
export const BANK_HOLIDAYS_SOURCE = DATA.source;
export const BANK_HOLIDAYS_RETRIEVED_ON = DATA.retrievedOn;
/** The first and last years the list covers (whole years). */
export const FIRST_LISTED_YEAR = Number(BANK_HOLIDAY_EVENTS[0]!.date.slice(0, 4));
export const LAST_LISTED_YEAR = Number(BANK_HOLIDAY_EVENTS.at(-1)!.date.slice(0, 4));

const listedByDate = new Map<string, BankHoliday>(BANK_HOLIDAY_EVENTS.map((e) => [e.date, { date: e.date, title: e.title, provisional: false }]));

export function isListedYear(year: number): boolean {
  return year >= FIRST_LISTED_YEAR && year <= LAST_LISTED_YEAR;
}

// --- Dates as plain "YYYY-MM-DD" strings, in UTC arithmetic: no time zone can shift them. ---

/** YYYY-MM-DD; a stored date may have a longer year (10000-01-03 is where 9999's deadlines end), never a shorter one. */
const ISO_DATE = /^(\d{4,6})-(\d{2})-(\d{2})$/;

/** Midnight UTC of a "YYYY-MM-DD" (years 0-99 included, which Date.UTC would read as 1900-1999). */
export function utcDay(isoDate: string): Date {
  const match = ISO_DATE.exec(isoDate);
  if (!match) throw new TypeError(`"${isoDate}" is not a YYYY-MM-DD date`);
  const date = new Date(0);
  date.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return date;
}

export function isoDay(date: Date): string {
  const year = date.getUTCFullYear();
  return `${String(year).padStart(4, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

export function plusDays(isoDate: string, days: number): string {
  const date = utcDay(isoDate);
  date.setUTCDate(date.getUTCDate() + days);
  return isoDay(date);
}

/** 0 Sunday … 6 Saturday */
export function dayOfWeek(isoDate: string): number {
  return utcDay(isoDate).getUTCDay();
}

export function isWeekend(isoDate: string): boolean {
  const day = dayOfWeek(isoDate);
  return day === 0 || day === 6;
}

/** Easter Sunday of a year (Gregorian; the anonymous algorithm of 1876). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Good Friday of a year: never moved, so the same by the list and by the rules. */
export function goodFriday(year: number): string {
  return plusDays(easterSunday(year), -2);
}

const ymd = (year: number, month: number, day: number) => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/**
 * The regular eight by the standing rules (Banking and Financial Dealings Act 1971,
 * schedule 1, and the royal proclamations for New Year's Day and the early May bank
 * holiday), with their substitute days. No one-off or moved holiday: those are announced.
 */
export function standingRuleBankHolidays(year: number): BankHoliday[] {
  const mondayOnOrAfter = (iso: string) => plusDays(iso, (8 - dayOfWeek(iso)) % 7);
  const lastMondayOf = (month: number) => {
    const last = plusDays(ymd(year, month + 1, 1), -1);
    return plusDays(last, -((dayOfWeek(last) + 6) % 7));
  };
  const days: [string, string][] = [];
  const newYear = ymd(year, 1, 1);
  days.push(['New Year’s Day', isWeekend(newYear) ? mondayOnOrAfter(newYear) : newYear]);
  days.push(['Good Friday', goodFriday(year)]);
  days.push(['Easter Monday', plusDays(easterSunday(year), 1)]);
  days.push(['Early May bank holiday', mondayOnOrAfter(ymd(year, 5, 1))]);
  days.push(['Spring bank holiday', lastMondayOf(5)]);
  days.push(['Summer bank holiday', lastMondayOf(8)]);
  const christmas = ymd(year, 12, 25);
  switch (dayOfWeek(christmas)) {
    case 5: // Friday: Boxing Day (Saturday) moves to Monday
      days.push(['Christmas Day', christmas], ['Boxing Day', ymd(year, 12, 28)]);
      break;
    case 6: // Saturday: both move to Monday and Tuesday
      days.push(['Christmas Day', ymd(year, 12, 27)], ['Boxing Day', ymd(year, 12, 28)]);
      break;
    case 0: // Sunday: Boxing Day stays on Monday, Christmas moves to Tuesday
      days.push(['Boxing Day', ymd(year, 12, 26)], ['Christmas Day', ymd(year, 12, 27)]);
      break;
    default:
      days.push(['Christmas Day', christmas], ['Boxing Day', ymd(year, 12, 26)]);
  }
  return days.map(([title, date]) => ({ date, title, provisional: true })).sort((a, b) => a.date.localeCompare(b.date));
}

type ProvisionalListener = (year: number, message: string) => void;

const defaultListener: ProvisionalListener = (_year, message) => process.emitWarning(message, { code: 'BANK_HOLIDAYS_NOT_PUBLISHED' });
let listener: ProvisionalListener = defaultListener;
const toldYears = new Set<number>();

/**
 * Who is told (once per year, per process) that working days of a year outside the
 * published list are being counted from the standing rules. Node's process warning
 * until the app says otherwise; pass nothing to restore it.
 */
export function onProvisionalBankHolidays(next?: ProvisionalListener): void {
  listener = next ?? defaultListener;
}

/** Where a caller wants the warning instead: e.g. the request's log. */
export interface WarningLog {
  warn(details: object, message: string): void;
}

function tellProvisional(year: number, log?: WarningLog): void {
  if (toldYears.has(year)) return;
  toldYears.add(year);
  // A listener set with onProvisionalBankHolidays (tests) hears it; otherwise the caller's log, else Node's warning.
  const tell: ProvisionalListener =
    listener === defaultListener && log ? (y, message) => log.warn({ year: y, bankHolidaysListedTo: LAST_LISTED_YEAR }, message) : listener;
  if (year < 2000 || year > 2100) {
    tell(
      year,
      `A date in year ${year} reached the working-day rules: it cannot be right (dates run from 2000 to 2100), so the record holding it needs correcting. Its bank holidays are counted by the standing rules meanwhile.`,
    );
    return;
  }
  const where =
    year > LAST_LISTED_YEAR
      ? `The government has published England and Wales bank holidays only to ${LAST_LISTED_YEAR}`
      : `The bank holiday list starts in ${FIRST_LISTED_YEAR}`;
  tell(
    year,
    `${where}: working days in ${year} skip the regular eight bank holidays by the standing rules (a one-off or moved holiday would be missed).` +
      (year > LAST_LISTED_YEAR ? ' Run `npm run bank-holidays:refresh` once the year is published.' : ''),
  );
}

const provisionalByYear = new Map<number, Map<string, BankHoliday>>();

/** Every bank holiday of a year: the published ones, or provisional ones outside the list. */
export function bankHolidaysIn(year: number): BankHoliday[] {
  if (isListedYear(year)) return BANK_HOLIDAY_EVENTS.filter((e) => e.date.startsWith(`${year}-`)).map((e) => listedByDate.get(e.date)!);
  return [...provisionalYear(year).values()];
}

function provisionalYear(year: number): Map<string, BankHoliday> {
  let days = provisionalByYear.get(year);
  if (!days) {
    days = new Map(standingRuleBankHolidays(year).map((h) => [h.date, h]));
    provisionalByYear.set(year, days);
  }
  return days;
}

/** The bank holiday on a date, if any (provisional outside the published years, said once per year to `log`). */
export function bankHolidayOn(isoDate: string, log?: WarningLog): BankHoliday | undefined {
  const year = utcDay(isoDate).getUTCFullYear();
  if (isListedYear(year)) return listedByDate.get(isoDate);
  tellProvisional(year, log);
  return provisionalYear(year).get(isoDate);
}

export function isBankHoliday(isoDate: string): boolean {
  return bankHolidayOn(isoDate) !== undefined;
}
