import type { NoteFieldsFragment, UpdateNoteInput } from '../graphql/generated/graphql.js';

/** The note as the partner edits it: every field a string, nothing lost while half-typed. */
export type NoteData = NoteFieldsFragment;

export const AREAS = ['ACHIEVEMENT', 'QUALITY_OF_TEACHING', 'BEHAVIOUR_AND_SAFETY', 'LEADERSHIP_AND_MANAGEMENT', 'OVERALL_EFFECTIVENESS'] as const;
export type Area = (typeof AREAS)[number];
export const AREA_LABELS: Record<Area, string> = {
  ACHIEVEMENT: 'Achievement',
  QUALITY_OF_TEACHING: 'Quality of teaching',
  BEHAVIOUR_AND_SAFETY: 'Behaviour and safety',
  LEADERSHIP_AND_MANAGEMENT: 'Leadership and management',
  OVERALL_EFFECTIVENESS: 'Overall effectiveness',
};
export const EVIDENCE_LABELS = { REPORTED: 'Reported by the school', OBSERVED: 'Observed first hand', REPORTED_AND_OBSERVED: 'Reported and observed' } as const;
export type Evidence = keyof typeof EVIDENCE_LABELS;
export const GRADE_LABELS: Record<string, string> = { '1': '1 Outstanding', '2': '2 Good', '3': '3 Requires improvement', '4': '4 Inadequate' };
export const PROGRESS_LABELS = {
  NOT_STARTED: 'Not started',
  IN_PROGRESS: 'In progress',
  ACHIEVED: 'Achieved',
  NOT_ACHIEVED: 'Not achieved',
  SUPERSEDED: 'Superseded',
} as const;
export type Progress = keyof typeof PROGRESS_LABELS;
export const RECIPIENT_LABELS = { HEADTEACHER: 'Headteacher', CHAIR_OF_GOVERNORS: 'Chair of governors', COUNCIL: 'Council', OTHER: 'Other' } as const;
export type RecipientRole = keyof typeof RECIPIENT_LABELS;

/** Seed 004: "rarely more than four". The API refuses a fifth unless a manager allows it. */
export const MAX_RECOMMENDATIONS = 4;

export interface JudgementForm {
  area: Area;
  included: boolean;
  schoolGrade: string;
  partnerGrade: string;
  insufficientEvidence: boolean;
  evidenceBasis: Evidence | '';
  disagreementReason: string;
  commentary: string;
}
export interface FindingForm { key: string; text: string; evidenceBasis: Evidence; area: Area | '' }
export interface RecommendationForm { key: string; action: string; successMeasure: string; ownerRole: string; ownerInitials: string; dueOn: string }
export interface ReviewForm { recommendationId: string; progress: Progress | ''; comment: string }
export interface TargetForm { key: string; keyStage: string; measure: string; value: string; year: string }
export interface RecipientForm { key: string; role: RecipientRole; name: string; email: string }

export interface NoteForm {
  purpose: string;
  summary: string;
  judgements: JudgementForm[];
  findings: FindingForm[];
  recommendations: RecommendationForm[];
  reviews: ReviewForm[];
  targets: TargetForm[];
  distribution: RecipientForm[];
}

let keys = 0;
export const newKey = () => `k${Date.now().toString(36)}${(keys++).toString(36)}`;

export function formOf(note: NoteData): NoteForm {
  return {
    purpose: note.purpose ?? '',
    summary: note.summary ?? '',
    judgements: AREAS.map((area) => {
      const j = note.judgements.find((x) => x.area === area);
      return {
        area,
        included: !!j,
        schoolGrade: j?.schoolGrade ? String(j.schoolGrade) : '',
        partnerGrade: j?.partnerGrade ? String(j.partnerGrade) : '',
        insufficientEvidence: j?.insufficientEvidence ?? false,
        evidenceBasis: (j?.evidenceBasis as Evidence | null) ?? '',
        disagreementReason: j?.disagreementReason ?? '',
        commentary: j?.commentary ?? '',
      };
    }),
    findings: note.findings.map((f) => ({ key: newKey(), text: f.text, evidenceBasis: f.evidenceBasis as Evidence, area: (f.area as Area | null) ?? '' })),
    recommendations: note.recommendations.map((r) => ({
      key: newKey(),
      action: r.action,
      successMeasure: r.successMeasure,
      ownerRole: r.ownerRole,
      ownerInitials: r.ownerInitials ?? '',
      dueOn: r.dueOn,
    })),
    reviews: note.reviews.map((r) => ({ recommendationId: r.recommendation.id, progress: (r.progress as Progress | null) ?? '', comment: r.comment ?? '' })),
    targets: note.targets.map((t) => ({ key: newKey(), keyStage: t.keyStage, measure: t.measure, value: String(t.value), year: String(t.year) })),
    distribution: note.distribution.map((r) => ({ key: newKey(), role: r.role as RecipientRole, name: r.name, email: r.email ?? '' })),
  };
}

