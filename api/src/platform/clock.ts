/**
 * Where business rules read "now": deadlines, lateness, the academic year, link
 * expiry, what is past. One clock per app (startApp's `clock`), handed to resolvers
 * on the GraphQL context, so a test can run the server as if it were any day.
 * Security times (token expiry, rate limits) and record-keeping timestamps
 * (createdAt, audit) stay on the real clock: no test clock may move them.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that reads `start` now and runs on with real time, so things done one
 * after another still get later times (ordering by time keeps working).
 */
export function clockFrom(start: Date): Clock {
  if (Number.isNaN(start.getTime())) throw new Error('clockFrom: not a valid instant');
  const offset = start.getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset) };
}
