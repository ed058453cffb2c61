import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** The rules of WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the Public Sector Bodies Accessibility Regulations require. */
export const WCAG_22_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe's findings on the page as it is now, one line each (empty when it passes). */
export async function axeViolations(page: Page, name: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_22_AA_TAGS).analyze();
  return results.violations.map((v) => `${name}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Fails on any violation of the WCAG 2.2 A and AA rules, whatever its impact. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  expect(await axeViolations(page, name)).toEqual([]);
}
