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

const STYLE = `
  body { font-family: system-ui, "Segoe UI", Arial, sans-serif; margin: 0; color: #1b1b1b; background: #f7f7f7; line-height: 1.5; }
  main { max-width: 46rem; margin: 0 auto; padding: 1rem; background: #fff; }
  h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 1.5rem; }
  fieldset { border: 1px solid #c8c8c8; margin: 0 0 1rem; padding: 0.75rem; }
  legend { font-weight: 600; padding: 0 0.25rem; }
  label { display: block; margin: 0.5rem 0 0.25rem; font-weight: 600; }
  select, textarea, input[type=text] { width: 100%; box-sizing: border-box; font: inherit; padding: 0.5rem; border: 1px solid #6b6b6b; }
  textarea { min-height: 5rem; }
  button { font: inherit; padding: 0.6rem 1.2rem; background: #005a9e; color: #fff; border: 0; cursor: pointer; }
  button:focus, select:focus, textarea:focus, input:focus { outline: 3px solid #ffbf47; outline-offset: 1px; }
  table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #c8c8c8; padding: 0.4rem; text-align: left; vertical-align: top; }
  .hint { color: #505050; font-weight: 400; } .radio label { display: inline; font-weight: 400; margin-right: 1rem; }
  @media (max-width: 30rem) { main { padding: 0.5rem; } table, thead, tbody, tr, th, td { display: block; } }
`;

export function page(title: string, body: Markup): string {
  return html`<!doctype html>
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>${title}</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`.value;
}

/** Why a link cannot be used, and what to do about it, in plain words. */
export function problemPage(problem: string, partner: { name: string; email: string } | null): string {
  const who = partner
    ? html`your school improvement partner, ${partner.name} (<a href="mailto:${partner.email}">${partner.email}</a>),`
    : html`your school improvement partner`;
  const text: Record<string, Markup> = {
    invalid: html`<h1>This link is not valid</h1>
      <p>The address may have been cut short or changed when it was copied. Open the link straight from the email, or ask ${who} to send it again.</p>`,
    wrong_purpose: html`<h1>This link is for something else</h1>
      <p>Each link sent to the school does one thing. Use the link from the email about this task, or ask ${who} for a new one.</p>`,
    revoked: html`<h1>This link has been withdrawn</h1>
      <p>A newer link may have been sent: look for a later email, or ask ${who}.</p>`,
    expired: html`<h1>This link has expired</h1>
      <p>For safety, links work for a limited time. Ask ${who} to send a new one.</p>`,
    used: html`<h1>This response has already been sent</h1>
      <p>Thank you: the response has reached the council. If something needs changing, contact ${who}.</p>`,
    not_shared: html`<h1>This draft is no longer waiting for a response</h1>
      <p>It may already have been answered or changed. Contact ${who} if you need to add anything.</p>`,
    form: html`<h1>The form has expired</h1>
      <p>Please go back, reload the page and send your answers again.</p>`,
  };
  return page('School visits', text[problem] ?? text.invalid!);
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
