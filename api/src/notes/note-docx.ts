import { renderDocx } from '../platform/documents/docx.js';
import { renderPdf } from '../platform/documents/pdf.js';
import { currentNoteDocument, noteDocument, revisionDocument, type NoteHeader } from './note-document.js';
import type { NoteOfVisit } from './note-of-visit.entity.js';
import type { NoteRevision } from './note-revision.entity.js';

export type { NoteHeader } from './note-document.js';

/** The note of visit as councils keep it, in Word: the one document model (note-document.ts). */
export const contentDocx = (header: NoteHeader, content: Record<string, unknown>): Promise<Buffer> => renderDocx(noteDocument(header, content));
/** The same note as a tagged, accessible PDF. */
export const contentPdf = (header: NoteHeader, content: Record<string, unknown>): Promise<Buffer> => renderPdf(noteDocument(header, content));

/** The note as it stands now. */
export const noteDocx = async (note: NoteOfVisit): Promise<Buffer> => renderDocx(await currentNoteDocument(note));
export const notePdf = async (note: NoteOfVisit): Promise<Buffer> => renderPdf(await currentNoteDocument(note));

/** A circulated revision exactly as it went out. */
export const revisionDocx = async (revision: NoteRevision): Promise<Buffer> => renderDocx(await revisionDocument(revision));
export const revisionPdf = async (revision: NoteRevision): Promise<Buffer> => renderPdf(await revisionDocument(revision));
