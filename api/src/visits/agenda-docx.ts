import type { DocumentModel } from '../platform/documents/document-model.js';
import { renderDocx } from '../platform/documents/docx.js';
import { renderPdf } from '../platform/documents/pdf.js';
import type { VisitDocument } from './visit-document.js';

/** The agenda as a document (Word and PDF render this one model), to send to the school in advance. */
export function agendaDocument(doc: VisitDocument): DocumentModel {
  return {
    title: `Agenda: ${doc.title}`,
    lang: 'en-GB',
    creator: 'School visits',
    blocks: [
      { kind: 'paragraph', text: doc.when },
      ...(doc.location ? [{ kind: 'paragraph', text: doc.location } as const] : []),
      doc.items.length
        ? { kind: 'list', items: doc.items.map((item) => ({ title: item.title, meta: item.meta || undefined, detail: item.detail })) }
        : { kind: 'paragraph', text: 'No agenda yet.' },
      { kind: 'paragraph', text: `Visit reference: ${doc.visitId}`, quiet: true },
    ],
  };
}

/** The agenda as a Word document. */
export const agendaDocx = (doc: VisitDocument): Promise<Buffer> => renderDocx(agendaDocument(doc));
/** The agenda as a tagged, accessible PDF. */
export const agendaPdf = (doc: VisitDocument): Promise<Buffer> => renderPdf(agendaDocument(doc));
