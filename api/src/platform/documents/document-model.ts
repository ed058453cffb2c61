/**
 * A document as a reader meets it, independent of its file format: the Word and the
 * PDF renderings (docx.ts, pdf.ts) take this one model, so the two can never say
 * different things. The modules build it from their own one definition of the content
 * (notes/note-document.ts from notes/note-content.ts; visits/agenda-document.ts from
 * visits/visit-document.ts).
 */
export interface DocumentModel {
  /** The document's title: its first heading, its metadata title and its window title. */
  title: string;
  /** BCP 47: what a screen reader speaks it as. */
  lang: string;
  /** Who made it (document properties). */
  creator: string;
  /** The content after the title, in reading order. */
  blocks: Block[];
}

export type Block =
  /** A heading under the title (the title is level 1). */
  | { kind: 'heading'; level: 2 | 3; text: string }
  /** A paragraph; `quiet` is smaller and grey (a reference at the end). Line breaks are kept. */
  | { kind: 'paragraph'; text: string; quiet?: boolean }
  /** Label-value pairs: a table whose first column heads each row. */
  | { kind: 'facts'; rows: [string, string][] }
  /** A table with a header row. */
  | { kind: 'table'; columns: string[]; rows: string[][] }
  /** A numbered list: each item a title, words about it in brackets, and a detail below. */
  | { kind: 'list'; items: ListItem[] };

export interface ListItem {
  title: string;
  meta?: string;
  detail?: string | null;
}

/** The visible text of a document in reading order, one string per piece: what the PDF's structure tree must read as. */
export function readingOrder(model: DocumentModel): string[] {
  const out = [model.title];
  for (const b of model.blocks) {
    switch (b.kind) {
      case 'heading':
      case 'paragraph':
        out.push(b.text);
        break;
      case 'facts':
        for (const [k, v] of b.rows) out.push(k, v);
        break;
      case 'table':
        out.push(...b.columns, ...b.rows.flat());
        break;
      case 'list':
        b.items.forEach((item, i) => out.push(`${i + 1}.`, listItemText(item), ...(item.detail ? [item.detail] : [])));
        break;
    }
  }
  return out.filter((t) => t !== '');
}

/** A list item's first line: its title, then its words in brackets. */
export const listItemText = (item: ListItem) => (item.meta ? `${item.title} (${item.meta})` : item.title);
