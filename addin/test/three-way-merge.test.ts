import { describe, expect, it } from 'vitest';
import { formOf, inputOf, newKey, removeRow, type NoteData, type NoteForm, type RowList } from '../src/shared/note-editor/note-model.js';
import { mergeForms, SECTION_LABELS, takeSection } from '../src/shared/note-editor/three-way-merge.js';

/**
 * The note editor's three-way merge without a browser. `base` is the note as this device
 * last loaded it, `mine` the form being edited here, `theirs` the note someone else saved
 * meanwhile (as the editor loads it: formOf the server's note). The merge works section
 * by section: purpose, summary, judgements, findings, recommendations, reviews, targets,
 * distribution.
 */

const rec = (id: string, position: number, action = `Action ${id}`) => ({
  id,
  position,
  action,
  successMeasure: 'Measure',
  ownerRole: 'Headteacher',
  ownerInitials: null,
  dueOn: '2027-06-30',
  status: 'OPEN',
});
const finding = (id: string, position: number, text = `Finding ${id}`) => ({ id, position, area: null, evidenceBasis: 'OBSERVED', text });
const target = (id: string, position: number, value = 65) => ({ id, position, keyStage: 'KS2', measure: '% at the expected standard', value, year: 2027 });
const recipient = (id: string, position: number, role: string, name: string, email: string | null = null) => ({ id, position, role, name, email });
const judgement = (id: string, area: string, overrides: Record<string, unknown> = {}) => ({
  id,
  area,
  schoolGrade: 2,
  partnerGrade: 3,
  insufficientEvidence: false,
  evidenceBasis: 'OBSERVED',
  disagreementReason: 'Below estimate.',
  commentary: null,
  headteacherComment: null,
  ...overrides,
});
const review = (recommendationId: string, progress: string | null = null, comment: string | null = null) => ({
  id: `rv-${recommendationId}`,
  progress,
  comment,
  recommendation: { id: recommendationId, action: 'Carried action', successMeasure: 'Carried measure', ownerRole: 'Headteacher', dueOn: '2027-01-31' },
});

/** The note as the server holds it (version 3 unless said). */
function note(overrides: Partial<Record<keyof NoteData, unknown>> = {}): NoteData {
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
    moderatedAt: null,
    recommendationLimitOverrideReason: null,
    revision: 1,
    correctionReason: null,
    firstCirculatedAt: null,
    revisions: [],
    responses: [],
    docxUrl: '/notes/n1.docx',
    updatedAt: '2027-03-01T10:00:00Z',
    judgements: [judgement('j-ach', 'ACHIEVEMENT')],
    findings: [finding('f1', 1), finding('f2', 2)],
    recommendations: [rec('r1', 1), rec('r2', 2)],
    reviews: [review('c1')],
    targets: [target('t1', 1)],
    distribution: [recipient('d1', 1, 'HEADTEACHER', 'Head', 'head@school.example')],
    ...overrides,
  } as NoteData;
}

/** Their version: someone else's save of the note, as the editor loads it. */
const theirsWith = (overrides: Partial<Record<keyof NoteData, unknown>>) => formOf(note({ version: 4, ...overrides }));

/** A copy of `form` with one row of a list changed. */
function editRow<L extends RowList | 'judgements' | 'reviews'>(form: NoteForm, list: L, index: number, patch: Partial<NoteForm[L][number]>): NoteForm {
  return { ...form, [list]: (form[list] as NoteForm[L][number][]).map((row, i) => (i === index ? { ...row, ...patch } : row)) };
}

const ids = (rows: { id: string | null }[]) => rows.map((r) => r.id);

describe('three-way merge: nothing changed', () => {
  it('merges nothing and reports nothing when neither side changed the note (row keys aside)', () => {
    const base = formOf(note());
    const mine = formOf(note());
    const theirs = formOf(note());
    // Each formOf gives its rows new keys: the keys are not content.
    expect(mine.recommendations[0]!.key).not.toBe(theirs.recommendations[0]!.key);
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, theirs);
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual([]);
    expect(merged).toEqual(mine);
    expect(merged).not.toBe(mine);
    // Every section is still mine, rows and all.
    expect(merged.recommendations).toBe(mine.recommendations);
    expect(merged.findings).toBe(mine.findings);
  });

  it('does not count spaces around the words as a change', () => {
    const base = formOf(note());
    const mine = { ...formOf(note()), summary: '  Most pupils make good progress.\n', purpose: 'Spring visit ' };
    const { clashes, fromTheirs, merged } = mergeForms(base, mine, formOf(note()));
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual([]);
    expect(merged.summary).toBe('  Most pupils make good progress.\n');
  });

  it('without a base, identical versions still do not clash', () => {
    expect(mergeForms(null, formOf(note()), formOf(note())).clashes).toEqual([]);
  });
});

