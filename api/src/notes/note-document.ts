import { dateInWords, longLondonDate } from '../platform/dates/today.js';
import type { Block, DocumentModel } from '../platform/documents/document-model.js';
import { VISIT_TYPE_LABELS } from '../visits/visit.enums.js';
import { noteContent, renderContent, type RenderedSection } from './note-content.js';
import type { NoteOfVisit } from './note-of-visit.entity.js';
import type { NoteRevision } from './note-revision.entity.js';

/** What a note's documents say above its content: whose note, of which visit, where it stands. */
export interface NoteHeader {
  schoolName: string;
  dfeNumber: string;
  visit: string;
  partner: string;
  status: string;
  deadlines: string;
}

function sectionBlocks(s: RenderedSection): Block[] {
  const heading: Block = { kind: 'heading', level: 2, text: s.title };
  switch (s.kind) {
    case 'text':
      return [heading, ...(s.text ? [{ kind: 'paragraph', text: s.text } as const] : [])];
    case 'facts':
      return [heading, { kind: 'facts', rows: s.facts }];
    case 'table':
      return [heading, s.rows.length ? { kind: 'table', columns: s.columns, rows: s.rows } : { kind: 'paragraph', text: s.empty }];
    case 'blocks':
      return [
        heading,
        ...(s.blocks.length
          ? s.blocks.flatMap((b): Block[] => [
              { kind: 'heading', level: 3, text: b.title },
              { kind: 'facts', rows: b.facts },
            ])
          : [{ kind: 'paragraph', text: s.empty } as const]),
      ];
  }
}

/**
 * The note of visit as a document (Word and PDF render this one model): its header, then
 * every section of the note's content (note-content.ts) in order, each value in words.
 */
export function noteDocument(header: NoteHeader, content: Record<string, unknown>): DocumentModel {
  return {
    title: `Note of visit: ${header.schoolName}, ${header.visit}`,
    lang: 'en-GB',
    creator: 'School visits',
    blocks: [
      {
        kind: 'facts',
        rows: [
          ['School', `${header.schoolName} (${header.dfeNumber})`],
          ['Visit', header.visit],
          ['Partner', header.partner],
          ['Status', header.status],
          ['Deadlines', header.deadlines],
        ],
      },
      ...renderContent(content).flatMap(sectionBlocks),
    ],
  };
}

async function headerOf(note: NoteOfVisit, status: string): Promise<NoteHeader> {
  const visit = await note.visit.loadOrFail();
  const [school, author] = await Promise.all([visit.school.loadOrFail(), note.author.loadOrFail()]);
  // Deadlines are planned by: with their weekday.
  const date = (iso: string) => dateInWords(iso, { weekday: true });
  return {
    schoolName: school.name,
    dfeNumber: school.dfeNumber,
    visit: `${VISIT_TYPE_LABELS[visit.type]}, ${longLondonDate(visit.startsAt)}`,
    partner: author.name,
    status,
    deadlines: `Draft due with the headteacher ${date(note.draftDueOn)}; circulation due ${date(note.circulationDueOn)}`,
  };
}

const statusWords = (note: NoteOfVisit) => `${note.status.replace(/^./, (c) => c.toUpperCase())}${note.revision > 1 ? `, revision ${note.revision}` : ''}`;

/** The note as it stands now. */
export async function currentNoteDocument(note: NoteOfVisit): Promise<DocumentModel> {
  return noteDocument(await headerOf(note, statusWords(note)), await noteContent(note));
}

/** A circulated revision exactly as it went out (from its stored content, not the note as it is now). */
export async function revisionDocument(revision: NoteRevision): Promise<DocumentModel> {
  const note = await revision.note.loadOrFail();
  const status = `Circulated ${longLondonDate(revision.circulatedAt)}${revision.revision > 1 ? `, revision ${revision.revision}` : ''}`;
  return noteDocument(await headerOf(note, status), revision.content);
}
