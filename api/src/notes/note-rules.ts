import { badInput } from '../errors.js';
import type { JudgementInput, RecommendationInput } from './note-inputs.js';
import { RecommendationStatus, ReviewProgress } from './note.enums.js';

/** Seed 004 section 9: recommendations are few, "rarely more than four". */
export const MAX_RECOMMENDATIONS = 4;

export function initialsOf(name: string): string {
  return name
    .split(/\s+/)
    .filter((part) => /^[A-Za-z]/.test(part))
    .map((part) => `${part[0]!.toUpperCase()}.`)
    .join('');
}

export interface KnownPerson {
  name: string;
  role: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * No individual is named in the body of a note (seed 004): each text is checked
 * against the people known for the school, by full name and by surname. A match
 * is refused with the role-and-initials form to use instead.
 */
export function checkNoNames(texts: { field: string; text: string | null | undefined }[], people: KnownPerson[]): void {
  const patterns = people.flatMap((person) => {
    const parts = person.name.trim().split(/\s+/).filter(Boolean);
    const surname = parts.at(-1) ?? '';
    const forms = [parts.join(' '), ...(surname.length >= 3 ? [surname] : [])];
    return forms.map((form) => ({ person, pattern: new RegExp(`(^|[^\\p{L}])${escapeRegExp(form)}($|[^\\p{L}])`, 'iu') }));
  });
  for (const { field, text } of texts) {
    if (!text) continue;
    const hit = patterns.find((p) => p.pattern.test(text));
    if (hit) {
      throw badInput(
        `${field} names ${hit.person.name}: a note of visit refers to people by role and initials, e.g. "the ${hit.person.role} (${initialsOf(hit.person.name)})".`,
        field,
      );
    }
  }
}

export function checkJudgements(judgements: JudgementInput[]): void {
  const seen = new Set<string>();
  judgements.forEach((j, i) => {
    const field = `input.judgements[${i}]`;
    if (seen.has(j.area)) throw badInput(`${field}: ${j.area} is judged twice.`, field);
    seen.add(j.area);
    if (j.insufficientEvidence && j.partnerGrade) {
      throw badInput(`${field}: a heading with insufficient evidence has no partner grade; remove the grade or the flag.`, field);
    }
    if (j.schoolGrade && j.partnerGrade && j.schoolGrade !== j.partnerGrade && !j.disagreementReason?.trim()) {
      throw badInput(
        `${field}: the partner's grade (${j.partnerGrade}) differs from the school's (${j.schoolGrade}); give the reason in disagreementReason.`,
        `${field}.disagreementReason`,
      );
    }
  });
}

export function checkRecommendations(recommendations: RecommendationInput[], visitDate: string, limitOverridden: boolean): void {
  if (recommendations.length > MAX_RECOMMENDATIONS && !limitOverridden) {
    throw badInput(
      `A note of visit carries at most ${MAX_RECOMMENDATIONS} recommendations (seed 004: "rarely more than four"); this one has ${recommendations.length}. Merge or prioritise them, or ask a senior adviser to allow more.`,
      'input.recommendations',
    );
  }
  recommendations.forEach((r, i) => {
    if (r.dueOn <= visitDate) throw badInput(`input.recommendations[${i}]: the due date must come after the visit (${visitDate}).`, `input.recommendations[${i}].dueOn`);
  });
}

/** What a review's progress means for the recommendation once the note is circulated. */
export const STATUS_AFTER_REVIEW: Record<ReviewProgress, RecommendationStatus> = {
  [ReviewProgress.NOT_STARTED]: RecommendationStatus.OPEN,
  [ReviewProgress.IN_PROGRESS]: RecommendationStatus.OPEN,
  [ReviewProgress.ACHIEVED]: RecommendationStatus.ACHIEVED,
  [ReviewProgress.NOT_ACHIEVED]: RecommendationStatus.NOT_ACHIEVED,
  [ReviewProgress.SUPERSEDED]: RecommendationStatus.SUPERSEDED,
};
