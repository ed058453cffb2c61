import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { longLondonDate } from '../platform/dates/today.js';
import { display, noteContent, renderContent, type RenderedSection } from './note-content.js';
import type { NoteOfVisit } from './note-of-visit.entity.js';
import type { NoteRevision } from './note-revision.entity.js';
import { VISIT_TYPE_LABELS } from '../visits/visit.enums.js';

const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel] = HeadingLevel.HEADING_2) =>
  new Paragraph({ heading: level, spacing: { before: 240 }, children: [new TextRun(text)] });
const paragraphs = (value: string) => value.split('\n').map((line) => new Paragraph({ children: [new TextRun(line)] }));
const cell = (value: string, bold = false) =>
  new TableCell({ children: value.split('\n').map((line) => new Paragraph({ children: [new TextRun({ text: line, bold })] })) });
const table = (header: string[] | null, rows: string[][]) =>
  new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      ...(header ? [new TableRow({ tableHeader: true, children: header.map((h) => cell(h, true)) })] : []),
      ...rows.map((r) => new TableRow({ children: r.map((c, i) => cell(c, !header && i === 0)) })),
    ],
  });

function section(s: RenderedSection) {
  switch (s.kind) {
    case 'text':
      return [heading(s.title), ...paragraphs(s.text)];
    case 'facts':
      return [heading(s.title), table(null, s.facts)];
    case 'table':
      return [heading(s.title), s.rows.length ? table(s.columns, s.rows) : paragraphs(s.empty)].flat();
    case 'blocks':
      return [
        heading(s.title),
        ...(s.blocks.length ? s.blocks.flatMap((b) => [heading(b.title, HeadingLevel.HEADING_3), table(null, b.facts)]) : paragraphs(s.empty)),
      ];
  }
}

export interface NoteHeader {
  schoolName: string;
  dfeNumber: string;
  visit: string;
  partner: string;
  status: string;
  deadlines: string;
}

async function headerOf(note: NoteOfVisit, status: string): Promise<NoteHeader> {
  const visit = await note.visit.loadOrFail();
  const [school, author] = await Promise.all([visit.school.loadOrFail(), note.author.loadOrFail()]);
  const date = (iso: string) => display({ key: '', label: '', kind: 'date', by: 'system' }, iso);
  return {
    schoolName: school.name,
    dfeNumber: school.dfeNumber,
    visit: `${VISIT_TYPE_LABELS[visit.type]}, ${longLondonDate(visit.startsAt)}`,
    partner: author.name,
    status,
    deadlines: `Draft due with the headteacher ${date(note.draftDueOn)}; circulation due ${date(note.circulationDueOn)}`,
  };
}

/** The note of visit as councils keep it: a header, then every section of the note's content in order. */
export function contentDocx(header: NoteHeader, content: Record<string, unknown>): Promise<Buffer> {
  const children = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Note of visit')] }),
    table(null, [
      ['School', `${header.schoolName} (${header.dfeNumber})`],
      ['Visit', header.visit],
      ['Partner', header.partner],
      ['Status', header.status],
      ['Deadlines', header.deadlines],
    ]),
    ...renderContent(content).flatMap(section),
  ];
  return Packer.toBuffer(new Document({ creator: 'School visits', title: `Note of visit: ${header.schoolName}, ${header.visit}`, sections: [{ children }] }));
}

const statusWords = (note: NoteOfVisit) => `${note.status.replace(/^./, (c) => c.toUpperCase())}${note.revision > 1 ? `, revision ${note.revision}` : ''}`;

/** The note as it stands now. */
export async function noteDocx(note: NoteOfVisit): Promise<Buffer> {
  return contentDocx(await headerOf(note, statusWords(note)), await noteContent(note));
}

/** A circulated revision exactly as it went out (from its stored content, not the note as it is now). */
export async function revisionDocx(revision: NoteRevision): Promise<Buffer> {
  const note = await revision.note.loadOrFail();
  const status = `Circulated ${longLondonDate(revision.circulatedAt)}${revision.revision > 1 ? `, revision ${revision.revision}` : ''}`;
  return contentDocx(await headerOf(note, status), revision.content);
}
