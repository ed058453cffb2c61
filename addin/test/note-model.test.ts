import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/shared/api/api-error.js';
import {
  afterSave,
  formOf,
  newKey,
  removeRow,
  saveOf,
  upgradeDraftForm,
  type NoteData,
  type NoteForm,
  type RecommendationForm,
} from '../src/shared/note-editor/note-model.js';
import { AREAS } from '../src/shared/note-editor/note-model.js';
import { JUDGEMENT_AREA_ORDER } from '../../api/src/notes/note.enums.js';
import { controlOf, problemsOf } from '../src/shared/note-editor/problems.js';
import { mergeForms } from '../src/shared/note-editor/three-way-merge.js';

/**
 * The editor's save model without a browser: every item goes with its server id, only
 * what was removed here is removed, ids given to new items are kept, items the editor
 * never loaded are never dropped, and the API's field paths land on the right rows.
 */

const rec = (id: string, position: number, action = `Action ${id}`) => ({
  id,
  position,
  action,
  successMeasure: 'Measure',
  ownerRole: 'Headteacher',
  ownerInitials: null,
  dueOn: '2027-06-30',
  status: 'OPEN' as const,
});

function note(overrides: Partial<NoteData> = {}): NoteData {
  return {
    id: 'n1',
    version: 3,
    status: 'DRAFT',
    purpose: 'Spring visit',
    summary: 'Most pupils make good progress.',
    draftDueOn: '2027-03-08',
    circulationDueOn: '2027-03-15',
    overdue: false,
    sharedAt: null,
    circulatedAt: null,
    headteacherAgreed: null,
    headteacherComment: null,
    headteacherRespondedAt: null,
    moderationDecision: null,
    moderationComment: null,
    recommendationLimitOverrideReason: null,
    revision: 1,
    correctionReason: null,
    revisions: [],
    docxUrl: '/notes/n1.docx',
    updatedAt: '2027-03-01T10:00:00Z',
    judgements: [
      {
        id: 'j-ach',
        area: 'ACHIEVEMENT',
        schoolGrade: 2,
        partnerGrade: 3,
        insufficientEvidence: false,
        evidenceBasis: 'OBSERVED',
        disagreementReason: 'Below estimate.',
        commentary: null,
        headteacherComment: 'We disagree.',
      },
    ],
    findings: [{ id: 'f1', position: 1, area: null, evidenceBasis: 'OBSERVED', text: 'Reading is taught well.' }],
    recommendations: [rec('r1', 1), rec('r2', 2)],
    reviews: [],
    targets: [],
    distribution: [{ id: 'd1', position: 1, role: 'HEADTEACHER', name: 'Head', email: null }],
    ...overrides,
  } as NoteData;
}

const newRec = (action: string, complete = true): RecommendationForm => ({
  key: newKey(),
  id: null,
  action,
  successMeasure: complete ? 'Measure' : '',
  ownerRole: 'Headteacher',
  ownerInitials: '',
  dueOn: '2027-06-30',
});

