import { ref } from '@mikro-orm/core';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Em } from '../src/platform/db/orm.js';
import { OutboundEmail } from '../src/mail/outbound-email.entity.js';
import { queueCirculation } from '../src/notes/note-circulation.js';
import { defaultDistribution } from '../src/notes/note-distribution.js';
import { NoteOfVisit } from '../src/notes/note-of-visit.entity.js';
import { NoteRecipient } from '../src/notes/note-recipient.entity.js';
import { NoteRevision } from '../src/notes/note-revision.entity.js';
import { RecipientRole } from '../src/notes/note.enums.js';
import { Contact } from '../src/schools/contact.embeddable.js';
import { RecordingTransport } from './support/recording-transport.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Circulation delivers (issue 17): each recipient on a note's distribution list
 * (headteacher, chair of governors and the council by default) gets the
 * circulated note through the outbox, as a Word attachment made when it is sent;
 * each send is on the note as a delivery with its state. Mail goes to a transport
 * the test controls, and only when the test runs the outbox.
 */
let t: TestApp;
let mail: RecordingTransport;
let school: { id: string; name: string; headteacher: { name: string; email: string }; chairOfGovernors: { name: string; email: string } };

const DELIVERIES = `deliveries { id toAddress toName recipientRole status attempts lastError nextAttemptAt sentAt subject attachmentName noteRevision }`;
const NOTE = `id version status revision distribution { role name email } ${DELIVERIES}`;
type Delivery = {
  id: string;
  toAddress: string;
  toName: string | null;
  recipientRole: string;
  status: string;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
  subject: string;
  attachmentName: string | null;
  noteRevision: number | null;
};

async function gqlOk(query: string, variables: Record<string, unknown> = {}) {
  const res = await t.gql(query, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

const noteById = async (id: string) => (await gqlOk(`query($id: ID!) { note(id: $id) { ${NOTE} } }`, { id })).note;
const circulate = (id: string, version: number) =>
  t.gql(`mutation($id: ID!, $v: Int!) { circulateNote(id: $id, expectedVersion: $v) { ${NOTE} } }`, { id, v: version });

const GRADES = ['ACHIEVEMENT', 'QUALITY_OF_TEACHING', 'LEADERSHIP_AND_MANAGEMENT', 'BEHAVIOUR_AND_SAFETY', 'OVERALL_EFFECTIVENESS'].map((area) => ({
  area,
  schoolGrade: 2,
  partnerGrade: 2,
  evidenceBasis: 'REPORTED_AND_OBSERVED',
}));

const open = (path: string, init?: RequestInit) => fetch(`${t.url}${path}`, { redirect: 'manual', ...init });

/** Shares the note and has the headteacher agree through the link they are emailed (the school's own way in). */
async function shareAndAgree(id: string, version: number) {
  const before = mail.sent.length;
  await gqlOk(`mutation($id: ID!, $v: Int!) { shareNote(id: $id, expectedVersion: $v) { status } }`, { id, v: version });
  await t.app.outbox.runOnce();
  const links = mail.sent
    .slice(before)
    .map((m) => /https?:\/\/\S+(\/school\/response\/\S+)/.exec(m.text)?.[1])
    .filter(Boolean);
  expect(links).toHaveLength(1);
  const path = links[0]!;
  const form = await (await open(path)).text();
  const formToken = /name="form_token" value="([^"]+)"/.exec(form)![1]!;
  const answered = await open(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ form_token: formToken, agreed: 'yes', respondent: 'The headteacher' }).toString(),
  });
  expect(answered.status).toBe(200);
  const agreed = await noteById(id);
  expect(agreed.status).toBe('AGREED');
  return agreed;
}

/** A visit in the past, its note started, written and agreed by the headteacher. */
async function agreedNote(date: string) {
  const visitId = (
    await gqlOk(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, {
      input: { schoolId: school.id, type: 'SPRING', startsAt: `${date}T09:00:00+00:00`, endsAt: `${date}T12:00:00+00:00` },
    })
  ).bookVisit.id as string;
  const started = (await gqlOk(`mutation($v: ID!) { startNote(visitId: $v) { ${NOTE} } }`, { v: visitId })).startNote;
  const written = (
    await gqlOk(`mutation($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { ${NOTE} } }`, {
      id: started.id,
      v: started.version,
      input: { summary: 'Leaders know the school well; writing in Key Stage 2 is improving.', judgements: GRADES },
    })
  ).updateNote;
  return { visitId, started, agreed: await shareAndAgree(written.id, written.version) };
}

