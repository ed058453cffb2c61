import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Partner } from '../../api/src/partners/partner.entity.js';
import { PartnerRole } from '../../api/src/partners/partner.enums.js';
import { School } from '../../api/src/schools/school.entity.js';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { testClock } from '../../api/test/support/test-clock.js';
import { expectAccessible } from './support/axe.js';
import { isolatedContext, launchBrowser, screenshot, type PageProblems } from './support/browser.js';

/**
 * The Teams app's tables end to end in headless Chromium (issue 22): filtering reduces the live
 * count, sorting by a column changes the order and sets aria-sort, the CSV download holds the
 * header and the rows shown in their order (UTF-8 with a BOM, CRLF, a formula neutralised), and
 * a partner's term as a calendar shows a known visit on its day, a cancelled one struck through
 * with words, and a council closure day; axe on each page.
 */
describe('the Team tab’s tables and a partner’s term (end to end)', () => {
  let t: TestApp;
  let browser: Browser;
  let managerEmail: string;
  let partner: { id: string; email: string; name: string; token: string };
  const opened: BrowserContext[] = [];
  /** The suite's day in London, as the pages see it. */
  const day = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(testClock.now());
  const academicYear = () => {
    const [y, m] = day().split('-').map(Number) as [number, number];
    const start = m >= 9 ? y : y - 1;
    return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
  };

  /** A school name a spreadsheet would run as a formula, were it not neutralised. */
  const FORMULA_NAME = '=HYPERLINK("http://example.invalid","Élan Academy")';

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    managerEmail = (await t.personWithRole(PartnerRole.MANAGER)).partner.email;
    const p = await t.personWithRole(PartnerRole.PARTNER);
    partner = { id: p.partner.id, email: p.partner.email, name: p.partner.name, token: p.token };
    // one allocated school gets a name that starts with "=" (and an accent), in this test's own copy of the county
    const em = t.app.orm.em.fork();
    const [row] = await em
      .getConnection()
      .execute<{ school_id: string }[]>('select school_id from allocation where academic_year = ? order by school_id limit 1', [academicYear()]);
    const school = await em.findOneOrFail(School, { id: row!.school_id });
    school.name = FORMULA_NAME;
    await em.flush();
    // a late draft for two partners each: a visit three weeks ago whose note was started and never shared
    const others = await em.find(Partner, { role: PartnerRole.PARTNER, active: true }, { orderBy: { name: 'asc' }, limit: 2 });
    for (const [index, other] of others.entries()) {
      const token = await t.issuer.signForPerson(other.email);
      const mine = await t.gql<{ me: { allocations: { school: { id: string } }[] } }>('{ me { allocations { school { id } } } }', {}, { token });
      const startsAt = new Date(testClock.now().getTime() - (21 + 7 * index) * 86_400_000);
      startsAt.setUTCHours(9, 0, 0, 0);
      const booked = await t.gql<{ bookVisit: { id: string } }>(
        'mutation ($input: BookVisitInput!) { bookVisit(input: $input) { id } }',
        {
          input: {
            schoolId: mine.data!.me.allocations[0]!.school.id,
            type: 'SPRING',
            startsAt: startsAt.toISOString(),
            endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString(),
          },
        },
        { token },
      );
      expect(booked.errors).toBeUndefined();
      const started = await t.gql('mutation ($v: ID!) { startNote(visitId: $v) { id } }', { v: booked.data!.bookVisit.id }, { token });
      expect(started.errors).toBeUndefined();
    }
  });

  afterAll(async () => {
    for (const c of opened) await c.close();
    await browser?.close();
    await t?.stop();
  });

  async function open(url: string, as: string): Promise<{ page: Page; problems: PageProblems }> {
    const o = await isolatedContext(browser);
    opened.push(o.context);
    await o.context.addInitScript((email) => {
      if (location.protocol.startsWith('http') && !localStorage.getItem('sv.devPerson')) localStorage.setItem('sv.devPerson', email);
    }, as);
    o.context.setDefaultTimeout(60_000);
    const page = await o.context.newPage();
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(`${t.url}${url}`);
    return { page, problems: o.problems };
  }

  const shownCount = async (box: Locator) => {
    const text = (await box.getByRole('status').textContent()) ?? '';
    const m = /^(\d+) of (\d+) shown$/.exec(text.trim());
    expect(m, `the live count reads "n of m shown", not "${text}"`).not.toBeNull();
    return { shown: Number(m![1]), total: Number(m![2]) };
  };

  it('filters, sorts and downloads the allocations table as a spreadsheet-readable CSV', { timeout: 120_000 }, async () => {
    const { page, problems } = await open('/addin/teams/tab.html#/team', managerEmail);
    const table = page.getByTestId('allocations');
    await table.waitFor();
    const box = page.getByTestId('allocations-box');
    const before = await shownCount(box);
    expect(before.shown).toBe(before.total);
    expect(before.total).toBeGreaterThan(3);

    // filtering by partner reduces the count, and every row left is theirs
    const select = page.getByTestId('allocations-filter-partner');
    const partnerName = (await select.locator('option').nth(1).textContent())!;
    await select.selectOption({ label: partnerName });
    const filtered = await shownCount(box);
    expect(filtered.shown).toBeLessThan(before.total);
    expect(filtered.total).toBe(before.total);
    const partners = await table.locator('tbody [data-column="partner"]').allTextContents();
    expect(partners.length).toBe(filtered.shown);
    expect(new Set(partners)).toEqual(new Set([partnerName]));
    await page.getByRole('button', { name: 'Clear filters' }).click();
    expect((await shownCount(box)).shown).toBe(before.total);

    // sorting by a column changes the order and says so with aria-sort
    const header = table.locator('thead th[data-column="remaining"]');
    expect(await header.getAttribute('aria-sort')).toBeNull();
    const remaining = async () =>
      (await table.locator('tbody [data-column="remaining"]').allTextContents()).map((s) => Number.parseFloat(s.replace(' (over)', '')));
    const unsorted = await remaining();
    await header.getByRole('button', { name: /Remaining/ }).click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    const ascending = await remaining();
    expect(ascending).toEqual([...unsorted].sort((a, b) => a - b));
    await header.getByRole('button').click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    const descending = await remaining();
    expect(descending).toEqual([...unsorted].sort((a, b) => b - a));
    expect(descending).not.toEqual(unsorted.length > 1 && new Set(unsorted).size > 1 ? ascending : ['never']);
    // only the sorted column says how it is sorted
    await expect(table.locator('th[aria-sort]').count()).resolves.toBe(1);

    // the CSV: what is shown, in the order shown; the find box narrows it to the school with a formula for a name and its neighbours
    const formulaRow = table.locator('tbody tr').filter({ hasText: FORMULA_NAME });
    const formulaPartner = (await formulaRow.locator('[data-column="partner"]').textContent())!;
    await select.selectOption({ label: formulaPartner });
    await page.getByTestId('allocations-find').fill('a');
    const shown = await shownCount(box);
    expect(shown.shown).toBeLessThan(shown.total);
    const schoolsShown = await table.locator('tbody [data-column="school"]').allTextContents();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('allocations-csv').click()]);
    expect(download.suggestedFilename()).toBe(`allocation-days-${academicYear()}-${day()}.csv`);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)], 'a UTF-8 byte order mark, so Excel reads the accents').toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('\r\n');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const records = parse(text, { bom: true }) as string[][];
    expect(records[0]).toEqual(['School', 'Partner', 'Allocated', 'Used', 'Remaining']);
    expect(records.length - 1).toBe(shown.shown);
    expect(records.slice(1).map((r) => r[0]!.replace(/^'(?==)/, ''))).toEqual(schoolsShown);
    // numbers stay numbers, in the order shown (descending days remaining)
    const csvRemaining = records.slice(1).map((r) => Number(r[4]));
    expect(csvRemaining).toEqual([...csvRemaining].sort((a, b) => b - a));
    // the school named like a formula is text with an apostrophe in front (and its accent intact)
    expect(records.slice(1).map((r) => r[0])).toContain(`'${FORMULA_NAME}`);
    expect(records.flat().some((cell) => /^[=+@]/.test(cell))).toBe(false);

    await expectAccessible(page, 'Team tab');
    await screenshot(page, 'teams-team-tables');
    expect(problems.errors).toEqual([]);
  });

  it('filters and sorts the late notes, and links a partner to their term', { timeout: 90_000 }, async () => {
    const { page, problems } = await open('/addin/teams/tab.html#/team', managerEmail);
    const table = page.getByTestId('late-notes');
    await table.waitFor();
    const box = page.getByTestId('late-notes-box');
    const { total } = await shownCount(box);
    const visits = table.locator('thead th[data-column="visit"]');
    await visits.getByRole('button').click();
    expect(await visits.getAttribute('aria-sort')).toBe('ascending');
    const links = await table.locator('tbody [data-column="visit"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.length).toBe(total);
    const dates = await table.locator('tbody [data-column="visit"]').allTextContents();
    const order = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-note-id')));
    await visits.getByRole('button').click();
    expect(await visits.getAttribute('aria-sort')).toBe('descending');
    expect(await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-note-id')))).not.toEqual(order);
    expect(dates.length).toBe(total);
    // one partner's late notes: fewer, and all theirs
    const select = page.getByTestId('late-notes-filter-partner');
    const name = (await select.locator('option').nth(1).textContent())!;
    await select.selectOption({ label: name });
    const after = await shownCount(box);
    expect(after.shown).toBeLessThan(total);
    expect(new Set(await table.locator('tbody [data-column="partner"]').allTextContents())).toEqual(new Set([name]));
    await expectAccessible(page, 'Team tab, late notes filtered');
    // a partner's name opens their term as a calendar
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await table.locator('tbody [data-column="partner"] a').first().click();
    await page.getByTestId('partner-calendar').waitFor();
    expect(page.url()).toMatch(/#\/partners\/[0-9a-f-]{36}\/calendar$/);
    expect(problems.errors).toEqual([]);
  });

  it(
    'shows a partner’s term as a calendar: a known visit on its day, a cancelled one struck through in words, a closure day',
    { timeout: 120_000 },
    async () => {
      // the term the suite's day is in (or the next): a Tuesday and a Wednesday in it
      const calendar = await t.gql<{
        termCalendar: { terms: { name: string; startsOn: string; endsOn: string }[]; holidays: { startsOn: string; endsOn: string }[] };
      }>('query ($y: String!) { termCalendar(academicYear: $y) { terms { name startsOn endsOn } holidays { startsOn endsOn } } }', { y: academicYear() });
      const terms = calendar.data!.termCalendar.terms;
      const term = terms.find((x) => x.startsOn <= day() && day() <= x.endsOn) ?? terms.find((x) => x.startsOn > day()) ?? terms.at(-1)!;
      const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
      let tuesday = addDays(term.startsOn, 7);
      while (new Date(`${tuesday}T12:00:00Z`).getUTCDay() !== 2) tuesday = addDays(tuesday, 1);
      const wednesday = addDays(tuesday, 1);
      const thursday = addDays(tuesday, 2);

      const me = await t.gql<{ me: { allocations: { school: { id: string; name: string } }[] } }>(
        '{ me { allocations { school { id name } } } }',
        {},
        { token: partner.token },
      );
      const schools = me.data!.me.allocations.map((a) => a.school);
      const book = async (date: string, school: { id: string }) => {
        const startsAt = `${date}T09:30:00Z`;
        const booked = await t.gql<{ bookVisit: { id: string; version: number } }>(
          'mutation ($input: BookVisitInput!) { bookVisit(input: $input) { id version } }',
          { input: { schoolId: school.id, type: 'OTHER', startsAt, endsAt: `${date}T12:30:00Z` } },
          { token: partner.token },
        );
        expect(booked.errors).toBeUndefined();
        return booked.data!.bookVisit;
      };
      const known = await book(tuesday, schools[0]!);
      const gone = await book(wednesday, schools[1 % schools.length]!);
      const cancelled = await t.gql(
        'mutation ($id: ID!, $v: Int) { cancelVisit(id: $id, expectedVersion: $v, reason: "The school closed for snow.") { id status } }',
        { id: gone.id, v: gone.version },
        { token: partner.token },
      );
      expect(cancelled.errors).toBeUndefined();
      const closure = await t.gql('mutation ($input: CouncilClosureDaysInput!) { addCouncilClosureDays(input: $input) { days { date } } }', {
        input: { dates: [thursday], reason: 'Staff training day' },
      });
      expect(closure.errors).toBeUndefined();

      // from My visits, the partner opens their own term; then the term with the known visit
      const { page, problems } = await open('/addin/teams/tab.html#/visits', partner.email);
      await page.getByRole('link', { name: 'My term as a calendar' }).click();
      await page.getByTestId('partner-calendar').waitFor();
      await expect(page.getByRole('heading', { level: 2 }).first().textContent()).resolves.toContain(partner.name);
      await page.goto(`${t.url}/addin/teams/tab.html#/partners/${partner.id}/calendar/${tuesday}`);
      await page.getByTestId('term-calendar').waitFor();
      await expect(page.getByTestId('term-name').textContent()).resolves.toContain(term.name);

      const tuesdayCell = page.locator(`td[data-date="${tuesday}"]`);
      const visit = tuesdayCell.locator(`li[data-visit-id="${known.id}"]`);
      const london = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
      await expect(visit.textContent()).resolves.toBe(`${london(`${tuesday}T09:30:00Z`)}–${london(`${tuesday}T12:30:00Z`)} ${schools[0]!.name}, other visit`);
      // the table's headers name each cell's week and weekday
      await expect(tuesdayCell.evaluate((td) => (td as HTMLTableCellElement).cellIndex)).resolves.toBe(2);

      const goneItem = page.locator(`td[data-date="${wednesday}"] li[data-visit-id="${gone.id}"]`);
      await expect(goneItem.locator('s').count()).resolves.toBe(1);
      await expect(goneItem.textContent()).resolves.toContain('(cancelled)');
      await expect(page.locator(`td[data-date="${thursday}"]`).textContent()).resolves.toContain('Council closed: Staff training day');

      // the previous and next terms are links to them
      const nav = page.getByRole('navigation', { name: 'Terms' });
      await expect(nav.getByRole('link').count()).resolves.toBeGreaterThan(0);
      // the term's visits as a list, with its own table tools
      await expect(page.getByTestId('term-visits').locator(`tr[data-visit-id="${known.id}"]`).count()).resolves.toBe(1);

      await expectAccessible(page, 'Partner calendar');
      await screenshot(page, 'teams-partner-calendar');
      expect(problems.errors).toEqual([]);
    },
  );
});
