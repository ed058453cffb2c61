import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Block, DocumentModel, ListItem } from './document-model.js';

/**
 * A document model (document-model.ts) as a tagged, accessible PDF (PDF/UA-1): the
 * language and title in the catalogue and metadata, the title shown as the window's
 * title, a structure tree in reading order (Document → H1/H2/H3, P, L/LI/Lbl/LBody,
 * Table/TR/TH/TD with each header's scope), every mark on the page either tagged or an
 * artifact (rules, page numbers, a table's header repeated on a new page), bookmarks for
 * the headings, and one embedded font.
 *
 * The font is Noto Sans (SIL Open Font License 1.1, which allows embedding) from the
 * npm package @expo-google-fonts/noto-sans: no system font, so a clean machine makes the
 * same file. pdfkit embeds only the glyphs used.
 *
 * Tables are drawn here rather than with pdfkit's table(): its rows are clamped to one
 * page, which would cut a long commentary short, and a council's record cannot lose words.
 */

const require = createRequire(import.meta.url);
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
} as const;
let fonts: Record<keyof typeof FONT_FILES, Buffer> | null = null;
const loadFonts = () =>
  (fonts ??= {
    regular: readFileSync(require.resolve(FONT_FILES.regular)),
    bold: readFileSync(require.resolve(FONT_FILES.bold)),
  });

const INK = '#0b0c0c';
const QUIET = '#505a5f';
const RULE = '#b1b4b6';
const MARGIN = { top: 56, bottom: 64, left: 56, right: 56 };
const SIZE = { h1: 18, h2: 14, h3: 12, body: 11, table: 10, quiet: 8.5 };
const CELL_PAD = 4;

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

class PdfWriter {
  readonly doc: Doc;
  private readonly root: Struct;
  private readonly width: number;
  private outlineLevel2: PDFKit.PDFOutline | null = null;

  constructor(private readonly model: DocumentModel) {
    const f = loadFonts();
    // @types/pdfkit lags pdfkit 0.20 ('PDF/UA' as a subset): the options as pdfkit documents them.
    const options = {
      size: 'A4',
      margins: MARGIN,
      pdfVersion: '1.7',
      subset: 'PDF/UA',
      tagged: true,
      lang: model.lang,
      displayTitle: true,
      bufferPages: true,
      font: f.regular as never,
      info: { Title: model.title, Creator: model.creator, Producer: model.creator },
    };
    this.doc = new PDFDocument(options as unknown as PDFKit.PDFDocumentOptions);
    this.doc.registerFont('regular', f.regular);
    this.doc.registerFont('bold', f.bold);
    this.doc.font('regular');
    // The bookmarks pane opens with the document: its headings are its map.
    (this.doc as unknown as { _root: { data: Record<string, unknown> } })._root.data.PageMode = 'UseOutlines';
    this.width = this.doc.page.width - MARGIN.left - MARGIN.right;
    this.root = this.doc.struct('Document');
    this.doc.addStructure(this.root);
  }

  private get bottom() {
    return this.doc.page.height - MARGIN.bottom;
  }

  /** A new page when less than `height` is left on this one. */
  private need(height: number): boolean {
    if (this.doc.y + height <= this.bottom) return false;
    this.doc.addPage();
    return true;
  }

  /** Marks on the page that are not content (rules): an artifact, outside any tagged content. */
  private artifact(draw: () => void, type: 'Layout' | 'Pagination' = 'Layout') {
    this.doc.markContent('Artifact', { type } as never);
    draw();
    this.doc.endMarkedContent();
  }

  /** A structure element drawn by `draw`, added to `parent` in reading order. */
  private element(parent: Struct, type: string, draw: () => void, options: Record<string, unknown> = {}): Struct {
    const element = this.doc.struct(type as never, options as never, [draw] as never);
    parent.add(element);
    return element;
  }

  private text(
    value: string,
    options: { font?: 'regular' | 'bold'; size?: number; color?: string; x?: number; y?: number; width?: number; gap?: number } = {},
  ) {
    const { doc } = this;
    doc
      .font(options.font ?? 'regular')
      .fontSize(options.size ?? SIZE.body)
      .fillColor(options.color ?? INK);
    doc.text(value, options.x ?? MARGIN.left, options.y ?? doc.y, { width: options.width ?? this.width, lineGap: 2, paragraphGap: options.gap ?? 0 });
  }

