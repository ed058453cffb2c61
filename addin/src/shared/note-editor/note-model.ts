import type { NoteFieldsFragment, UpdateNoteInput } from '../graphql/generated/graphql.js';

/** The note as the partner edits it: every field a string, nothing lost while half-typed. */
export type NoteData = NoteFieldsFragment;

/** The inspection headings in their heading order: the API's (notes/note.enums.ts JUDGEMENT_AREA_ORDER), as every document shows them. */
export const AREAS = ['ACHIEVEMENT', 'QUALITY_OF_TEACHING', 'LEADERSHIP_AND_MANAGEMENT', 'BEHAVIOUR_AND_SAFETY', 'OVERALL_EFFECTIVENESS'] as const;
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
/** With a senior adviser's permission: the API's own ceiling (ArrayMaxSize). */
export const MAX_RECOMMENDATIONS_ALLOWED = 10;

/** How many recommendations this note may carry: four, or ten once a senior adviser has said why. */
export function recommendationLimit(note: Pick<NoteData, 'recommendationLimitOverrideReason'>): number {
  return note.recommendationLimitOverrideReason ? MAX_RECOMMENDATIONS_ALLOWED : MAX_RECOMMENDATIONS;
}

/**
 * Every row keeps the server's `id` once it has one: a save names each item by it, so
 * recommendation ids survive saves (later notes' reviews point at them), and nothing is
 * deleted unless the partner removed it here (its id is then in `removed`).
 */
export interface JudgementForm {
  id: string | null;
  area: Area;
  included: boolean;
  schoolGrade: string;
  partnerGrade: string;
  insufficientEvidence: boolean;
  evidenceBasis: Evidence | '';
  disagreementReason: string;
  commentary: string;
}
export interface FindingForm {
  key: string;
  id: string | null;
  text: string;
  evidenceBasis: Evidence;
  area: Area | '';
}
export interface RecommendationForm {
  key: string;
  id: string | null;
  action: string;
  successMeasure: string;
  ownerRole: string;
  ownerInitials: string;
  dueOn: string;
}
export interface ReviewForm {
  recommendationId: string;
  progress: Progress | '';
  comment: string;
}
export interface TargetForm {
  key: string;
  id: string | null;
  keyStage: string;
  measure: string;
  value: string;
  year: string;
}
export interface RecipientForm {
  key: string;
  id: string | null;
  role: RecipientRole;
  name: string;
  email: string;
}

/** The lists whose rows the partner adds and removes. */
export const ROW_LISTS = ['findings', 'recommendations', 'targets', 'distribution'] as const;
export type RowList = (typeof ROW_LISTS)[number];

/**
 * The note's own texts the partner writes, in order: what the API's note content lists
 * (api/src/notes/note-content.ts, PARTNER_NOTE_TEXTS; addin/test/note-text-fields.test.ts holds
 * them equal). The form, the save, the merge, the conflict view and the section draw from here.
 */
export const NOTE_TEXT_FIELDS = [
  { key: 'purpose', section: 'Purpose', label: 'Purpose and context of the visit' },
  {
    key: 'summary',
    section: 'Summary',
    label: 'Overall evaluation (summary)',
    hint: 'Evaluative, not descriptive. Refer to people by role and initials, never by name.',
    rows: 5,
    testId: 'note-summary',
  },
] as const satisfies readonly { key: string; section: string; label: string; hint?: string; rows?: number; testId?: string }[];
export type NoteTextKey = (typeof NOTE_TEXT_FIELDS)[number]['key'];
const textsOf = (read: (key: NoteTextKey) => string) => Object.fromEntries(NOTE_TEXT_FIELDS.map((f) => [f.key, read(f.key)])) as Record<NoteTextKey, string>;

export interface NoteForm extends Record<NoteTextKey, string> {
  judgements: JudgementForm[];
  findings: FindingForm[];
  recommendations: RecommendationForm[];
  reviews: ReviewForm[];
  targets: TargetForm[];
  distribution: RecipientForm[];
  /** Server ids of rows removed on this device and not yet saved, by list. */
  removed: Record<RowList, string[]>;
}

let keys = 0;
export const newKey = () => `k${Date.now().toString(36)}${(keys++).toString(36)}`;

export const noneRemoved = (): Record<RowList, string[]> => ({ findings: [], recommendations: [], targets: [], distribution: [] });

