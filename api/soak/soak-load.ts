import { callGraphql, succeeded, type Outcome } from './soak-client.js';
import type { SoakRecorder } from './soak-recorder.js';

/**
 * The mixed load: several partners (and a manager) reading, booking visits from
 * appointments and saving notes of visit, spread over every server like a load
 * balancer would. Some of it collides on purpose: two servers booking the same
 * appointment at once, two people saving the same note, saves from a stale copy.
 * Every acknowledged write goes into the ledger, to be found in the database later.
 */
export interface SoakPerson {
  email: string;
  token: string;
  /** Schools this person may book at. */
  schoolIds: string[];
  /** Draft notes this person may edit (their own; a manager's: everyone's). */
  noteIds: string[];
}

export interface BookingAck {
  icalUid: string;
  visitId: string;
  requestId: string;
  server: string;
}

export interface NoteWrite {
  noteId: string;
  /** The write's mark: in the summary and in every finding it saved. */
  mark: string;
  findings: number;
  requestId: string;
  server: string;
}

export interface NoteAck extends NoteWrite {
  /** The version the server said the note has after this save. */
  version: number;
}

export class Ledger {
  readonly bookings: BookingAck[] = [];
  /** Every save sent, acknowledged or not: an unanswered one may still have committed. */
  readonly noteAttempts = new Map<string, NoteWrite>();
  readonly noteAcks: NoteAck[] = [];
  /** Conflicts that were meant to happen (stale copies) and did. */
  staleRefused = 0;
  /** Saves refused because someone else saved first (races between people). */
  raceConflicts = 0;
  /** Same appointment booked through two servers at once: both answers name one visit. */
  crossServerBookings = 0;
}

export interface Target {
  name: string;
  url: string;
}

const READS = [
  `{ visits(first: 20) { totalCount nodes { id status startsAt school { name } } } }`,
  `{ schools(first: 10) { totalCount nodes { id name } } }`,
  `{ overdueNotes { lateDrafts lateCirculations } }`,
];
const NOTE_READ = `query($id: ID!) { note(id: $id) { id version summary findings { id text } } }`;
const BOOK = `mutation($input: BookVisitInput!) { bookVisit(input: $input) { id agenda { position } } }`;
const UPDATE_NOTE = `mutation($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { id version findings { id } } }`;

export interface LoadOptions {
  runId: string;
  targets: () => Target[];
  people: SoakPerson[];
  manager: SoakPerson;
  workers: number;
  deadline: number;
  recorder: SoakRecorder;
  ledger: Ledger;
  /** Pause between a worker's calls, so a 2-core machine shared with others is not saturated. */
  thinkMs?: number;
  /** Set to stop the workers before the deadline. */
  stop?: { requested: boolean };
}

export async function runLoad(options: LoadOptions): Promise<void> {
  const { people, manager, workers } = options;
  // Workers share people: two workers on one partner race on that partner's notes.
  const workerPeople = Array.from({ length: workers }, (_, i) => (i % 5 === 4 ? manager : people[i % people.length]!));
  await Promise.all(workerPeople.map((person, i) => worker(options, person, i)));
}

async function worker(o: LoadOptions, person: SoakPerson, index: number): Promise<void> {
  const copies = new Map<string, NoteCopy>();
  let turn = index;
  let seq = 0;
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
  const nextTarget = (): Target => {
    const targets = o.targets();
    return targets[turn++ % targets.length]!;
  };
  /** Calls a server; an idempotent call that got no answer goes once to another server, as a load balancer would. */
  const call = async (op: string, query: string, variables: Record<string, unknown>, idempotent: boolean): Promise<Outcome> => {
    const first = await callGraphql(nextTarget(), op, person.token, query, variables);
    o.recorder.record(first);
    const second = first.transport && idempotent && o.targets().length > 1 ? await callGraphql(nextTarget(), op, person.token, query, variables) : null;
    if (second) o.recorder.record(second);
    const last = second ?? first;
    // Told to wait (503) or no answer: back off a little, like a client would (shorter than
    // Retry-After, so the run sees the recovery as soon as it happens).
    if (last.transport || last.status === 503) await new Promise((r) => setTimeout(r, 250));
    return last;
  };

  while (Date.now() < o.deadline && !o.stop?.requested) {
    seq++;
    const roll = Math.random();
    if (roll < 0.45 || !person.noteIds.length) {
      const noteId = person.noteIds.length && Math.random() < 0.3 ? pick(person.noteIds) : null;
      const res = noteId ? await call('read note', NOTE_READ, { id: noteId }, true) : await call('read', pick(READS), {}, true);
      if (noteId && succeeded(res)) copies.set(noteId, copyOf(res.data!.note));
    } else if (roll < 0.7 && person.schoolIds.length) {
      await book(o, person, index, seq, call);
    } else {
      await saveNote(o, person, index, seq, copies, call);
    }
    await new Promise((r) => setTimeout(r, o.thinkMs ?? 20));
  }
}