const filled = (s: string) => s.trim().length > 0;

export function recommendationComplete(r: RecommendationForm): boolean {
  return filled(r.action) && filled(r.successMeasure) && filled(r.ownerRole) && /^\d{4}-\d{2}-\d{2}$/.test(r.dueOn);
}
export function targetComplete(t: TargetForm): boolean {
  return /^KS[1-5]$/.test(t.keyStage) && filled(t.measure) && t.value.trim() !== '' && Number.isFinite(Number(t.value)) && /^\d{4}$/.test(t.year);
}

/**
 * What autosave sends: every list whole (the API replaces lists), without the rows
 * still being written (an incomplete recommendation or target stays on this device
 * until it is complete) and without recommendations past the fourth.
 */
export function inputOf(form: NoteForm): UpdateNoteInput {
  return {
    purpose: form.purpose,
    summary: form.summary,
    judgements: form.judgements
      .filter((j) => j.included)
      .map((j) => ({
        area: j.area,
        schoolGrade: j.schoolGrade ? Number(j.schoolGrade) : null,
        partnerGrade: !j.insufficientEvidence && j.partnerGrade ? Number(j.partnerGrade) : null,
        insufficientEvidence: j.insufficientEvidence,
        evidenceBasis: j.evidenceBasis || null,
        disagreementReason: j.disagreementReason.trim() || null,
        commentary: j.commentary.trim() || null,
      })),
    findings: form.findings.filter((f) => filled(f.text)).map((f) => ({ text: f.text, evidenceBasis: f.evidenceBasis, area: f.area || null })),
    recommendations: form.recommendations
      .filter(recommendationComplete)
      .slice(0, MAX_RECOMMENDATIONS)
      .map((r) => ({ action: r.action, successMeasure: r.successMeasure, ownerRole: r.ownerRole, ownerInitials: r.ownerInitials.trim() || null, dueOn: r.dueOn })),
    reviews: form.reviews.filter((r) => r.progress).map((r) => ({ recommendationId: r.recommendationId, progress: r.progress as Progress, comment: r.comment.trim() || null })),
    targets: form.targets.filter(targetComplete).map((t) => ({ keyStage: t.keyStage, measure: t.measure, value: Number(t.value), year: Number(t.year) })),
    distribution: form.distribution.filter((r) => filled(r.name)).map((r) => ({ role: r.role, name: r.name, email: r.email.trim() || null })),
  };
}

/** The note's words as plain text, to show two versions side by side in a conflict. */
export function textOf(form: NoteForm): string {
  const lines: string[] = [];
  if (form.purpose.trim()) lines.push(`Purpose: ${form.purpose.trim()}`);
  if (form.summary.trim()) lines.push(`Summary: ${form.summary.trim()}`);
  for (const j of form.judgements.filter((x) => x.included)) {
    lines.push(`${AREA_LABELS[j.area]}: school ${j.schoolGrade || '-'}, partner ${j.insufficientEvidence ? 'insufficient evidence' : j.partnerGrade || '-'}${j.disagreementReason.trim() ? ` (${j.disagreementReason.trim()})` : ''}`);
  }
  form.findings.filter((f) => filled(f.text)).forEach((f, i) => lines.push(`Finding ${i + 1}: ${f.text.trim()}`));
  form.recommendations.forEach((r, i) => lines.push(`Recommendation ${i + 1}: ${r.action.trim()} / ${r.successMeasure.trim()} / ${r.ownerRole.trim()} by ${r.dueOn}`));
  form.reviews.filter((r) => r.progress || r.comment.trim()).forEach((r, i) => lines.push(`Review ${i + 1}: ${r.progress}${r.comment.trim() ? ` - ${r.comment.trim()}` : ''}`));
  form.targets.forEach((t) => lines.push(`Target: ${t.keyStage} ${t.measure} ${t.value}% (${t.year})`));
  form.distribution.forEach((r) => lines.push(`Distribution: ${RECIPIENT_LABELS[r.role]} ${r.name}`));
  return lines.join('\n');
}

