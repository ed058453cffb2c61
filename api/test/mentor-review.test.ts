import { ref } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MentorReviewStatus, mentorReviewStatus, needsMentorReview } from '../src/notes/mentor-review.rules.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { DomainEvent } from '../src/platform/events/domain-event.entity.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Quality assurance I (issue 22, acceptance 1): a new partner's first note goes to their mentor
 * (seed 004 section 19) and cannot be shared until the mentor releases it. The people are made
 * here, new to the county (no allocations, no visits), so what the mentor may read is exactly
 * what the review opens; the visits are in 2019, before any demo visit, so nothing is carried in.
 */
let t: TestApp;
type Person = { id: string; name: string; token: string };
let mentor: Person;
let mentee: Person;
let stranger: Person;
let schoolId: string;

async function person(name: string, mentorId: string | null = null): Promise<Person> {
  const em = t.app.orm.em.fork();
  const partner = Object.assign(new Partner(), {
    name,
    email: `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@council.example`,
    role: PartnerRole.PARTNER,
    mentor: mentorId ? ref(em.getReference(Partner, mentorId)) : null,
  });
  await em.persist(partner).flush();
  return { id: partner.id, name, token: await t.issuer.signForPerson(partner.email) };
}

async function ok<T = Record<string, any>>(query: string, variables: Record<string, unknown>, who: Person | null): Promise<T> {
  const res = await t.gql<T>(query, variables, who ? { token: who.token } : {});
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

const REVIEW = 'required status mentor { id name } requestedAt releasedAt releasedBy { id } comments { comment kind author { id } }';
const NOTE = `id version status summary mentorReview { ${REVIEW} }`;
const GRADES = ['ACHIEVEMENT', 'QUALITY_OF_TEACHING', 'LEADERSHIP_AND_MANAGEMENT', 'BEHAVIOUR_AND_SAFETY', 'OVERALL_EFFECTIVENESS'].map((area) => ({
  area,
  schoolGrade: 2,
  partnerGrade: 2,
  evidenceBasis: 'REPORTED',
}));

/** A visit the mentee led, booked by the manager, with its note written and ready to share. */
async function writtenNote(date: string): Promise<{ id: string; version: number }> {
  const booked = await ok<{ bookVisit: { id: string } }>(
    `mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`,
    { input: { schoolId, type: 'AUTUMN', startsAt: `${date}T09:00:00Z`, endsAt: `${date}T13:00:00Z`, leadPartnerId: mentee.id } },
    null,
  );
  const started = await ok<{ startNote: { id: string; version: number } }>(
    `mutation($v: ID!) { startNote(visitId: $v) { id version } }`,
    { v: booked.bookVisit.id },
    mentee,
  );
  const saved = await ok<{ updateNote: { id: string; version: number } }>(
    `mutation($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { id version } }`,
    {
      id: started.startNote.id,
      v: started.startNote.version,
      input: { summary: 'Leaders know the school well; writing needs to improve.', judgements: GRADES },
    },
    mentee,
  );
  return saved.updateNote;
}

const share = (id: string, version: number, who: Person) =>
  t.gql(`mutation($id: ID!, $v: Int!) { shareNote(id: $id, expectedVersion: $v) { ${NOTE} } }`, { id, v: version }, { token: who.token });
const request = (id: string, version: number, who: Person) =>
  t.gql(`mutation($id: ID!, $v: Int!) { requestMentorReview(noteId: $id, expectedVersion: $v) { ${NOTE} } }`, { id, v: version }, { token: who.token });
const comment = (id: string, text: string, who: Person) =>
  t.gql(`mutation($id: ID!, $c: String!) { commentOnFirstNote(noteId: $id, comment: $c) { ${NOTE} } }`, { id, c: text }, { token: who.token });
const release = (id: string, text: string | null, who: Person | null) =>
  t.gql(`mutation($id: ID!, $c: String) { releaseNote(noteId: $id, comment: $c) { ${NOTE} } }`, { id, c: text }, who ? { token: who.token } : {});
const read = (id: string, who: Person) => t.gql(`query($id: ID!) { note(id: $id) { ${NOTE} } }`, { id }, { token: who.token });

async function events(noteId: string): Promise<string[]> {
  const rows = await t.app.orm.em.fork().find(DomainEvent, { noteId }, { orderBy: { id: 'asc' } });
  return rows.map((e) => e.kind);
}

beforeAll(async () => {
  t = await startTestApp();
  mentor = await person('Morwenna Mentor');
  mentee = await person('Nerys Newcomer', mentor.id);
  stranger = await person('Osian Other');
  schoolId = (await t.gql(`{ schools(first: 1, filter: { status: [OPEN], phase: [PRIMARY] }) { nodes { id } } }`)).data!.schools.nodes[0].id;
});
afterAll(() => t?.stop());

describe('the rule: which notes go to a mentor', () => {
  const facts = { hasMentor: true, thisNoteShared: false, otherNoteShared: false, reviewBegun: false };
  it('a partner with a mentor and no note ever shared: their note is a first note', () => {
    expect(needsMentorReview(facts)).toBe(true);
  });
  it('no mentor, a note already shared, or another note already shared: not a first note', () => {
    expect(needsMentorReview({ ...facts, hasMentor: false })).toBe(false);
    expect(needsMentorReview({ ...facts, thisNoteShared: true })).toBe(false);
    // a partner who shared notes before a mentor was set is not new
    expect(needsMentorReview({ ...facts, otherNoteShared: true })).toBe(false);
  });
  it('once a review has begun, the note stays under review whatever else is shared', () => {
    expect(needsMentorReview({ ...facts, otherNoteShared: true, reviewBegun: true })).toBe(true);
  });
  it('the status follows the request, the comments and the release', () => {
    const none = { requestedAt: null, releasedAt: null, commentCount: 0 };
    expect(mentorReviewStatus(false, none)).toBe(MentorReviewStatus.NOT_REQUIRED);
    expect(mentorReviewStatus(true, none)).toBe(MentorReviewStatus.NOT_REQUESTED);
    expect(mentorReviewStatus(true, { ...none, requestedAt: new Date() })).toBe(MentorReviewStatus.AWAITING_MENTOR);
    expect(mentorReviewStatus(true, { ...none, commentCount: 1 })).toBe(MentorReviewStatus.HANDED_BACK);
    expect(mentorReviewStatus(true, { ...none, commentCount: 1, releasedAt: new Date() })).toBe(MentorReviewStatus.RELEASED);
  });
});

describe("a new partner's first note and their mentor", () => {
  let note: { id: string; version: number };

  it('cannot be shared before the mentor sees it: CONFLICT, naming the mentor and what to do', async () => {
    note = await writtenNote('2019-10-08');
    const before = (await ok<{ note: any }>(`query($id: ID!) { note(id: $id) { ${NOTE} } }`, { id: note.id }, mentee)).note;
    expect(before.mentorReview).toMatchObject({ required: true, status: 'NOT_REQUESTED', mentor: { id: mentor.id }, comments: [] });

    const refused = await share(note.id, note.version, mentee);
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toContain(`send it to your mentor, ${mentor.name}, for review first`);
    // nor by a manager: the mentor (or a manager) releases it first
    expect(
      (await t.gql(`mutation($id: ID!, $v: Int!) { shareNote(id: $id, expectedVersion: $v) { id } }`, { id: note.id, v: note.version })).errors?.[0]?.extensions
        ?.code,
    ).toBe('CONFLICT');
    // the mentor does not read the draft before the partner sends it
    expect((await read(note.id, mentor)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('goes to the mentor, who reads it (and only reads it) and sees it waiting', async () => {
    const sent = await request(note.id, note.version, mentee);
    expect(sent.errors).toBeUndefined();
    expect(sent.data!.requestMentorReview.mentorReview).toMatchObject({ status: 'AWAITING_MENTOR' });
    note = sent.data!.requestMentorReview;
    expect(await events(note.id)).toContain('note.awaiting_mentor');

    // still not shareable while with the mentor
    const refused = await share(note.id, note.version, mentee);
    expect(refused.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toContain(`with your mentor, ${mentor.name}`);

    const read1 = await read(note.id, mentor);
    expect(read1.errors).toBeUndefined();
    expect(read1.data!.note.summary).toContain('Leaders know the school well');
    const waiting = await ok<{ notesAwaitingMyReview: { id: string; author: { id: string } }[] }>('{ notesAwaitingMyReview { id author { id } } }', {}, mentor);
    expect(waiting.notesAwaitingMyReview.map((n) => n.id)).toEqual([note.id]);
    expect((await ok<{ notesAwaitingMyReview: unknown[] }>('{ notesAwaitingMyReview { id } }', {}, stranger)).notesAwaitingMyReview).toEqual([]);
    // another partner still cannot read it
    expect((await read(note.id, stranger)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const edit = await t.gql(
      `mutation($id: ID!, $v: Int!) { updateNote(id: $id, expectedVersion: $v, input: { summary: "The mentor's words" }) { id } }`,
      { id: note.id, v: note.version },
      { token: mentor.token },
    );
    expect(edit.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('only the mentor (or a manager) comments or releases; the author cannot release their own', async () => {
    const own = await release(note.id, null, mentee);
    expect(own.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(own.errors?.[0]?.message).toContain('cannot release it yourself');
    expect((await release(note.id, null, stranger)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await comment(note.id, 'Looks fine to me.', stranger)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await comment(note.id, 'Looks fine to me.', mentee)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const state = (await ok<{ note: any }>(`query($id: ID!) { note(id: $id) { ${NOTE} } }`, { id: note.id }, mentee)).note;
    expect(state.mentorReview).toMatchObject({ status: 'AWAITING_MENTOR', comments: [], releasedAt: null });
  });

  it("the mentor's comment hands it back and survives the partner's save", async () => {
    const feedback = 'Make the summary evaluative: say how well writing is taught, not only that it needs to improve.';
    const handed = await comment(note.id, feedback, mentor);
    expect(handed.errors).toBeUndefined();
    expect(handed.data!.commentOnFirstNote.mentorReview).toMatchObject({
      status: 'HANDED_BACK',
      requestedAt: null,
      comments: [{ comment: feedback, kind: 'HANDED_BACK', author: { id: mentor.id } }],
    });
    expect(await events(note.id)).toContain('note.mentor_commented');
    note = handed.data!.commentOnFirstNote;

    const revised = await ok<{ updateNote: any }>(
      `mutation($id: ID!, $v: Int!) { updateNote(id: $id, expectedVersion: $v, input: { summary: "Teaching of writing is good in Key Stage 1 but inconsistent in Key Stage 2." }) { ${NOTE} } }`,
      { id: note.id, v: note.version },
      mentee,
    );
    expect(revised.updateNote.summary).toContain('inconsistent in Key Stage 2');
    expect(revised.updateNote.mentorReview.comments).toEqual([{ comment: feedback, kind: 'HANDED_BACK', author: { id: mentor.id } }]);
    note = revised.updateNote;
    // handed back is not released
    expect((await share(note.id, note.version, mentee)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    // the mentor cannot comment again until it is sent again
    expect((await comment(note.id, 'More.', mentor)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('sent again and released, it can be shared', async () => {
    note = (await request(note.id, note.version, mentee)).data!.requestMentorReview;
    const released = await release(note.id, 'Much better: ready to share.', mentor);
    expect(released.errors).toBeUndefined();
    expect(released.data!.releaseNote.mentorReview).toMatchObject({ status: 'RELEASED', releasedBy: { id: mentor.id } });
    expect(released.data!.releaseNote.mentorReview.comments.map((c: { kind: string }) => c.kind)).toEqual(['HANDED_BACK', 'RELEASED']);
    note = released.data!.releaseNote;
    expect(await events(note.id)).toEqual(['note.awaiting_mentor', 'note.mentor_commented', 'note.awaiting_mentor', 'note.mentor_released']);

    const shared = await share(note.id, note.version, mentee);
    expect(shared.errors, JSON.stringify(shared.errors)).toBeUndefined();
    expect(shared.data!.shareNote.status).toBe('SHARED');
    // the trail stays with the note once shared; the mentor still reads it
    expect(shared.data!.shareNote.mentorReview).toMatchObject({ required: true, status: 'RELEASED' });
    expect((await read(note.id, mentor)).errors).toBeUndefined();
  });

  it('the next note is not a first note: it is shared straight away', async () => {
    const second = await writtenNote('2019-11-12');
    const state = (await ok<{ note: any }>(`query($id: ID!) { note(id: $id) { ${NOTE} } }`, { id: second.id }, mentee)).note;
    expect(state.mentorReview).toMatchObject({ required: false, status: 'NOT_REQUIRED' });
    expect((await request(second.id, second.version, mentee)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const shared = await share(second.id, second.version, mentee);
    expect(shared.errors, JSON.stringify(shared.errors)).toBeUndefined();
  });

  it('a manager may release in the mentor’s place', async () => {
    const another = await person('Peredur Probationer', mentor.id);
    const original = mentee;
    mentee = another;
    try {
      const first = await writtenNote('2019-10-15');
      expect((await release(first.id, null, null)).errors).toBeUndefined();
      const state = (await ok<{ note: any }>(`query($id: ID!) { note(id: $id) { ${NOTE} } }`, { id: first.id }, another)).note;
      expect(state.mentorReview.status).toBe('RELEASED');
      expect((await share(first.id, state.version, another)).errors).toBeUndefined();
    } finally {
      mentee = original;
    }
  });
});