  heading(level: 1 | 2 | 3, value: string) {
    const size = level === 1 ? SIZE.h1 : level === 2 ? SIZE.h2 : SIZE.h3;
    // Never a heading alone at the foot of a page.
    if (level > 1) {
      this.doc.moveDown(level === 2 ? 0.8 : 0.5);
      // with room for the start of what it heads (a table's header and first row).
      this.need(size * 4 + 48);
    }
    const top = this.doc.y;
    const pageIndex = this.doc.bufferedPageRange().count - 1;
    this.element(this.root, `H${level}`, () => this.text(value, { font: 'bold', size }));
    this.doc.moveDown(0.3);
    // pdfkit places a bookmark's view `left` points in from the right edge: the page's width is its left edge.
    const options = { pageNumber: pageIndex, top, left: this.doc.page.width } as never;
    if (level === 1) this.doc.outline.addItem(value, options);
    else if (level === 2) this.outlineLevel2 = this.doc.outline.addItem(value, options);
    else (this.outlineLevel2 ?? this.doc.outline).addItem(value, options);
  }

  paragraph(value: string, quiet = false) {
    this.need(SIZE.body * 2);
    this.element(this.root, 'P', () => this.text(value, { size: quiet ? SIZE.quiet : SIZE.body, color: quiet ? QUIET : INK, gap: 4 }));
    this.doc.moveDown(0.3);
  }

  list(items: ListItem[]) {
    const list = this.doc.struct('L');
    this.root.add(list);
    const indent = 22;
    items.forEach((item, i) => {
      this.need(SIZE.body * 3);
      const y = this.doc.y;
      const li = this.doc.struct('LI');
      list.add(li);
      this.element(li, 'Lbl', () => this.text(`${i + 1}.`, { font: 'bold', x: MARGIN.left, y, width: indent }));
      const body = this.doc.struct('LBody');
      li.add(body);
      this.element(body, 'P', () => {
        this.doc.font('bold').fontSize(SIZE.body).fillColor(INK);
        this.doc.text(item.title, MARGIN.left + indent, y, { width: this.width - indent, lineGap: 2, continued: Boolean(item.meta) });
        if (item.meta) this.doc.font('regular').fillColor(QUIET).text(` (${item.meta})`, { lineGap: 2 });
      });
      if (item.detail) this.element(body, 'P', () => this.text(item.detail!, { x: MARGIN.left + indent, width: this.width - indent }));
      body.end();
      li.end();
      this.doc.moveDown(0.4);
    });
    list.end();
  }

