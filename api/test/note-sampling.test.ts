import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PartnerRole } from '../src/partners/partner.enums.js';
import type { Em } from '../src/platform/db/orm.js';
import { academicYearBounds, academicYearLabel, academicYearStart } from '../src/platform/dates/academic-year.js';
import { DomainEvent } from '../src/platform/events/domain-event.entity.js';
import { drawSample, type SampleCandidate } from '../src/quality/sampling.rules.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testToday } from './support/test-clock.js';

/**
 * Quality assurance I (issue 22, acceptance 1): the manager's sample of circulated notes is
 * reproducible and covers every partner, stratified by visit type; an evaluation on the pro forma
 * reaches its partner and no other. The demo county's last academic year (all of it circulated,
 * whatever the suite's day) is the one sampled.
 */

describe('drawing a sample (the rule)', () => {
  const candidates: SampleCandidate[] = [
    ...['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((noteId) => ({ noteId, partnerId: 'A', visitType: 'autumn' })),
    ...['a7', 'a8'].map((noteId) => ({ noteId, partnerId: 'A', visitType: 'spring' })),
    { noteId: 'b1', partnerId: 'B', visitType: 'summer' },
    ...['c1', 'c2', 'c3', 'c4', 'c5'].map((noteId) => ({ noteId, partnerId: 'C', visitType: 'spring' })),
  ];
  const ids = (drawn: SampleCandidate[]) => drawn.map((c) => c.noteId);

  it('is reproducible: the same seed over the same notes, in any order, draws the same notes', () => {
    const once = drawSample(candidates, { seed: 'autumn-review', perPartner: 2 });
    const again = drawSample([...candidates].reverse(), { seed: 'autumn-review', perPartner: 2 });
    expect(ids(again)).toEqual(ids(once));
  });

  it('another seed may draw other notes', () => {
    const first = ids(drawSample(candidates, { seed: 'seed-0', perPartner: 1 }));
    const others = Array.from({ length: 20 }, (_, i) => ids(drawSample(candidates, { seed: `seed-${i + 1}`, perPartner: 1 })).join());
    expect(others.some((o) => o !== first.join())).toBe(true);
  });

  it('gives every partner their share, spread across their visit types, and all of theirs when they have fewer', () => {
    const drawn = drawSample(candidates, { seed: 'x', perPartner: 2 });
    expect(
      drawn
        .filter((c) => c.partnerId === 'A')
        .map((c) => c.visitType)
        .sort(),
    ).toEqual(['autumn', 'spring']);
    expect(ids(drawn.filter((c) => c.partnerId === 'B'))).toEqual(['b1']);
    expect(drawn.filter((c) => c.partnerId === 'C')).toHaveLength(2);
    expect(new Set(ids(drawn)).size).toBe(drawn.length);
    expect(drawSample(candidates, { seed: 'x', perPartner: 3 }).filter((c) => c.partnerId === 'A')).toHaveLength(3);
  });
});

describe('samples, evaluations and the quality report', () => {
  let t: TestApp;
  const year = academicYearLabel(academicYearStart(testToday()) - 1);
  const MEMBERS = `id seed academicYear perPartner members { id visitType position partner { id } note { id status } evaluation { id } }`;
  type Sample = { id: string; seed: string; members: { id: string; visitType: string; partner: { id: string }; note: { id: string; status: string } }[] };
  const draw = (input: Record<string, unknown>, token?: string) =>
    t.gql<{ drawNoteSample: Sample }>(
      `mutation($input: DrawNoteSampleInput!) { drawNoteSample(input: $input) { ${MEMBERS} } }`,
      { input },
      token ? { token } : {},
    );

  /** What the database says was circulated in the year: partner → the visit types of their circulated notes. */
  let circulated: Map<string, Set<string>>;

  beforeAll(async () => {
    t = await startTestApp();
    const { from, to } = academicYearBounds(year);
    const rows = await (t.app.orm.em.fork() as Em).execute<{ author_id: string; type: string }[]>(
      `select n.author_id, v.type from note_of_visit n join visit v on v.id = n.visit_id
          where (n.status = 'circulated' or n.first_circulated_at is not null) and v.starts_at >= ? and v.starts_at < ?`,
      [from, to],
    );
    circulated = new Map();
    for (const r of rows) circulated.set(r.author_id, (circulated.get(r.author_id) ?? new Set()).add(r.type));
  });
  afterAll(() => t?.stop());

  it('a draw covers every partner with a circulated note in the year, stratified by visit type, and is reproducible from its seed', async () => {
    expect(circulated.size, 'the demo county should have circulated notes last year').toBeGreaterThan(1);
    const first = await draw({ academicYear: year, perPartner: 2, seed: 'spring-2027' });
    expect(first.errors, JSON.stringify(first.errors)).toBeUndefined();
    const sample = first.data!.drawNoteSample;
    expect(sample.seed).toBe('spring-2027');
    const partners = new Set(sample.members.map((m) => m.partner.id));
    expect([...partners].sort()).toEqual([...circulated.keys()].sort());
    for (const [partner, types] of circulated) {
      const theirs = sample.members.filter((m) => m.partner.id === partner);
      expect(theirs.length).toBeGreaterThanOrEqual(1);
      // two notes from two visit types whenever the partner has two types
      expect(new Set(theirs.map((m) => m.visitType)).size).toBe(Math.min(2, types.size, theirs.length));
    }

    const again = (await draw({ academicYear: year, perPartner: 2, seed: 'spring-2027' })).data!.drawNoteSample;
    expect(again.id).not.toBe(sample.id); // a new sample is kept
    expect(again.members.map((m) => m.note.id)).toEqual(sample.members.map((m) => m.note.id));

    const unseeded = (await draw({ academicYear: year })).data!.drawNoteSample;
    expect(unseeded.seed).toMatch(/^[0-9a-f]{12}$/);
    expect(unseeded.members).toHaveLength(circulated.size);

    const skipping = await draw({ academicYear: year, skipSampledPartners: true });
    expect(skipping.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(skipping.errors?.[0]?.message).toContain('sampled already');
  });

  it('is a manager’s: a partner can neither draw nor see samples', async () => {
    const partner = await t.personWithRole(PartnerRole.PARTNER);
    expect((await draw({ academicYear: year }, partner.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const seen = await t.gql(`query($y: String!) { noteSamples(academicYear: $y) { id } }`, { y: year }, { token: partner.token });
    expect(seen.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('an evaluation on the pro forma reaches its partner and no other, is given once, and keeps the pro forma it was given on', async () => {
    const proForma = (await t.gql(`{ qualityProForma { id saved name criteria { key label } scale { score label } } }`)).data!.qualityProForma;
    expect(proForma.saved).toBe(false);
    expect(proForma.criteria.map((c: { key: string }) => c.key)).toEqual(['evaluative', 'evidence', 'judgements', 'recommendations', 'no-names', 'timeliness']);

    const sample = (await draw({ academicYear: year, seed: 'evaluate' })).data!.drawNoteSample;
    const member = sample.members[0]!;
    const scores = proForma.criteria.map((c: { key: string }, i: number) => ({
      criterion: c.key,
      score: (i % 4) + 1,
      comment: i === 0 ? 'Judgements are well explained.' : null,
    }));
    const EVALUATE = `mutation($input: EvaluateSampledNoteInput!) { evaluateSampledNote(input: $input) { id summary proFormaName scores { criterionKey criterion score scoreLabel comment } note { id } partner { id } } }`;

    const missing = await t.gql(EVALUATE, { input: { sampleMemberId: member.id, scores: scores.slice(1), summary: 'Good.' } });
    expect(missing.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const offScale = await t.gql(EVALUATE, {
      input: { sampleMemberId: member.id, scores: [{ ...scores[0], score: 9 }, ...scores.slice(1)], summary: 'Good.' },
    });
    expect(offScale.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const given = await t.gql(EVALUATE, { input: { sampleMemberId: member.id, scores, summary: 'A clear, evaluative note; sharpen the recommendations.' } });
    expect(given.errors, JSON.stringify(given.errors)).toBeUndefined();
    const evaluation = given.data!.evaluateSampledNote;
    expect(evaluation).toMatchObject({ note: { id: member.note.id }, partner: { id: member.partner.id } });
    expect(evaluation.scores[0]).toMatchObject({ criterionKey: 'evaluative', score: 1, scoreLabel: 'Not yet met', comment: 'Judgements are well explained.' });
    const events = await t.app.orm.em.fork().find(DomainEvent, { kind: 'qa.note_evaluation_given', noteId: member.note.id });
    expect(events.map((e) => e.partnerId)).toEqual([member.partner.id]);

    const twice = await t.gql(EVALUATE, { input: { sampleMemberId: member.id, scores, summary: 'Changed my mind.' } });
    expect(twice.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const partnerToken = await t.issuer.signForPerson(
      (await t.gql(`query($id: ID!) { partner(id: $id) { email } }`, { id: member.partner.id })).data!.partner.email,
    );
    expect(
      (await t.gql(EVALUATE, { input: { sampleMemberId: sample.members[1]!.id, scores, summary: 'Mine.' } }, { token: partnerToken })).errors?.[0]?.extensions
        ?.code,
    ).toBe('FORBIDDEN');

    // the partner sees it; another partner does not, and may not ask for it
    const MINE = '{ myNoteEvaluations { id summary givenBy { id } note { id } scores { criterion score } } }';
    const mine = await t.gql(MINE, {}, { token: partnerToken });
    expect(mine.data!.myNoteEvaluations.map((e: { id: string }) => e.id)).toEqual([evaluation.id]);
    const otherId = [...circulated.keys()].find((p) => p !== member.partner.id)!;
    const otherToken = await t.issuer.signForPerson((await t.gql(`query($id: ID!) { partner(id: $id) { email } }`, { id: otherId })).data!.partner.email);
    expect((await t.gql(MINE, {}, { token: otherToken })).data!.myNoteEvaluations).toEqual([]);
    const asked = await t.gql(`query($p: ID!) { noteEvaluations(partnerId: $p) { id } }`, { p: member.partner.id }, { token: otherToken });
    expect(asked.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // a new pro forma changes no evaluation already given
    const saved = await t.gql(`mutation($input: SaveProFormaInput!) { saveQualityProForma(input: $input) { id saved criteria { key } } }`, {
      input: {
        name: 'Revised pro forma',
        criteria: [{ key: 'clarity', label: 'Clear to the school', guidance: 'Plain English.' }],
        scale: [
          { score: 1, label: 'No' },
          { score: 2, label: 'Yes' },
        ],
      },
    });
    expect(saved.errors).toBeUndefined();
    expect(saved.data!.saveQualityProForma.saved).toBe(true);
    expect((await t.gql(`{ qualityProForma { name criteria { key } } }`)).data!.qualityProForma).toEqual({
      name: 'Revised pro forma',
      criteria: [{ key: 'clarity' }],
    });
    const after = (await t.gql(MINE, {}, { token: partnerToken })).data!.myNoteEvaluations[0];
    expect(after.scores.map((s: { criterion: string }) => s.criterion)).toEqual(proForma.criteria.map((c: { label: string }) => c.label));

    // the report: the sampled year counts the notes circulated and sampled; feedback counts in the year it is given (this one)
    type Line = {
      partner: { id: string };
      notesCirculated: number;
      notesSampled: number;
      evaluationsGiven: number;
      feedbackThisYear: boolean;
      lastFeedbackAt: string | null;
    };
    const report = async (y: string) => {
      const res = await t.gql(
        `query($y: String!) { noteQualityReport(academicYear: $y) { partner { id } notesCirculated notesSampled evaluationsGiven lastFeedbackAt feedbackThisYear } }`,
        { y },
      );
      expect(res.errors).toBeUndefined();
      return res.data!.noteQualityReport as Line[];
    };
    const sampledYear = (await report(year)).find((r) => r.partner.id === member.partner.id)!;
    expect(sampledYear.notesCirculated).toBeGreaterThan(0);
    expect(sampledYear.notesSampled).toBeGreaterThan(0);
    const thisYear = await report(academicYearLabel(academicYearStart(testToday())));
    expect(thisYear.find((r) => r.partner.id === member.partner.id)).toMatchObject({ evaluationsGiven: 1, feedbackThisYear: true });
    expect(thisYear.find((r) => r.partner.id === member.partner.id)!.lastFeedbackAt).not.toBeNull();
    expect(thisYear.find((r) => r.partner.id === otherId)).toMatchObject({ evaluationsGiven: 0, feedbackThisYear: false, lastFeedbackAt: null });
    expect(
      (await t.gql(`query($y: String!) { noteQualityReport(academicYear: $y) { partner { id } } }`, { y: year }, { token: partnerToken })).errors?.[0]
        ?.extensions?.code,
    ).toBe('FORBIDDEN');
  });
});