describe('saves that keep identity', () => {
  it('sends every item with its id, new ones without, and deletes only what was removed here', () => {
    let form = formOf(note());
    form = { ...form, recommendations: [...form.recommendations, newRec('New one')] };
    form = removeRow(form, 'findings', 0);
    const { input } = saveOf(form, { recommendationLimit: 4 });
    expect(input.recommendations!.map((r) => ('id' in r ? r.id : null))).toEqual(['r1', 'r2', null]);
    expect(input.judgements).toEqual([expect.objectContaining({ id: 'j-ach', area: 'ACHIEVEMENT' })]);
    expect(input.findings).toEqual([]);
    expect(input.remove).toEqual(['f1']);
    expect(input.distribution).toEqual([{ id: 'd1', role: 'HEADTEACHER', name: 'Head', email: null }]);
    // The headteacher's words are never sent back.
    expect(JSON.stringify(input)).not.toContain('We disagree');
  });

  it('a heading left out is removed by its id; an incomplete row is not sent and not removed', () => {
    let form = formOf(note());
    form = { ...form, judgements: form.judgements.map((j) => (j.area === 'ACHIEVEMENT' ? { ...j, included: false } : j)) };
    form = { ...form, recommendations: form.recommendations.map((r, i) => (i === 0 ? { ...r, action: '' } : r)) };
    const { input } = saveOf(form);
    expect(input.judgements).toEqual([]);
    expect(input.remove).toEqual(['j-ach']);
    expect(input.recommendations!.map((r) => r.id)).toEqual(['r2']);
  });

  it('sends a fifth recommendation only when the note allows more than four, and never drops a saved one', () => {
    const four = note({ recommendations: [rec('r1', 1), rec('r2', 2), rec('r3', 3), rec('r4', 4)] });
    const form = { ...formOf(four), recommendations: [...formOf(four).recommendations, newRec('Fifth')] };
    expect(saveOf(form, { recommendationLimit: 4 }).input.recommendations).toHaveLength(4);
    expect(saveOf(form, { recommendationLimit: 10 }).input.recommendations).toHaveLength(5);
    // Five saved (a manager allowed them): all five go, with their ids, whatever the limit.
    const five = formOf(note({ recommendations: [rec('r1', 1), rec('r2', 2), rec('r3', 3), rec('r4', 4), rec('r5', 5)] }));
    expect(saveOf(five, { recommendationLimit: 4 }).input.recommendations!.map((r) => r.id)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
  });

  it('after a save, new rows take the ids the server gave them, in the order sent, so the next save does not add them again', () => {
    const before = note();
    const sending = { ...formOf(before), recommendations: [...formOf(before).recommendations, newRec('Third'), newRec('Half', false), newRec('Fourth')] };
    const { sent } = saveOf(sending);
    const saved = note({ version: 4, recommendations: [rec('r1', 1), rec('r2', 2), rec('r9', 3, 'Third'), rec('r10', 4, 'Fourth')] });
    const after = afterSave(sending, sending, sent, before, saved);
    expect(after.recommendations.map((r) => r.id)).toEqual(['r1', 'r2', 'r9', null, 'r10']);
    expect(saveOf(after).input.recommendations!.map((r) => r.id)).toEqual(['r1', 'r2', 'r9', 'r10']);
    // Nothing more to do: the same form comes back.
    expect(afterSave(after, after, saveOf(after).sent, saved, saved)).toBe(after);
  });

  it('after a save, removals are done, a row removed while saving is removed next, and items never shown here are added, not dropped', () => {
    const before = note();
    let sending = removeRow(formOf(before), 'findings', 0);
    sending = { ...sending, recommendations: [...sending.recommendations, newRec('Third')] };
    const { sent } = saveOf(sending);
    // Meanwhile the partner removed the new row; the server also holds a recommendation this form never showed.
    const now: NoteForm = { ...sending, recommendations: sending.recommendations.slice(0, 2) };
    const saved = note({ version: 4, findings: [], recommendations: [rec('r1', 1), rec('r2', 2), rec('r7', 3, 'Theirs'), rec('r9', 4, 'Third')] });
    // r7 is not among the items the save was based on, r9 is the new one: the ids given follow the order sent.
    const base = note({ recommendations: [rec('r1', 1), rec('r2', 2), rec('r7', 3, 'Theirs')] });
    const after = afterSave(now, sending, sent, base, saved);
    expect(after.removed.findings).toEqual([]);
    expect(after.removed.recommendations).toEqual(['r9']);
    expect(after.recommendations.map((r) => r.id)).toEqual(['r1', 'r2', 'r7']);
  });

  it('merges by section: what only they changed comes from theirs (with their removals), a removal here is a change of mine', () => {
    const base = formOf(note());
    const mine = removeRow(base, 'recommendations', 1);
    const theirs = {
      ...formOf(note({ version: 4, findings: [{ id: 'f1', position: 1, area: null, evidenceBasis: 'OBSERVED', text: 'Reading is taught very well.' }] })),
    };
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, theirs);
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual(['findings']);
    expect(merged.findings[0]!.text).toBe('Reading is taught very well.');
    expect(merged.removed.recommendations).toEqual(['r2']);
    const theirsToo = { ...theirs, recommendations: theirs.recommendations.map((r) => ({ ...r, action: `${r.action} (theirs)` })) };
    expect(mergeForms(base, mine, theirsToo).clashes).toEqual(['recommendations']);
  });

  it('a copy kept on this device by the editor before ids gets the ids of the items it still shows', () => {
    const server = note();
    const old = JSON.parse(JSON.stringify(formOf(server))) as Record<string, unknown>;
    delete old.removed;
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ id: _id, ...rest }) => rest);
    for (const list of ['judgements', 'findings', 'recommendations', 'targets', 'distribution']) old[list] = strip(old[list] as Record<string, unknown>[]);
    (old.recommendations as unknown[]).splice(1, 1);
    const upgraded = upgradeDraftForm(old as unknown as NoteForm, server);
    expect(upgraded.recommendations.map((r) => r.id)).toEqual(['r1']);
    expect(upgraded.removed.recommendations).toEqual(['r2']);
    expect(upgraded.judgements.find((j) => j.area === 'ACHIEVEMENT')!.id).toBe('j-ach');
  });
});

