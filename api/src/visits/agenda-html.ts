import escapeHtml from 'escape-html';
import type { VisitDocument } from './visit-document.js';

/**
 * The agenda as HTML to insert at the top of an Outlook appointment body. Inline
 * styles only (Outlook drops <style>), every piece of text escaped, and the visit
 * reference at the end: attendees, who cannot see the organiser's custom
 * properties, are matched to the visit through it.
 */
export function agendaHtml(doc: VisitDocument): string {
  const e = (text: string) => escapeHtml(text);
  const items = doc.items
    .map(
      (i) =>
        `<li style="margin:0 0 6px 0"><strong>${e(i.title)}</strong> <span style="color:#605e5c">(${e(i.meta)})</span>` +
        (i.detail ? `<br><span>${e(i.detail)}</span>` : '') +
        '</li>',
    )
    .join('');
  return [
    `<div data-school-visit-id="${e(doc.visitId)}" style="font-family:'Segoe UI',Arial,sans-serif;font-size:11pt">`,
    `<h2 style="font-size:14pt;margin:0 0 4px 0">${e(doc.title)}</h2>`,
    `<p style="margin:0 0 8px 0">${e(doc.when)}${doc.location ? `<br>${e(doc.location)}` : ''}</p>`,
    doc.items.length ? `<ol style="margin:0 0 8px 20px;padding:0">${items}</ol>` : '<p>No agenda yet.</p>',
    `<p style="color:#605e5c;font-size:9pt;margin:0">Visit reference: ${e(doc.visitId)}</p>`,
    '</div>',
  ].join('');
}
