import { businessDateOf } from '../../src/platform/dates/today.js';
import { clockFrom } from '../../src/platform/clock.js';

/**
 * The suite's business clock: the day the demo county is built around and the
 * "now" every test app's rules read. Fixed by default, so a run does not depend on
 * the day it happens: Wednesday 10 March 2027, 10:00 London, a term-time morning.
 * TEST_NOW (an ISO instant with its offset) runs the suite as if it were another
 * day, e.g. TEST_NOW=2027-08-15T10:00:00+01:00 (a Sunday in the summer holiday).
 * The clock runs on from there with real time, so later actions get later times.
 */
export const DEFAULT_TEST_NOW = '2027-03-10T10:00:00Z';

function startInstant(): Date {
  const text = process.env.TEST_NOW || DEFAULT_TEST_NOW;
  const start = new Date(text);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(text) || Number.isNaN(start.getTime())) {
    throw new Error(`TEST_NOW must be an ISO 8601 instant with its offset, e.g. 2027-08-15T10:00:00+01:00 (got "${text}")`);
  }
  return start;
}

export const testClock = clockFrom(startInstant());

/** The business date of the suite's clock now, "YYYY-MM-DD" (London). */
export const testToday = (): string => businessDateOf(testClock.now());

/** The suite's clock now, as spawned servers take it (CLOCK_START, config.ts). */
export const clockStartEnv = (): { CLOCK_START: string } => ({ CLOCK_START: testClock.now().toISOString() });
