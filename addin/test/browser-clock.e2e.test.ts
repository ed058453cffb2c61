import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testClock } from '../../api/test/support/test-clock.js';
import { londonToday } from '../src/teams/dates.js';
import { isolatedContext, launchBrowser } from './support/browser.js';

/**
 * The pages of the end-to-end tests run on the suite's clock (TEST_NOW), as the test
 * server does: what the front end calls today (late notes, past visits) is the server's day.
 */
describe("the browser's clock in end-to-end tests", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it("is the suite's: today, now and Date's other uses", async () => {
    const { context } = await isolatedContext(browser);
    const page = await context.newPage();
    await page.goto('data:text/html,<p>clock</p>');
    const before = testClock.now().getTime();
    const seen = await page.evaluate(() => ({
      now: Date.now(),
      made: new Date().getTime(),
      text: Date(),
      isDate: new Date() instanceof Date,
      parsed: new Date('2020-01-01T00:00:00Z').getTime(),
      utc: Date.UTC(2020, 0, 1),
    }));
    const after = testClock.now().getTime();
    // Read between the two readings of the suite's clock (a millisecond either side: both offsets are rounded).
    expect(seen.now).toBeGreaterThanOrEqual(before - 1);
    expect(seen.now).toBeLessThanOrEqual(after + 1);
    expect(seen.made).toBeGreaterThanOrEqual(seen.now);
    expect([londonToday(new Date(before)), londonToday(new Date(after))]).toContain(londonToday(new Date(seen.made))); // the suite's today (testToday)
    expect(new Date(seen.text).getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 - 1000); // Date() has whole seconds
    expect(seen.isDate).toBe(true);
    // Dates of other days are untouched.
    expect(seen.parsed).toBe(Date.UTC(2020, 0, 1));
    expect(seen.utc).toBe(Date.UTC(2020, 0, 1));
    // Time runs on in the page.
    await page.waitForTimeout(20);
    expect(await page.evaluate(() => Date.now())).toBeGreaterThan(seen.now);
    await context.close();
  });
});
