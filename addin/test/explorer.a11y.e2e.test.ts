import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Partner } from '../../api/src/partners/partner.entity.js';
import { PartnerRole } from '../../api/src/partners/partner.enums.js';
import { FakeEntra } from '../../api/test/support/fake-entra.js';
import { startTestApp, type TestApp } from '../../api/test/support/test-app.js';
import { isolatedContext, launchBrowser, screenshot, type PageProblems } from './support/browser.js';
import { expectNoAxeViolations, expectPageStructure, type AxeExclusion } from './support/page-checks.js';

/**
 * The API explorer (/graphiql, GraphiQL around our schema) and the development pages'
 * own markup (/dev/outlook, /dev/teams: the frame around the pane or the tab; what is
 * inside the frame is the pane's and the tab's own tests' to check) with axe's WCAG 2.2
 * A and AA rules: any violation of any impact fails.
 */
describe('the explorer and the development pages (accessibility, end to end)', () => {
  let t: TestApp;
  let browser: Browser;
  let manager: { email: string };
  const opened: { context: BrowserContext; problems: PageProblems }[] = [];
  /** The HTTP status of each schema request (GraphiQL's introspection) the pages made. */
  const schemaAnswers: number[] = [];

  beforeAll(async () => {
    [t, browser] = await Promise.all([startTestApp(), launchBrowser()]);
    manager = (await t.personWithRole(PartnerRole.MANAGER)).partner;
  });

  afterAll(async () => {
    for (const o of opened) await o.context.close();
    await browser?.close();
    await t?.stop();
  });

  async function open(path: string): Promise<{ page: Page; problems: PageProblems }> {
    const o = await isolatedContext(browser);
    opened.push(o);
    o.context.setDefaultTimeout(30_000);
    o.context.on('response', (r) => {
      if (r.url().endsWith('/graphql') && r.request().postData()?.includes('IntrospectionQuery')) schemaAnswers.push(r.status());
    });
    await o.context.addInitScript((email) => {
      if (location.protocol.startsWith('http') && !localStorage.getItem('sv.devPerson')) localStorage.setItem('sv.devPerson', email);
    }, manager.email);
    const page = await o.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${t.url}${path}`);
    return { page, problems: o.problems };
  }

  /** The documentation pane is open and, from its root, lists Query's fields (the schema has loaded). */
  async function expectQueryFieldsListed(page: Page) {
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Root Types').waitFor();
    await docs
      .locator('.graphiql-doc-explorer-type-name', { hasText: /^Query$/ })
      .first()
      .click();
    await expect
      .poll(() => docs.locator('.graphiql-doc-explorer-field-name').allInnerTexts())
      .toEqual(expect.arrayContaining(['schools', 'visits', 'partners']));
    // Back to the root, as the page opened.
    await docs.locator('.graphiql-doc-explorer-back').click();
    await docs.getByText('Root Types').waitFor();
  }

  /** Third-party markup axe flags that no configuration, style or wrapper of ours can change; each with its reason (docs/accessibility.md lists them). */
  const GRAPHIQL_EXCLUSIONS: AxeExclusion[] = [
    {
      rule: 'scrollable-region-focusable',
      selector: 'CodeMirror',
      reason:
        "CodeMirror 5 scrolls its text in a box its focusable input sits outside of, so axe sees a scroll box with nothing to focus. The editors are reached with Tab and scrolled with the arrow keys from that input (the response editor is read-only but still takes focus); a tabindex on CodeMirror's box would add a second tab stop to every editor (docs/accessibility.md lists this).",
    },
    {
      rule: 'nested-interactive',
      selector: 'graphiql-tab',
      reason:
        "GraphiQL's operation tabs are role=tab list items holding their own close button: the tab strip is GraphiQL's markup, rendered inside its component, with no option to change it. The close button is named and reachable with Tab, but some screen readers may not announce it (docs/accessibility.md says so).",
    },
  ];

  it('the explorer is accessible when loaded and after running a query', { timeout: 180_000 }, async () => {
    const { page, problems } = await open('/graphiql');
    await page.locator('.graphiql-container').waitFor();
    await page.locator('.graphiql-query-editor .cm-editor, .graphiql-query-editor .CodeMirror, .graphiql-query-editor .monaco-editor').first().waitFor();
    await expectPageStructure(page);
    // Signed in from the start: the schema (documentation, completion) loads. It once went out before the token and got 401.
    await expect.poll(() => schemaAnswers.length).toBeGreaterThan(0);
    expect(schemaAnswers).toEqual(schemaAnswers.map(() => 200));
    // The documentation is open on first open, before any query runs, and lists Query's fields.
    await expectQueryFieldsListed(page);
    await screenshot(page, 'explorer-docs-on-first-open');
    await expectNoAxeViolations(page, 'explorer loaded', { exclusions: GRAPHIQL_EXCLUSIONS });

    // Run the starting query from the keyboard: the run button, reached by Tab.
    const run = page.getByRole('button', { name: /execute query|run/i }).first();
    await run.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.graphiql-response').innerText()).toContain('totalCount');
    await screenshot(page, 'explorer-after-query');
    await expectNoAxeViolations(page, 'explorer after a query', { exclusions: GRAPHIQL_EXCLUSIONS });
    expect(problems.errors).toEqual([]);
  });

  it(
    'in production with GRAPHIQL=on (introspection off), the explorer reads the schema from GET /schema.graphql with the pasted token',
    { timeout: 180_000 },
    async () => {
      const entra = await new FakeEntra().start();
      const prod = await startTestApp({
        config: { env: 'production', graphiql: true, auth: { tenants: [entra.tenant], jwksUri: entra.jwksUri, devIssuer: null } as never },
      });
      try {
        const person = await prod.app.orm.em.fork().findOneOrFail(Partner, { role: PartnerRole.MANAGER });
        const token = await entra.sign({ preferred_username: person.email, scp: 'access_as_user' }, { audience: prod.config.auth.clientId });
        const o = await isolatedContext(browser);
        opened.push(o);
        o.context.setDefaultTimeout(30_000);
        const sdlAnswers: number[] = [];
        o.context.on('response', (r) => {
          if (r.url().endsWith('/schema.graphql')) sdlAnswers.push(r.status());
        });
        const page = await o.context.newPage();
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.goto(`${prod.url}/graphiql`);
        await page.locator('.graphiql-container').waitFor();
        // No token yet (the headers pane says where one comes from): neither the schema nor the SDL is given.
        // (GraphiQL asks twice: again without subscriptions when the first answer has no data.)
        await expect.poll(() => sdlAnswers).toEqual([401, 401]);

        // Paste a token into the headers pane, as a council's developer would, and fetch the schema again.
        const headers = page.getByRole('textbox', { name: 'Headers' });
        await headers.focus();
        await page.keyboard.press('ControlOrMeta+A');
        await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}` }));
        await page.getByRole('button', { name: 'Re-fetch GraphQL schema' }).click();
        await expect.poll(() => sdlAnswers).toEqual([401, 401, 200]);
        await expectQueryFieldsListed(page);
        await screenshot(page, 'explorer-production-schema-from-sdl');
        // A query still goes to /graphql, signed in with the pasted token.
        await page
          .getByRole('button', { name: /execute query|run/i })
          .first()
          .click();
        await expect.poll(() => page.locator('.graphiql-response').innerText()).toContain('totalCount');
        expect(o.problems.errors).toEqual([]);
      } finally {
        await prod.stop();
        await entra.stop();
      }
    },
  );

  it("the Outlook development page's own markup is accessible", { timeout: 120_000 }, async () => {
    const { page } = await open('/dev/outlook');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectPageStructure(page);
    // The simulated appointment body (an editable srcdoc frame standing in for Outlook's own editor, not
    // our markup) is left out: axe's run inside it never returned on this machine (the test hung for its
    // whole time limit), on the branch that added this test as after the merge.
    await expectNoAxeViolations(page, 'dev outlook', { elsewhere: ['iframe[title="Task pane"]', 'iframe[title="Appointment body"]'] });
  });

  it("the Teams development page's own markup is accessible", { timeout: 120_000 }, async () => {
    const { page } = await open('/dev/teams');
    await page.locator('[data-testid="teams-frame"]').waitFor();
    await expectPageStructure(page);
    await expectNoAxeViolations(page, 'dev teams', { elsewhere: ['[data-testid="teams-frame"]'] });
  });
});
