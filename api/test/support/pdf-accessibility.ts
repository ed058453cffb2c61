import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * An accessibility check of a PDF, run in the suite (issue 22, acceptance 4). veraPDF,
 * the reference PDF/UA checker, is a Java program on neither npm nor Debian; this check is
 * built on Mozilla's pdf.js (npm `pdfjs-dist`), a real PDF parser, reading the file as a
 * screen reader's platform would: the catalogue, the metadata, the structure tree, the
 * marked content of every page and the fonts it draws with. It implements these
 * checkpoints of the Matterhorn Protocol 1.1 (the PDF/UA-1 failure conditions), named by
 * their numbers, and two requirements of ISO 14289-1 itself, named by clause, each
 * tested to fail on a PDF made to break it (note-pdf.test.ts):
 *
 * - UA-7.1 tagged: the catalogue's MarkInfo says Marked true, and there is a structure tree (ISO 14289-1 7.1)
 * - 01-005 no content on a page that is neither tagged (in marked content under the structure tree) nor an artifact
 * - 06-001 an XMP metadata stream; 06-002 with the PDF/UA identifier (pdfuaid:part); 06-003 with dc:title
 * - 07-001 the viewer shows the title: ViewerPreferences DisplayDocTitle true (07-002 when false)
 * - 09-001 reading order: the structure tree's text, in order, is the content in order (when the expected order is given)
 * - 09-004 tables well formed: a Table holds TR (or THead/TBody/TFoot), a TR holds TH and TD only
 * - 09-005 lists well formed: an L holds LI, an LI holds Lbl and LBody only
 * - 11-006 the document's natural language is declared (catalogue /Lang)
 * - 14-002 the first heading is H1; 14-003 no heading level skipped going down
 * - 15-003 every TH has a Scope (the tables here use no Headers/IDs); and every table has header cells (TH), WCAG 1.3.1
 * - UA-7.21.4.1 (Matterhorn checkpoint 31, fonts) every font drawn with is embedded
 *
 * Plus what WCAG asks of a long document beyond PDF/UA: bookmarks for its headings. A
 * PDF that passes is not proven conformant (the human checks of Matterhorn, such as
 * whether a heading is really a heading, are people's to make), but one that fails is not.
 */

export interface Problem {
  checkpoint: string;
  message: string;
}

export interface Expected {
  /** The title the window should show. */
  title?: string;
  /** The document's language, e.g. "en-GB". */
  lang?: string;
  /** The text of the document in reading order (pieces are joined; white space is ignored). */
  readingOrder?: string[];
  /** The headings in order, as "H2 Summary". */
  headings?: string[];
}

interface StructNode {
  role?: string;
  type?: string;
  id?: string;
  scope?: string;
  children?: StructNode[];
}

/** What the check read of a PDF, for a test to look at beside the problems. */
export interface PdfReading {
  problems: Problem[];
  /** The structure tree's text in reading order, white space as drawn. */
  text: string;
  /** Headings as "H2 Summary", in order. */
  headings: string[];
  pages: number;
}

const squash = (s: string) => s.replace(/\s+/g, '');

/** Paint operators: anything that leaves a mark on the page. */
const PAINTS = new Set<number>(
  [
    OPS.stroke,
    OPS.closeStroke,
    OPS.fill,
    OPS.eoFill,
    OPS.fillStroke,
    OPS.eoFillStroke,
    OPS.closeFillStroke,
    OPS.closeEOFillStroke,
    OPS.showText,
    OPS.showSpacedText,
    OPS.nextLineShowText,
    OPS.nextLineSetSpacingShowText,
    OPS.paintImageXObject,
    OPS.paintInlineImageXObject,
    OPS.paintImageMaskXObject,
    OPS.shadingFill,
    OPS.constructPath,
  ].filter((op): op is number => typeof op === 'number'),
);

export async function checkPdf(pdf: Uint8Array, expected: Expected = {}): Promise<PdfReading> {
  const problems: Problem[] = [];
  const fail = (checkpoint: string, message: string) => problems.push({ checkpoint, message });
  const task = getDocument({ data: new Uint8Array(pdf), fontExtraProperties: true, verbosity: 0 });
  const doc = await task.promise;
  try {
    // ISO 14289-1 7.1: tagged
    const markInfo = (await doc.getMarkInfo()) as Map<string, unknown> | Record<string, unknown> | null;
    const marked = markInfo instanceof Map ? markInfo.get('Marked') : markInfo?.Marked;
    if (marked !== true) fail('UA-7.1', 'The catalogue has no MarkInfo with Marked true: the PDF does not say it is tagged.');

    // 06: metadata
    const { info, metadata } = (await doc.getMetadata()) as { info: Record<string, unknown>; metadata: { get(name: string): unknown } | null };
    if (!metadata) fail('06-001', 'There is no XMP metadata stream.');
    else {
      if (!metadata.get('pdfuaid:part')) fail('06-002', 'The XMP metadata does not identify the file as PDF/UA (pdfuaid:part).');
      const xmpTitle = metadata.get('dc:title');
      if (!xmpTitle) fail('06-003', 'The XMP metadata has no dc:title.');
      else if (expected.title && String(xmpTitle) !== expected.title) fail('06-003', `The XMP title is "${String(xmpTitle)}", not "${expected.title}".`);
    }
    if (expected.title && info.Title !== expected.title) fail('06-003', `The document's title is "${String(info.Title ?? '')}", not "${expected.title}".`);

    // 07: the title in the window
    const prefs = await doc.getViewerPreferences();
    const display = prefs instanceof Map ? prefs.get('DisplayDocTitle') : (prefs as Record<string, unknown> | null)?.DisplayDocTitle;
    if (display === undefined) fail('07-001', 'ViewerPreferences has no DisplayDocTitle: the window would show the file name, not the title.');
    else if (display !== true) fail('07-002', 'DisplayDocTitle is false: the window would show the file name, not the title.');

    // 11-006: language
    const lang = typeof info.Language === 'string' ? info.Language : '';
    if (!lang) fail('11-006', 'The catalogue declares no natural language (/Lang).');
    else if (expected.lang && lang !== expected.lang) fail('11-006', `The language is "${lang}", not "${expected.lang}".`);

    const texts: string[] = [];
    const headings: string[] = [];
    let structured = false;
    const fontNames = new Set<string>();
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent({ includeMarkedContent: true });
      // Text by marked content id, and anything drawn outside marked content (01-005).
      const byId = new Map<string, string>();
      const open: (string | null)[] = [];
      for (const item of content.items as Record<string, any>[]) {
        if (item.type === 'beginMarkedContent' || item.type === 'beginMarkedContentProps') open.push(item.tag === 'Artifact' ? 'Artifact' : (item.id ?? null));
        else if (item.type === 'endMarkedContent') open.pop();
        else if (typeof item.str === 'string') {
          if (item.fontName) fontNames.add(item.fontName);
          if (!open.length && item.str.trim()) fail('01-005', `Page ${n}: text "${item.str}" is neither tagged nor an artifact.`);
          const id = [...open].reverse().find((o) => o && o !== 'Artifact');
          if (id && !open.includes('Artifact')) byId.set(id, (byId.get(id) ?? '') + item.str + (item.hasEOL ? ' ' : ''));
        }
      }
      // Paths and images outside marked content (01-005), from the page's drawing operators.
      const ops = await page.getOperatorList();
      let depth = 0;
      let untagged = 0;
      for (const op of ops.fnArray) {
        if (op === OPS.beginMarkedContent || op === OPS.beginMarkedContentProps) depth++;
        else if (op === OPS.endMarkedContent) depth = Math.max(0, depth - 1);
        else if (depth === 0 && PAINTS.has(op)) untagged++;
      }
      if (untagged) fail('01-005', `Page ${n}: ${untagged} drawing operation(s) outside any marked content (neither tagged nor an artifact).`);

      // ISO 14289-1 7.21.4.1: fonts embedded
      for (const name of fontNames) {
        if (!page.commonObjs.has(name)) continue;
        const font = page.commonObjs.get(name) as { missingFile?: boolean; name?: string };
        if (font.missingFile) fail('UA-7.21.4.1', `The font ${font.name ?? name} is not embedded.`);
      }
      fontNames.clear();

      const tree = (await page.getStructTree()) as StructNode | null;
      if (!tree) continue;
      structured = true;
      const walk = (node: StructNode, parent: StructNode | null): string => {
        if (node.type === 'content') {
          const t = node.id ? (byId.get(node.id) ?? '') : '';
          texts.push(t);
          return t;
        }
        const role = node.role ?? '';
        checkRelations(node, parent, fail);
        const inner = (node.children ?? []).map((c) => walk(c, node)).join('');
        if (/^H[1-6]$/.test(role)) headings.push(`${role} ${inner.replace(/\s+/g, ' ').trim()}`);
        if (role === 'Table' && !hasHeader(node)) fail('15-003', 'A table has no header cell (TH): its cells cannot be told apart.');
        if (role === 'TH' && !node.scope) fail('15-003', `A table header cell ("${inner.trim().slice(0, 40)}") has no Scope.`);
        return inner;
      };
      walk(tree, null);
    }
    if (!structured) fail('UA-7.1', 'There is no structure tree (StructTreeRoot): nothing is tagged.');

    // 14: headings
    const levels = headings.map((h) => Number(h[1]));
    if (levels.length && levels[0] !== 1) fail('14-002', `The first heading is H${levels[0]}, not H1.`);
    levels.forEach((level, i) => {
      if (i > 0 && level > levels[i - 1]! + 1) fail('14-003', `"${headings[i]}" follows an H${levels[i - 1]}: a heading level is skipped.`);
    });
    if (expected.headings && JSON.stringify(headings) !== JSON.stringify(expected.headings)) {
      fail('09-001', `The headings read ${JSON.stringify(headings)}, not ${JSON.stringify(expected.headings)}.`);
    }

    // 09-001: reading order
    const text = texts.join('');
    if (expected.readingOrder) {
      const want = squash(expected.readingOrder.join(''));
      const got = squash(text);
      if (want !== got) {
        let at = 0;
        while (at < want.length && want[at] === got[at]) at++;
        fail(
          '09-001',
          `The structure tree reads "…${got.slice(Math.max(0, at - 30), at + 30)}…" where the content reads "…${want.slice(Math.max(0, at - 30), at + 30)}…".`,
        );
      }
    }

    // Bookmarks (WCAG 2.4.5 for a long document): every heading has one.
    const outline = (await doc.getOutline()) ?? [];
    const titles: string[] = [];
    const collect = (items: { title: string; items: unknown[] }[]) =>
      items.forEach((o) => {
        titles.push(o.title);
        collect(o.items as never);
      });
    collect(outline as never);
    const missing = headings.map((h) => h.slice(3)).filter((h) => !titles.includes(h));
    if (missing.length) fail('bookmarks', `No bookmark for the heading(s): ${missing.slice(0, 3).join('; ')}.`);

    return { problems: dedupe(problems), text, headings, pages: doc.numPages };
  } finally {
    await task.destroy();
  }
}

