import { addWorkingDays } from '../calendar/working-days.js';
import { businessDateOf } from '../calendar/today.js';

/** Seed 004 section 9: the draft to the headteacher within 5 days, circulation within 10. */
export const DRAFT_DUE_WORKING_DAYS = 5;
export const CIRCULATION_DUE_WORKING_DAYS = 10;

export function noteDeadlines(visitStartsAt: Date): { draftDueOn: string; circulationDueOn: string } {
  const visitDay = businessDateOf(visitStartsAt);
  return {
    draftDueOn: addWorkingDays(visitDay, DRAFT_DUE_WORKING_DAYS),
    circulationDueOn: addWorkingDays(visitDay, CIRCULATION_DUE_WORKING_DAYS),
  };
}