type ServerJudgement = NoteData['judgements'][number];
const judgementRow = (area: Area, j: ServerJudgement | undefined): JudgementForm => ({
  id: j?.id ?? null,
  area,
  included: !!j,
  schoolGrade: j?.schoolGrade ? String(j.schoolGrade) : '',
  partnerGrade: j?.partnerGrade ? String(j.partnerGrade) : '',
  insufficientEvidence: j?.insufficientEvidence ?? false,
  evidenceBasis: (j?.evidenceBasis as Evidence | null) ?? '',
  disagreementReason: j?.disagreementReason ?? '',
  commentary: j?.commentary ?? '',
});

/** One server item as a form row, for each list. */
const ROW_OF: { [L in RowList]: (item: NoteData[L][number]) => NoteForm[L][number] } = {
  findings: (f) => ({ key: newKey(), id: f.id, text: f.text, evidenceBasis: f.evidenceBasis as Evidence, area: (f.area as Area | null) ?? '' }),
  recommendations: (r) => ({
    key: newKey(),
    id: r.id,
    action: r.action,
    successMeasure: r.successMeasure,
    ownerRole: r.ownerRole,
    ownerInitials: r.ownerInitials ?? '',
    dueOn: r.dueOn,
  }),
  targets: (t) => ({ key: newKey(), id: t.id, keyStage: t.keyStage, measure: t.measure, value: String(t.value), year: String(t.year) }),
  distribution: (r) => ({ key: newKey(), id: r.id, role: r.role as RecipientRole, name: r.name, email: r.email ?? '' }),
};

const inOrder = <T extends { position: number }>(items: readonly T[]): T[] => [...items].sort((a, b) => a.position - b.position);

export function formOf(note: NoteData): NoteForm {
  return {
    ...textsOf((key) => note[key] ?? ''),
    judgements: AREAS.map((area) =>
      judgementRow(
        area,
        note.judgements.find((x) => x.area === area),
      ),
    ),
    findings: inOrder(note.findings).map(ROW_OF.findings),
    recommendations: inOrder(note.recommendations).map(ROW_OF.recommendations),
    reviews: note.reviews.map((r) => ({ recommendationId: r.recommendation.id, progress: (r.progress as Progress | null) ?? '', comment: r.comment ?? '' })),
    targets: inOrder(note.targets).map(ROW_OF.targets),
    distribution: inOrder(note.distribution).map(ROW_OF.distribution),
    removed: noneRemoved(),
  };
}

const filled = (s: string) => s.trim().length > 0;

export function recommendationComplete(r: RecommendationForm): boolean {
  return filled(r.action) && filled(r.successMeasure) && filled(r.ownerRole) && /^\d{4}-\d{2}-\d{2}$/.test(r.dueOn);
}
export function targetComplete(t: TargetForm): boolean {
  return /^KS[1-5]$/.test(t.keyStage) && filled(t.measure) && t.value.trim() !== '' && Number.isFinite(Number(t.value)) && /^\d{4}$/.test(t.year);
}
const findingComplete = (f: FindingForm) => filled(f.text);
const recipientComplete = (r: RecipientForm) => filled(r.name);

/** Rows removed from a list: a saved row's id goes to `removed` (deleted at the next save); a new row just goes. */
export function removeRow<L extends RowList>(form: NoteForm, list: L, index: number): NoteForm {
  const row = form[list][index];
  if (!row) return form;
  return {
    ...form,
    [list]: (form[list] as NoteForm[L][number][]).filter((_, i) => i !== index),
    removed: row.id ? { ...form.removed, [list]: [...form.removed[list], row.id] } : form.removed,
  };
}

/**
 * Which form row each item of a save stood for, by list and position in the list SENT:
 * the API names errors by that position ("recommendations.2.dueOn"), and the new items'
 * ids come back in that order. Rows are named by key (judgements by heading, reviews by
 * the carried recommendation).
 */
export interface SentRows {
  judgements: Area[];
  findings: string[];
  recommendations: string[];
  targets: string[];
  distribution: string[];
  reviews: string[];
}

/**
 * What autosave sends: every row that is complete, each with its server id (new rows
 * without); the ids of rows removed here in `remove`. A row still being written (an
 * incomplete recommendation or target, an emptied finding) is not sent and so stays on
 * the server as it was; a new recommendation past the note's limit stays on this device.
 * Nothing the editor did not load, and nothing it was not told to remove, is ever deleted.
 */
