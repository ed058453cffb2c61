import { AppError, badInput, ErrorCode } from '../platform/errors.js';
import type { NamedText } from './note-content.js';
import { format, parseISO } from 'date-fns';
import type { Judgement } from './judgement.entity.js';
import type { Recommendation } from './recommendation.entity.js';
import { GRADE_LABELS, JUDGEMENT_AREA_LABELS, RecommendationStatus, ReviewProgress } from './note.enums.js';

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

/** A phrase in a note that reads as a person's name. */
export interface NameFound {
  where: string;
  field: string;
  phrase: string;
  person: KnownPerson | null;
}

const HONORIFIC = String.raw`(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Rev|Revd|Reverend|Lady|Lord)`;
const CAPITALISED = String.raw`\p{Lu}[\p{L}'’-]+`;
const INITIAL = String.raw`\p{Lu}\.?`;
/** "Mrs Smith", "Dr A. Patel", "Mr J Smith", "Mrs Jane Smithson": an honorific with a name after it. */
const WITH_HONORIFIC = new RegExp(String.raw`(?<![\p{L}])${HONORIFIC}\.?\s+(?:${INITIAL}\s*){0,3}${CAPITALISED}(?:\s+${CAPITALISED})?`, 'gu');

/**
 * Surnames that are also everyday English words: alone at the start of a sentence
 * ("Good progress was seen") they are read as words, not as the person called Good.
 */
const EVERYDAY_WORDS = new Set(
  'good young white black brown green grey gray little long hall hill wood woods king bell rich small strong sharp best bird fox lamb moon day may march english french rose page banks marsh mills fields major stone lane cook baker turner mason walker price cross hope joy love wise sweet golden rice head church bishop dean well wells north south west east new newman case hunt park parks hart game bass field house brook rivers street short hardy swift bright summers winter frost snow rain storm lord knight power powers reading'.split(
    ' ',
  ),
);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const startsSentence = (text: string, index: number) => /(^|[.!?:;]\s+|\n\s*)$/.test(text.slice(0, index));

