import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoteOfVisit } from '../../api/src/notes/note-of-visit.entity.js';
import { NoteStatus } from '../../api/src/notes/note.enums.js';
import { checkPdf } from '../../api/test/support/pdf-accessibility.js';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { expectAccessible } from './support/axe.js';
import { isolatedContext, launchBrowser, screenshot } from './support/browser.js';

/**
 * The note editor (Teams tab; the same editor opens in Outlook) offers the note as a
 * tagged PDF beside Word (issue 22): pressed in headless Chromium against the real API,
 * the download is a PDF that passes the suite's accessibility check.
 */
describe('the note as a PDF from the note editor', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.stop();
  });

  it('downloads the note as an accessible PDF beside the Word download', { timeout: 120_000 }, async () => {
    const note = (await t.app.orm.em.fork().findOne(NoteOfVisit, { status: NoteStatus.DRAFT }, { populate: ['author', 'visit'] }))!;
    const author = note.author.getEntity().email;
    const o = await isolatedContext(browser);
    context = o.context;
    await context.addInitScript((email) => {
      if (location.protocol.startsWith('http') && !localStorage.getItem('sv.devPerson')) localStorage.setItem('sv.devPerson', email);
    }, author);
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(`${t.url}/addin/teams/tab.html#/notes/${note.visit.id}`);
    await page.getByTestId('note-summary').waitFor();

    await page.getByRole('button', { name: 'Download as Word' }).waitFor();
    const button = page.getByRole('button', { name: 'Download as PDF' });
    await button.scrollIntoViewIfNeeded();
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe(`note-of-visit-${note.id}.pdf`);
    const file = readFileSync((await download.path())!);
    expect(file.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await checkPdf(new Uint8Array(file), { lang: 'en-GB' })).problems).toEqual([]);

    await expectAccessible(page, 'Notes: PDF beside Word');
    await screenshot(page, 'teams-note-pdf-download');
    expect(o.problems.errors).toEqual([]);
  });
});
