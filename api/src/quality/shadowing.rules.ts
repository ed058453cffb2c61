import { businessDateOf } from '../platform/dates/today.js';
import type { WorkingCalendar } from '../platform/dates/working-days.js';
import { VisitStatus } from '../visits/visit.enums.js';
import { registerEnumType } from 'type-graphql';

/** Seed 004 section 19: "the SIP will receive written feedback within five days of the shadow visit" (working days, as the note deadlines count them). */
export const SHADOWING_FEEDBACK_WORKING_DAYS = 5;
/** "Every SIP should expect to be shadowed on at least one school visit every two years." */
export const SHADOWING_EVERY_YEARS = 2;
export const SHADOWING_FEEDBACK_MAX_LENGTH = 20_000;

export enum ShadowingState {
  /** The visit has not happened yet. */
  BOOKED = 'booked',
  /** The visit has happened; written feedback not given and not yet past its due date. */
  FEEDBACK_DUE = 'feedback_due',
  /** The visit has happened; written feedback not given and past its due date. */
  FEEDBACK_LATE = 'feedback_late',
  GIVEN_ON_TIME = 'given_on_time',
  /** Given after its due date: kept, and counted as late. */
  GIVEN_LATE = 'given_late',
  /** The visit was cancelled, and the shadowing with it: never due, never late. */
  CANCELLED = 'cancelled',
}
registerEnumType(ShadowingState, { name: 'ShadowingState', description: 'Where a shadowing stands: its written feedback due, late, given on time or late.' });

/** The due date of the written feedback for a visit on `visitStartsAt`: five working days after its London date. */
export function shadowingFeedbackDueOn(visitStartsAt: Date, calendar: WorkingCalendar): string {
  return calendar.addWorkingDays(businessDateOf(visitStartsAt), SHADOWING_FEEDBACK_WORKING_DAYS);
}

export interface ShadowingFacts {
  feedbackGivenAt?: Date | null;
  /** The stored due date: the one the feedback was judged on once given. */
  feedbackDueOn: string;
}

export interface VisitFacts {
  status: VisitStatus;
  startsAt: Date;
}

/**
 * The due date that applies: once the feedback is given, the stored one (timeliness was judged on
 * it); before, five working days after the visit as it now stands, so a moved visit moves it.
 */
export function effectiveDueOn(shadowing: ShadowingFacts, visit: VisitFacts, calendar: WorkingCalendar): string {
  return shadowing.feedbackGivenAt ? shadowing.feedbackDueOn : shadowingFeedbackDueOn(visit.startsAt, calendar);
}

/**
 * Where a shadowing stands on `now` (the app's clock: never the machine's). Late means the
 * written feedback came (or has not come) after the due date's London day: feedback given on the
 * due date is on time.
 */
export function shadowingState(shadowing: ShadowingFacts, visit: VisitFacts, now: Date, calendar: WorkingCalendar): ShadowingState {
  const dueOn = effectiveDueOn(shadowing, visit, calendar);
  if (shadowing.feedbackGivenAt) return businessDateOf(shadowing.feedbackGivenAt) > dueOn ? ShadowingState.GIVEN_LATE : ShadowingState.GIVEN_ON_TIME;
  if (visit.status === VisitStatus.CANCELLED) return ShadowingState.CANCELLED;
  if (visit.startsAt > now) return ShadowingState.BOOKED;
  return businessDateOf(now) > dueOn ? ShadowingState.FEEDBACK_LATE : ShadowingState.FEEDBACK_DUE;
}

/** Whether a state counts as late (the report's and the list's one word for it). */
export const isLateState = (state: ShadowingState): boolean => state === ShadowingState.FEEDBACK_LATE || state === ShadowingState.GIVEN_LATE;

/** "2027-03-10" plus two years: when the next shadowing is due after one on that date (29 February → 28 February). */
export function nextShadowingDueBy(lastShadowedOn: string | null, today: string): string {
  if (!lastShadowedOn) return today;
  const [y, m, d] = lastShadowedOn.split('-').map(Number) as [number, number, number];
  const year = y + SHADOWING_EVERY_YEARS;
  const lastDay = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${year}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}
