import { businessDateOf } from '../platform/dates/today.js';
import { CSV_BOM, csvRows } from '../platform/http/csv.js';
import type { NoteTarget } from '../notes/note-target.entity.js';

export const TARGET_CSV_COLUMNS = ['URN', 'DfE number', 'School', 'Key stage', 'Measure', 'Year', 'Target (%)', 'Agreed at visit on', 'Note status'];

/** The targets as a spreadsheet opens them: a header row, one target a row, UTF-8 with a BOM for Excel. */
export function targetsCsv(targets: NoteTarget[]): string {
  const rows = targets.map((t) => {
    const note = t.note.getEntity();
    const visit = note.visit.getEntity();
    const school = visit.school.getEntity();
    return [school.urn, school.dfeNumber, school.name, t.keyStage, t.measure, t.year, t.value, businessDateOf(visit.startsAt), note.status];
  });
  return `${CSV_BOM}${csvRows([TARGET_CSV_COLUMNS, ...rows])}`;
}
