import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { academicYearOf } from '../src/platform/dates/academic-year.js';
import { businessDateOf } from '../src/platform/dates/today.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { RecordingTransport } from './support/recording-transport.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The note as a record nobody can lose or bypass: the headteacher's dispute survives
 * the partner's saves and reaches every place the note is shown; only moderation
 * leads a disputed note to circulation; a correction keeps identities and deadlines.
 */
let t: TestApp;
let mail: RecordingTransport;
let partnerToken: string;
let school: { id: string; headteacher: { name: string } };

const NOTE = `id version status revision overdue summary firstSharedAt firstCirculatedAt correctionReason
  judgements { id area schoolGrade partnerGrade insufficientEvidence evidenceBasis disagreementReason commentary headteacherComment }
  recommendations { id action successMeasure ownerRole dueOn }
  reviews { progress recommendation { id } }
  responses { revision agreed comment judgementComments { area comment } respondent recordedVia reason }
  revisions { revision correctionReason content }`;

async function gql(query: string, variables: Record<string, unknown> = {}, token = partnerToken) {
  return t.gql(query, variables, { token });
}
async function gqlOk(query: string, variables: Record<string, unknown> = {}, token = partnerToken) {
  const res = await gql(query, variables, token);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}
const update = (id: string, v: number, input: Record<string, unknown>, token = partnerToken) =>
  gql(
    `mutation($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { ${NOTE} } }`,
    { id, v, input },
    token,
  );
const share = (id: string, v: number) => gql(`mutation($id: ID!, $v: Int!) { shareNote(id: $id, expectedVersion: $v) { ${NOTE} } }`, { id, v });
const circulate = (id: string, v: number, token = partnerToken) =>
  gql(`mutation($id: ID!, $v: Int!) { circulateNote(id: $id, expectedVersion: $v) { ${NOTE} } }`, { id, v }, token);
const read = async (id: string, token = partnerToken) => (await gqlOk(`query($id: ID!) { note(id: $id) { ${NOTE} } }`, { id }, token)).note;

/** The app's own "now" (the suite's clock when it has one). */
const appNow = (): Date => (t.app as unknown as { clock?: { now(): Date } }).clock?.now() ?? new Date();
const daysAgo = (days: number) => new Date(appNow().getTime() - days * 86_400_000);

async function book(startsAt: Date, type = 'SPRING') {
  const endsAt = new Date(startsAt.getTime() + 3 * 3_600_000);
  return (
    await gqlOk(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, {
      input: { schoolId: school.id, type, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() },
    })
  ).bookVisit.id as string;
}

