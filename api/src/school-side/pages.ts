import escapeHtml from 'escape-html';
import type { RenderedSection } from '../notes/note-content.js';

/**
 * Plain server-rendered pages for people at the school: no script, readable on a
 * phone, every piece of text escaped. `html` escapes each interpolated value
 * unless it is already-built markup from `raw`.
 */
export class Markup {
  constructor(readonly value: string) {}
}
export const raw = (value: string) => new Markup(value);

export function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  const render = (v: unknown): string =>
    v instanceof Markup ? v.value : Array.isArray(v) ? v.map(render).join('') : v === null || v === undefined || v === false ? '' : escapeHtml(String(v));
  return new Markup(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

/**
 * The look of the GOV.UK Design System, which councils' users know: a focus indicator
 * of yellow with a dark edge on every control (2.4.7), targets at least 24 px (2.5.8),
 * and a single column that reflows at 320 px (1.4.10) with long words wrapped.
 */
const STYLE = `
  body { font-family: system-ui, "Segoe UI", Arial, sans-serif; margin: 0; color: #0b0c0c; background: #f3f2f1; line-height: 1.5; overflow-wrap: anywhere; }
  .width { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
  header { background: #0b0c0c; color: #fff; padding: 0.6rem 0; } header p { margin: 0; font-weight: 700; font-size: 1.15rem; }
  main { display: block; max-width: 46rem; margin: 0 auto; padding: 1rem; background: #fff; } main:focus { outline: none; }
  footer { padding: 1rem 0 2rem; border-top: 1px solid #b1b4b6; margin-top: 0; }
  h1 { font-size: 1.6rem; margin-top: 0.5rem; } h2 { font-size: 1.25rem; margin-top: 1.5rem; }
  a { color: #1d70b8; } a:visited { color: #4c2c92; }
  fieldset { border: 1px solid #b1b4b6; margin: 0 0 1rem; padding: 0.75rem; min-width: 0; }
  legend { font-weight: 700; padding: 0 0.25rem; }
  label { display: block; margin: 0.5rem 0 0.25rem; font-weight: 700; }
  select, textarea, input[type=text] { width: 100%; box-sizing: border-box; font: inherit; padding: 0.5rem; border: 2px solid #0b0c0c; border-radius: 0; background: #fff; color: #0b0c0c; min-height: 2.5rem; }
  textarea { min-height: 5rem; }
  button { font: inherit; font-weight: 700; padding: 0.6rem 1.2rem; min-height: 2.75rem; background: #00703c; color: #fff; border: 0; box-shadow: 0 2px 0 #002d18; cursor: pointer; }
  a:focus { outline: 3px solid transparent; color: #0b0c0c; background: #ffdd00; box-shadow: 0 -2px #ffdd00, 0 4px #0b0c0c; text-decoration: none; }
  select:focus, textarea:focus, input[type=text]:focus { outline: 3px solid #ffdd00; outline-offset: 0; box-shadow: inset 0 0 0 2px #0b0c0c; }
  input[type=radio]:focus { outline: 3px solid #0b0c0c; outline-offset: 2px; box-shadow: 0 0 0 6px #ffdd00; }
  button:focus { outline: 3px solid transparent; color: #0b0c0c; background: #ffdd00; box-shadow: 0 2px 0 #0b0c0c; }
  .error-summary:focus { outline: 3px solid #ffdd00; outline-offset: 0; }
  table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #b1b4b6; padding: 0.4rem; text-align: left; vertical-align: top; }
  .hint { color: #505a5f; font-weight: 400; }
  .radio { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center; }
  .radio legend, .radio .error-message { flex-basis: 100%; } .radio span { display: inline-flex; align-items: center; gap: 0.5rem; }
  .radio input { width: 1.75rem; height: 1.75rem; margin: 0; accent-color: #0b0c0c; } .radio label { display: inline; font-weight: 400; margin: 0; }
  .error-summary { border: 4px solid #d4351c; padding: 1rem; margin: 1rem 0; }
  .error-summary h2 { margin-top: 0; } .error-summary a { color: #d4351c; font-weight: 700; }
  .error-message { color: #d4351c; font-weight: 700; margin: 0.25rem 0; }
  .field-error { border-left: 5px solid #d4351c; padding-left: 0.75rem; }
  .field-error select, .field-error textarea, .field-error input[type=text] { border-color: #d4351c; }
  .visually-hidden { position: absolute !important; width: 1px !important; height: 1px !important; margin: 0 !important; padding: 0 !important; overflow: hidden !important; clip-path: inset(50%) !important; white-space: nowrap !important; border: 0 !important; }
  .skip-link { position: absolute; left: -9999px; top: 0; }
  .skip-link:focus { position: static; display: block; padding: 0.5rem 1rem; }
  @media (max-width: 30rem) { main { padding: 0.75rem; } table, thead, tbody, tr, th, td { display: block; } }
`;

/** Where the school's pages link to the accessibility statement (served by app/front-end.router.ts from docs/accessibility.md). */
export const ACCESSIBILITY_STATEMENT_PATH = '/accessibility';

/**
 * Every school page: a skip link, the service's name, one main landmark, and the footer
 * with the accessibility statement. A page showing errors says so first in its title.
 */
export function page(title: string, body: Markup, options: { errors?: boolean } = {}): string {
  return html`<!doctype html>
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${options.errors ? 'Error: ' : ''}${title} – School visits</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <a href="#main" class="skip-link">Skip to main content</a>
        <header>
          <div class="width"><p>School visits</p></div>
        </header>
        <main id="main" tabindex="-1">${body}</main>
        <footer>
          <div class="width"><a href="${ACCESSIBILITY_STATEMENT_PATH}">Accessibility statement</a></div>
        </footer>
      </body>
    </html>`.value;
}

/** A problem with one answer: `field` is the id of the control to correct (for a group, its first control). */
export interface FieldError {
  field: string;
  text: string;
}

/**
 * The GOV.UK error summary: first in the page, focused when it loads (autofocus: the
 * pages run no script), each problem a link to its field.
 */
export function errorSummary(errors: FieldError[]): Markup {
  if (!errors.length) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
    <h2 id="error-summary-title">There is a problem</h2>
    <ul>
      ${errors.map((e) => html`<li><a href="#${e.field}">${e.text}</a></li>`)}
    </ul>
  </div>`;
}

/** The id of a field's error message, for its aria-describedby. */
export const errorId = (field: string) => `${field}-error`;

/** The message at the field itself (GOV.UK: above the control, prefixed "Error:" for screen readers). */
export function fieldError(errors: FieldError[], field: string): Markup {
  const mine = errors.filter((e) => e.field === field);
  if (!mine.length) return html``;
  return html`<p class="error-message" id="${errorId(field)}"><span class="visually-hidden">Error:</span> ${mine.map((e) => e.text).join(' ')}</p>`;
}

/** aria-describedby (hint, then error) and aria-invalid for a control or group. */
export function describedBy(errors: FieldError[], field: string, hintId?: string): Markup {
  const invalid = errors.some((e) => e.field === field);
  const ids = [hintId, invalid ? errorId(field) : undefined].filter(Boolean).join(' ');
  return html`${ids ? html` aria-describedby="${ids}"` : ''}${invalid ? html` aria-invalid="true"` : ''}`;
}

/** Why a link cannot be used, and what to do about it, in plain words. */
export function problemPage(problem: string, partner: { name: string; email: string } | null): string {
  const who = partner
    ? html`your school improvement partner, ${partner.name} (<a href="mailto:${partner.email}">${partner.email}</a>),`
    : html`your school improvement partner`;
  const text: Record<string, [string, Markup]> = {
    invalid: [
      'This link is not valid',
      html`The address may have been cut short or changed when it was copied. Open the link straight from the email, or ask ${who} to send it again.`,
    ],
    wrong_purpose: [
      'This link is for something else',
      html`Each link sent to the school does one thing. Use the link from the email about this task, or ask ${who} for a new one.`,
    ],
    revoked: ['This link has been withdrawn', html`A newer link may have been sent: look for a later email, or ask ${who}.`],
    expired: ['This link has expired', html`For safety, links work for a limited time. Ask ${who} to send a new one.`],
    used: ['This response has already been sent', html`Thank you: the response has reached the council. If something needs changing, contact ${who}.`],
    not_shared: [
      'This draft is no longer waiting for a response',
      html`It may already have been answered or changed. Contact ${who} if you need to add anything.`,
    ],
    form: ['The form has expired', html`Please go back, reload the page and send your answers again.`],
  };
  const [heading, explanation] = text[problem] ?? text.invalid!;
  return page(
    heading,
    html`<h1>${heading}</h1>
      <p>${explanation}</p>`,
  );
}

/** A note's sections (note-content.ts) as plain, accessible HTML. */
export function contentHtml(sections: RenderedSection[]): Markup {
  const facts = (rows: [string, string][]) =>
    html`<table>
      <tbody>
        ${rows.map(
          ([k, v]) =>
            html`<tr>
              <th scope="row">${k}</th>
              <td>${v}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  return html`${sections.map((s) => {
    switch (s.kind) {
      case 'text':
        return html`<h2>${s.title}</h2>
          <p>${s.text}</p>`;
      case 'facts':
        return html`<h2>${s.title}</h2>
          ${facts(s.facts)}`;
      case 'table':
        return html`<h2>${s.title}</h2>
          ${
            s.rows.length
              ? html`<table>
                  <thead>
                    <tr>
                      ${s.columns.map((c) => html`<th scope="col">${c}</th>`)}
                    </tr>
                  </thead>
                  <tbody>
                    ${s.rows.map(
                      (r) =>
                        html`<tr>
                          ${r.map((c) => html`<td>${c}</td>`)}
                        </tr>`,
                    )}
                  </tbody>
                </table>`
              : html`<p>${s.empty}</p>`
          }`;
      case 'blocks':
        return html`<h2>${s.title}</h2>
          ${
            s.blocks.length
              ? s.blocks.map(
                  (b) =>
                    html`<h3>${b.title}</h3>
                      ${facts(b.facts)}`,
                )
              : html`<p>${s.empty}</p>`
          }`;
    }
  })}`;
}
