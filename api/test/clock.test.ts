import { describe, expect, it } from 'vitest';
import { clockFrom } from '../src/platform/clock.js';
import { DEFAULT_TEST_NOW, testClock } from './support/test-clock.js';

describe('a clock started at an instant', () => {
  it('reads that instant, then runs on with real time', async () => {
    const start = new Date('2027-12-27T10:00:00Z');
    const before = Date.now();
    const clock = clockFrom(start);
    const first = clock.now().getTime();
    const realElapsed = Date.now() - before;
    expect(first).toBeGreaterThanOrEqual(start.getTime());
    expect(first).toBeLessThanOrEqual(start.getTime() + realElapsed);
    const realNow = Date.now();
    while (Date.now() === realNow) await new Promise((r) => setTimeout(r, 1));
    expect(clock.now().getTime()).toBeGreaterThan(first);
  });

  it('refuses an invalid instant', () => {
    expect(() => clockFrom(new Date('not a date'))).toThrow(/not a valid instant/);
  });

  it("is the suite's clock: TEST_NOW, or a term-time Wednesday morning", () => {
    const start = new Date(process.env.TEST_NOW || DEFAULT_TEST_NOW).getTime();
    expect(testClock.now().getTime()).toBeGreaterThanOrEqual(start);
  });
});
