import type { Locator, Page } from 'playwright-core';

/** What has focus, in words, for a failure message: its role or tag, its label and its text. */
export function describeFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return '(nothing: the page)';
    const label = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? '';
    return `${el.getAttribute('role') ?? el.tagName.toLowerCase()} "${label || el.textContent?.trim().slice(0, 60)}"`;
  });
}

export const hasFocus = (target: Locator) => target.evaluate((el) => el === document.activeElement || el.contains(document.activeElement));

/** Whether `target` comes before what has focus (so Shift+Tab reaches it). */
const isBehindFocus = (target: Locator) =>
  target.evaluate((el) => {
    const focused = document.activeElement;
    return !!focused && focused !== document.body && !!(focused.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING);
  });

/**
 * Presses Tab until `target` (or an element inside it) has focus, as a keyboard user
 * would, or Shift+Tab when it comes before the focus; returns how many presses it took.
 * Fails, naming where focus went, when the target is not reached within `max` presses.
 */
export async function tabTo(page: Page, target: Locator, options: { max?: number } = {}): Promise<number> {
  const max = options.max ?? 150;
  const back = await isBehindFocus(target);
  const visited: string[] = [];
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (await hasFocus(target)) return presses;
    if (visited.length < 200) visited.push(await describeFocus(page));
  }
  throw new Error(`Not reached by ${back ? 'Shift+' : ''}Tab within ${max} presses; focus went through: ${visited.join(' → ')}`);
}

/**
 * The outline drawn round what has focus ("2px solid"), from the focused element or the
 * control's frame around it (a Fluent text field or dropdown draws the frame); "none" when
 * nothing outlines it.
 */
export function focusOutline(page: Page): Promise<string> {
  return page.evaluate(() => {
    for (let el = document.activeElement, depth = 0; el && depth < 4; el = el.parentElement, depth++) {
      const style = getComputedStyle(el);
      if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) return `${parseFloat(style.outlineWidth)}px ${style.outlineStyle}`;
    }
    return 'none';
  });
}