export function saveOf(form: NoteForm, options: { recommendationLimit?: number } = {}): { input: UpdateNoteInput; sent: SentRows } {
  const limit = options.recommendationLimit ?? Number.POSITIVE_INFINITY;
  const judgements = form.judgements.filter((j) => j.included);
  const findings = form.findings.filter(findingComplete);
  let newRecommendations = Math.max(0, limit - form.recommendations.filter((r) => r.id).length);
  const recommendations = form.recommendations.filter((r) => recommendationComplete(r) && (r.id !== null || newRecommendations-- > 0));
  const reviews = form.reviews.filter((r) => r.progress);
  const targets = form.targets.filter(targetComplete);
  const distribution = form.distribution.filter(recipientComplete);
  const id = (row: { id: string | null }) => (row.id ? { id: row.id } : {});
  const remove = [...form.judgements.filter((j) => !j.included && j.id).map((j) => j.id!), ...ROW_LISTS.flatMap((l) => form.removed[l])];
  const input: UpdateNoteInput = {
    ...textsOf((key) => form[key]),
    judgements: judgements.map((j) => ({
      ...id(j),
      area: j.area,
      schoolGrade: j.schoolGrade ? Number(j.schoolGrade) : null,
      partnerGrade: !j.insufficientEvidence && j.partnerGrade ? Number(j.partnerGrade) : null,
      insufficientEvidence: j.insufficientEvidence,
      evidenceBasis: j.evidenceBasis || null,
      disagreementReason: j.disagreementReason.trim() || null,
      commentary: j.commentary.trim() || null,
    })),
    findings: findings.map((f) => ({ ...id(f), text: f.text, evidenceBasis: f.evidenceBasis, area: f.area || null })),
    recommendations: recommendations.map((r) => ({
      ...id(r),
      action: r.action,
      successMeasure: r.successMeasure,
      ownerRole: r.ownerRole,
      ownerInitials: r.ownerInitials.trim() || null,
      dueOn: r.dueOn,
    })),
    reviews: reviews.map((r) => ({ recommendationId: r.recommendationId, progress: r.progress as Progress, comment: r.comment.trim() || null })),
    targets: targets.map((t) => ({ ...id(t), keyStage: t.keyStage, measure: t.measure, value: Number(t.value), year: Number(t.year) })),
    distribution: distribution.map((r) => ({ ...id(r), role: r.role, name: r.name, email: r.email.trim() || null })),
    ...(remove.length ? { remove } : {}),
  };
  const sent: SentRows = {
    judgements: judgements.map((j) => j.area),
    findings: findings.map((f) => f.key),
    recommendations: recommendations.map((r) => r.key),
    targets: targets.map((t) => t.key),
    distribution: distribution.map((r) => r.key),
    reviews: reviews.map((r) => r.recommendationId),
  };
  return { input, sent };
}

/** The input of a save (see saveOf). */
export function inputOf(form: NoteForm, options: { recommendationLimit?: number } = {}): UpdateNoteInput {
  return saveOf(form, options).input;
}

/**
 * After a save: the rows sent without an id get the ids the server gave them (new items
 * come back after the ones it had, in the order sent), rows the save removed are
 * forgotten, and items the server holds that this form has never shown are added to it,
 * never dropped. `now` is the form as it is now (the partner may have typed meanwhile);
 * it is returned unchanged (same object) when there is nothing to do.
 */
export function afterSave(now: NoteForm, sending: NoteForm, sent: SentRows, before: NoteData, saved: NoteData): NoteForm {
  let changed = false;
  const next: NoteForm = { ...now, removed: { ...now.removed } };

  // Headings: one judgement per heading, so the id is the saved heading's.
  next.judgements = now.judgements.map((row) => {
    const server = saved.judgements.find((j) => j.area === row.area);
    if (server && row.id !== server.id) {
      changed = true;
      // A heading the server holds but this form had left out (never shown here): shown, not dropped.
      return row.included || sent.judgements.includes(row.area) ? { ...row, id: server.id } : judgementRow(row.area, server);
    }
    if (!server && row.id) {
      changed = true;
      return { ...row, id: null };
    }
    return row;
  });

  for (const list of ROW_LISTS) {
    const known = new Set(before[list].map((item) => item.id));
    const fresh = inOrder(saved[list] as { id: string; position: number }[]).filter((item) => !known.has(item.id));
    const sentNew = sent[list].filter((key) => !sending[list].find((r) => r.key === key)?.id);
    const given = new Map<string, string>();
    sentNew.forEach((key, i) => fresh[i] && given.set(key, fresh[i]!.id));
    const savedIds = new Set(saved[list].map((item) => item.id));
    const doneRemoving = new Set(sending.removed[list]);
    let rows = (now[list] as NoteForm[RowList][number][]).map((row) => {
      const id = row.id ?? given.get(row.key);
      if (id && id !== row.id) {
        changed = true;
        return { ...row, id };
      }
      return row;
    });
    const removed = now.removed[list].filter((id) => !doneRemoving.has(id) || savedIds.has(id));
    if (removed.length !== now.removed[list].length) changed = true;
    // A new row removed here while its save was on the way: the id it was given is removed next.
    for (const [key, id] of given) {
      if (!rows.some((r) => r.key === key)) {
        removed.push(id);
        changed = true;
      }
    }
    next.removed[list] = removed;
    // Items on the server this form does not show and was not told to remove: shown at the end.
    const shown = new Set([...rows.map((r) => r.id), ...removed]);
    const unseen = inOrder(saved[list] as NoteData[RowList][number][]).filter((item) => !shown.has(item.id));
    if (unseen.length) {
      changed = true;
      rows = [...rows, ...unseen.map((item) => (ROW_OF[list] as (x: typeof item) => NoteForm[RowList][number])(item))];
    }
    (next as unknown as Record<RowList, unknown>)[list] = rows;
  }
  return changed ? next : now;
}