describe('three-way merge: one side changed', () => {
  it('keeps what only I changed, and takes nothing from theirs', () => {
    const base = formOf(note());
    const mine = editRow({ ...base, summary: 'My new summary.' }, 'recommendations', 0, { action: 'My action' });
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, formOf(note({ version: 4 })));
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual([]);
    expect(merged.summary).toBe('My new summary.');
    expect(merged.recommendations.map((r) => r.action)).toEqual(['My action', 'Action r2']);
  });

  it('takes what only they changed, section by section, and says which', () => {
    const base = formOf(note());
    const theirs = theirsWith({ summary: 'Their summary.', recommendations: [rec('r1', 1, 'Their action'), rec('r2', 2)] });
    const { merged, clashes, fromTheirs } = mergeForms(base, formOf(note()), theirs);
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual(['summary', 'recommendations']);
    expect(fromTheirs.map((s) => SECTION_LABELS[s])).toEqual(['Summary', 'Recommendations']);
    expect(merged.summary).toBe('Their summary.');
    expect(merged.recommendations.map((r) => [r.id, r.action])).toEqual([
      ['r1', 'Their action'],
      ['r2', 'Action r2'],
    ]);
    // Unchanged sections stay as they were.
    expect(merged.purpose).toBe('Spring visit');
  });

  it('combines my change of one section with theirs of another', () => {
    const base = formOf(note());
    const mine = { ...base, purpose: 'My purpose.' };
    const theirs = theirsWith({ findings: [finding('f1', 1, 'Their finding.'), finding('f2', 2)] });
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, theirs);
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual(['findings']);
    expect(merged.purpose).toBe('My purpose.');
    expect(merged.findings.map((f) => f.text)).toEqual(['Their finding.', 'Finding f2']);
  });
});

describe('three-way merge: both changed the same section', () => {
  it('the same way: no clash, nothing taken from theirs, the shared value kept', () => {
    const base = formOf(note());
    const mine = { ...base, summary: 'Agreed summary. ' };
    const theirs = theirsWith({ summary: 'Agreed summary.' });
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, theirs);
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual([]);
    expect(merged.summary).toBe('Agreed summary. ');
  });

  it('differently: a clash, mine kept on screen for that section, their other changes still combined', () => {
    const base = formOf(note());
    const mine = { ...base, summary: 'My summary.' };
    const theirs = theirsWith({ summary: 'Their summary.', purpose: 'Their purpose.' });
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, theirs);
    expect(clashes).toEqual(['summary']);
    expect(fromTheirs).toEqual(['purpose']);
    expect(merged.summary).toBe('My summary.');
    expect(merged.purpose).toBe('Their purpose.');
  });

  it('different rows of the same list still clash: the merge is by section, not by row', () => {
    const base = formOf(note());
    const mine = editRow(base, 'recommendations', 0, { action: 'My action for r1' });
    const theirs = theirsWith({ recommendations: [rec('r1', 1), rec('r2', 2, 'Their action for r2')] });
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, theirs);
    expect(clashes).toEqual(['recommendations']);
    expect(fromTheirs).toEqual([]);
    // The whole list stays mine: their change to r2 is not in it (it is in their version, shown beside).
    expect(merged.recommendations.map((r) => r.action)).toEqual(['My action for r1', 'Action r2']);
  });

  it('without a base (a draft restored onto a newer version) every differing section clashes, even ones only they changed', () => {
    const mine = { ...formOf(note()), summary: 'My summary.' };
    const theirs = theirsWith({ purpose: 'Their purpose.' });
    const { merged, clashes, fromTheirs } = mergeForms(null, mine, theirs);
    expect(clashes).toEqual(['purpose', 'summary']);
    expect(fromTheirs).toEqual([]);
    expect(merged.purpose).toBe('Spring visit');
    expect(merged.summary).toBe('My summary.');
  });
});

