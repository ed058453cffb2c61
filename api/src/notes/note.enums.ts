import { registerEnumType } from 'type-graphql';

/** DRAFT → SHARED (with the headteacher) → AGREED | DISPUTED → (MODERATED) → CIRCULATED. */
export enum NoteStatus {
  DRAFT = 'draft',
  SHARED = 'shared',
  AGREED = 'agreed',
  DISPUTED = 'disputed',
  MODERATED = 'moderated',
  CIRCULATED = 'circulated',
}

/** The inspection headings a note judges against (seeds 000 and 004); any can be left out. */
export enum JudgementArea {
  ACHIEVEMENT = 'achievement',
  QUALITY_OF_TEACHING = 'quality_of_teaching',
  LEADERSHIP_AND_MANAGEMENT = 'leadership_and_management',
  BEHAVIOUR_AND_SAFETY = 'behaviour_and_safety',
  OVERALL_EFFECTIVENESS = 'overall_effectiveness',
}

/** Whether evidence was reported by the school or observed first hand by the partner. */
export enum EvidenceBasis {
  REPORTED = 'reported',
  OBSERVED = 'observed',
  REPORTED_AND_OBSERVED = 'reported_and_observed',
}

export enum RecommendationStatus {
  OPEN = 'open',
  ACHIEVED = 'achieved',
  NOT_ACHIEVED = 'not_achieved',
  SUPERSEDED = 'superseded',
}

export enum ReviewProgress {
  NOT_STARTED = 'not_started',
  IN_PROGRESS = 'in_progress',
  ACHIEVED = 'achieved',
  NOT_ACHIEVED = 'not_achieved',
  SUPERSEDED = 'superseded',
}

/** Defined with the outbox, which records it on every email (mail/recipient-role.ts). */
export { RecipientRole } from '../mail/recipient-role.js';

/** How a headteacher's response reached the record. */
export enum ResponseChannel {
  LINK = 'link',
  MANAGER = 'manager',
}

export enum ModerationDecision {
  UPHOLD_PARTNER = 'uphold_partner',
  UPHOLD_SCHOOL = 'uphold_school',
  AMENDED = 'amended',
}

registerEnumType(NoteStatus, {
  name: 'NoteStatus',
  description: 'DRAFT, SHARED with the headteacher, AGREED or DISPUTED by them, MODERATED by a senior adviser, CIRCULATED (locked).',
});
registerEnumType(JudgementArea, { name: 'JudgementArea', description: 'Inspection heading judged in a note of visit.' });
registerEnumType(EvidenceBasis, { name: 'EvidenceBasis', description: 'Reported by the school, or observed first hand.' });
registerEnumType(RecommendationStatus, { name: 'RecommendationStatus' });
registerEnumType(ReviewProgress, { name: 'ReviewProgress', description: 'Progress on a recommendation carried from an earlier note.' });
registerEnumType(ResponseChannel, {
  name: 'ResponseChannel',
  description: 'LINK: the headteacher answered through the link they were emailed; MANAGER: a manager recorded it on their behalf, with a reason.',
});
registerEnumType(ModerationDecision, { name: 'ModerationDecision', description: "A senior adviser's settlement of a disputed note." });

/** How headings and grades read in documents and on the school's pages. */
export const JUDGEMENT_AREA_LABELS: Record<JudgementArea, string> = {
  [JudgementArea.ACHIEVEMENT]: 'Achievement',
  [JudgementArea.QUALITY_OF_TEACHING]: 'Quality of teaching',
  [JudgementArea.LEADERSHIP_AND_MANAGEMENT]: 'Leadership and management',
  [JudgementArea.BEHAVIOUR_AND_SAFETY]: 'Behaviour and safety',
  [JudgementArea.OVERALL_EFFECTIVENESS]: 'Overall effectiveness',
};

/**
 * THE order the inspection headings are read in, wherever judgements are listed (the
 * note's documents, the school's pages, the circulated snapshot, the API, the front
 * ends): the enum's own order, overall effectiveness last, never the alphabet. The
 * column holds text, so a plain `order by area` sorts alphabetically; SQL uses
 * `headingOrderSql` and TypeScript `byHeadingOrder`.
 */
export const JUDGEMENT_AREA_ORDER: readonly JudgementArea[] = Object.values(JudgementArea);

/** A comparator putting items with an `area` in heading order (an unknown area last). */
export function byHeadingOrder(a: { area: string }, b: { area: string }): number {
  const rank = (area: string) => {
    const i = JUDGEMENT_AREA_ORDER.indexOf(area as JudgementArea);
    return i < 0 ? JUDGEMENT_AREA_ORDER.length : i;
  };
  return rank(a.area) - rank(b.area);
}

/** The same order as an SQL expression over a column holding the area. */
export const headingOrderSql = (column: string): string => `array_position(array[${JUDGEMENT_AREA_ORDER.map((a) => `'${a}'`).join(', ')}]::text[], ${column})`;

export const GRADE_LABELS: Record<number, string> = { 1: '1 Outstanding', 2: '2 Good', 3: '3 Requires improvement', 4: '4 Inadequate' };
