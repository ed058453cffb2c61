import { ProFormaCriterion, ProFormaScaleLevel, QualityProForma } from './pro-forma.entity.js';

/** The id the default answers with until a manager saves a pro forma of their own. */
export const DEFAULT_PRO_FORMA_ID = '00000000-0000-4000-8000-000000000001';

/**
 * The handbook's expectations of a note of visit (seed 004 sections 9 and 19), as a pro forma.
 * Kept in code, not in a table: it is what a council starts from, used until a manager saves
 * their own (which then replaces it; no migration writes data).
 */
const CRITERIA: [key: string, label: string, guidance: string][] = [
  ['evaluative', 'Evaluative, not descriptive', 'The note judges what was seen and heard rather than narrating the day.'],
  ['evidence', 'Evidence reported or observed', 'Each finding says whether its evidence was reported by the school or observed first hand.'],
  ['judgements', 'Judgements with reasons', "Grades are explained; a difference from the school's own view gives its reason."],
  ['recommendations', 'SMART recommendations', 'No more than four; each specific, with an owner, a measure of success and a date.'],
  ['no-names', 'No names', 'People appear by role and initials only; names belong on the distribution list.'],
  ['timeliness', 'Timeliness', 'Draft to the headteacher within five working days, circulated within ten.'],
];

const SCALE: [number, string][] = [
  [1, 'Not yet met'],
  [2, 'Partly met'],
  [3, 'Met'],
  [4, 'Exemplary'],
];

export function defaultProForma(): QualityProForma {
  return Object.assign(new QualityProForma(), {
    id: DEFAULT_PRO_FORMA_ID,
    name: 'Note of visit quality (handbook default)',
    active: true,
    criteria: CRITERIA.map(([key, label, guidance]) => Object.assign(new ProFormaCriterion(), { key, label, guidance })),
    scale: SCALE.map(([score, label]) => Object.assign(new ProFormaScaleLevel(), { score, label })),
  });
}