/** The ways a known person's name can be written: "Jane Smith", "J. Smith", "J Smith", and "Smith" (as a name, capitalised). */
function namePatterns(person: KnownPerson): { pattern: RegExp; surnameOnly: boolean }[] {
  const parts = person.name
    .replace(/\s*[,(].*$/, '')
    .trim()
    .split(/\s+/)
    .filter((p) => /^\p{L}/u.test(p));
  if (!parts.length) return [];
  const surname = parts.at(-1)!;
  const around = (form: string, flags: string) => new RegExp(`(?<![\\p{L}])${form}(?![\\p{L}])`, flags);
  const forms: { pattern: RegExp; surnameOnly: boolean }[] = [];
  if (parts.length > 1) {
    forms.push({ pattern: around(parts.map(escapeRegExp).join('\\s+'), 'giu'), surnameOnly: false });
    forms.push({ pattern: around(`${escapeRegExp(parts[0]![0]!)}\\.?\\s*${escapeRegExp(surname)}`, 'gu'), surnameOnly: false });
  }
  // A surname alone counts only written as a name (capitalised), so "teaching is good" never matches Mr Good.
  if (surname.length >= 2) forms.push({ pattern: around(escapeRegExp(surname[0]!.toUpperCase() + surname.slice(1)), 'gu'), surnameOnly: true });
  return forms;
}

/**
 * No individual is named in the body of a note (seed 004): finds, in each text, an
 * honorific with a name, and the names of the people the system knows at the school,
 * matched as names. Phrases the partner confirmed are not names pass.
 */
export function findNames(texts: NamedText[], people: KnownPerson[], notNames: Iterable<string> = []): NameFound[] {
  const confirmed = new Set([...notNames].map((p) => p.trim().toLowerCase()));
  const known = people.flatMap((person) => namePatterns(person).map((p) => ({ ...p, person })));
  const found: NameFound[] = [];
  for (const { where, field, text } of texts) {
    const hits: { index: number; phrase: string; person: KnownPerson | null }[] = [];
    for (const m of text.matchAll(WITH_HONORIFIC)) hits.push({ index: m.index!, phrase: m[0], person: null });
    for (const { pattern, surnameOnly, person } of known) {
      for (const m of text.matchAll(pattern)) {
        if (surnameOnly && startsSentence(text, m.index!) && EVERYDAY_WORDS.has(m[0].toLowerCase())) continue;
        hits.push({ index: m.index!, phrase: m[0], person });
      }
    }
    hits.sort((a, b) => a.index - b.index || b.phrase.length - a.phrase.length);
    let coveredTo = -1;
    for (const hit of hits) {
      if (hit.index < coveredTo) continue; // "Smith" inside "Mrs Smith" already found
      coveredTo = hit.index + hit.phrase.length;
      if (confirmed.has(hit.phrase.toLowerCase())) continue;
      found.push({ where, field, phrase: hit.phrase, person: hit.person });
    }
  }
  return found;
}

/** Refuses the first name found, quoting it, saying where it is and what to write instead. */
export function checkNoNames(texts: NamedText[], people: KnownPerson[], notNames: Iterable<string> = []): void {
  const [first] = findNames(texts, people, notNames);
  if (!first) return;
  const instead = first.person ? `"the ${first.person.role} (${initialsOf(first.person.name)})"` : 'their role and initials, e.g. "the Year 6 teacher (J.S.)"';
  const where = first.where.charAt(0).toUpperCase() + first.where.slice(1);
  throw new AppError(
    ErrorCode.BAD_USER_INPUT,
    `${where} names "${first.phrase}": a note of visit refers to people by role and initials, so write ${instead}. If "${first.phrase}" is not a person's name, say so and save again.`,
    { field: first.field, phrase: first.phrase },
  );
}

type Graded = Pick<Judgement, 'area' | 'schoolGrade' | 'partnerGrade' | 'insufficientEvidence' | 'disagreementReason'>;

/**
 * The judgements as the note will hold them: each heading once, no grade where the
 * evidence is insufficient, and a reason wherever the partner's grade differs from
 * the school's. Messages point at the item the client sent (`sent`), else the list.
 */
export function checkJudgements(judgements: Graded[], sent: Graded[] = []): void {
  const seen = new Set<string>();
  for (const j of judgements) {
    const label = JUDGEMENT_AREA_LABELS[j.area];
    const index = sent.indexOf(j);
    const at = (field: string) => (index >= 0 ? `judgements.${index}.${field}` : 'judgements');
    if (seen.has(j.area)) throw badInput(`${label} is judged twice: keep one judgement per heading.`, at('area'));
    seen.add(j.area);
    if (j.insufficientEvidence && j.partnerGrade) {
      throw badInput(
        `${label}: with insufficient evidence there is no partner's grade; remove the grade or untick "insufficient evidence".`,
        at('partnerGrade'),
      );
    }
    if (j.schoolGrade && j.partnerGrade && j.schoolGrade !== j.partnerGrade && !j.disagreementReason?.trim()) {
      throw badInput(
        `${label}: your grade (${GRADE_LABELS[j.partnerGrade]}) differs from the school's (${GRADE_LABELS[j.schoolGrade]}): say why in "Where the views differ".`,
        at('disagreementReason'),
      );
    }
  }
}

type Recommended = Pick<Recommendation, 'dueOn'>;

export function checkRecommendations(all: Recommended[], sent: Recommended[], visitDate: string, limitOverridden: boolean): void {
  if (all.length > MAX_RECOMMENDATIONS && !limitOverridden) {
    throw badInput(
      `A note of visit carries at most ${MAX_RECOMMENDATIONS} recommendations (seed 004: "rarely more than four"); this one would have ${all.length}. Merge or prioritise them, or ask a senior adviser to allow more.`,
      'recommendations',
    );
  }
  sent.forEach((r, i) => {
    if (r.dueOn <= visitDate) {
      throw badInput(
        `Recommendation ${i + 1}: the date it is due by must come after the visit (${format(parseISO(visitDate), 'd MMMM yyyy')}).`,
        `recommendations.${i}.dueOn`,
      );
    }
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

/** The longest text of a note (a summary, a finding, a headteacher's comment), whoever writes it: GraphQL's inputs and the school's pages alike. */
export const NOTE_TEXT_MAX_LENGTH = 8000;

/** The longest reason given for a step (a correction, an answer recorded on the headteacher's behalf). */
export const REASON_MAX_LENGTH = 2000;

/** The longest name or role a person gives (the school's pages). */
export const PERSON_NAME_MAX_LENGTH = 200;
