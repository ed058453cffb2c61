import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerRole } from '../../api/src/partners/partner.enums.js';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { expectAccessible } from './support/axe.js';
import { isolatedContext, launchBrowser, screenshot, type PageProblems } from './support/browser.js';

/**
 * The Teams app's Notifications page in headless Chromium: a partner chooses email for one kind and
 * turns the weekly digest off; each choice is saved as made (said in a live region), kept after a
 * reload, and is what the API holds; the page passes axe (WCAG 2.2 A and AA) and works from the keyboard.
 */
describe('Teams notification settings (end to end)', () => {
  let t: TestApp;
  let browser: Browser;
  const opened: { context: BrowserContext; problems: PageProblems }[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  });
  afterAll(async () => {
    for (const o of opened) await o.context.close();
    await browser?.close();
    await t?.stop();
  });

  it('saves each choice as it is made, keeps it, and is accessible', async () => {
    const partner = await t.personWithRole(PartnerRole.PARTNER);
    const o = await isolatedContext(browser);
    opened.push(o);
    await o.context.addInitScript((email) => {
      if (location.protocol.startsWith('http') && !localStorage.getItem('sv.devPerson')) localStorage.setItem('sv.devPerson', email);
    }, partner.partner.email);
    const page = await o.context.newPage();
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(`${t.url}/addin/teams/tab.html#/notifications`);

    const agreed = page.getByRole('radiogroup', { name: 'A headteacher agreed your note' });
    await expect.poll(() => agreed.getByRole('radio', { name: /^Teams/ }).isChecked()).toBe(true);
    await expectAccessible(page, 'Notification settings');

    await agreed.getByRole('radio', { name: 'Email', exact: true }).check();
    await expect.poll(() => page.getByTestId('notifications-status').textContent()).toBe('Saved: A headteacher agreed your note, email.');
    // From the keyboard: the digest's group, then an arrow to "Off".
    const digest = page.getByRole('radiogroup', { name: 'The weekly digest (Monday morning, by email)' });
    await digest.getByRole('radio', { name: 'On', exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('notifications-status').textContent()).toBe('Saved: The weekly digest (Monday morning, by email), off.');
    await screenshot(page, 'teams-notification-settings');

    const held = await t.gql<{ myNotificationPreferences: { kind: string; channel: string }[] }>(
      '{ myNotificationPreferences { kind channel } }',
      {},
      { token: partner.token },
    );
    expect(held.data!.myNotificationPreferences.filter((p) => ['HEADTEACHER_AGREED', 'WEEKLY_DIGEST'].includes(p.kind))).toEqual([
      { kind: 'HEADTEACHER_AGREED', channel: 'EMAIL' },
      { kind: 'WEEKLY_DIGEST', channel: 'NONE' },
    ]);

    await page.reload();
    await expect
      .poll(() => page.getByRole('radiogroup', { name: 'A headteacher agreed your note' }).getByRole('radio', { name: 'Email', exact: true }).isChecked())
      .toBe(true);
    expect(
      await page.getByRole('radiogroup', { name: 'The weekly digest (Monday morning, by email)' }).getByRole('radio', { name: 'Off', exact: true }).isChecked(),
    ).toBe(true);
    expect(o.problems.errors).toEqual([]);
  });
});