type Call = (op: string, query: string, variables: Record<string, unknown>, idempotent: boolean) => Promise<Outcome>;

async function book(o: LoadOptions, person: SoakPerson, index: number, seq: number, call: Call): Promise<void> {
  const day = 1 + ((index * 7 + seq) % 27);
  const input = (icalUid: string) => ({
    schoolId: person.schoolIds[seq % person.schoolIds.length],
    type: 'SPRING',
    startsAt: `2033-02-${String(day).padStart(2, '0')}T09:00:00Z`,
    endsAt: `2033-02-${String(day).padStart(2, '0')}T12:00:00Z`,
    appointment: { icalUid },
  });
  const mine = o.ledger.bookings.filter((b) => b.icalUid.includes(`-w${index}-`));
  const ack = (res: Outcome, icalUid: string) => {
    if (!succeeded(res)) return null;
    const visitId = res.data!.bookVisit.id as string;
    o.ledger.bookings.push({ icalUid, visitId, requestId: res.requestId, server: res.server });
    return visitId;
  };
  const targets = o.targets();
  if (seq % 6 === 0 && targets.length >= 2) {
    // The same new appointment through two servers at the same moment: one visit, named by both.
    const icalUid = `${o.runId}-w${index}-${seq}-twice`;
    const [a, b] = await Promise.all(
      targets.slice(0, 2).map((t) => callGraphql(t, 'book (same appointment on two servers)', person.token, BOOK, { input: input(icalUid) })),
    );
    o.recorder.record(a!);
    o.recorder.record(b!);
    const ids = [ack(a!, icalUid), ack(b!, icalUid)].filter(Boolean);
    if (ids.length === 2) {
      o.ledger.crossServerBookings++;
      if (ids[0] !== ids[1]) o.recorder.flag(a!, `one appointment booked as two visits (${ids.join(', ')})`);
    }
  } else if (seq % 4 === 0 && mine.length) {
    // Booking an appointment again (Outlook saves it again): the same visit comes back.
    const earlier = mine[Math.floor(Math.random() * mine.length)]!;
    const res = await call('book (again)', BOOK, { input: input(earlier.icalUid) }, true);
    const visitId = ack(res, earlier.icalUid);
    if (visitId && visitId !== earlier.visitId) o.recorder.flag(res, `booking ${earlier.icalUid} again made visit ${visitId}, not ${earlier.visitId}`);
  } else {
    const icalUid = `${o.runId}-w${index}-${seq}`;
    ack(await call('book', BOOK, { input: input(icalUid) }, true), icalUid);
  }
}

/** What a worker last read or saved of a note: its version and the ids of its findings. */
interface NoteCopy {
  version: number;
  findingIds: string[];
}
const copyOf = (note: { version: number; findings: { id: string }[] }): NoteCopy => ({ version: note.version, findingIds: note.findings.map((f) => f.id) });

async function saveNote(o: LoadOptions, person: SoakPerson, index: number, seq: number, copies: Map<string, NoteCopy>, call: Call): Promise<void> {
  const noteId = person.noteIds[Math.floor(Math.random() * person.noteIds.length)]!;
  if (!copies.has(noteId)) {
    const read = await call('read note', NOTE_READ, { id: noteId }, true);
    if (!succeeded(read)) return;
    copies.set(noteId, copyOf(read.data!.note));
  }
  const { version: known, findingIds } = copies.get(noteId)!;
  // Now and then a save from a copy known to be stale: it must be refused.
  const stale = known > 1 && seq % 10 === 0;
  const mark = `${o.runId}:w${index}:${seq}`;
  const findings = 1 + (seq % 4);
  const input = {
    summary: `Soak summary ${mark}`,
    findings: Array.from({ length: findings }, (_, i) => ({ text: `Finding ${i + 1} of ${mark}`, evidenceBasis: 'OBSERVED' })),
    // Saves keep what they do not name; this save replaces the findings of the copy it was made from.
    remove: findingIds,
  };
  const res = await call(stale ? 'save note (stale copy)' : 'save note', UPDATE_NOTE, { id: noteId, v: stale ? known - 1 : known, input }, false);
  o.ledger.noteAttempts.set(mark, { noteId, mark, findings, requestId: res.requestId, server: res.server });
  if (succeeded(res)) {
    const version = res.data!.updateNote.version as number;
    if (stale) o.recorder.flag(res, `a save from stale version ${known - 1} of note ${noteId} was accepted`);
    o.ledger.noteAcks.push({ noteId, mark, findings, requestId: res.requestId, server: res.server, version });
    copies.set(noteId, copyOf(res.data!.updateNote));
  } else if (res.codes.includes('CONFLICT')) {
    if (stale) o.ledger.staleRefused++;
    else o.ledger.raceConflicts++;
    copies.delete(noteId); // reload before the next save
  } else {
    copies.delete(noteId); // unknown outcome (fault): reload
  }
}
