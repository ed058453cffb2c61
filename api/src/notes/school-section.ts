import type { NoteOfVisit } from './note-of-visit.entity.js';
import { rowsByParent } from '../platform/graphql/request-loaders.js';
import { SchoolSection } from './school-section.entity.js';

/** Copies the school's own grades into the "school view" of a note's judgements. */
export async function prefillSchoolView(note: NoteOfVisit, section: SchoolSection): Promise<void> {
  const grades = new Map(section.selfEvaluation.map((s) => [s.area, s.grade]));
  for (const judgement of (await note.judgements.load()).getItems()) {
    const grade = grades.get(judgement.area);
    if (grade) judgement.schoolGrade = grade;
  }
  note.updatedAt = new Date();
}

/** A page of visits' school sections, in one query. */
export const sectionsOfVisit = rowsByParent(SchoolSection, 'visit');