/** A note written for two headings (the others removed), shared, and the headteacher's link for it. */
async function sharedNote(visitId: string, recommendations: Record<string, unknown>[] = []) {
  const note = (await gqlOk(`mutation($v: ID!) { startNote(visitId: $v) { ${NOTE} } }`, { v: visitId })).startNote;
  const keep = ['ACHIEVEMENT', 'QUALITY_OF_TEACHING'];
  const written = await update(note.id, note.version, {
    summary: 'Leaders know the school well.',
    judgements: [
      { area: 'ACHIEVEMENT', schoolGrade: 2, partnerGrade: 2, evidenceBasis: 'REPORTED' },
      {
        area: 'QUALITY_OF_TEACHING',
        schoolGrade: 1,
        partnerGrade: 2,
        evidenceBasis: 'OBSERVED',
        disagreementReason: 'Teaching seen was good, not yet outstanding.',
      },
    ],
    recommendations,
    remove: note.judgements.filter((j: { area: string }) => !keep.includes(j.area)).map((j: { id: string }) => j.id),
  });
  expect(written.errors, JSON.stringify(written.errors)).toBeUndefined();
  for (const review of note.reviews) {
    const reviewed = await update(note.id, (await read(note.id)).version, {
      reviews: [{ recommendationId: review.recommendation.id, progress: 'IN_PROGRESS' }],
    });
    expect(reviewed.errors).toBeUndefined();
  }
  const before = mail.sent.length;
  const shared = await share(note.id, (await read(note.id)).version);
  expect(shared.errors, JSON.stringify(shared.errors)).toBeUndefined();
  await t.app.outbox.runOnce();
  const message = mail.sent.slice(before).find((m) => /\/school\/response\//.test(m.text))!;
  const path = /https?:\/\/\S+(\/school\/response\/\S+)/.exec(message.text)![1]!;
  return { note: shared.data!.shareNote, path };
}

async function answerByLink(path: string, fields: Record<string, string>) {
  const page = await (await fetch(`${t.url}${path}`)).text();
  const token = /name="form_token" value="([^"]+)"/.exec(page)![1]!;
  const res = await fetch(`${t.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ form_token: token, respondent: 'The headteacher', ...fields }).toString(),
  });
  expect(res.status).toBe(200);
  return page;
}

const recommendation = (n: number, dueOn: string) => ({
  action: `Action ${n}: raise attainment in writing.`,
  successMeasure: 'Most pupils reach the expected standard.',
  ownerRole: 'Deputy headteacher',
  dueOn,
});

beforeAll(async () => {
  mail = new RecordingTransport();
  t = await startTestApp({ mailTransport: mail });
  partnerToken = (await t.personWithRole(PartnerRole.PARTNER)).token;
  school = (await t.gql(`{ schools(first: 1, filter: { status: [OPEN], phase: [SECONDARY] }) { nodes { id headteacher { name } } } }`)).data!.schools.nodes[0];
});
afterAll(() => t?.stop());

describe("the headteacher's dispute", () => {
  let noteId: string;
  const COMMENT = 'Our own monitoring shows outstanding teaching in most lessons.';

  it('survives the partner’s saves and is shown to the partner', async () => {
    const { note, path } = await sharedNote(await book(new Date('2021-01-12T09:00:00Z')));
    noteId = note.id;
    await answerByLink(path, { agreed: 'no', comment_quality_of_teaching: COMMENT, comment: 'We disagree with the teaching grade.' });

    const disputed = await read(noteId);
    expect(disputed.status).toBe('DISPUTED');
    // The editor's autosave sends every judgement it shows, with its id: the headteacher's words stay.
    const resaved = await update(noteId, disputed.version, {
      summary: 'Leaders know the school well; teaching is discussed below.',
      judgements: disputed.judgements.map((j: Record<string, unknown>) => ({
        id: j.id,
        area: j.area,
        schoolGrade: j.schoolGrade,
        partnerGrade: j.partnerGrade,
        insufficientEvidence: j.insufficientEvidence,
        evidenceBasis: j.evidenceBasis,
        disagreementReason: j.disagreementReason,
        commentary: 'Seen in five lessons.',
      })),
    });
    expect(resaved.errors, JSON.stringify(resaved.errors)).toBeUndefined();
    const after = resaved.data!.updateNote;
    expect(after.judgements.find((j: { area: string }) => j.area === 'QUALITY_OF_TEACHING')).toMatchObject({
      headteacherComment: COMMENT,
      commentary: 'Seen in five lessons.',
    });
    expect(after.responses).toEqual([
      {
        revision: 1,
        agreed: false,
        comment: 'We disagree with the teaching grade.',
        judgementComments: [{ area: 'QUALITY_OF_TEACHING', comment: COMMENT }],
        respondent: 'The headteacher',
        recordedVia: 'LINK',
        reason: null,
      },
    ]);
    // A heading the headteacher commented on cannot be removed.
    const removing = await update(noteId, after.version, { remove: [after.judgements.find((j: { area: string }) => j.area === 'QUALITY_OF_TEACHING').id] });
    expect(removing.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' }, message: expect.stringMatching(/headteacher commented on this heading/) });
  });

  it('cannot be bypassed by the partner: no re-sharing, no answering for the headteacher, no circulation', async () => {
    const note = await read(noteId);
    expect((await share(noteId, note.version)).errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' }, message: expect.stringMatching(/moderates it/) });
    const answer = await gql(
      `mutation($id: ID!) { recordHeadteacherResponse(id: $id, agreed: true, comment: null, reason: "Agreed on the phone") { status } }`,
      { id: noteId },
    );
    expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await circulate(noteId, note.version)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await read(noteId)).status).toBe('DISPUTED');
  });

  it('is shown to the manager moderating, and kept in the circulated revision and the Word note', async () => {
    const queue = (await gqlOk(`{ disputedNotes { id headteacherComment judgements { area headteacherComment } responses { comment } } }`, {}, t.managerToken))
      .disputedNotes;
    const mine = queue.find((n: { id: string }) => n.id === noteId);
    expect(mine.judgements).toContainEqual({ area: 'QUALITY_OF_TEACHING', headteacherComment: COMMENT });
    expect(mine.responses).toEqual([{ comment: 'We disagree with the teaching grade.' }]);

    const moderated = (
      await gqlOk(
        `mutation($id: ID!) { moderateNote(id: $id, decision: UPHOLD_PARTNER, comment: "The evidence supports the partner.") { version } }`,
        { id: noteId },
        t.managerToken,
      )
    ).moderateNote;
    const circulated = await circulate(noteId, moderated.version);
    expect(circulated.errors, JSON.stringify(circulated.errors)).toBeUndefined();
    const content = circulated.data!.circulateNote.revisions[0].content;
    expect(content.judgements.find((j: { area: string }) => j.area === 'quality_of_teaching').headteacherComment).toBe(COMMENT);
    expect(content.responses[0]).toMatchObject({ agreed: false, comment: 'We disagree with the teaching grade.' });
    expect(content.moderationComment).toBe('The evidence supports the partner.');

    const res = await fetch(`${t.url}/exports/notes/${noteId}/note.docx`, { headers: { authorization: `Bearer ${partnerToken}` } });
    const xml = await (await JSZip.loadAsync(await res.arrayBuffer())).file('word/document.xml')!.async('string');
    expect(xml).toContain('Our own monitoring shows outstanding teaching in most lessons.');
    expect(xml).toContain('We disagree with the teaching grade.');
    expect(xml).toContain('The evidence supports the partner.');
  });

  it("is on the headteacher's page when a correction is shared again", async () => {
    const note = await read(noteId);
    const reopened = await gqlOk(`mutation($id: ID!, $v: Int!) { correctNote(id: $id, expectedVersion: $v, reason: "A date was wrong") { version } }`, {
      id: noteId,
      v: note.version,
    });
    const before = mail.sent.length;
    expect((await share(noteId, reopened.correctNote.version)).errors).toBeUndefined();
    await t.app.outbox.runOnce();
    const path = /https?:\/\/\S+(\/school\/response\/\S+)/.exec(mail.sent.slice(before).find((m) => /\/school\/response\//.test(m.text))!.text)![1]!;
    const page = await (await fetch(`${t.url}${path}`)).text();
    expect(page).toContain('Our own monitoring shows outstanding teaching in most lessons.');
    expect(page).toContain('The evidence supports the partner.');
    expect(page).toContain('A date was wrong');
  });
});

describe('corrections', () => {
  it('correct an earlier note whose recommendations a later note reviewed: ids survive, the save succeeds, a reviewed recommendation stays', async () => {
    const first = await sharedNote(await book(new Date('2021-03-02T09:00:00Z')), [recommendation(1, '2021-07-16'), recommendation(2, '2021-07-16')]);
    await answerByLink(first.path, { agreed: 'yes' });
    const circulated = await circulate(first.note.id, (await read(first.note.id)).version);
    expect(circulated.errors).toBeUndefined();
    const recommendationIds = circulated.data!.circulateNote.recommendations.map((r: { id: string }) => r.id);

    const later = await sharedNote(await book(new Date('2021-05-11T09:00:00Z')));
    expect(later.note.reviews.map((r: { recommendation: { id: string } }) => r.recommendation.id).sort()).toEqual([...recommendationIds].sort());

    const corrected = (
      await gqlOk(`mutation($id: ID!, $v: Int!) { correctNote(id: $id, expectedVersion: $v, reason: "Recommendation 2 was due in June") { ${NOTE} } }`, {
        id: first.note.id,
        v: circulated.data!.circulateNote.version,
      })
    ).correctNote;
    // The editor's autosave: every recommendation with its id.
    const saved = await update(first.note.id, corrected.version, {
      recommendations: corrected.recommendations.map((r: Record<string, string>, i: number) => ({
        id: r.id,
        action: r.action,
        successMeasure: r.successMeasure,
        ownerRole: r.ownerRole,
        dueOn: i === 1 ? '2021-06-18' : r.dueOn,
      })),
    });
    expect(saved.errors, JSON.stringify(saved.errors)).toBeUndefined();
    expect(saved.data!.updateNote.recommendations.map((r: { id: string }) => r.id)).toEqual(recommendationIds);
    expect(saved.data!.updateNote.recommendations[1].dueOn).toBe('2021-06-18');

    const removing = await update(first.note.id, saved.data!.updateNote.version, { remove: [recommendationIds[0]] });
    expect(removing.errors?.[0]).toMatchObject({
      extensions: { code: 'CONFLICT' },
      message: expect.stringMatching(/^Recommendation 1 was reviewed in the note of a later visit \(2021-05-11\)/),
    });
  });

  it('a corrected on-time note is neither overdue nor late in the reports, and keeps its first circulation', async () => {
    const visitStart = daysAgo(2);
    const { note, path } = await sharedNote(await book(visitStart));
    await answerByLink(path, { agreed: 'yes' });
    const circulated = (await circulate(note.id, (await read(note.id)).version)).data!.circulateNote;
    const firstCirculatedAt = circulated.firstCirculatedAt;
    expect(firstCirculatedAt).not.toBeNull();

    const reopened = (
      await gqlOk(`mutation($id: ID!, $v: Int!) { correctNote(id: $id, expectedVersion: $v, reason: "Typo in the summary") { ${NOTE} } }`, {
        id: note.id,
        v: circulated.version,
      })
    ).correctNote;
    expect(reopened).toMatchObject({ status: 'DRAFT', revision: 2, overdue: false, firstCirculatedAt });

    // The correction is open again: still not overdue, and not late in the report.
    const overdue = (await gqlOk(`{ overdueNotes { notes { id } } }`, {}, t.managerToken)).overdueNotes;
    expect(overdue.flatMap((g: { notes: { id: string }[] }) => g.notes.map((n) => n.id))).not.toContain(note.id);
    const year = academicYearOf(businessDateOf(visitStart));
    const rows = (await gqlOk(`query($y: String!) { noteTimelinessReport(academicYear: $y) { partner { id } onTime late } }`, { y: year }, t.managerToken))
      .noteTimelinessReport;
    const before = rows.reduce((sum: number, r: { late: number }) => sum + r.late, 0);
    const recirculate = async () => {
      const shared = (await share(note.id, (await read(note.id)).version)).data!.shareNote;
      expect(shared).toBeTruthy();
      await t.app.outbox.runOnce();
    };
    await recirculate();
    const after = (await gqlOk(`query($y: String!) { noteTimelinessReport(academicYear: $y) { late } }`, { y: year }, t.managerToken)).noteTimelinessReport;
    expect(after.reduce((sum: number, r: { late: number }) => sum + r.late, 0)).toBe(before);
    expect((await read(note.id)).firstSharedAt).toBe(circulated.firstSharedAt);
  });
});