/** The note's words as plain text, to show two versions side by side in a conflict. */
export function textOf(form: NoteForm): string {
  const lines: string[] = [];
  for (const f of NOTE_TEXT_FIELDS) if (form[f.key].trim()) lines.push(`${f.section}: ${form[f.key].trim()}`);
  for (const j of form.judgements.filter((x) => x.included)) {
    lines.push(
      `${AREA_LABELS[j.area]}: school ${j.schoolGrade || '-'}, partner ${j.insufficientEvidence ? 'insufficient evidence' : j.partnerGrade || '-'}${j.disagreementReason.trim() ? ` (${j.disagreementReason.trim()})` : ''}`,
    );
  }
  form.findings.filter((f) => filled(f.text)).forEach((f, i) => lines.push(`Finding ${i + 1}: ${f.text.trim()}`));
  form.recommendations.forEach((r, i) =>
    lines.push(`Recommendation ${i + 1}: ${r.action.trim()} / ${r.successMeasure.trim()} / ${r.ownerRole.trim()} by ${r.dueOn}`),
  );
  form.reviews
    .filter((r) => r.progress || r.comment.trim())
    .forEach((r, i) => lines.push(`Review ${i + 1}: ${r.progress}${r.comment.trim() ? ` - ${r.comment.trim()}` : ''}`));
  form.targets.forEach((t) => lines.push(`Target: ${t.keyStage} ${t.measure} ${t.value}% (${t.year})`));
  form.distribution.forEach((r) => lines.push(`Distribution: ${RECIPIENT_LABELS[r.role]} ${r.name}`));
  return lines.join('\n');
}

/** Two forms say the same thing (row keys aside). */
export function sameContent(a: NoteForm, b: NoteForm): boolean {
  return JSON.stringify(inputOf(a)) === JSON.stringify(inputOf(b)) && textOf(a) === textOf(b);
}

/**
 * A copy kept on this device by an editor from before rows kept their ids (whole lists
 * were sent then): each row takes the id of the server item it still matches, and the
 * server items it no longer shows are to be removed, as that editor meant.
 */
export function upgradeDraftForm(form: NoteForm, server: NoteData): NoteForm {
  if (form.removed && form.judgements.every((j) => 'id' in j)) return form;
  const base = formOf(server);
  const sig = (row: object) => JSON.stringify(row, (k, v) => (k === 'key' || k === 'id' ? undefined : v));
  const upgraded: NoteForm = {
    ...form,
    removed: noneRemoved(),
    judgements: form.judgements.map((j) => ({ ...j, id: base.judgements.find((b) => b.area === j.area)?.id ?? null })),
  };
  for (const list of ROW_LISTS) {
    const unused = [...base[list]] as { id: string | null }[];
    (upgraded as unknown as Record<RowList, unknown>)[list] = (form[list] as { id?: string | null }[]).map((row) => {
      const i = unused.findIndex((b) => sig(b) === sig(row));
      const match = i >= 0 ? unused.splice(i, 1)[0]! : null;
      return { ...row, id: match?.id ?? null };
    });
    upgraded.removed[list] = unused.map((b) => b.id!).filter(Boolean);
  }
  return upgraded;
}

/**
 * The copy of an unsaved draft kept on this device, keyed by note id and the version
 * it was based on, so a reload (or a closed tab) before autosave lands loses nothing.
 */
const DRAFT_PREFIX = 'sv.noteDraft.';
export interface LocalDraft {
  noteId: string;
  version: number;
  form: NoteForm;
  savedAt: string;
}

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