const emailsOf = (noteId: string) => t.app.orm.em.fork().find(OutboundEmail, { note: noteId }, { orderBy: { createdAt: 'asc' } });

beforeAll(async () => {
  mail = new RecordingTransport();
  t = await startTestApp({ mailTransport: mail });
  // No timer and no kick: mail goes out exactly when a test runs the outbox (runOnce still works).
  await t.app.outbox.stop();
  school = (
    await t.gql(
      `{ schools(first: 1, filter: { status: [OPEN], phase: [PRIMARY] }) { nodes { id name headteacher { name email } chairOfGovernors { name email } } } }`,
    )
  ).data!.schools.nodes[0];
  expect(school.headteacher.email && school.chairOfGovernors.email).toBeTruthy();
});
afterAll(() => t?.stop());

describe('the default distribution list', () => {
  const council = { name: 'School improvement team', email: 'notes@council.example' };
  const contact = (name: string, email: string | null) => Object.assign(new Contact(), { name, email });

  it('is the headteacher, the chair of governors and the council, in that order', () => {
    expect(defaultDistribution({ headteacher: contact('Ann Able', 'Ann.Able@School.example'), chairOfGovernors: contact('Ben Best', null) }, council)).toEqual([
      { role: RecipientRole.HEADTEACHER, name: 'Ann Able', email: 'ann.able@school.example' },
      { role: RecipientRole.CHAIR_OF_GOVERNORS, name: 'Ben Best', email: null },
      { role: RecipientRole.COUNCIL, name: 'School improvement team', email: 'notes@council.example' },
    ]);
  });

  it('leaves out a contact the register does not know, and names one known only by email by their role', () => {
    expect(defaultDistribution({ headteacher: contact('', 'head@school.example'), chairOfGovernors: null }, council)).toEqual([
      { role: RecipientRole.HEADTEACHER, name: 'Headteacher', email: 'head@school.example' },
      { role: RecipientRole.COUNCIL, name: 'School improvement team', email: 'notes@council.example' },
    ]);
  });

  it("puts the council's configured address on a newly started note", async () => {
    const visitId = (
      await gqlOk(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, {
        input: { schoolId: school.id, type: 'AUTUMN', startsAt: '2020-10-06T09:00:00+00:00', endsAt: '2020-10-06T12:00:00+00:00' },
      })
    ).bookVisit.id;
    const note = (await gqlOk(`mutation($v: ID!) { startNote(visitId: $v) { ${NOTE} } }`, { v: visitId })).startNote;
    expect(note.distribution).toEqual([
      { role: 'HEADTEACHER', name: school.headteacher.name, email: school.headteacher.email.toLowerCase() },
      { role: 'CHAIR_OF_GOVERNORS', name: school.chairOfGovernors.name, email: school.chairOfGovernors.email.toLowerCase() },
      { role: 'COUNCIL', name: t.config.council.name, email: t.config.council.email },
    ]);
    expect(t.config.council.email).toBe('school.improvement@council.example'); // the development default
    expect(note.deliveries).toEqual([]);
  });
});