describe('three-way merge: rows added, removed and edited', () => {
  it('recommendations: a row they added comes in with its id', () => {
    const base = formOf(note());
    const theirs = theirsWith({ recommendations: [rec('r1', 1), rec('r2', 2), rec('r3', 3, 'Their new one')] });
    const { merged, clashes, fromTheirs } = mergeForms(base, formOf(note()), theirs);
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual(['recommendations']);
    expect(ids(merged.recommendations)).toEqual(['r1', 'r2', 'r3']);
    expect(merged.recommendations[2]!.action).toBe('Their new one');
  });

  it('recommendations: a complete row I added stays, still without an id', () => {
    const base = formOf(note());
    const mine = {
      ...base,
      recommendations: [
        ...base.recommendations,
        { key: newKey(), id: null, action: 'My new one', successMeasure: 'M', ownerRole: 'Chair', ownerInitials: '', dueOn: '2027-07-01' },
      ],
    };
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, formOf(note({ version: 4 })));
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual([]);
    expect(ids(merged.recommendations)).toEqual(['r1', 'r2', null]);
    expect(merged.recommendations[2]!.action).toBe('My new one');
  });

  it('recommendations: a row added on each side is a clash, and mine is kept', () => {
    const base = formOf(note());
    const mine = {
      ...base,
      recommendations: [
        ...base.recommendations,
        { key: newKey(), id: null, action: 'Mine', successMeasure: 'M', ownerRole: 'Chair', ownerInitials: '', dueOn: '2027-07-01' },
      ],
    };
    const theirs = theirsWith({ recommendations: [rec('r1', 1), rec('r2', 2), rec('r3', 3, 'Theirs')] });
    const { merged, clashes } = mergeForms(base, mine, theirs);
    expect(clashes).toEqual(['recommendations']);
    expect(merged.recommendations.map((r) => r.action)).toEqual(['Action r1', 'Action r2', 'Mine']);
  });

  it('recommendations: a row they removed goes, and nothing is left for me to remove', () => {
    const base = formOf(note());
    const theirs = theirsWith({ recommendations: [rec('r1', 1)] });
    const { merged, fromTheirs } = mergeForms(base, formOf(note()), theirs);
    expect(fromTheirs).toEqual(['recommendations']);
    expect(ids(merged.recommendations)).toEqual(['r1']);
    expect(merged.removed.recommendations).toEqual([]);
  });

  it('recommendations: a row I removed stays removed (its id waits in removed) when they left the list alone', () => {
    const base = formOf(note());
    const mine = removeRow(base, 'recommendations', 1);
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, theirsWith({ summary: 'Their summary.' }));
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual(['summary']);
    expect(ids(merged.recommendations)).toEqual(['r1']);
    expect(merged.removed.recommendations).toEqual(['r2']);
  });

  it('findings: a row I removed that they edited is a clash; my removal is kept on screen', () => {
    const base = formOf(note());
    const mine = removeRow(base, 'findings', 0);
    const theirs = theirsWith({ findings: [finding('f1', 1, 'Their better wording.'), finding('f2', 2)] });
    const { merged, clashes } = mergeForms(base, mine, theirs);
    expect(clashes).toEqual(['findings']);
    expect(ids(merged.findings)).toEqual(['f2']);
    expect(merged.removed.findings).toEqual(['f1']);
  });

  it('findings: a finding they added comes in; my edit of another finding at the same time clashes', () => {
    const base = formOf(note());
    const theirs = theirsWith({ findings: [finding('f1', 1), finding('f2', 2), finding('f3', 3, 'Theirs.')] });
    expect(mergeForms(base, formOf(note()), theirs).merged.findings.map((f) => f.text)).toEqual(['Finding f1', 'Finding f2', 'Theirs.']);
    const mine = editRow(base, 'findings', 1, { text: 'Mine.' });
    expect(mergeForms(base, mine, theirs).clashes).toEqual(['findings']);
  });

  it('judgements: their new grade and a heading they added come in', () => {
    const base = formOf(note());
    const theirs = theirsWith({
      judgements: [
        judgement('j-ach', 'ACHIEVEMENT', { partnerGrade: 2, disagreementReason: null }),
        judgement('j-qt', 'QUALITY_OF_TEACHING', { schoolGrade: 1, partnerGrade: 1 }),
      ],
    });
    const { merged, clashes, fromTheirs } = mergeForms(base, formOf(note()), theirs);
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual(['judgements']);
    const byArea = (area: string) => merged.judgements.find((j) => j.area === area)!;
    expect(byArea('ACHIEVEMENT')).toMatchObject({ id: 'j-ach', partnerGrade: '2', disagreementReason: '' });
    expect(byArea('QUALITY_OF_TEACHING')).toMatchObject({ id: 'j-qt', included: true, schoolGrade: '1', partnerGrade: '1' });
    expect(merged.judgements.filter((j) => j.included).map((j) => j.area)).toEqual(['ACHIEVEMENT', 'QUALITY_OF_TEACHING']);
  });

  it('judgements: a heading I left out is a change of mine (its id is to be removed), kept when they left judgements alone', () => {
    const base = formOf(note());
    const mine = editRow(base, 'judgements', 0, { included: false });
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, theirsWith({ purpose: 'Their purpose.' }));
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual(['purpose']);
    expect(merged.judgements[0]).toMatchObject({ area: 'ACHIEVEMENT', id: 'j-ach', included: false });
  });

  it('targets: their edited value comes in; my edit of the same list at the same time clashes', () => {
    const base = formOf(note());
    const theirs = theirsWith({ targets: [target('t1', 1, 70)] });
    const taken = mergeForms(base, formOf(note()), theirs);
    expect(taken.fromTheirs).toEqual(['targets']);
    expect(taken.merged.targets.map((t) => [t.id, t.value])).toEqual([['t1', '70']]);
    const mine = { ...base, targets: [...base.targets, { key: newKey(), id: null, keyStage: 'KS4', measure: 'Progress 8', value: '0', year: '2027' }] };
    const clash = mergeForms(base, mine, theirs);
    expect(clash.clashes).toEqual(['targets']);
    expect(clash.merged.targets.map((t) => [t.id, t.keyStage, t.value])).toEqual([
      ['t1', 'KS2', '65'],
      [null, 'KS4', '0'],
    ]);
  });

  it('distribution: a recipient they added comes in; my edit of a recipient while they added one clashes', () => {
    const base = formOf(note());
    const theirs = theirsWith({
      distribution: [recipient('d1', 1, 'HEADTEACHER', 'Head', 'head@school.example'), recipient('d2', 2, 'CHAIR_OF_GOVERNORS', 'Chair')],
    });
    const taken = mergeForms(base, formOf(note()), theirs);
    expect(taken.fromTheirs).toEqual(['distribution']);
    expect(taken.merged.distribution.map((r) => [r.id, r.role, r.name, r.email])).toEqual([
      ['d1', 'HEADTEACHER', 'Head', 'head@school.example'],
      ['d2', 'CHAIR_OF_GOVERNORS', 'Chair', ''],
    ]);
    const mine = editRow(base, 'distribution', 0, { email: 'head@elsewhere.example' });
    const clash = mergeForms(base, mine, theirs);
    expect(clash.clashes).toEqual(['distribution']);
    expect(clash.merged.distribution.map((r) => r.email)).toEqual(['head@elsewhere.example']);
  });

  it('reviews: their progress on a carried recommendation comes in; a different progress here clashes', () => {
    const base = formOf(note());
    const theirs = theirsWith({ reviews: [review('c1', 'IN_PROGRESS', 'Under way.')] });
    const taken = mergeForms(base, formOf(note()), theirs);
    expect(taken.fromTheirs).toEqual(['reviews']);
    expect(taken.merged.reviews).toEqual([{ recommendationId: 'c1', progress: 'IN_PROGRESS', comment: 'Under way.' }]);
    const mine = editRow(base, 'reviews', 0, { progress: 'ACHIEVED' });
    const clash = mergeForms(base, mine, theirs);
    expect(clash.clashes).toEqual(['reviews']);
    expect(clash.merged.reviews).toEqual([{ recommendationId: 'c1', progress: 'ACHIEVED', comment: '' }]);
  });
});

