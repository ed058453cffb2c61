import { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { Block, DocumentModel } from './document-model.js';

const QUIET = '605E5C';

const lines = (value: string, run: (line: string) => TextRun = (line) => new TextRun(line)) =>
  value.split('\n').map((line) => new Paragraph({ children: [run(line)] }));
const cell = (value: string, bold = false) => new TableCell({ children: lines(value, (line) => new TextRun({ text: line, bold })) });
const table = (header: string[] | null, rows: string[][]) =>
  new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      ...(header ? [new TableRow({ tableHeader: true, children: header.map((h) => cell(h, true)) })] : []),
      ...rows.map((r) => new TableRow({ children: r.map((c, i) => cell(c, !header && i === 0)) })),
    ],
  });

function block(b: Block): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'heading':
      return [
        new Paragraph({ heading: b.level === 2 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3, spacing: { before: 240 }, children: [new TextRun(b.text)] }),
      ];
    case 'paragraph':
      return b.quiet ? lines(b.text, (line) => new TextRun({ text: line, size: 16, color: QUIET })) : lines(b.text);
    case 'facts':
      return [table(null, b.rows)];
    case 'table':
      return [table(b.columns, b.rows)];
    case 'list':
      return b.items.flatMap((item) => [
        new Paragraph({
          numbering: { reference: 'numbered', level: 0 },
          children: [new TextRun({ text: item.title, bold: true }), ...(item.meta ? [new TextRun({ text: `  (${item.meta})`, color: QUIET })] : [])],
        }),
        ...(item.detail ? [new Paragraph({ indent: { left: 720 }, children: [new TextRun(item.detail)] })] : []),
      ]);
  }
}

/** A document model (document-model.ts) as a Word document: the title as Heading 1 and in the properties, then each block. */
export function renderDocx(model: DocumentModel): Promise<Buffer> {
  const document = new Document({
    creator: model.creator,
    title: model.title,
    styles: { default: { document: { run: { language: { value: model.lang } } } } },
    numbering: {
      config: [{ reference: 'numbered', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] }],
    },
    sections: [
      {
        children: [new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(model.title)] }), ...model.blocks.flatMap(block)],
      },
    ],
  });
  return Packer.toBuffer(document);
}