/** The grouping rules of ISO 32000-1 14.8.4.3 for tables (09-004) and lists (09-005). */
function checkRelations(node: StructNode, parent: StructNode | null, fail: (checkpoint: string, message: string) => void) {
  const role = node.role ?? '';
  const parentRole = parent?.role ?? '';
  const kids = (node.children ?? []).filter((c) => c.type !== 'content').map((c) => c.role ?? '');
  if (role === 'Table' && kids.some((k) => !['TR', 'THead', 'TBody', 'TFoot', 'Caption'].includes(k)))
    fail('09-004', `A Table holds ${kids.join(', ')}: only rows (TR) or THead/TBody/TFoot.`);
  if (role === 'TR' && kids.some((k) => k !== 'TH' && k !== 'TD')) fail('09-004', `A table row holds ${kids.join(', ')}: only TH and TD.`);
  if ((role === 'TH' || role === 'TD') && parentRole !== 'TR') fail('09-004', `A ${role} sits in a ${parentRole || 'nothing'}, not in a row (TR).`);
  if (role === 'TR' && !['Table', 'THead', 'TBody', 'TFoot'].includes(parentRole))
    fail('09-004', `A table row sits in a ${parentRole || 'nothing'}, not in a Table.`);
  if (role === 'L' && kids.some((k) => k !== 'LI' && k !== 'Caption' && k !== 'L'))
    fail('09-005', `A list (L) holds ${kids.join(', ')}: only list items (LI).`);
  if (role === 'LI' && kids.some((k) => k !== 'Lbl' && k !== 'LBody')) fail('09-005', `A list item holds ${kids.join(', ')}: only Lbl and LBody.`);
  if ((role === 'LI' && parentRole !== 'L') || ((role === 'Lbl' || role === 'LBody') && parentRole !== 'LI'))
    fail('09-005', `A ${role} sits in a ${parentRole || 'nothing'}.`);
}

const hasHeader = (node: StructNode): boolean => node.role === 'TH' || (node.children ?? []).some(hasHeader);

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.checkpoint} ${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The checkpoints a list of problems names. */
export const checkpoints = (reading: PdfReading) => [...new Set(reading.problems.map((p) => p.checkpoint))].sort();