describe('three-way merge: something the other side removed while I edited it', () => {
  it('a recommendation they removed that I edited: a clash, and my edited row (with its id) stays on screen', () => {
    const base = formOf(note());
    const mine = editRow(base, 'recommendations', 1, { action: 'My rewording of r2' });
    const theirs = theirsWith({ recommendations: [rec('r1', 1)] });
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, theirs);
    expect(clashes).toEqual(['recommendations']);
    expect(fromTheirs).toEqual([]);
    expect(merged.recommendations.map((r) => [r.id, r.action])).toEqual([
      ['r1', 'Action r1'],
      ['r2', 'My rewording of r2'],
    ]);
  });

  it('a purpose they emptied while I edited it: a clash, my words kept', () => {
    const base = formOf(note());
    const mine = { ...base, purpose: 'Spring visit, with the new head.' };
    const { merged, clashes } = mergeForms(base, mine, theirsWith({ purpose: null }));
    expect(clashes).toEqual(['purpose']);
    expect(merged.purpose).toBe('Spring visit, with the new head.');
  });

  it('a heading they left out while I wrote its commentary: a clash, the heading kept with my words', () => {
    const base = formOf(note());
    const mine = editRow(base, 'judgements', 0, { commentary: 'Strong in KS1.' });
    const { merged, clashes } = mergeForms(base, mine, theirsWith({ judgements: [] }));
    expect(clashes).toEqual(['judgements']);
    expect(merged.judgements[0]).toMatchObject({ area: 'ACHIEVEMENT', id: 'j-ach', included: true, commentary: 'Strong in KS1.' });
  });

  it('a recipient they removed that I edited: a clash, my edit kept', () => {
    const base = formOf(note());
    const mine = editRow(base, 'distribution', 0, { name: 'Mrs Head' });
    const { merged, clashes } = mergeForms(base, mine, theirsWith({ distribution: [] }));
    expect(clashes).toEqual(['distribution']);
    expect(merged.distribution.map((r) => [r.id, r.name])).toEqual([['d1', 'Mrs Head']]);
  });
});

