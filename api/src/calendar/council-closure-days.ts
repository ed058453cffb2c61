import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Em, ReadDb } from '../platform/db/orm.js';
import { readStatement } from '../platform/db/read-statement.js';
import { AppError, badInput, conflict, ErrorCode } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { isoDay, utcDay } from '../platform/dates/bank-holidays.js';
import { CouncilClosureDay } from './council-closure-day.entity.js';
import { WorkingCalendar, type ClosureDayLike } from '../platform/dates/working-days.js';

/**
 * The council's own closure days (council-closure-day.entity.ts) and the working
 * calendar they make with the England and Wales bank holidays (working-days.ts).
 * What a change does to notes' deadlines is the notes' business
 * (notes/council-closure-days.resolver.ts): calendar/ does not know about notes.
 */

const CLOSURE_DAYS_SQL = `select to_char(date, 'YYYY-MM-DD') as date, reason from council_closure_day order by date`;

/**
 * The working calendar as the database has it now: weekends, bank holidays and every
 * closure day (a council has a handful a year, so all of them). Read through `em`,
 * in its transaction if it has one.
 */
export async function loadWorkingCalendar(em: Em, log?: Logger): Promise<WorkingCalendar> {
  return new WorkingCalendar(await em.execute<ClosureDayLike[]>(CLOSURE_DAYS_SQL), { log });
}

const perRequest = new WeakMap<object, Promise<WorkingCalendar>>();

/**
 * The working calendar for one GraphQL request: read once (one small statement) by
 * the first field that needs it, through the read connection, so a request answered
 * from read views still makes no entity manager. Not for use inside a transaction:
 * there, use loadWorkingCalendar(tx).
 */
