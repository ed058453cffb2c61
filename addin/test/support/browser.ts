import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { testClock } from '../../../api/test/support/test-clock.js';

/** Where screenshots and timings go (git-ignored; CI keeps them as artefacts). */
export const ARTIFACTS = path.resolve(import.meta.dirname, '..', 'artifacts');
export const FRONT_END_DIST = path.resolve(import.meta.dirname, '..', '..', 'dist');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

/** Debian's Chromium, headless, cut off from everything but this machine. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  if (!existsSync(path.join(FRONT_END_DIST, 'static', 'fake-office.js'))) {
    throw new Error('The front ends are not built: run `npm run build` first (npm test does).');
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface PageProblems {
  /** Uncaught errors and console errors on the page. */
  errors: string[];
  /** Requests to anywhere but this machine, which were refused. */
  blocked: string[];
}

/**
 * A fresh browser context where only loopback is reachable and Office.js's CDN
 * script is answered by the fake (built from addin/src/outlook/fake-office.ts).
 * Its pages run on the suite's clock (api/test/support/test-clock.ts), the server's
 * business clock: what they call today (late notes, past visits) is the server's day.
 */
export async function isolatedContext(
  browser: Browser,
  options: { colorScheme?: 'light' | 'dark' } = {},
): Promise<{ context: BrowserContext; problems: PageProblems }> {
  const context = await browser.newContext({
    viewport: { width: 420, height: 900 },
    colorScheme: options.colorScheme ?? 'light',
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  await runPagesOnTheSuiteClock(context);
  const problems: PageProblems = { errors: [], blocked: [] };
  const fakeOffice = readFileSync(path.join(FRONT_END_DIST, 'static', 'fake-office.js'), 'utf8');
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === OFFICE_JS) return route.fulfill({ status: 200, contentType: 'text/javascript', body: fakeOffice });
    const { hostname, protocol } = new URL(url);
    if (protocol === 'data:' || protocol === 'blob:' || hostname === '127.0.0.1' || hostname === 'localhost') return route.continue();
    problems.blocked.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('page', (page) => watch(page, problems));
  return { context, problems };
}

/**
 * Moves the pages' Date (all the front end reads for "today" and "past") by the same
 * offset as the suite's clock; time runs on. Not Playwright's context.clock: it fakes
 * `performance` as well, whose marks then read empty (the task pane's first-render
 * mark, which the tests wait for), and every timer. Sign-in still works across the two
 * clocks: the front end times a token from its own clock (expiresIn), never from the
 * token's exp, which the server checks on the real clock.
 */
async function runPagesOnTheSuiteClock(context: BrowserContext): Promise<void> {
  await context.addInitScript((offset: number) => {
    const RealDate = Date;
    class SuiteDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(RealDate.now() + offset);
        else super(...(args as [string]));
      }
      static override now() {
        return RealDate.now() + offset;
      }
    }
    // Date() called without `new` gives now as text, as the real one does.
    globalThis.Date = new Proxy(SuiteDate, { apply: () => new SuiteDate().toString() }) as DateConstructor;
  }, testClock.now().getTime() - Date.now());
}

function watch(page: Page, problems: PageProblems) {
  page.on('pageerror', (error) => problems.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A refused request already shows in `blocked`; the browser's echo of it is noise.
    if (message.type() === 'error' && !/ERR_BLOCKED_BY_CLIENT|Failed to load resource/.test(message.text())) problems.errors.push(`console: ${message.text()}`);
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