describe('three-way merge: what it leaves alone, and its edges', () => {
  it('does not change mine or theirs; taking their list brings their removals for that list only', () => {
    const base = formOf(note());
    const mine = removeRow(base, 'recommendations', 1);
    const mineBefore = structuredClone(mine);
    const theirs = { ...theirsWith({ findings: [finding('f2', 2)] }), removed: { findings: ['f-gone'], recommendations: [], targets: [], distribution: [] } };
    const { merged, fromTheirs } = mergeForms(base, mine, theirs);
    expect(fromTheirs).toEqual(['findings']);
    expect(merged.removed).toEqual({ findings: ['f-gone'], recommendations: ['r2'], targets: [], distribution: [] });
    expect(mine).toEqual(mineBefore);
    expect(merged.removed).not.toBe(mine.removed);
  });

  it('"Use theirs" on a clash: takeSection puts their section and its removals into the form', () => {
    const base = formOf(note());
    const mine = editRow(removeRow(base, 'findings', 1), 'findings', 0, { text: 'Mine.' });
    const theirs = theirsWith({ findings: [finding('f1', 1, 'Theirs.'), finding('f2', 2)] });
    const next: NoteForm = { ...mine, removed: { ...mine.removed } };
    takeSection(next, theirs, 'findings');
    expect(next.findings.map((f) => [f.id, f.text])).toEqual([
      ['f1', 'Theirs.'],
      ['f2', 'Finding f2'],
    ]);
    expect(next.removed.findings).toEqual([]);
    expect(mine.removed.findings).toEqual(['f2']);
    takeSection(next, theirsWith({ summary: 'Their summary.' }), 'summary');
    expect(next.summary).toBe('Their summary.');
  });

  it('the same row removed on both sides is reported as a clash (my removal is still waiting to be sent)', () => {
    const base = formOf(note());
    const mine = removeRow(base, 'recommendations', 1);
    const { merged, clashes } = mergeForms(base, mine, theirsWith({ recommendations: [rec('r1', 1)] }));
    expect(clashes).toEqual(['recommendations']);
    expect(ids(merged.recommendations)).toEqual(['r1']);
    expect(merged.removed.recommendations).toEqual(['r2']);
  });

  it('a row still being written is not compared: when they changed that list, theirs is taken and the unfinished row stays after their rows', () => {
    // The autosave shows `merged` and keeps it on this device: the half-written row must stay in it.
    const base = formOf(note());
    const unfinished = { key: newKey(), id: null, action: 'Half written', successMeasure: '', ownerRole: '', ownerInitials: '', dueOn: '' };
    const mine = { ...base, recommendations: [...base.recommendations, unfinished] };
    const theirs = theirsWith({ recommendations: [rec('r1', 1, 'Their action'), rec('r2', 2)] });
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, theirs);
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual(['recommendations']);
    expect(merged.recommendations.map((r) => [r.id, r.action])).toEqual([
      ['r1', 'Their action'],
      ['r2', 'Action r2'],
      [null, 'Half written'],
    ]);
    expect(merged.recommendations[2]).toBe(unfinished);
  });
});

