import { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, Paragraph, TextRun } from 'docx';
import type { VisitDocument } from './visit-document.js';

/** The agenda as a Word document, to send to the school in advance. */
export function agendaDocx(doc: VisitDocument): Promise<Buffer> {
  const items = doc.items.flatMap((item) => [
    new Paragraph({
      numbering: { reference: 'agenda', level: 0 },
      children: [new TextRun({ text: item.title, bold: true }), new TextRun({ text: `  (${item.meta})`, color: '605E5C' })],
    }),
    ...(item.detail ? [new Paragraph({ indent: { left: 720 }, children: [new TextRun(item.detail)] })] : []),
  ]);
  const document = new Document({
    creator: 'School visits',
    title: `Agenda: ${doc.title}`,
    numbering: {
      config: [{ reference: 'agenda', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }] }],
    },
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(`Agenda: ${doc.title}`)] }),
          new Paragraph({ children: [new TextRun(doc.when)] }),
          ...(doc.location ? [new Paragraph({ children: [new TextRun(doc.location)] })] : []),
          new Paragraph({ children: [] }),
          ...(items.length ? items : [new Paragraph('No agenda yet.')]),
          new Paragraph({ children: [] }),
          new Paragraph({ children: [new TextRun({ text: `Visit reference: ${doc.visitId}`, size: 16, color: '605E5C' })] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
