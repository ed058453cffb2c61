import { ref } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NoteOfVisit } from '../src/notes/note-of-visit.entity.js';
import { NoteStatus } from '../src/notes/note.enums.js';
import { NoteRecipient } from '../src/notes/note-recipient.entity.js';
import { RecipientRole } from '../src/mail/recipient-role.js';
import { runAs } from '../src/platform/audit/audit-context.js';
import type { Em } from '../src/platform/db/orm.js';
import { DomainEvent } from '../src/platform/events/domain-event.entity.js';
import { DomainEventKind, recordEvent } from '../src/platform/events/domain-events.js';
import { Visit } from '../src/visits/visit.entity.js';
import { plusDays } from '../src/platform/dates/bank-holidays.js';
import { businessDateOf } from '../src/platform/dates/today.js';
import { bookedVisits } from './support/booked-visits.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testClock } from './support/test-clock.js';

/**
 * The doors of the note's workflow record what happened (platform/events) in their own transaction:
 * the notifications and, later, other council systems read them. An event exists exactly when its
 * change was committed.
 */
let t: TestApp;
const em = () => t.app.orm.em.fork() as Em;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

/** A new note in `status` on a visit of the demo county without one, written by its lead partner. */
async function newNote(status: NoteStatus) {
  const e = em();
  const [row] = await e.execute<{ id: string }[]>(
    // Not a mentored partner's: their first note waits for the mentor (mentor-review.test.ts).
    `select v.id from visit v join partner p on p.id = v.lead_partner_id
      where not exists (select 1 from note_of_visit n where n.visit_id = v.id) and v.status <> 'cancelled' and v.type <> 'headteacher_performance_management'
        and p.mentor_id is null
      order by v.starts_at, v.id limit 1`,
  );
  // Some days of the year (the summer holiday) the demo county has no visit without a note: one is booked (the manager leads it).
  const visitId = row?.id ?? (await bookedVisits(t, 1))[0]!.id;
  const visit = await e.findOneOrFail(Visit, visitId, { populate: ['leadPartner'] });
  const now = testClock.now();
  const note = Object.assign(new NoteOfVisit(), {
    visit: ref(visit),
    author: visit.leadPartner,
    status,
    // A week and a fortnight from the suite's day, whatever the day.
    draftDueOn: plusDays(businessDateOf(now), 7),
    circulationDueOn: plusDays(businessDateOf(now), 14),
    summary: 'A good visit; the school knows its next steps.',
    ...(status === NoteStatus.DRAFT ? {} : { sharedAt: now, firstSharedAt: now }),
  });
  e.persist(note);
  // Someone to circulate it to.
  e.persist(
    Object.assign(new NoteRecipient(), {
      note: ref(note),
      position: 1,
      role: RecipientRole.COUNCIL,
      name: 'School improvement team',
      email: 'si@council.example',
    }),
  );
  await e.flush();
  return { id: note.id, visitId: visit.id, authorEmail: visit.leadPartner.getEntity().email };
}

const eventsOf = (noteId: string) => em().find(DomainEvent, { noteId }, { orderBy: { id: 'asc' } });

async function gql(query: string, variables: Record<string, unknown>, token?: string) {
  const res = await t.gql(query, variables, token ? { token } : {});
  expect(res.errors).toBeUndefined();
  return res.data!;
}

const ANSWER = `mutation($id: ID!, $agreed: Boolean!) { recordHeadteacherResponse(id: $id, agreed: $agreed, comment: "By phone", reason: "Given by phone") { id status version } }`;

describe('the doors record their events', () => {
  it('share → note.shared; agreed → note.agreed; circulate → note.circulated', async () => {
    const note = await newNote(NoteStatus.DRAFT);
    const token = await t.issuer.signForPerson(note.authorEmail);
    const shared = await t.gql(`mutation($id: ID!) { shareNote(id: $id, expectedVersion: 1) { id status } }`, { id: note.id }, { token });
    expect(shared.errors, JSON.stringify(shared.errors)).toBeUndefined();
    expect((await eventsOf(note.id)).map((e) => e.kind)).toEqual([DomainEventKind.NOTE_SHARED]);

    const agreed = await newNote(NoteStatus.SHARED);
    await gql(ANSWER, { id: agreed.id, agreed: true });
    const [event] = await eventsOf(agreed.id);
    expect(event).toMatchObject({ kind: DomainEventKind.NOTE_AGREED, visitId: agreed.visitId, actor: expect.stringMatching(/^partner:/) });
    const version = (await em().findOneOrFail(NoteOfVisit, agreed.id)).version;
    const circulated = await t.gql(`mutation($id: ID!, $v: Int!) { circulateNote(id: $id, expectedVersion: $v) { id status } }`, { id: agreed.id, v: version });
    expect(circulated.errors).toBeUndefined();
    expect((await eventsOf(agreed.id)).map((e) => e.kind)).toEqual([DomainEventKind.NOTE_AGREED, DomainEventKind.NOTE_CIRCULATED]);
  });

  it('dispute → note.disputed; moderate → note.moderated', async () => {
    const note = await newNote(NoteStatus.SHARED);
    await gql(ANSWER, { id: note.id, agreed: false });
    await gql(`mutation($id: ID!) { moderateNote(id: $id, decision: UPHOLD_PARTNER, comment: "The evidence supports the grades.") { id status } }`, {
      id: note.id,
    });
    expect((await eventsOf(note.id)).map((e) => e.kind)).toEqual([DomainEventKind.NOTE_DISPUTED, DomainEventKind.NOTE_MODERATED]);
  });

  it('a door that refuses records nothing', async () => {
    const note = await newNote(NoteStatus.DRAFT);
    // A draft not yet shared cannot be answered.
    const refused = await t.gql(ANSWER, { id: note.id, agreed: true });
    expect(refused.errors?.[0]?.extensions?.code).toBeDefined();
    expect(await eventsOf(note.id)).toEqual([]);
  });

  it('an event is not committed when its transaction fails', async () => {
    const note = await newNote(NoteStatus.DRAFT);
    await expect(
      runAs({ actor: 'system:test' }, () =>
        em().transactional(async (tx) => {
          recordEvent(tx as Em, { kind: DomainEventKind.NOTE_SHARED, noteId: note.id }, testClock.now());
          await tx.flush(); // written in the transaction...
          throw new Error('the change fails after the event was written');
        }),
      ),
    ).rejects.toThrow('the change fails');
    expect(await eventsOf(note.id)).toEqual([]); // ...and gone with it
    // The same, committed: there.
    await runAs({ actor: 'system:test' }, () =>
      em().transactional(async (tx) => {
        recordEvent(tx as Em, { kind: DomainEventKind.NOTE_SHARED, noteId: note.id }, testClock.now());
        await tx.flush();
      }),
    );
    expect((await eventsOf(note.id)).map((e) => [e.kind, e.actor])).toEqual([[DomainEventKind.NOTE_SHARED, 'system:test']]);
  });
});
