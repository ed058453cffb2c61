import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerRole } from '../../api/src/partners/partner.enums.js';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { testClock } from '../../api/test/support/test-clock.js';
import { expectAccessible } from './support/axe.js';
import { ARTIFACTS, isolatedContext, launchBrowser, screenshot, type PageProblems } from './support/browser.js';

/**
 * The Teams tab end to end in headless Chromium, over the real server and a copy of the
 * demo county: My visits, writing a note with a recommendation (autosave, reload),
 * a concurrent edit (conflict shown, nothing lost), sharing, a fifth recommendation a
 * manager allows (kept through the partner's autosave), the headteacher's dispute (shown
 * to the partner and the moderating manager; recorded by a manager with a reason), errors
 * next to their fields and why a share failed, a corrected note, the Team tab, the dark
 * theme through the simulated Teams frame, and axe-core (WCAG 2.2 A and AA, any impact) on the tabs.
 */
describe('Teams tab (end to end)', () => {
  let t: TestApp;
  let browser: Browser;
  let partner: { email: string; id: string; token: string };
  let managerEmail: string;
  let visitId: string;
  /** The partner's schools: each later test books its own visit at another school, so notes do not carry into each other. */
  let schools: string[] = [];
  const timings: Record<string, number> = {};
  const opened: { context: BrowserContext; problems: PageProblems }[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    const p = await t.personWithRole(PartnerRole.PARTNER);
    partner = { email: p.partner.email, id: p.partner.id, token: p.token };
    managerEmail = (await t.personWithRole(PartnerRole.MANAGER)).partner.email;
    // A visit that took place three days ago and has no note yet.
    const me = await t.gql<{ me: { allocations: { school: { id: string } }[] } }>('{ me { allocations { school { id } } } }', {}, { token: partner.token });
    const startsAt = new Date(testClock.now().getTime() - 3 * 86_400_000); // the suite's day, which the pages also run on
    startsAt.setUTCHours(9, 0, 0, 0);
    const booked = await t.gql<{ bookVisit: { id: string } }>(
      'mutation ($input: BookVisitInput!) { bookVisit(input: $input) { id } }',
      {
        input: {
          schoolId: me.data!.me.allocations[0]!.school.id,
          type: 'SPRING',
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString(),
        },
      },
      { token: partner.token },
    );
    expect(booked.errors).toBeUndefined();
    visitId = booked.data!.bookVisit.id;
    schools = me.data!.me.allocations.map((a) => a.school.id);
  });

  afterAll(async () => {
    for (const o of opened) await o.context.close();
    await browser?.close();
    await t?.stop();
    writeFileSync(path.join(ARTIFACTS, 'teams-e2e-timings.json'), JSON.stringify(timings, null, 2));
  });

  async function open(url: string, as: string, options: { colorScheme?: 'light' | 'dark' } = {}): Promise<{ page: Page; problems: PageProblems }> {
    const o = await isolatedContext(browser, options);
    opened.push(o);
    await o.context.addInitScript((email) => {
      // about:blank has no storage; every page of the server's origin gets the person.
      if (location.protocol.startsWith('http') && !localStorage.getItem('sv.devPerson')) localStorage.setItem('sv.devPerson', email);
    }, as);
    await o.context.setDefaultTimeout(60_000);
    const page = await o.context.newPage();
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(`${t.url}${url}`);
    return { page, problems: o.problems };
  }

  const noProblems = (problems: PageProblems) => expect(problems.errors).toEqual([]);

  async function note(): Promise<{
    id: string;
    version: number;
    summary: string | null;
    purpose: string | null;
    status: string;
    recommendations: { action: string }[];
  }> {
    const r = await t.gql<{ visit: { note: any } }>(
      'query ($id: ID!) { visit(id: $id) { note { id version status summary purpose recommendations { action } } } }',
      { id: visitId },
    );
    return r.data!.visit.note;
  }

  const saved = (page: Page) => page.locator('[data-testid="save-state"][data-state="saved"]').waitFor();

  /** A visit of the partner's at one of their schools, some days ago, with its note started (as the editor would). */
  async function pastVisitWithNote(schoolIndex: number, daysAgo: number): Promise<{ visitId: string; noteId: string; visitDate: string; carried: string[] }> {
    const startsAt = new Date(testClock.now().getTime() - daysAgo * 86_400_000);
    startsAt.setUTCHours(9, 0, 0, 0);
    const booked = await t.gql<{ bookVisit: { id: string } }>(
      'mutation ($input: BookVisitInput!) { bookVisit(input: $input) { id } }',
      {
        input: {
          schoolId: schools[schoolIndex % schools.length],
          type: 'SPRING',
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString(),
        },
      },
      { token: partner.token },
    );
    expect(booked.errors).toBeUndefined();
    const started = await t.gql<{ startNote: { id: string; reviews: { recommendation: { id: string } }[] } }>(
      'mutation ($v: ID!) { startNote(visitId: $v) { id reviews { recommendation { id } } } }',
      { v: booked.data!.bookVisit.id },
      { token: partner.token },
    );
    expect(started.errors).toBeUndefined();
    return {
      visitId: booked.data!.bookVisit.id,
      noteId: started.data!.startNote.id,
      visitDate: startsAt.toISOString().slice(0, 10),
      carried: started.data!.startNote.reviews.map((r) => r.recommendation.id),
    };
  }

  const NOTE_STATE =
    'id version status summary recommendationLimitOverrideReason confirmedNotNames recommendations { id action } judgements { id area headteacherComment commentary } responses { agreed recordedVia reason }';
  type NoteState = {
    id: string;
    version: number;
    status: string;
    summary: string | null;
    recommendationLimitOverrideReason: string | null;
    confirmedNotNames: string[];
    recommendations: { id: string; action: string }[];
    judgements: { id: string; area: string; headteacherComment: string | null; commentary: string | null }[];
    responses: { agreed: boolean; recordedVia: string; reason: string | null }[];
  };
  async function noteById(id: string): Promise<NoteState> {
    const r = await t.gql<{ note: NoteState }>(`query ($id: ID!) { note(id: $id) { ${NOTE_STATE} } }`, { id });
    expect(r.errors).toBeUndefined();
    return r.data!.note;
  }
  /** A save through the API, as the partner (or `token`), from the note's current version. */
  async function apiSave(noteId: string, input: Record<string, unknown>, token = partner.token): Promise<NoteState> {
    const { version } = await noteById(noteId);
    const r = await t.gql<{ updateNote: NoteState }>(
      `mutation ($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { ${NOTE_STATE} } }`,
      { id: noteId, v: version, input },
      { token },
    );
    expect(r.errors).toBeUndefined();
    return r.data!.updateNote;
  }
  /** The note's judgements become these headings only: the others are removed by id (a save never drops what it does not name). */
  async function judgeOnly<J extends { area: string }>(noteId: string, judgements: J[]): Promise<{ judgements: J[]; remove: string[] }> {
    const { judgements: current } = await noteById(noteId);
    return { judgements, remove: current.filter((j) => !judgements.some((k) => k.area === j.area)).map((j) => j.id) };
  }
  const inDays = (n: number) => new Date(testClock.now().getTime() + n * 86_400_000).toISOString().slice(0, 10);
  const recommendation = (n: number) => ({
    action: `Recommendation ${n}: sharpen questioning in mathematics lessons.`,
    successMeasure: 'Lesson visits in the summer term show it in most lessons.',
    ownerRole: 'Mathematics subject leader',
    dueOn: inDays(60 + n),
  });

  it('My visits lists the partner’s visits with the note’s status and due dates, late ones first', { timeout: 90_000 }, async () => {
    const started = Date.now();
    const { page, problems } = await open('/addin/teams/tab.html#/visits', partner.email);
    await page.getByTestId('visits-table').waitFor();
    timings.myVisitsFirstContentMs = Date.now() - started;
    expect(await page.locator('[data-host]').getAttribute('data-host')).toBe('browser');
    const row = page.locator(`tr[data-visit-id="${visitId}"]`);
    await expect(row.getByRole('link', { name: /^Write the note/ }).count()).resolves.toBe(1);
    // Late rows come before any other.
    const lateFlags = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.hasAttribute('data-late')));
    expect(lateFlags.indexOf(false) === -1 || !lateFlags.slice(lateFlags.indexOf(false)).includes(true)).toBe(true);
    await expectAccessible(page, 'My visits');
    await screenshot(page, 'teams-my-visits-light');
    // Filter by school: only that school's visits remain.
    const school = page.getByTestId('filter-school');
    const firstSchool = await school.locator('option').nth(1).getAttribute('value');
    await school.selectOption(firstSchool!);
    await page.getByTestId('visits-table').or(page.getByText('No visits in this period.')).waitFor();
    noProblems(problems);
  });

  it('writes a note with a recommendation; autosave survives a reload', { timeout: 90_000 }, async () => {
    const started = Date.now();
    const { page, problems } = await open(`/addin/teams/tab.html#/notes/${visitId}`, partner.email);
    await page.getByTestId('note-summary').waitFor();
    timings.noteEditorOpenMs = Date.now() - started;
    await page.getByTestId('note-summary').fill('Leaders have an accurate view of the school; most pupils make good progress in reading.');
    await page.getByRole('button', { name: 'Add a recommendation' }).click();
    const rec = page.getByTestId('recommendation-1');
    await rec.getByLabel(/^Action/).fill('Sharpen feedback in mathematics so that pupils correct errors in the lesson.');
    await rec.getByLabel(/^Success measure/).fill('Book scrutiny in March shows corrections in most books.');
    await rec.getByLabel(/^Owner \(role/).fill('Mathematics subject leader');
    const due = new Date(testClock.now().getTime() + 60 * 86_400_000).toISOString().slice(0, 10);
    await rec.getByLabel(/^Due by/).fill(due);
    const saveStarted = Date.now();
    await saved(page);
    timings.autosaveMs = Date.now() - saveStarted;
    let n = await note();
    expect(n.summary).toContain('most pupils make good progress');
    expect(n.recommendations.map((r) => r.action)).toEqual(['Sharpen feedback in mathematics so that pupils correct errors in the lesson.']);

    // The fifth recommendation is warned about, and never sent.
    for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Add a recommendation' }).click();
    await page.getByTestId('fifth-recommendation').waitFor();
    for (let i = 5; i >= 2; i--) await page.getByRole('button', { name: `Remove recommendation ${i}` }).click();
    await expect(page.getByTestId('fifth-recommendation').count()).resolves.toBe(0);

    // Typed, then reloaded before the autosave could land: the text comes back from this device and is saved.
    await saved(page);
    await page
      .getByTestId('note-summary')
      .fill('Leaders have an accurate view of the school; most pupils make good progress in reading. Typed just before a reload.');
    await page.reload();
    await page.getByTestId('restored').waitFor();
    await expect(page.getByTestId('note-summary').inputValue()).resolves.toContain('Typed just before a reload.');
    await saved(page);
    n = await note();
    expect(n.summary).toContain('Typed just before a reload.');
    await expectAccessible(page, 'Notes');
    await screenshot(page, 'teams-note-light');
    noProblems(problems);
  });

  it('a concurrent edit shows the conflict, keeps both texts, and the partner’s choice is saved', async () => {
    const { page, problems } = await open(`/addin/teams/tab.html#/notes/${visitId}`, partner.email);
    await page.getByTestId('note-summary').waitFor();
    await saved(page);
    // Someone else (the same partner on another device) saves first: a purpose and a different summary.
    const before = await note();
    const theirs = await t.gql(
      'mutation ($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { version } }',
      {
        id: before.id,
        v: before.version,
        input: { purpose: 'Their purpose: spring visit on the quality of provision.', summary: 'Their summary written on the laptop.' },
      },
      { token: partner.token },
    );
    expect(theirs.errors).toBeUndefined();
    // This tab still has the older version: its edit is refused and the conflict is shown.
    await page.getByTestId('note-summary').fill('My summary written in Teams: leaders evaluate teaching accurately.');
    await page.getByTestId('conflict').waitFor();
    await expect(page.getByTestId('conflict-mine').inputValue()).resolves.toContain('My summary written in Teams');
    await expect(page.getByTestId('conflict-theirs').inputValue()).resolves.toContain('Their summary written on the laptop.');
    // Their purpose (a section only they changed) is already combined into mine.
    await expect(page.getByLabel('Purpose and context of the visit').inputValue()).resolves.toBe('Their purpose: spring visit on the quality of provision.');
    await expectAccessible(page, 'Conflict');
    await screenshot(page, 'teams-note-conflict');
    await page.getByRole('button', { name: 'Keep mine (save over theirs)' }).click();
    await saved(page);
    const after = await note();
    expect(after.summary).toBe('My summary written in Teams: leaders evaluate teaching accurately.');
    expect(after.purpose).toBe('Their purpose: spring visit on the quality of provision.');
    expect(after.recommendations).toHaveLength(1);
    expect(after.version).toBeGreaterThan(before.version + 1);
    noProblems(problems);
  });

  it('shares the note with the headteacher', { timeout: 90_000 }, async () => {
    const { page, problems } = await open(`/addin/teams/tab.html#/notes/${visitId}`, partner.email);
    await page.getByTestId('note-summary').waitFor();
    // The judgements grid: achievement graded differently from the school (with the reason); other headings left out.
    const achievement = page.locator('fieldset[data-area="ACHIEVEMENT"]');
    await achievement.getByLabel("School's grade").selectOption('2');
    await achievement.getByLabel("Partner's grade").selectOption('3');
    await achievement.getByLabel('Where the views differ').fill('Attainment in mathematics at the end of Key Stage 2 is below the school’s own estimate.');
    for (const area of ['QUALITY_OF_TEACHING', 'BEHAVIOUR_AND_SAFETY', 'LEADERSHIP_AND_MANAGEMENT', 'OVERALL_EFFECTIVENESS']) {
      const box = page.locator(`fieldset[data-area="${area}"]`).getByRole('checkbox').first();
      if (await box.isChecked()) await box.uncheck();
    }
    // Carried recommendations must be reviewed before sharing.
    const reviews = page.locator('section[aria-labelledby="note-reviews"] select');
    for (let i = 0; i < (await reviews.count()); i++) await reviews.nth(i).selectOption('IN_PROGRESS');
    await saved(page);
    await page.getByRole('button', { name: 'Share with the headteacher' }).click();
    await page.getByTestId('workflow-done').or(page.locator('[data-error-code]')).first().waitFor();
    expect(await page.locator('[data-error-code]').allTextContents()).toEqual([]);
    await expect(page.getByTestId('note-status').textContent()).resolves.toMatch(/Shared/);
    expect((await note()).status).toBe('SHARED');
    const judged = await t.gql<{ visit: { note: { judgements: { area: string; schoolGrade: number; partnerGrade: number; disagreementReason: string }[] } } }>(
      'query ($id: ID!) { visit(id: $id) { note { judgements { area schoolGrade partnerGrade disagreementReason } } } }',
      { id: visitId },
    );
    expect(judged.data!.visit.note.judgements).toEqual([
      {
        area: 'ACHIEVEMENT',
        schoolGrade: 2,
        partnerGrade: 3,
        disagreementReason: 'Attainment in mathematics at the end of Key Stage 2 is below the school’s own estimate.',
      },
    ]);
    await screenshot(page, 'teams-note-shared');
    noProblems(problems);
  });

  it('a fifth recommendation allowed by a manager in the editor survives the partner’s autosave and a reload', { timeout: 180_000 }, async () => {
    const { visitId: visit, noteId } = await pastVisitWithNote(1, 4);
    await apiSave(noteId, {
      summary: 'Leaders know the school well; mathematics needs sharper questioning.',
      recommendations: [1, 2, 3, 4].map(recommendation),
    });

    // The manager adds a fifth in the editor: past the fourth it waits on the device, until they allow more, saying why.
    const manager = await open(`/addin/teams/tab.html#/notes/${visit}`, managerEmail);
    const m = manager.page;
    await m.getByTestId('recommendation-4').waitFor();
    await m.getByRole('button', { name: 'Add a recommendation' }).click();
    const fifth = m.getByTestId('recommendation-5');
    await fifth.getByLabel(/^Action/).fill('Recommendation 5: train governors to question the school’s assessment information.');
    await fifth.getByLabel(/^Success measure/).fill('Minutes of the summer meeting show governors challenging the data.');
    await fifth.getByLabel(/^Owner \(role/).fill('Chair of governors');
    await fifth.getByLabel(/^Due by/).fill(inDays(90));
    await fifth.getByText('Not saved: past the fourth.').waitFor();
    await saved(m);
    expect((await noteById(noteId)).recommendations).toHaveLength(4);
    const reason = 'The school is on intensive support: governors’ challenge is a fifth priority agreed with the council.';
    await m.getByRole('button', { name: 'Allow more recommendations' }).click();
    await m.getByText('Say why: the reason is kept with the note.').waitFor();
    await m.getByLabel(/^Why this note needs more than four/).fill(reason);
    await m.getByRole('button', { name: 'Allow more recommendations' }).click();
    await m.getByTestId('recommendation-limit-allowed').waitFor();
    await saved(m);
    await expect.poll(() => m.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('recommendation-limit-allowed');
    let n = await noteById(noteId);
    expect(n.recommendationLimitOverrideReason).toBe(reason);
    expect(n.recommendations).toHaveLength(5);
    const ids = n.recommendations.map((r) => r.id);
    await expectAccessible(m, 'Manager allows a fifth recommendation');
    await screenshot(m, 'teams-note-manager-allowed-fifth');
    noProblems(manager.problems);

    // The partner's editor shows the permission and keeps all five through its autosave.
    const { page, problems } = await open(`/addin/teams/tab.html#/notes/${visit}`, partner.email);
    await page.getByTestId('recommendation-5').waitFor();
    await expect(page.getByTestId('recommendation-limit-allowed').textContent()).resolves.toContain(`A senior adviser allowed more than four: ${reason}`);
    await page.getByTestId('note-summary').fill('Leaders know the school well; mathematics and governance need sharper challenge.');
    await expect.poll(async () => (await noteById(noteId)).summary).toBe('Leaders know the school well; mathematics and governance need sharper challenge.');
    await saved(page);
    n = await noteById(noteId);
    expect(n.recommendations.map((r) => r.id)).toEqual(ids);
    // Reloaded: five on screen, and a change to the fifth saves it in place (same id).
    await page.reload();
    await page.getByTestId('recommendation-5').waitFor();
    await saved(page);
    await page
      .getByTestId('recommendation-5')
      .getByLabel(/^Action/)
      .fill('Recommendation 5: train governors to question assessment information.');
    await expect
      .poll(async () => (await noteById(noteId)).recommendations[4]?.action)
      .toBe('Recommendation 5: train governors to question assessment information.');
    await saved(page);
    n = await noteById(noteId);
    expect(n.recommendations.map((r) => r.id)).toEqual(ids);
    expect(await page.locator('[data-testid^="recommendation-"][data-testid$="-6"]').count()).toBe(0);
    await screenshot(page, 'teams-note-partner-five-recommendations');
    noProblems(problems);
  });

  it(
    'the dispute is part of the record: recorded by a manager with a reason, shown to the partner and to the moderating manager',
    { timeout: 240_000 },
    async () => {
      const { visitId: visit, noteId, carried } = await pastVisitWithNote(2, 5);
      await apiSave(noteId, {
        summary: 'Teaching is good; achievement in mathematics is below the school’s estimate.',
        ...(await judgeOnly(noteId, [
          {
            area: 'ACHIEVEMENT',
            schoolGrade: 2,
            partnerGrade: 3,
            evidenceBasis: 'OBSERVED',
            disagreementReason: 'Key Stage 2 mathematics is below the school’s own estimate.',
          },
          { area: 'QUALITY_OF_TEACHING', schoolGrade: 2, partnerGrade: 2, evidenceBasis: 'REPORTED_AND_OBSERVED' },
        ])),
        reviews: carried.map((id) => ({ recommendationId: id, progress: 'IN_PROGRESS' })),
      });
      const shared = await t.gql(
        'mutation ($id: ID!, $v: Int!) { shareNote(id: $id, expectedVersion: $v) { status } }',
        { id: noteId, v: (await noteById(noteId)).version },
        { token: partner.token },
      );
      expect(shared.errors).toBeUndefined();
      // Only a manager records an answer on the headteacher's behalf.
      const byPartner = await t.gql(
        'mutation ($id: ID!) { recordHeadteacherResponse(id: $id, agreed: true, reason: "They told me") { status } }',
        { id: noteId },
        { token: partner.token },
      );
      expect(byPartner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

      const partnerView = await open(`/addin/teams/tab.html#/notes/${visit}`, partner.email);
      await partnerView.page.getByTestId('awaiting-headteacher').waitFor();
      expect(await partnerView.page.getByTestId('record-response').count()).toBe(0);
      expect(await partnerView.page.getByRole('button', { name: 'Share with the headteacher' }).count()).toBe(0);

      // The manager records the headteacher's answer from the editor: the reason is asked for.
      const manager = await open(`/addin/teams/tab.html#/notes/${visit}`, managerEmail);
      const m = manager.page;
      const panel = m.getByTestId('record-response');
      await panel.waitFor();
      await panel.getByRole('button', { name: 'Record the response' }).click();
      await panel.getByText('Say why you are recording the response on the headteacher’s behalf.').waitFor();
      await panel.getByLabel(/^Why you are recording it for them/).fill('The headteacher answered by letter dated 3 March.');
      await panel.getByRole('radio', { name: 'Disputed' }).check();
      const overall = 'We do not accept the achievement grade: our own assessment shows most pupils on track.';
      const onAchievement = 'Our Year 6 mock tests show most pupils at the expected standard in mathematics.';
      await panel.getByLabel(/^The headteacher's overall comment/).fill(overall);
      await panel.getByLabel('Their comment on Achievement (optional)').fill(onAchievement);
      await expectAccessible(m, 'Recording a response for the headteacher');
      await screenshot(m, 'teams-note-manager-records-response');
      await panel.getByRole('button', { name: 'Record the response' }).click();
      await m.getByTestId('moderation').waitFor();
      let n = await noteById(noteId);
      expect(n.status).toBe('DISPUTED');
      expect(n.responses).toEqual([{ agreed: false, recordedVia: 'MANAGER', reason: 'The headteacher answered by letter dated 3 March.' }]);
      expect(n.judgements.find((j) => j.area === 'ACHIEVEMENT')!.headteacherComment).toBe(onAchievement);
      // Moderating, the manager has the headteacher's words beside the partner's grades and reasons.
      await expect(m.getByTestId('dispute-summary').textContent()).resolves.toContain(onAchievement);
      await expect(m.getByTestId('headteacher-responses').textContent()).resolves.toContain(overall);
      await expectAccessible(m, 'Moderation');
      await screenshot(m, 'teams-note-manager-moderating');

      // The Team tab lists it with the headteacher's words.
      const team = await open('/addin/teams/tab.html#/team', managerEmail);
      const listed = team.page.locator(`[data-testid="disputed-notes"] li[data-note-id="${noteId}"]`);
      await listed.waitFor();
      await expect(listed.textContent()).resolves.toContain(onAchievement);
      await expect(listed.textContent()).resolves.toContain(overall);
      await expectAccessible(team.page, 'Team with a disputed note');
      await screenshot(team.page, 'teams-team-disputed');
      noProblems(team.problems);

      // The partner sees the dispute, read-only and marked as the headteacher's; the note cannot be shared again.
      const p = partnerView.page;
      await p.reload();
      await p.getByTestId('awaiting-moderation').waitFor();
      await expect(p.getByTestId('headteacher-comment-ACHIEVEMENT').textContent()).resolves.toContain(onAchievement);
      await expect(p.getByTestId('headteacher-comment-ACHIEVEMENT').textContent()).resolves.toContain(
        "The headteacher's comment on this heading (their words; read-only)",
      );
      await expect(p.getByTestId('headteacher-responses').textContent()).resolves.toContain(
        "Recorded by a senior adviser on the headteacher's behalf. Why: The headteacher answered by letter dated 3 March.",
      );
      expect(await p.getByRole('button', { name: 'Share with the headteacher' }).count()).toBe(0);
      expect(await p.getByTestId('record-response').count()).toBe(0);
      expect(await p.getByTestId('moderation').count()).toBe(0);
      await expectAccessible(p, 'Partner with a disputed note');
      await screenshot(p, 'teams-note-partner-disputed');
      // The partner's save keeps the headteacher's comment.
      await p.locator('fieldset[data-area="ACHIEVEMENT"]').getByLabel('Commentary').fill('Scrutiny of Year 6 books supports the partner’s grade.');
      await expect
        .poll(async () => (await noteById(noteId)).judgements.find((j) => j.area === 'ACHIEVEMENT')!.commentary)
        .toBe('Scrutiny of Year 6 books supports the partner’s grade.');
      await saved(p);
      n = await noteById(noteId);
      expect(n.judgements.find((j) => j.area === 'ACHIEVEMENT')!.headteacherComment).toBe(onAchievement);
      noProblems(partnerView.problems);

      // The manager moderates; the dispute stays on the note.
      await m.reload();
      const moderation = m.getByTestId('moderation');
      await moderation.getByLabel('Decision').selectOption('UPHOLD_PARTNER');
      await moderation.getByLabel(/^Moderation comment/).fill('The book scrutiny supports the partner’s grade; the note stands.');
      await moderation.getByRole('button', { name: 'Record the moderation' }).click();
      await m.getByTestId('workflow-done').waitFor();
      expect((await noteById(noteId)).status).toBe('MODERATED');
      await expect(m.getByTestId('headteacher-responses').textContent()).resolves.toContain(overall);
      noProblems(manager.problems);
    },
  );

  it('says what is wrong next to the field, in the form’s words, and why a share failed', { timeout: 240_000 }, async () => {
    const { visitId: visit, noteId, carried, visitDate } = await pastVisitWithNote(3, 2);
    if (carried.length) await apiSave(noteId, { reviews: carried.map((id) => ({ recommendationId: id, progress: 'IN_PROGRESS' })) });
    const { page, problems } = await open(`/addin/teams/tab.html#/notes/${visit}`, partner.email);
    await page.getByTestId('note-summary').waitFor();

    // The names rule stops a phrase; the partner says it is not a person's name, and the save goes through.
    const summary = 'Pupils read Dr Seuss aloud with confidence; most make good progress in reading.';
    await page.getByTestId('note-summary').fill(summary);
    const summaryField = page.locator('[data-problem="summary"]');
    await summaryField.waitFor();
    // The message appeared while the partner was in the field: it did not take their focus away.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('note-summary');
    await expect(page.getByTestId('note-summary').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(summaryField.textContent()).resolves.toContain('Dr Seuss');
    // The message is the control's description (Fluent's Field wires aria-describedby).
    const described = await page.getByTestId('note-summary').evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' '),
    );
    expect(described).toContain('Dr Seuss');
    await page.getByTestId('save-error').getByRole('button', { name: 'Go to the problem' }).click();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('note-summary');
    await screenshot(page, 'teams-note-names-error');
    await summaryField.getByRole('button', { name: /^This is not a person's name/ }).click();
    await expect.poll(async () => (await noteById(noteId)).summary).toBe(summary);
    await saved(page);
    // Focus goes back to the field, its message gone.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('note-summary');
    expect((await noteById(noteId)).confirmedNotNames).toContain('Dr Seuss');
    expect(await page.locator('[data-problem]').count()).toBe(0);

    // A date the API refuses lands on the row it is about: the first row on screen is still being written (not sent).
    await page.getByRole('button', { name: 'Add a recommendation' }).click();
    await page
      .getByTestId('recommendation-1')
      .getByLabel(/^Action/)
      .fill('Half written');
    await page.getByRole('button', { name: 'Add a recommendation' }).click();
    const second = page.getByTestId('recommendation-2');
    await second.getByLabel(/^Action/).fill('Plan phonics catch-up for Year 2.');
    await second.getByLabel(/^Success measure/).fill('Phonics check retakes pass in June.');
    await second.getByLabel(/^Owner \(role/).fill('Phonics leader');
    await second.getByLabel(/^Due by/).fill(visitDate);
    const dueProblem = second.locator('[data-problem$=".dueOn"]');
    await dueProblem.waitFor();
    expect(await page.getByTestId('recommendation-1').locator('[data-problem]').count()).toBe(0);
    await expect(second.getByLabel(/^Due by/).getAttribute('aria-invalid')).resolves.toBe('true');

    // Sharing while that save is refused says why (it used to say only "Something went wrong") and goes to the field.
    await page.getByRole('button', { name: 'Share with the headteacher' }).click();
    const stepError = page.getByTestId('step-error');
    await stepError.waitFor();
    await expect(stepError.textContent()).resolves.toContain('Not shared: the note could not be saved first.');
    expect(await stepError.textContent()).not.toContain('Something went wrong');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('[data-problem]')?.getAttribute('data-problem') ?? ''))
      .toMatch(/^recommendations\..+\.dueOn$/);
    await screenshot(page, 'teams-note-share-failed-unsaved');
    await second.getByLabel(/^Due by/).fill(inDays(45));
    await saved(page);
    await page.getByTestId('recommendation-1').getByRole('button', { name: 'Remove recommendation 1' }).click();
    await saved(page);
    expect((await noteById(noteId)).recommendations.map((r) => r.action)).toEqual(['Plan phonics catch-up for Year 2.']);

    // A share the API refuses for an ungraded heading marks that heading's grade, and focus goes there.
    const teaching = page.locator('fieldset[data-area="QUALITY_OF_TEACHING"]');
    if (!(await teaching.getByRole('checkbox').first().isChecked())) await teaching.getByRole('checkbox').first().check();
    await teaching.getByLabel("School's grade").selectOption('2');
    for (const area of ['ACHIEVEMENT', 'BEHAVIOUR_AND_SAFETY', 'LEADERSHIP_AND_MANAGEMENT', 'OVERALL_EFFECTIVENESS']) {
      const box = page.locator(`fieldset[data-area="${area}"]`).getByRole('checkbox').first();
      if (await box.isChecked()) await box.uncheck();
    }
    await saved(page);
    await page.getByRole('button', { name: 'Share with the headteacher' }).click();
    await stepError.waitFor();
    await expect(teaching.locator('[data-problem="judgements.QUALITY_OF_TEACHING.partnerGrade"]').waitFor()).resolves.toBeUndefined();
    await expect(teaching.getByLabel("Partner's grade").getAttribute('aria-invalid')).resolves.toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-problem]')?.getAttribute('data-problem') ?? '')).toBe('judgements');
    await expectAccessible(page, 'Field errors');
    await screenshot(page, 'teams-note-share-failed-ungraded');
    expect((await noteById(noteId)).status).toBe('DRAFT');
    noProblems(problems);
  });

  it('a note reopened for correction shows why, and when the earlier revision went out', { timeout: 120_000 }, async () => {
    const { visitId: visit, noteId, carried } = await pastVisitWithNote(4, 6);
    await apiSave(noteId, {
      summary: 'Behaviour is good; pupils are courteous and attend well.',
      ...(await judgeOnly(noteId, [{ area: 'BEHAVIOUR_AND_SAFETY', schoolGrade: 2, partnerGrade: 2, evidenceBasis: 'OBSERVED' }])),
      reviews: carried.map((id) => ({ recommendationId: id, progress: 'IN_PROGRESS' })),
      distribution: [{ role: 'COUNCIL', name: 'School improvement team', email: 'improvement@council.example' }],
    });
    const step = async (query: string, variables: Record<string, unknown>, token?: string) => {
      const r = await t.gql(query, variables, token ? { token } : {});
      expect(r.errors).toBeUndefined();
    };
    await step(
      'mutation ($id: ID!, $v: Int!) { shareNote(id: $id, expectedVersion: $v) { status } }',
      { id: noteId, v: (await noteById(noteId)).version },
      partner.token,
    );
    await step('mutation ($id: ID!) { recordHeadteacherResponse(id: $id, agreed: true, reason: "Agreed by email") { status } }', { id: noteId });
    await step(
      'mutation ($id: ID!, $v: Int!) { circulateNote(id: $id, expectedVersion: $v) { status } }',
      { id: noteId, v: (await noteById(noteId)).version },
      partner.token,
    );
    await step(
      'mutation ($id: ID!, $v: Int!) { correctNote(id: $id, expectedVersion: $v, reason: "The attendance figure was last year’s") { status } }',
      { id: noteId, v: (await noteById(noteId)).version },
      partner.token,
    );
    const { page, problems } = await open(`/addin/teams/tab.html#/notes/${visit}`, partner.email);
    const correction = page.getByTestId('correction');
    await correction.waitFor();
    const text = (await correction.textContent())!;
    expect(text).toContain('Reopened for correction (revision 2)');
    expect(text).toContain('Why: The attendance figure was last year’s.');
    expect(text).toMatch(/Revision 1 was circulated on \w{3}, \d{1,2} \w{3} \d{4}/);
    await expectAccessible(page, 'Corrected note');
    await screenshot(page, 'teams-note-correction');
    noProblems(problems);
  });

  it('the Team tab shows a manager late notes, disputed notes and allocation days', async () => {
    const { page, problems } = await open('/addin/teams/tab.html#/team', managerEmail);
    await page.getByTestId('allocations').waitFor();
    await expect(page.getByRole('heading', { name: 'Disputed notes to moderate' }).count()).resolves.toBe(1);
    await expect(page.getByRole('heading', { name: 'Late notes by partner' }).count()).resolves.toBe(1);
    expect(await page.getByTestId('allocations').locator('tbody tr').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'Team');
    await screenshot(page, 'teams-team-light');
    noProblems(problems);
  });

  it('in the simulated Teams frame: the tab opens from the host context and follows the theme to dark', async () => {
    const { page, problems } = await open(`/dev/teams?page=notes&subPage=${visitId}`, partner.email);
    const tab = page.frameLocator('[data-testid="teams-frame"]');
    await tab.getByTestId('note-status').waitFor();
    await expect(tab.locator('[data-host]').getAttribute('data-host')).resolves.toBe('simulated');
    await expect(tab.locator('[data-theme]').getAttribute('data-theme')).resolves.toBe('light');
    await page.getByTestId('teams-theme').selectOption('dark');
    await tab.locator('[data-theme="dark"]').waitFor();
    await screenshot(page, 'teams-note-dark');
    await page.getByRole('button', { name: 'My visits' }).click();
    await tab.getByTestId('visits-table').waitFor();
    await expect(tab.locator('[data-theme]').getAttribute('data-theme')).resolves.toBe('dark');
    await screenshot(page, 'teams-my-visits-dark');
    noProblems(problems);
  });
});