export function requestWorkingCalendar(context: { db: ReadDb; logger?: Logger }): Promise<WorkingCalendar> {
  let calendar = perRequest.get(context);
  if (!calendar) {
    calendar = readStatement(context.db, CLOSURE_DAYS_SQL, []).then(
      (rows) => new WorkingCalendar(rows as unknown as ClosureDayLike[], { log: context.logger }),
    );
    // A failed read is not remembered: the next field (or request) tries again.
    calendar.catch(() => perRequest.delete(context));
    perRequest.set(context, calendar);
  }
  return calendar;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2027-12-24" → "Friday 24 December 2027", as letters write it. */
export function longDate(isoDate: string): string {
  const date = utcDay(isoDate);
  return `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

export const EARLIEST_CLOSURE = '2000-01-01';
export const LATEST_CLOSURE = '2100-12-31';
export const MAX_REASON_LENGTH = 200;
export const MAX_DAYS_PER_CHANGE = 100;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real "YYYY-MM-DD" from 2000 to 2100, or BAD_USER_INPUT naming the field. */
export function checkClosureDate(value: string, field: string): string {
  // 2027-02-30 rolls over to March: a date that does not come back as given does not exist.
  if (typeof value !== 'string' || !ISO_DATE.test(value) || isoDay(utcDay(value)) !== value) {
    throw badInput(`${field} "${String(value).slice(0, 20)}" is not a date: write it as YYYY-MM-DD, e.g. "2027-12-24".`, field);
  }
  if (value < EARLIEST_CLOSURE || value > LATEST_CLOSURE) {
    throw badInput(`${field} ${value} is outside the dates this service accepts (1 January 2000 to 31 December 2100): check the year.`, field);
  }
  return value;
}

/** The dates of a change, checked, without repeats, in order. */
function checkDates(dates: readonly string[], field: string): string[] {
  if (!dates.length) throw badInput(`Give at least one date in ${field}.`, field);
  if (dates.length > MAX_DAYS_PER_CHANGE) throw badInput(`Give at most ${MAX_DAYS_PER_CHANGE} dates at a time in ${field}.`, field);
  dates.forEach((d, i) => checkClosureDate(d, `${field}.${i}`));
  return [...new Set(dates)].sort();
}

export function checkReason(reason: string, field = 'reason'): string {
  const text = reason.trim().replace(/\s+/g, ' ');
  if (!text) throw badInput('Say why the council is closed (e.g. "Christmas shutdown"): everyone who lists the closure days sees it.', field);
  if (text.length > MAX_REASON_LENGTH) throw badInput(`Keep the reason to ${MAX_REASON_LENGTH} characters (it has ${text.length}).`, field);
  return text;
}

/** Closure days from `from` to `to` (inclusive), in date order. */
export async function closureDaysBetween(em: Em, from: string, to: string): Promise<CouncilClosureDay[]> {
  checkClosureDate(from, 'from');
  checkClosureDate(to, 'to');
  if (from > to) throw badInput(`"from" (${from}) is after "to" (${to}): give the earlier date first.`, 'from');
  return em.find(CouncilClosureDay, { date: { $gte: from, $lte: to } }, { orderBy: { date: 'asc' } });
}

/**
 * Adds closure days in `tx` (all or none). Refused: a weekend day or a bank holiday
 * (deadlines skip them already: storing one would change nothing and mislead), and a
 * day already closed (CONFLICT, saying which and why).
 */
export async function addClosureDays(tx: Em, dates: readonly string[], reason: string, field = 'dates'): Promise<CouncilClosureDay[]> {
  const wanted = checkDates(dates, field);
  const why = checkReason(reason);
  const plain = new WorkingCalendar();
  for (const date of wanted) {
    const index = dates.indexOf(date);
    const off = plain.nonWorkingReason(date);
    if (off?.kind === 'weekend') {
      throw badInput(`${longDate(date)} is a weekend day: deadlines never count weekends. Give only the weekdays the council is closed.`, `${field}.${index}`);
    }
    if (off?.kind === 'bank_holiday') {
      throw badInput(
        `${longDate(date)} is a bank holiday (${off.holiday.title}): deadlines skip it already. Give only the other days the council is closed.`,
        `${field}.${index}`,
      );
    }
  }
  const existing = await tx.find(CouncilClosureDay, { date: { $in: wanted } }, { orderBy: { date: 'asc' } });
  if (existing.length) throw alreadyClosed(existing);
  const days = wanted.map((date) => Object.assign(new CouncilClosureDay(), { date, reason: why }));
  tx.persist(days);
  try {
    await tx.flush();
  } catch (error) {
    // Another manager added one of these days at the same moment.
    if (error instanceof UniqueConstraintViolationException) {
      throw conflict(`Someone has just added a closure day on one of these dates. Reload the closure days and add only the ones still missing.`, {
        dates: wanted,
      });
    }
    throw error;
  }
  return days;
}

function alreadyClosed(existing: CouncilClosureDay[]): AppError {
  const list = existing.map((d) => `${longDate(d.date)} ("${d.reason}")`).join(', ');
  return conflict(
    `The council is already closed on ${list}. Leave ${existing.length === 1 ? 'that day' : 'those days'} out, or remove ${existing.length === 1 ? 'it' : 'them'} first to give a different reason.`,
    { dates: existing.map((d) => d.date) },
  );
}

/** Removes closure days in `tx` (all or none); a date with no closure day is NOT_FOUND, naming it. */
export async function removeClosureDays(tx: Em, dates: readonly string[], field = 'dates'): Promise<CouncilClosureDay[]> {
  const wanted = checkDates(dates, field);
  const found = await tx.find(CouncilClosureDay, { date: { $in: wanted } }, { orderBy: { date: 'asc' } });
  const missing = wanted.filter((date) => !found.some((d) => d.date === date));
  if (missing.length) {
    const index = dates.indexOf(missing[0]!);
    throw new AppError(
      ErrorCode.NOT_FOUND,
      `The council has no closure day on ${missing.map(longDate).join(', ')}: nothing was removed. List the closure days (councilClosureDays) to see which there are.`,
      { field: `${field}.${index}`, dates: missing },
    );
  }
  // Kept as they were, to answer with; removed through the unit of work so each removal is audited.
  const removed = found.map((d) =>
    Object.assign(new CouncilClosureDay(), { id: d.id, date: d.date, reason: d.reason, createdAt: d.createdAt, updatedAt: d.updatedAt }),
  );
  tx.remove(found);
  await tx.flush();
  return removed;
}