/** Two forms say the same thing (row keys aside). */
export function sameContent(a: NoteForm, b: NoteForm): boolean {
  return JSON.stringify(inputOf(a)) === JSON.stringify(inputOf(b)) && textOf(a) === textOf(b);
}

/**
 * The copy of an unsaved draft kept on this device, keyed by note id and the version
 * it was based on, so a reload (or a closed tab) before autosave lands loses nothing.
 */
const DRAFT_PREFIX = 'sv.noteDraft.';
export interface LocalDraft { noteId: string; version: number; form: NoteForm; savedAt: string }

export function draftKey(noteId: string, version: number): string {
  return `${DRAFT_PREFIX}${noteId}.v${version}`;
}

export function saveLocalDraft(noteId: string, version: number, form: NoteForm, storage: Storage = localStorage): void {
  try {
    clearLocalDrafts(noteId, storage);
    storage.setItem(draftKey(noteId, version), JSON.stringify({ noteId, version, form, savedAt: new Date().toISOString() } satisfies LocalDraft));
  } catch {
    // Storage full or blocked: autosave to the server still runs.
  }
}

export function readLocalDraft(noteId: string, storage: Storage = localStorage): LocalDraft | null {
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (!key?.startsWith(`${DRAFT_PREFIX}${noteId}.v`)) continue;
    try {
      return JSON.parse(storage.getItem(key)!) as LocalDraft;
    } catch {
      return null;
    }
  }
  return null;
}

export function clearLocalDrafts(noteId: string, storage: Storage = localStorage): void {
  const doomed: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(`${DRAFT_PREFIX}${noteId}.v`)) doomed.push(key);
  }
  doomed.forEach((k) => storage.removeItem(k));
}

/** The version the partner set aside with "Use theirs": kept on this device, never dropped silently. */
export function keepSetAside(noteId: string, text: string, storage: Storage = localStorage): void {
  try {
    storage.setItem(`sv.noteSetAside.${noteId}`, JSON.stringify({ text, at: new Date().toISOString() }));
  } catch {
    /* nothing more to do */
  }
}

export const SECTION_LABELS: Record<keyof NoteForm, string> = {
  purpose: 'Purpose',
  summary: 'Summary',
  judgements: 'Judgements',
  findings: 'Findings',
  recommendations: 'Recommendations',
  reviews: 'Reviews of carried recommendations',
  targets: 'Targets',
  distribution: 'Distribution list',
};
const SECTIONS = Object.keys(SECTION_LABELS) as (keyof NoteForm)[];

/** A section's content as the server would store it (row keys and surrounding spaces aside). */
function sectionValue(form: NoteForm, section: keyof NoteForm): string {
  const value = section === 'reviews' ? form.reviews : inputOf(form)[section as keyof UpdateNoteInput] ?? form[section];
  return JSON.stringify(value, (k, v) => (k === 'key' ? undefined : typeof v === 'string' ? v.trim() : v));
}

/**
 * Three-way merge by section: what only they changed comes from theirs, what only I
 * changed stays mine; a section both changed differently is a clash (mine kept on
 * screen until the partner chooses). Without a base every differing section clashes.
 */
export function mergeForms(base: NoteForm | null, mine: NoteForm, theirs: NoteForm): { merged: NoteForm; clashes: (keyof NoteForm)[]; fromTheirs: (keyof NoteForm)[] } {
  const merged = { ...mine };
  const clashes: (keyof NoteForm)[] = [];
  const fromTheirs: (keyof NoteForm)[] = [];
  for (const s of SECTIONS) {
    const m = sectionValue(mine, s);
    const t = sectionValue(theirs, s);
    if (m === t) continue;
    const b = base ? sectionValue(base, s) : null;
    if (b === m) {
      (merged as Record<string, unknown>)[s] = theirs[s];
      fromTheirs.push(s);
    } else if (b !== t) clashes.push(s);
  }
  return { merged, clashes, fromTheirs };
}