describe('circulating a note', () => {
  let note: { id: string; version: number };
  let deliveries: Delivery[];

  it('queues one email per recipient, in the same transaction, visible on the note before anything is sent', async () => {
    ({ agreed: note } = await agreedNote('2020-02-04'));
    const sentBefore = mail.sent.length;
    const res = await circulate(note.id, note.version);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const circulated = res.data!.circulateNote;
    expect(circulated.status).toBe('CIRCULATED');
    deliveries = circulated.deliveries;
    expect(deliveries.map((d) => [d.recipientRole, d.toAddress, d.toName])).toEqual(
      circulated.distribution.map((r: { role: string; name: string; email: string }) => [r.role, r.email, r.name]),
    );
    expect(deliveries.map((d) => d.recipientRole)).toEqual(['HEADTEACHER', 'CHAIR_OF_GOVERNORS', 'COUNCIL']);
    for (const d of deliveries) {
      expect(d).toMatchObject({
        status: 'QUEUED',
        attempts: 0,
        lastError: null,
        sentAt: null,
        noteRevision: 1,
        attachmentName: expect.stringMatching(/^Note of visit - .+ - 2020-02-04\.docx$/),
      });
      expect(d.subject).toBe(`Note of visit: ${school.name}, spring visit on Tuesday 4 February 2020`);
    }
    expect(mail.sent.length).toBe(sentBefore); // nothing goes until the outbox runs
    // The same sends are the visit's emails too (where a partner already looks for mail that did not go).
    const visitEmails = (await gqlOk(`query($id: ID!) { note(id: $id) { visit { emails { id } } } }`, { id: note.id })).note.visit.emails.map(
      (e: { id: string }) => e.id,
    );
    expect(visitEmails).toEqual(expect.arrayContaining(deliveries.map((d) => d.id)));
  });

  it('delivers each with the note attached as a Word document, and shows them sent', async () => {
    const sentBefore = mail.sent.length;
    expect(await t.app.outbox.runOnce()).toEqual({ sent: 3, failed: 0 });
    const messages = mail.sent.slice(sentBefore);
    expect(messages.map((m) => m.to).sort()).toEqual(deliveries.map((d) => d.toAddress).sort());
    for (const message of messages) {
      expect(message.toName).toBeTruthy();
      expect(message.text).toContain(`Please find attached the note of visit for ${school.name}`);
      expect(message.text).not.toMatch(/https?:\/\//); // the note travels as the attachment, with no link to keep secret
      expect(message.attachments).toHaveLength(1);
      const [attachment] = message.attachments!;
      expect(attachment!.filename).toBe(deliveries[0]!.attachmentName);
      expect(attachment!.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      const xml = await (await JSZip.loadAsync(attachment!.content)).file('word/document.xml')!.async('string');
      expect(xml).toContain('writing in Key Stage 2 is improving');
    }
    const seen = (await noteById(note.id)).deliveries as Delivery[];
    expect(seen.map((d) => d.id)).toEqual(deliveries.map((d) => d.id)); // oldest first, as queued
    for (const d of seen) expect(d).toMatchObject({ status: 'SENT', attempts: 1, lastError: null, sentAt: expect.any(String) });
    expect(await t.app.outbox.runOnce()).toEqual({ sent: 0, failed: 0 }); // sent once only
  });

  it('queues nothing when it is refused: a recipient without an email address', async () => {
    const { agreed } = await agreedNote('2020-03-03');
    // The list as a note agreed before addresses were checked could hold it: the chair without one.
    const em = t.app.orm.em.fork() as Em;
    const chair = await em.findOneOrFail(NoteRecipient, { note: agreed.id, role: RecipientRole.CHAIR_OF_GOVERNORS });
    chair.email = null;
    await em.flush();
    const version = (await noteById(agreed.id)).version;

    const refused = await circulate(agreed.id, version);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'distribution.1.email' });
    expect(refused.errors?.[0]?.message).toMatch(/^Chair of governors \(.+\) has no email address: add it to the distribution list/);
    const after = await noteById(agreed.id);
    expect(after).toMatchObject({ status: 'AGREED', deliveries: [] });
    expect(await emailsOf(agreed.id)).toEqual([]);
    expect(await t.app.orm.em.fork().count(NoteRevision, { note: agreed.id })).toBe(0);
  });

  it('refuses before writing anything when called on its own (the function circulateNote calls)', async () => {
    const { agreed } = await agreedNote('2020-03-17');
    const problem = await (t.app.orm.em.fork() as Em)
      .transactional(async (tx) => {
        const found = await tx.findOneOrFail(NoteOfVisit, { id: agreed.id });
        const head = (await found.distribution.load()).getItems()[0]!;
        head.email = '  ';
        const revision = Object.assign(new NoteRevision(), {
          note: ref(found),
          revision: 1,
          circulatedAt: new Date('2020-03-20T10:00:00Z'),
          circulatedBy: 'test',
          content: {},
        });
        tx.persist(revision);
        await queueCirculation(tx as Em, t.app.schoolSide, found, revision);
      })
      .catch((error: { message: string; extensions?: Record<string, unknown> }) => error);
    expect(problem).toMatchObject({
      message: expect.stringMatching(/^Headteacher \(.+\) has no email address/),
      extensions: expect.objectContaining({ field: 'distribution.0.email' }),
    });
    expect(await emailsOf(agreed.id)).toEqual([]);
  });
});

