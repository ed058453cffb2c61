import type { UpdateNoteInput } from '../graphql/generated/graphql.js';
import { inputOf, NOTE_TEXT_FIELDS, ROW_LISTS, saveOf, type NoteForm, type NoteTextKey, type RowList } from './note-model.js';

/**
 * The note editor's three-way merge, when someone else saved the note while this device
 * was editing it: pure functions over forms (no React, no storage), used by autosave.
 *
 * The unit of the merge is the section, not the field or the row: two people changing
 * different recommendations both changed "Recommendations", and that is a clash.
 *
 * Rows still being written here (new rows a save would not send yet) are not compared,
 * and they are never on the server, so they are never lost to a merge: when a list is
 * taken from theirs, my unsent rows follow their rows (see mergeForms).
 */

export type NoteSection = Exclude<keyof NoteForm, 'removed'>;

export const SECTION_LABELS: Record<NoteSection, string> = {
  ...(Object.fromEntries(NOTE_TEXT_FIELDS.map((f) => [f.key, f.section])) as Record<NoteTextKey, string>),
  judgements: 'Judgements',
  findings: 'Findings',
  recommendations: 'Recommendations',
  reviews: 'Reviews of carried recommendations',
  targets: 'Targets',
  distribution: 'Distribution list',
};
const SECTIONS = Object.keys(SECTION_LABELS) as NoteSection[];

/**
 * A section's content as the server would store it (row keys and surrounding spaces aside):
 * what a save would send for it (rows still being written are not sent, so they are not
 * compared), with the ids it would remove.
 */
function sectionValue(form: NoteForm, section: NoteSection): string {
  const value = section === 'reviews' ? form.reviews : (inputOf(form)[section as keyof UpdateNoteInput] ?? form[section]);
  const removed = (ROW_LISTS as readonly string[]).includes(section)
    ? form.removed[section as RowList]
    : section === 'judgements'
      ? form.judgements.filter((j) => !j.included && j.id).map((j) => j.id)
      : [];
  return JSON.stringify({ value, removed }, (k, v) => (k === 'key' ? undefined : typeof v === 'string' ? v.trim() : v));
}

/**
 * Three-way merge by section: what only they changed comes from theirs, what only I
 * changed stays mine; a section both changed differently is a clash (mine kept on
 * screen until the partner chooses). Without a base every differing section clashes.
 * A list taken from theirs keeps the rows I am still writing (new rows a save would not
 * send, so no one else can have changed them) after their rows, in my order and with their
 * keys, so the editor goes on showing and editing them.
 * `mine` is not changed; `merged` is a new form.
 */
export function mergeForms(base: NoteForm | null, mine: NoteForm, theirs: NoteForm): { merged: NoteForm; clashes: NoteSection[]; fromTheirs: NoteSection[] } {
  const merged = { ...mine, removed: { ...mine.removed } };
  const clashes: NoteSection[] = [];
  const fromTheirs: NoteSection[] = [];
  for (const s of SECTIONS) {
    const m = sectionValue(mine, s);
    const t = sectionValue(theirs, s);
    if (m === t) continue;
    const b = base ? sectionValue(base, s) : null;
    if (b === m) {
      takeSection(merged, theirs, s);
      if (isRowList(s)) keepUnsentRows(merged, mine, s);
      fromTheirs.push(s);
    } else if (b !== t) clashes.push(s);
  }
  return { merged, clashes, fromTheirs };
}

const isRowList = (section: NoteSection): section is RowList => (ROW_LISTS as readonly string[]).includes(section);

/**
 * Appends to `into`'s list my rows that a save would not send yet: new (no server id) and
 * not complete. Rows with an id, and rows I removed (not in my list), are not kept.
 */
function keepUnsentRows(into: NoteForm, mine: NoteForm, list: RowList): void {
  const sent = new Set(saveOf(mine).sent[list]);
  const unsent = (mine[list] as NoteForm[RowList][number][]).filter((row) => !row.id && !sent.has(row.key));
  if (unsent.length) (into as unknown as Record<RowList, unknown>)[list] = [...into[list], ...unsent];
}

/** Puts `from`'s version of a section into `into` (with what `from` had removed from it). */
export function takeSection(into: NoteForm, from: NoteForm, section: NoteSection): void {
  (into as unknown as Record<string, unknown>)[section] = from[section];
  if ((ROW_LISTS as readonly string[]).includes(section)) into.removed[section as RowList] = from.removed[section as RowList];
}
