import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../src/platform/audit/audit-event.entity.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testClock, testToday } from './support/test-clock.js';

/**
 * The note of visit from start to circulation, with the rules of seed 004. The
 * school's own story is made here, in 2020 (before any demo visit), so the
 * carried recommendations are exactly the ones this test wrote.
 */
let t: TestApp;
let partnerToken: string;
let partnerId: string;
let school: { id: string; name: string; headteacher: { name: string } };

const NOTE = `id version status revision draftDueOn circulationDueOn overdue summary
  judgements { id area schoolGrade partnerGrade insufficientEvidence disagreementReason }
  findings { text evidenceBasis } recommendations { id action status dueOn ownerInitials }
  reviews { progress comment recommendation { id action } } targets { keyStage measure year value }
  distribution { role name } headteacherAgreed headteacherComment moderationDecision moderationComment
  recommendationLimitOverrideReason revisions { revision content } correctionReason`;

async function gqlOk(query: string, variables: Record<string, unknown> = {}, token = partnerToken) {
  const res = await t.gql(query, variables, { token });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

async function bookPast(date: string, type = 'SPRING', schoolId = school.id) {
  const data = await gqlOk(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, {
    input: { schoolId, type, startsAt: `${date}T09:00:00+00:00`, endsAt: `${date}T13:00:00+00:00` },
  });
  return data.bookVisit.id as string;
}

const start = (visitId: string, token = partnerToken) => t.gql(`mutation($v: ID!) { startNote(visitId: $v) { ${NOTE} } }`, { v: visitId }, { token });
const update = (id: string, version: number, input: Record<string, unknown>, token = partnerToken) =>
  t.gql(
    `mutation($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { ${NOTE} } }`,
    { id, v: version, input },
    { token },
  );
const share = (id: string, version: number) =>
  t.gql(`mutation($id: ID!, $v: Int!) { shareNote(id: $id, expectedVersion: $v) { ${NOTE} } }`, { id, v: version }, { token: partnerToken });
/** A manager records the headteacher's answer on their behalf (the headteacher's own door, their link, is tested in school-side.test.ts). */
const respond = (id: string, agreed: boolean, comment: string | null, token = t.managerToken) =>
  t.gql(
    `mutation($id: ID!, $a: Boolean!, $c: String) { recordHeadteacherResponse(id: $id, agreed: $a, comment: $c, reason: "Given by phone") { ${NOTE} } }`,
    { id, a: agreed, c: comment },
    { token },
  );
const circulate = (id: string, version: number) =>
  t.gql(`mutation($id: ID!, $v: Int!) { circulateNote(id: $id, expectedVersion: $v) { ${NOTE} } }`, { id, v: version }, { token: partnerToken });

const GRADED = [
  { area: 'ACHIEVEMENT', schoolGrade: 2, partnerGrade: 2, evidenceBasis: 'REPORTED' },
  {
    area: 'QUALITY_OF_TEACHING',
    schoolGrade: 2,
    partnerGrade: 3,
    evidenceBasis: 'OBSERVED',
    disagreementReason: 'Two of the five lessons seen required improvement.',
  },
  { area: 'LEADERSHIP_AND_MANAGEMENT', schoolGrade: 2, partnerGrade: 2, evidenceBasis: 'REPORTED_AND_OBSERVED' },
  { area: 'OVERALL_EFFECTIVENESS', schoolGrade: 2, insufficientEvidence: true, evidenceBasis: 'REPORTED' },
];
const recommendation = (n: number) => ({
  action: `Recommendation ${n}: raise attainment in writing in Key Stage 2.`,
  successMeasure: 'Most pupils reach the expected standard in the summer assessments.',
  ownerRole: 'Deputy headteacher',
  ownerInitials: 'A.B.',
  dueOn: '2020-07-17',
});

beforeAll(async () => {
  t = await startTestApp();
  const me = await t.personWithRole(PartnerRole.PARTNER);
  partnerToken = me.token;
  partnerId = me.partner.id;
  school = (await t.gql(`{ schools(first: 1, filter: { status: [OPEN], phase: [PRIMARY] }) { nodes { id name headteacher { name } } } }`)).data!.schools
    .nodes[0];
});
afterAll(() => t?.stop());

describe('the note of visit workflow', () => {
  let firstNoteRecommendations: { id: string }[];
  let secondNote: { id: string; version: number };

  it('starts, is written, shared, agreed and circulated', async () => {
    const visitId = await bookPast('2020-01-14', 'AUTUMN');
    const started = await start(visitId);
    expect(started.errors).toBeUndefined();
    const note = started.data!.startNote;
    expect(note).toMatchObject({ status: 'DRAFT', revision: 1, reviews: [], draftDueOn: '2020-01-21', circulationDueOn: '2020-01-28' });
    expect(note.judgements.map((j: { area: string }) => j.area).sort()).toEqual([
      'ACHIEVEMENT',
      'BEHAVIOUR_AND_SAFETY',
      'LEADERSHIP_AND_MANAGEMENT',
      'OVERALL_EFFECTIVENESS',
      'QUALITY_OF_TEACHING',
    ]);
    expect(note.distribution[0]).toMatchObject({ role: 'HEADTEACHER', name: school.headteacher.name });
    expect((await start(visitId)).data!.startNote.id).toBe(note.id); // starting again returns the same note

    const written = await update(note.id, note.version, {
      purpose: 'Autumn visit: outcomes and targets.',
      summary: 'Leaders know the school well; writing in Key Stage 2 needs to improve.',
      judgements: GRADED,
      findings: [{ text: 'The headteacher (initials only) reported improved attendance.', evidenceBasis: 'REPORTED' }],
      recommendations: [recommendation(1), recommendation(2), recommendation(3)],
      targets: [{ keyStage: 'KS2', measure: '% reaching the expected standard in reading, writing and maths', year: 2021, value: 72 }],
      remove: [note.judgements.find((j: { area: string }) => j.area === 'BEHAVIOUR_AND_SAFETY').id],
    });
    expect(written.errors).toBeUndefined();
    const saved = written.data!.updateNote;
    expect(saved.version).toBeGreaterThan(note.version);
    expect(saved.judgements).toHaveLength(4); // behaviour and safety left out
    const shared = await share(saved.id, saved.version);
    expect(shared.errors).toBeUndefined();
    expect(shared.data!.shareNote.status).toBe('SHARED');
    expect((await respond(saved.id, true, null)).data!.recordHeadteacherResponse.status).toBe('AGREED');
    const agreed = (await t.gql(`query($id: ID!) { note(id: $id) { version } }`, { id: saved.id }, { token: partnerToken })).data!.note;
    const circulated = (await circulate(saved.id, agreed.version)).data!.circulateNote;
    expect(circulated.status).toBe('CIRCULATED');
    expect(circulated.revisions).toHaveLength(1);
    expect(circulated.revisions[0].content.summary).toMatch(/writing in Key Stage 2/);
    firstNoteRecommendations = circulated.recommendations;
  });

  it('carries the open recommendations into the next note, and will not share it until each is reviewed', async () => {
    const visitId = await bookPast('2020-03-10');
    const note = (await start(visitId)).data!.startNote;
    expect(note.reviews.map((r: { recommendation: { id: string } }) => r.recommendation.id)).toEqual(firstNoteRecommendations.map((r) => r.id));
    expect(note.reviews.every((r: { progress: unknown }) => r.progress === null)).toBe(true);

    const others = note.judgements.filter((j: { area: string }) => j.area !== 'ACHIEVEMENT').map((j: { id: string }) => j.id);
    const ready = (await update(note.id, note.version, { summary: 'Good progress since the autumn.', judgements: GRADED.slice(0, 1), remove: others })).data!
      .updateNote;
    const refused = await share(ready.id, ready.version);
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.message).toMatch(/Review every recommendation carried from the previous note before sharing: 3 still need a progress/);

    const reviewed = await update(ready.id, ready.version, {
      reviews: [
        { recommendationId: firstNoteRecommendations[0]!.id, progress: 'ACHIEVED', comment: 'Met in the spring data.' },
        { recommendationId: firstNoteRecommendations[1]!.id, progress: 'IN_PROGRESS' },
        { recommendationId: firstNoteRecommendations[2]!.id, progress: 'SUPERSEDED', comment: 'Replaced by the new plan.' },
      ],
    });
    expect(reviewed.errors).toBeUndefined();
    secondNote = reviewed.data!.updateNote;
    expect(secondNote.version).toBeGreaterThan(ready.version);
  });

  it('refuses names, a fifth recommendation and a missing disagreement reason, each with a clear message', async () => {
    const named = await update(secondNote.id, secondNote.version, { summary: `Discussed with ${school.headteacher.name} in the morning.` });
    expect(named.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'summary', phrase: school.headteacher.name });
    const surname = school.headteacher.name.split(' ').at(-1)!;
    expect(named.errors?.[0]?.message).toMatch(
      /^The summary names ".+": a note of visit refers to people by role and initials, so write "the headteacher \([A-Z]\.[A-Z]\.\)"/,
    );
    const bySurname = await update(secondNote.id, secondNote.version, {
      findings: [{ text: `Mrs ${surname} led the learning walk.`, evidenceBasis: 'OBSERVED' }],
    });
    expect(bySurname.errors?.[0]?.extensions).toMatchObject({ field: 'findings.0.text', phrase: `Mrs ${surname}` });

    const five = await update(secondNote.id, secondNote.version, { recommendations: [1, 2, 3, 4, 5].map(recommendation) });
    expect(five.errors?.[0]?.message).toMatch(/at most 4 recommendations .* this one would have 5/);

    const noReason = await update(secondNote.id, secondNote.version, { judgements: [{ area: 'ACHIEVEMENT', schoolGrade: 1, partnerGrade: 3 }] });
    expect(noReason.errors?.[0]?.message).toBe(
      'Achievement: your grade (3 Requires improvement) differs from the school\'s (1 Outstanding): say why in "Where the views differ".',
    );
    expect(noReason.errors?.[0]?.extensions?.field).toBe('judgements.0.disagreementReason');

    // Nothing of the refused saves was kept.
    const current = (await t.gql(`query($id: ID!) { note(id: $id) { version summary } }`, { id: secondNote.id }, { token: partnerToken })).data!.note;
    expect(current).toEqual({ version: secondNote.version, summary: 'Good progress since the autumn.' });
  });

  it('lets a manager allow a fifth recommendation, recorded with the reason', async () => {
    const partnerTries = await update(secondNote.id, secondNote.version, {
      allowMoreRecommendationsBecause: 'Complex school',
      recommendations: [1, 2, 3, 4, 5].map(recommendation),
    });
    expect(partnerTries.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const allowed = await update(
      secondNote.id,
      secondNote.version,
      { allowMoreRecommendationsBecause: 'Federation of two schools: each needs its own priorities.', recommendations: [1, 2, 3, 4, 5].map(recommendation) },
      t.managerToken,
    );
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!.updateNote).toMatchObject({ recommendationLimitOverrideReason: 'Federation of two schools: each needs its own priorities.' });
    expect(allowed.data!.updateNote.recommendations).toHaveLength(5);
    const extra = allowed.data!.updateNote.recommendations.slice(2).map((r: { id: string }) => r.id);
    const back = await update(secondNote.id, allowed.data!.updateNote.version, { remove: extra });
    expect(back.data!.updateNote.recommendations).toHaveLength(2);
    secondNote = back.data!.updateNote;
  });

  it('is disputed, moderated by a senior adviser with the disagreement kept, circulated, then read-only', async () => {
    const sharing = await share(secondNote.id, secondNote.version);
    expect(sharing.errors, JSON.stringify(sharing.errors)).toBeUndefined();
    const shared = sharing.data!.shareNote;
    expect((await respond(shared.id, false, null)).errors?.[0]?.message).toMatch(/comment is needed/);
    expect((await respond(shared.id, true, null, partnerToken)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const disputed = (await respond(shared.id, false, 'We judge teaching to be good.')).data!.recordHeadteacherResponse;
    expect(disputed).toMatchObject({ status: 'DISPUTED', headteacherAgreed: false });

    const moderate = `mutation($id: ID!) { moderateNote(id: $id, decision: UPHOLD_PARTNER, comment: "Evidence supports the partner's grade.") { ${NOTE} } }`;
    expect((await t.gql(moderate, { id: shared.id }, { token: partnerToken })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const moderated = (await gqlOk(moderate, { id: shared.id }, t.managerToken)).moderateNote;
    expect(moderated).toMatchObject({ status: 'MODERATED', moderationDecision: 'UPHOLD_PARTNER', headteacherComment: 'We judge teaching to be good.' });

    const partnerEdit = await update(moderated.id, moderated.version, { summary: 'Changed after moderation.' });
    expect(partnerEdit.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const amended = (
      await gqlOk(
        `mutation($id: ID!, $v: Int!) { updateNote(id: $id, expectedVersion: $v, input: { summary: "Amended by the moderator." }) { ${NOTE} } }`,
        { id: moderated.id, v: moderated.version },
        t.managerToken,
      )
    ).updateNote;
    expect(amended).toMatchObject({ status: 'MODERATED', summary: 'Amended by the moderator.' });
    const circulated = (await circulate(amended.id, amended.version)).data!.circulateNote;
    expect(circulated.status).toBe('CIRCULATED');
    expect(circulated.revisions[0].content).toMatchObject({ headteacherComment: 'We judge teaching to be good.', moderationDecision: 'uphold_partner' });

    // The reviews now settle the first note's recommendations.
    const first = firstNoteRecommendations.map((r) => r.id);
    const statuses: { id: string; status: string }[] = await t.app.orm.em
      .fork()
      .getConnection()
      .execute(`select id, status from recommendation where id in (?, ?, ?)`, first);
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({ [first[0]!]: 'achieved', [first[1]!]: 'open', [first[2]!]: 'superseded' });

    const locked = await update(circulated.id, circulated.version, { summary: 'Changed afterwards.' });
    expect(locked.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(locked.errors?.[0]?.message).toMatch(/read-only: correct it with correctNote/);

    const corrected = await t.gql(
      `mutation($id: ID!, $v: Int!) { correctNote(id: $id, expectedVersion: $v, reason: "Wrong due date in recommendation 2") { ${NOTE} } }`,
      { id: circulated.id, v: circulated.version },
      { token: partnerToken },
    );
    expect(corrected.data!.correctNote).toMatchObject({ status: 'DRAFT', revision: 2, correctionReason: 'Wrong due date in recommendation 2' });
    expect(corrected.data!.correctNote.revisions).toHaveLength(1);
  });

  it('audits every change with who made it and what changed', async () => {
    const events = await t.app.orm.em.fork().find(AuditEvent, { entityType: 'NoteOfVisit', entityId: secondNote.id }, { orderBy: { id: 'asc' } });
    expect(events.length).toBeGreaterThanOrEqual(8);
    expect(events.some((e) => e.actor === `partner:${partnerId}` && (e.changes as Record<string, unknown>)?.status === 'shared')).toBe(true);
    expect(events.some((e) => e.actor !== `partner:${partnerId}` && (e.changes as Record<string, unknown>)?.status === 'moderated')).toBe(true);
  });

  it('keeps targets per school, readable by other council systems once circulated', async () => {
    const service = await t.serviceToken('Performance dashboard');
    const res = await gqlOk(`query($id: ID!) { school(id: $id) { targets(year: 2021) { keyStage year value note { status } } } }`, { id: school.id }, service);
    expect(res.school.targets).toEqual([{ keyStage: 'KS2', year: 2021, value: 72, note: { status: 'CIRCULATED' } }]);
  });

  it('serves the note as a Word document', async () => {
    const note = (await gqlOk(`query($id: ID!) { note(id: $id) { docxUrl } }`, { id: secondNote.id })).note;
    const res = await fetch(`${t.url}${note.docxUrl}`, { headers: { authorization: `Bearer ${partnerToken}` } });
    expect(res.status).toBe(200);
    const xml = await (await JSZip.loadAsync(await res.arrayBuffer())).file('word/document.xml')!.async('string');
    expect(xml).toContain('Note of visit');
    expect(xml).toContain('Met in the spring data.');
    expect(xml).toContain('Uphold partner');
    expect(xml).toContain('Evidence supports the partner&apos;s grade.');
    expect(xml).toContain('Progress on previous recommendations');
  });
});

describe('saving concurrently', () => {
  it('gives two simultaneous starts for one visit the same note (real PostgreSQL races them; the embedded database takes them in turn)', async () => {
    const visitId = await bookPast('2020-06-16', 'SUMMER');
    const [a, b] = await Promise.all([start(visitId), start(visitId)]);
    expect(a.errors, JSON.stringify(a.errors)).toBeUndefined();
    expect(b.errors, JSON.stringify(b.errors)).toBeUndefined();
    expect(a.data!.startNote.id).toBe(b.data!.startNote.id);
    const [row] = await t.app.orm.em
      .fork()
      .getConnection()
      .execute<{ n: number }[]>(`select count(*)::int as n from note_of_visit where visit_id = ?`, [visitId]);
    expect(row!.n).toBe(1);
  });

  it('lets one of two saves from the same version win; the other gets CONFLICT with the current version, and nothing is lost', async () => {
    const visitId = await bookPast('2020-05-12', 'SUMMER');
    const note = (await start(visitId)).data!.startNote;
    const [a, b] = await Promise.all([
      update(note.id, note.version, { summary: 'Saved from the laptop.' }),
      update(note.id, note.version, { summary: 'Saved from the tablet.' }),
    ]);
    const outcomes = [a, b].map((r) => (r.errors ? r.errors[0]!.extensions!.code : 'OK')).sort();
    expect(outcomes).toEqual(['CONFLICT', 'OK']);
    const winner = (a.errors ? b : a).data!.updateNote;
    const loser = (a.errors ? a : b).errors![0]!;
    expect(loser.extensions!.currentVersion).toBe(winner.version);
    const stored = (await gqlOk(`query($id: ID!) { note(id: $id) { version summary } }`, { id: note.id })).note;
    expect(stored).toEqual({ version: winner.version, summary: winner.summary });
  });
});

describe('deadlines and refusals', () => {
  it('counts working days past Christmas: a visit on Friday 18 December 2009 is due 29 December and 6 January', async () => {
    const note = (await start(await bookPast('2009-12-18'))).data!.startNote;
    expect(note).toMatchObject({ draftDueOn: '2009-12-29', circulationDueOn: '2010-01-06', overdue: true });
  });

  it('starts no note for a headteacher performance-management visit', async () => {
    const res = await start(await bookPast('2020-02-04', 'HEADTEACHER_PERFORMANCE_MANAGEMENT'));
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/no note of visit: leave the governors a feedback form/);
  });

  it('starts no note before the visit has taken place, nor for another partner’s visit', async () => {
    const future = (
      await gqlOk(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, {
        input: { schoolId: school.id, type: 'SPRING', startsAt: '2031-03-11T09:00:00+00:00', endsAt: '2031-03-11T12:00:00+00:00' },
      })
    ).bookVisit;
    expect((await start(future.id)).errors?.[0]?.message).toMatch(/not taken place yet/);
    const other = await t.app.orm.em.fork().findOneOrFail(Partner, { role: PartnerRole.PARTNER, id: { $ne: partnerId } });
    const colleague = await t.issuer.signForPerson(other.email);
    expect((await start(await bookPast('2020-06-09'), colleague)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('overdue notes and proportions', () => {
  it('lists late notes by partner: all for a manager, their own for a partner, counts only for a service', async () => {
    // A note of this partner's late whatever the day: a visit 30 days before the suite's clock, its draft not shared.
    const monthAgo = new Date(testClock.now().getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
    const late = (await start(await bookPast(monthAgo))).data!.startNote;
    const today = testToday();
    expect(late.draftDueOn < today && late.circulationDueOn < today).toBe(true);

    type LateNote = { id: string; overdue: boolean; status: string; draftDueOn: string; circulationDueOn: string; author: { id: string } };
    type Group = { partner: { id: string }; lateDrafts: number; lateCirculations: number; notes: LateNote[] };
    const query = `{ overdueNotes { partner { id } lateDrafts lateCirculations notes { id overdue status draftDueOn circulationDueOn author { id } } } }`;
    const all: Group[] = (await gqlOk(query, {}, t.managerToken)).overdueNotes;
    for (const group of all) {
      expect(group.notes.every((n) => n.overdue && n.author.id === group.partner.id)).toBe(true);
      // The counts are the rule applied to the suite's today (a draft may be late to share but not yet to circulate).
      expect(group.lateDrafts).toBe(group.notes.filter((n) => n.status === 'DRAFT' && n.draftDueOn < today).length);
      expect(group.lateCirculations).toBe(group.notes.filter((n) => n.circulationDueOn < today).length);
      expect(group.lateDrafts + group.lateCirculations).toBeGreaterThan(0);
    }
    const own = all.find((g) => g.partner.id === partnerId);
    expect(own?.notes.map((n) => n.id)).toContain(late.id);
    const mine: Group[] = (await gqlOk(query)).overdueNotes;
    expect(mine.map((g) => g.partner.id)).toEqual([partnerId]);
    expect(mine[0]).toEqual(own);
    const asService = (await gqlOk(query, {}, await t.serviceToken('Scrutiny'))).overdueNotes;
    expect(asService.map((g: { lateCirculations: number }) => g.lateCirculations)).toEqual(all.map((g: { lateCirculations: number }) => g.lateCirculations));
    expect(asService.every((g: { notes: unknown[] }) => g.notes.length === 0)).toBe(true);
  });

  it.each(
    [
      [100, 'almost all'],
      [97, 'almost all'],
      [96, 'most'],
      [80, 'most'],
      [79, 'large majority'],
      [65, 'large majority'],
      [64, 'majority'],
      [51, 'majority'],
      [50, 'half'],
      [49, 'minority'],
      [35, 'minority'],
      [34, 'small minority'],
      [20, 'small minority'],
      [19, 'few'],
      [4, 'few'],
      [3, 'almost none'],
      [0, 'almost none'],
    ].map(([percent, words]) => ({ percent, words })),
  )('$percent% reads "$words"', async ({ percent, words }) => {
    expect((await gqlOk(`query($p: Float!) { proportionWords(percent: $p) }`, { p: percent })).proportionWords).toBe(words);
  });

  it('refuses a proportion outside 0-100', async () => {
    expect((await t.gql(`{ proportionWords(percent: 101) }`)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
