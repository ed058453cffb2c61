import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { WCAG_22_AA_TAGS } from './axe.js';

/** One element left out of one of axe's rules, and why: only for third-party markup that cannot be fixed around it. */
export interface AxeExclusion {
  /** Part of the element's CSS path or of its opening tag (a class name). */
  selector: string;
  rule: string;
  reason: string;
}

/**
 * axe on the page as it stands; `state` names the page and state in the failure message.
 * `elsewhere`: parts of the page another test checks (a framed app), left out of this one.
 */
export async function expectNoAxeViolations(page: Page, state: string, options: { exclusions?: AxeExclusion[]; elsewhere?: string[] } = {}): Promise<void> {
  const exclusions = options.exclusions ?? [];
  let axe = new AxeBuilder({ page }).withTags(WCAG_22_AA_TAGS);
  for (const selector of options.elsewhere ?? []) axe = axe.exclude(selector);
  const results = await analyzeSettled(axe);
  const found = results.violations.flatMap((v) =>
    v.nodes
      .filter((n) => !exclusions.some((x) => x.rule === v.id && (n.html.includes(x.selector) || n.target.some((t) => String(t).includes(x.selector)))))
      .map((n) => `${state}: ${v.id} (${v.impact}) ${n.target.join(' ')}: ${n.failureSummary?.replaceAll('\n', ' ')}`),
  );
  expect.soft(found).toEqual([]);
}

/**
 * axe's run, again if the page changed under it: axe itself throws (e.g. "Cannot read properties
 * of undefined (reading 'nthChild')" while naming an element that a re-render just removed) when
 * GraphiQL redraws mid-run. That is no finding about the page, so it runs once more on the settled page.
 */
async function analyzeSettled(axe: AxeBuilder): Promise<Awaited<ReturnType<AxeBuilder['analyze']>>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await axe.analyze();
    } catch (error) {
      if (attempt >= 3 || !/frame\.evaluate: TypeError/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

/** 3.1.1, 2.4.2, 1.3.1: the page says its language, has a title, and exactly one h1. */
export async function expectPageStructure(page: Page): Promise<void> {
  const facts = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    title: document.title.trim(),
    h1: document.querySelectorAll('h1').length,
    main: document.querySelectorAll('main, [role=main]').length,
  }));
  expect.soft(facts, 'language, one h1, one main').toMatchObject({ lang: 'en-GB', h1: 1, main: 1 });
  expect.soft(facts.title, 'title').not.toBe('');
}

/**
 * 1.4.10 Reflow: at 320 CSS px wide (1280 px at 400% zoom) nothing scrolls sideways.
 * The viewport is put back afterwards.
 */
export async function expectReflowAt320(page: Page): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 320, height: 640 });
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  if (before) await page.setViewportSize(before);
  expect(widths.scroll, 'the page scrolls horizontally at 320 px').toBeLessThanOrEqual(widths.client);
}

/**
 * 2.4.7 Focus Visible: Tab through every stop of the page and check each one draws an
 * indicator (an outline, or a box shadow) that differs from its look without focus.
 * Returns the stops in order (tag#id), so a test can check the order too.
 */
export async function expectVisibleFocusOnEveryStop(page: Page, maxStops = 80): Promise<string[]> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.evaluate(() => window.scrollTo(0, 0));
  const stops: string[] = [];
  const unmarked: string[] = [];
  for (let i = 0; i < maxStops; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const outlined = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
      const shadowed = style.boxShadow !== 'none';
      return { name: `${el.tagName.toLowerCase()}#${el.id || el.getAttribute('href') || el.textContent?.trim().slice(0, 30)}`, marked: outlined || shadowed };
    });
    if (!stop || stops.includes(stop.name)) break;
    stops.push(stop.name);
    if (!stop.marked) unmarked.push(stop.name);
  }
  expect(unmarked, 'controls without a visible focus indicator').toEqual([]);
  return stops;
}