describe('a circulation that cannot go', () => {
  it('stays QUEUED with its attempts and the reason, and a retry sends it', async () => {
    const { agreed } = await agreedNote('2020-05-05');
    const circulated = (await circulate(agreed.id, agreed.version)).data!.circulateNote;
    mail.failing = true;
    try {
      expect(await t.app.outbox.runOnce()).toEqual({ sent: 0, failed: 3 });
    } finally {
      mail.failing = false;
    }
    const failing = (await noteById(circulated.id)).deliveries as (Delivery & { nextAttemptAt: string })[];
    expect(failing).toHaveLength(3);
    for (const d of failing) {
      expect(d).toMatchObject({
        status: 'QUEUED',
        attempts: 1,
        sentAt: null,
        lastError: expect.stringContaining('ECONNREFUSED'),
        nextAttemptAt: expect.any(String),
      });
    }

    // A manager (or the note's partner) sends one again now, through the email retry the visit's emails use.
    const retried = (await gqlOk(`mutation($id: ID!) { retryEmail(id: $id) { id status attempts sentAt } }`, { id: failing[2]!.id })).retryEmail;
    expect(retried).toMatchObject({ status: 'SENT', attempts: 2, sentAt: expect.any(String) });
    expect(mail.sent.at(-1)!.attachments?.[0]?.filename).toMatch(/\.docx$/);
    const states = ((await noteById(circulated.id)).deliveries as Delivery[]).map((d) => [d.recipientRole, d.status]);
    expect(states).toEqual([
      ['HEADTEACHER', 'QUEUED'],
      ['CHAIR_OF_GOVERNORS', 'QUEUED'],
      ['COUNCIL', 'SENT'],
    ]);
  });

  it('fails the attempt, not the outbox, when the document cannot be made', async () => {
    const { agreed } = await agreedNote('2020-06-09');
    await circulate(agreed.id, agreed.version);
    const em = t.app.orm.em.fork() as Em;
    const emails = await em.find(OutboundEmail, { note: agreed.id });
    const byRole = (role: RecipientRole) => emails.find((e) => e.recipientRole === role)!;
    // Two ways making the document can fail: a kind no renderer knows, and a failing statement
    // (an id PostgreSQL refuses), which must not spoil the transaction that records the attempt.
    byRole(RecipientRole.HEADTEACHER).attachment = { kind: 'unknown-kind', id: agreed.id, filename: 'x.docx' };
    byRole(RecipientRole.CHAIR_OF_GOVERNORS).attachment = { kind: 'note-revision-docx', id: 'not-a-uuid', filename: 'x.docx' };
    await em.flush();
    const before = mail.sent.length;
    const outcome = await t.app.outbox.runOnce(new Date(Date.now() + 3_600_000)); // the earlier test's retries fall due too
    expect(outcome.failed).toBe(2);
    const after = await emailsOf(agreed.id);
    const state = (role: RecipientRole) => after.find((e) => e.recipientRole === role)!;
    expect(state(RecipientRole.HEADTEACHER)).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: expect.stringContaining('unknown-kind'),
      nextAttemptAt: expect.any(Date),
    });
    expect(state(RecipientRole.CHAIR_OF_GOVERNORS)).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastError: expect.stringContaining('uuid'),
      nextAttemptAt: expect.any(Date),
    });
    expect(state(RecipientRole.COUNCIL)).toMatchObject({ status: 'sent', attempts: 1 });
    const failedIds = [state(RecipientRole.HEADTEACHER).id, state(RecipientRole.CHAIR_OF_GOVERNORS).id];
    expect(mail.sent.slice(before).filter((m) => failedIds.includes(m.id))).toEqual([]);
  });
});

describe('a corrected note', () => {
  it('is circulated again as its next revision, each send saying which', async () => {
    const { agreed } = await agreedNote('2020-07-07');
    const first = (await circulate(agreed.id, agreed.version)).data!.circulateNote;
    await t.app.outbox.runOnce(new Date(Date.now() + 86_400_000));
    const reopened = (
      await gqlOk(`mutation($id: ID!, $v: Int!) { correctNote(id: $id, expectedVersion: $v, reason: "A grade was mistyped") { ${NOTE} } }`, {
        id: first.id,
        v: first.version,
      })
    ).correctNote;
    expect(reopened.revision).toBe(2);
    const again = await shareAndAgree(reopened.id, reopened.version);
    const second = (await circulate(again.id, again.version)).data!.circulateNote;
    const deliveries = second.deliveries as Delivery[];
    expect(deliveries.map((d) => d.noteRevision)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(deliveries.slice(0, 3).every((d) => d.status === 'SENT')).toBe(true);
    expect(deliveries[3]!.subject).toBe(`Note of visit: ${school.name}, spring visit on Tuesday 7 July 2020 (revision 2)`);
    expect(deliveries[3]!.attachmentName).toMatch(/ - 2020-07-07 - revision 2\.docx$/);
    const sentBefore = mail.sent.length;
    await t.app.outbox.runOnce(new Date(Date.now() + 86_400_000));
    const revisionTwo = mail.sent.slice(sentBefore).filter((m) => deliveries.slice(3).some((d) => d.id === m.id));
    expect(revisionTwo).toHaveLength(3);
    expect(revisionTwo[0]!.text).toContain('This is revision 2 of the note: it corrects and replaces the version circulated before.');
  });
});