  /**
   * A table: an optional header row (TH, scope Column) and rows whose first cell heads the
   * row (TH, scope Row) when `rowHeaders`. A row that fits a page is kept on one page (the
   * header row repeated above it, as an artifact); a row longer than a page has its cells
   * one under the other, so nothing is cut.
   */
  table(columns: string[] | null, rows: string[][], rowHeaders: boolean) {
    const { doc } = this;
    const count = columns?.length ?? rows[0]?.length ?? 0;
    if (!count) return;
    const widths = this.columnWidths(columns, rows, count, rowHeaders);
    const xs = widths.map((_, i) => MARGIN.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const table = doc.struct('Table');
    this.root.add(table);
    const heightOf = (cells: string[], bold: (i: number) => boolean) =>
      Math.max(
        ...cells.map((c, i) => {
          doc.font(bold(i) ? 'bold' : 'regular').fontSize(SIZE.table);
          return doc.heightOfString(c || ' ', { width: widths[i]! - 2 * CELL_PAD, lineGap: 2 }) + 2 * CELL_PAD;
        }),
      );
    const headerHeight = columns ? heightOf(columns, () => true) : 0;
    const drawRow = (cells: string[], kind: 'header' | 'body', asArtifact = false) => {
      const bold = (i: number) => kind === 'header' || (rowHeaders && i === 0);
      const height = heightOf(cells, bold);
      const y = doc.y;
      const cellText = (c: string, i: number, cy: number, width: number) =>
        this.text(c, { font: bold(i) ? 'bold' : 'regular', size: SIZE.table, x: xs[i]! + CELL_PAD, y: cy + CELL_PAD, width: width - 2 * CELL_PAD });
      if (asArtifact) {
        this.artifact(() => {
          cells.forEach((c, i) => cellText(c, i, y, widths[i]!));
          doc
            .moveTo(MARGIN.left, y + height)
            .lineTo(MARGIN.left + this.width, y + height)
            .lineWidth(1)
            .strokeColor(INK)
            .stroke();
        }, 'Pagination');
      } else if (height <= this.bottom - y) {
        const tr = doc.struct('TR');
        table.add(tr);
        cells.forEach((c, i) => {
          const type = kind === 'header' || (rowHeaders && i === 0) ? 'TH' : 'TD';
          const scope = kind === 'header' ? 'Column' : type === 'TH' ? 'Row' : undefined;
          this.element(tr, type, () => cellText(c, i, y, widths[i]!), scope ? { scope } : {});
        });
        tr.end();
      } else {
        // Longer than the page: each cell at full width, one after another, flowing over pages.
        const tr = doc.struct('TR');
        table.add(tr);
        cells.forEach((c, i) => {
          const type = kind === 'header' || (rowHeaders && i === 0) ? 'TH' : 'TD';
          const scope = kind === 'header' ? 'Column' : type === 'TH' ? 'Row' : undefined;
          this.element(
            tr,
            type,
            () => this.text(c, { font: bold(i) ? 'bold' : 'regular', size: SIZE.table, x: MARGIN.left + CELL_PAD, width: this.width - 2 * CELL_PAD, gap: 4 }),
            scope ? { scope } : {},
          );
        });
        tr.end();
        doc.x = MARGIN.left;
        this.artifact(() =>
          doc
            .moveTo(MARGIN.left, doc.y)
            .lineTo(MARGIN.left + this.width, doc.y)
            .lineWidth(0.5)
            .strokeColor(RULE)
            .stroke(),
        );
        doc.y += 2;
        return;
      }
      const end = y + height;
      this.artifact(() =>
        doc
          .moveTo(MARGIN.left, end)
          .lineTo(MARGIN.left + this.width, end)
          .lineWidth(kind === 'header' ? 1 : 0.5)
          .strokeColor(kind === 'header' ? INK : RULE)
          .stroke(),
      );
      doc.x = MARGIN.left;
      doc.y = end;
    };
    this.need(headerHeight + SIZE.table * 3);
    if (columns) drawRow(columns, 'header');
    for (const row of rows) {
      const height = heightOf(row, (i) => rowHeaders && i === 0);
      if (height <= this.doc.page.height - MARGIN.top - MARGIN.bottom - headerHeight && this.need(height)) {
        if (columns) drawRow(columns, 'header', true);
        // The repeated header is a picture of the first one: move past it as the tagged one does.
        doc.y = MARGIN.top + headerHeight;
      }
      drawRow(row, 'body');
    }
    table.end();
    doc.moveDown(0.5);
  }

  /**
   * Widths by what each column holds: first room for its longest word (a word is never
   * broken, so "6 March 2027" reads as written), then the rest shared by how much text
   * the column has, so a commentary gets room and a code column stays narrow.
   */
  private columnWidths(columns: string[] | null, rows: string[][], count: number, rowHeaders: boolean): number[] {
    if (!columns && rowHeaders && count === 2) return [this.width * 0.3, this.width * 0.7];
    const { doc } = this;
    const cellsOf = (i: number) => [columns?.[i] ?? '', ...rows.map((r) => r[i] ?? '')];
    const least = Array.from({ length: count }, (_, i) => {
      doc.font(columns || (rowHeaders && i === 0) ? 'bold' : 'regular').fontSize(SIZE.table);
      const words = cellsOf(i).flatMap((t) => t.split(/\s+/));
      return Math.max(...words.map((w) => doc.widthOfString(w)), 12) + 2 * CELL_PAD + 1;
    });
    const floor = least.reduce((a, b) => a + b, 0);
    if (floor >= this.width) return least.map((w) => (w / floor) * this.width);
    const weights = Array.from({ length: count }, (_, i) => {
      const lengths = cellsOf(i).map((t) => Math.min(t.length, 200));
      return Math.max(lengths.reduce((a, b) => a + b, 0) / lengths.length, 1);
    });
    const total = weights.reduce((a, b) => a + b, 0);
    const spare = this.width - floor;
    return least.map((w, i) => w + (weights[i]! / total) * spare);
  }

  block(b: Block) {
    switch (b.kind) {
      case 'heading':
        return this.heading(b.level, b.text);
      case 'paragraph':
        return this.paragraph(b.text, b.quiet);
      case 'facts':
        return this.table(null, b.rows, true);
      case 'table':
        return this.table(b.columns, b.rows, false);
      case 'list':
        return this.list(b.items);
    }
  }

  /** Page numbers on every page, as pagination artifacts (not read as content). */
  private pageNumbers() {
    const { doc } = this;
    const { start, count } = doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      doc.switchToPage(i);
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      this.artifact(
        () => this.text(`Page ${i + 1} of ${count}`, { size: SIZE.quiet, color: QUIET, y: doc.page.height - MARGIN.bottom + 24, width: this.width }),
        'Pagination',
      );
      doc.page.margins.bottom = bottom;
    }
  }

  finish(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve, reject) => {
      this.doc.on('data', (c: Buffer) => chunks.push(c));
      this.doc.on('end', () => resolve(Buffer.concat(chunks)));
      this.doc.on('error', reject);
    });
    this.root.end();
    this.pageNumbers();
    this.doc.end();
    return done;
  }
}

/** The document as a tagged PDF (PDF/UA-1), in the same order and words as its Word rendering. */
export function renderPdf(model: DocumentModel): Promise<Buffer> {
  const writer = new PdfWriter(model);
  writer.heading(1, model.title);
  for (const b of model.blocks) writer.block(b);
  return writer.finish();
}