describe('three-way merge: rows still being written survive a list taken from theirs', () => {
  it('findings: my new finding with no words yet stays after theirs, theirs taken, no clash', () => {
    const base = formOf(note());
    const blank: NoteForm['findings'][number] = { key: newKey(), id: null, text: '  ', evidenceBasis: 'REPORTED', area: 'ACHIEVEMENT' };
    const mine = { ...base, findings: [...base.findings, blank] };
    const mineBefore = structuredClone(mine);
    const theirs = theirsWith({ findings: [finding('f1', 1, 'Their wording.'), finding('f2', 2), finding('f3', 3, 'Their new one.')] });
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, theirs);
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual(['findings']);
    expect(merged.findings.map((f) => [f.id, f.text])).toEqual([
      ['f1', 'Their wording.'],
      ['f2', 'Finding f2'],
      ['f3', 'Their new one.'],
      [null, '  '],
    ]);
    expect(merged.findings[3]).toEqual(blank);
    expect(merged.findings[3]!.key).toBe(blank.key);
    expect(merged.removed.findings).toEqual([]);
    // The next save sends their findings as they are (the blank row is still not sent); mine is untouched.
    expect(inputOf(merged).findings).toEqual(inputOf(theirs).findings);
    expect(mine).toEqual(mineBefore);
  });

  it('recommendations: unfinished rows of mine follow theirs in my order with their keys; a row they removed stays gone', () => {
    const base = formOf(note());
    const first = { key: newKey(), id: null, action: 'First half', successMeasure: '', ownerRole: '', ownerInitials: '', dueOn: '' };
    const second = { key: newKey(), id: null, action: '', successMeasure: 'Only a measure', ownerRole: 'Chair', ownerInitials: '', dueOn: '2027-1' };
    // Written between r1 and r2, and after r2.
    const mine = { ...base, recommendations: [base.recommendations[0]!, first, base.recommendations[1]!, second] };
    const theirs = theirsWith({ recommendations: [rec('r1', 1, 'Their action'), rec('r3', 2, 'Their new one')] });
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, theirs);
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual(['recommendations']);
    expect(merged.recommendations.map((r) => [r.id, r.action])).toEqual([
      ['r1', 'Their action'],
      ['r3', 'Their new one'],
      [null, 'First half'],
      [null, ''],
    ]);
    expect(merged.recommendations.slice(2).map((r) => r.key)).toEqual([first.key, second.key]);
    expect(merged.recommendations[3]).toEqual(second);
    expect(merged.removed.recommendations).toEqual([]);
  });

  it('targets: my unfinished target stays after their edited one', () => {
    const base = formOf(note());
    const unfinished = { key: newKey(), id: null, keyStage: 'KS4', measure: 'Progress 8', value: '0.2', year: '' };
    const mine = { ...base, targets: [...base.targets, unfinished] };
    const theirs = theirsWith({ targets: [target('t1', 1, 70)] });
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, theirs);
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual(['targets']);
    expect(merged.targets.map((t) => [t.id, t.keyStage, t.value, t.year])).toEqual([
      ['t1', 'KS2', '70', '2027'],
      [null, 'KS4', '0.2', ''],
    ]);
    expect(merged.targets[1]!.key).toBe(unfinished.key);
  });

  it('distribution: my recipient with no name yet stays after theirs', () => {
    const base = formOf(note());
    const unnamed = { key: newKey(), id: null, role: 'COUNCIL' as const, name: '', email: 'school.improvement@council.example' };
    const mine = { ...base, distribution: [...base.distribution, unnamed] };
    const theirs = theirsWith({
      distribution: [recipient('d1', 1, 'HEADTEACHER', 'Mrs Head', 'head@school.example'), recipient('d2', 2, 'CHAIR_OF_GOVERNORS', 'Chair')],
    });
    const { merged, clashes, fromTheirs } = mergeForms(base, mine, theirs);
    expect(clashes).toEqual([]);
    expect(fromTheirs).toEqual(['distribution']);
    expect(merged.distribution.map((r) => [r.id, r.role, r.name, r.email])).toEqual([
      ['d1', 'HEADTEACHER', 'Mrs Head', 'head@school.example'],
      ['d2', 'CHAIR_OF_GOVERNORS', 'Chair', ''],
      [null, 'COUNCIL', '', 'school.improvement@council.example'],
    ]);
    expect(merged.distribution[2]!.key).toBe(unnamed.key);
  });
});