describe('errors next to their fields', () => {
  it('names the row by its place in the list SENT, not on screen', () => {
    const form = { ...formOf(note()), recommendations: [newRec('Half', false), ...formOf(note()).recommendations] };
    const { sent } = saveOf(form);
    // The first row on screen was not sent: "recommendations.1" is the second sent, the third on screen.
    expect(controlOf('recommendations.1.dueOn', sent)).toBe(`recommendations.${form.recommendations[2]!.key}.dueOn`);
    expect(controlOf('judgements.0.disagreementReason', sent)).toBe('judgements.ACHIEVEMENT.disagreementReason');
    expect(controlOf('recommendations.7.dueOn', sent)).toBe('recommendations');
    expect(controlOf('summary', sent)).toBe('summary');
    expect(controlOf('remove', sent)).toBe('note');
  });

  it('numbers the row in its message as the screen does', () => {
    const form = { ...formOf(note()), recommendations: [newRec('Half', false), ...formOf(note()).recommendations] };
    const { sent } = saveOf(form);
    const error = new ApiError('BAD_USER_INPUT', 'Recommendation 1: the due date must come after the visit.', 'recommendations.0.dueOn');
    expect([...problemsOf(error, sent, form).values()]).toEqual([{ message: 'Recommendation 2: the due date must come after the visit.' }]);
  });

  it('reads the older paths too, and keeps the phrase of a names error', () => {
    const form = formOf(note());
    const { sent } = saveOf(form);
    const error = new ApiError('BAD_USER_INPUT', 'Finding 1 names "Mrs Smith".', 'findings.0.text', { phrase: 'Mrs Smith' });
    expect([...problemsOf(error, sent, form)]).toEqual([
      [`findings.${form.findings[0]!.key}.text`, { message: 'Finding 1 names "Mrs Smith".', phrase: 'Mrs Smith' }],
    ]);
    const old = new ApiError('BAD_USER_INPUT', 'differs', 'judgements.0.disagreementReason');
    expect([...problemsOf(old, sent, form).keys()]).toEqual(['judgements.ACHIEVEMENT.disagreementReason']);
  });

  it('a refused share marks the section and the rows at fault', () => {
    const form = formOf(note());
    const error = new ApiError('BAD_USER_INPUT', 'Grade every heading kept: Quality of teaching.', 'judgements', { areas: ['QUALITY_OF_TEACHING'] });
    expect([...problemsOf(error, null, form).keys()]).toEqual(['judgements', 'judgements.QUALITY_OF_TEACHING.partnerGrade']);
    // Not an input problem: nothing to place.
    expect(problemsOf(new ApiError('OFFLINE', 'offline'), null, form).size).toBe(0);
  });
});

describe('the headings in the editor', () => {
  it('come in the heading order the API, the documents and the school pages use', () => {
    expect(AREAS.map((area) => area.toLowerCase())).toEqual([...JUDGEMENT_AREA_ORDER]);
  });
});
