import type { DevIssuer } from '../src/platform/auth/dev-issuer.js';
import { callGraphql, succeeded } from './soak-client.js';
import type { SoakPerson, Target } from './soak-load.js';

/**
 * The soak's cast, from the demo county: some partners with the schools they
 * visit, a manager, and fresh draft notes to save (each partner books two visits
 * that took place last week and starts their notes through the API).
 */
export interface Directory {
  /** Active people with this role, by name; with the schools they visit when the directory knows them. */
  people(role: 'partner' | 'manager'): Promise<{ email: string; schoolIds?: string[] }[]>;
}

/** The schools of the visits a partner sees (their own), through the API. */
async function schoolsViaApi(target: Target, token: string): Promise<string[]> {
  const res = await callGraphql(target, 'set-up', token, '{ visits(first: 20) { nodes { school { id } } } }');
  if (!succeeded(res)) throw new Error(`set-up: could not list visits: ${JSON.stringify(res.codes)} ${res.transport ?? ''}`);
  return [...new Set<string>(res.data!.visits.nodes.map((v: { school: { id: string } }) => v.school.id))].slice(0, 4);
}

const BOOK = `mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`;
const START_NOTE = `mutation($id: ID!) { startNote(visitId: $id) { id version } }`;

export async function prepareCast(
  target: Target,
  directory: Directory,
  issuer: DevIssuer,
  options: { runId: string; partners: number; notesEach: number },
): Promise<{ people: SoakPerson[]; manager: SoakPerson }> {
  const sign = (email: string) => issuer.signForPerson(email, { lifetimeSeconds: 6 * 3600 });
  const partners = (await directory.people('partner')).slice(0, options.partners);
  if (!partners.length) throw new Error('no active partners in the database: the soak needs the demo county');
  const people: SoakPerson[] = [];
  for (const [p, partner] of partners.entries()) {
    const token = await sign(partner.email);
    const person: SoakPerson = { email: partner.email, token, schoolIds: partner.schoolIds ?? (await schoolsViaApi(target, token)), noteIds: [] };
    for (let n = 0; n < options.notesEach && person.schoolIds.length; n++) {
      const day = new Date(Date.now() - (7 + p * options.notesEach + n) * 86_400_000).toISOString().slice(0, 10);
      const input = {
        schoolId: person.schoolIds[n % person.schoolIds.length],
        type: 'SPRING',
        startsAt: `${day}T09:00:00Z`,
        endsAt: `${day}T12:00:00Z`,
        appointment: { icalUid: `${options.runId}-setup-${p}-${n}` },
      };
      const booked = await callGraphql(target, 'set-up', person.token, BOOK, { input });
      if (!succeeded(booked)) throw new Error(`set-up: booking failed: ${JSON.stringify(booked.codes)} (HTTP ${booked.status}, ${booked.transport ?? ''})`);
      const started = await callGraphql(target, 'set-up', person.token, START_NOTE, { id: booked.data!.bookVisit.id });
      if (!succeeded(started)) throw new Error(`set-up: startNote failed: ${JSON.stringify(started.codes)}`);
      person.noteIds.push(started.data!.startNote.id);
    }
    people.push(person);
  }
  const [managerRow] = await directory.people('manager');
  if (!managerRow) throw new Error('no active manager in the database');
  const manager: SoakPerson = { email: managerRow.email, token: await sign(managerRow.email), schoolIds: [], noteIds: people.flatMap((p) => p.noteIds) };
  return { people, manager };
}
