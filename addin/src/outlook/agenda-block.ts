/**
 * The agenda block in an appointment's body: the visit's agenda (the API's agendaHtml)
 * inside one marked <div>, so that when the visit moves or its agenda changes the
 * block can be found and replaced, and the rest of the body stays as the organiser
 * wrote it. Plain string work, no DOM: the event-based handlers run where there is
 * none (classic Outlook on Windows runs them in a JavaScript-only runtime).
 */

/** Outlook prefixes ids it keeps in a body ("x_"), so the id is matched at its end. */
export const AGENDA_BLOCK_ID = 'sv-agenda-block';

export const agendaBlock = (agendaHtml: string) => `<div id="${AGENDA_BLOCK_ID}">${agendaHtml}</div>`;

const BLOCK_START = new RegExp(`<div\\b[^>]*\\bid=["']?(?:x_)?${AGENDA_BLOCK_ID}\\b[^>]*>`, 'i');
/** A body written before the marker: the API's agenda div itself carries the visit id. */
const LEGACY_START = /<div\b[^>]*\bdata-school-visit-id=["'][^"']*["'][^>]*>/i;

/** Where the <div> opening at `start` closes (just after its </div>), counting nested divs; -1 if never. */
function endOfDiv(html: string, start: number): number {
  const tags = /<div\b[^>]*>|<\/div\s*>/gi;
  tags.lastIndex = start;
  let depth = 0;
  for (let m = tags.exec(html); m; m = tags.exec(html)) {
    depth += m[0][1] === '/' ? -1 : 1;
    if (depth === 0) return tags.lastIndex;
  }
  return -1;
}

function findBlock(body: string): { start: number; end: number } | null {
  for (const pattern of [BLOCK_START, LEGACY_START]) {
    const match = pattern.exec(body);
    if (!match) continue;
    const end = endOfDiv(body, match.index);
    if (end > 0) return { start: match.index, end };
  }
  return null;
}

export const hasAgendaBlock = (body: string) => findBlock(body) !== null;

/**
 * The body with this agenda in its block: the old block replaced where there is one,
 * otherwise the block put at the top, above whatever the organiser wrote.
 */
export function withAgendaBlock(body: string, agendaHtml: string): string {
  const block = findBlock(body);
  if (!block) {
    // Outlook gives the body as a whole HTML document: the top of the body is just inside <body>.
    const opening = /<body\b[^>]*>/i.exec(body);
    const at = opening ? opening.index + opening[0].length : 0;
    return body.slice(0, at) + agendaBlock(agendaHtml) + body.slice(at);
  }
  return body.slice(0, block.start) + agendaBlock(agendaHtml) + body.slice(block.end);
}
