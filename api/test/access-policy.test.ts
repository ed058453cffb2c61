import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessPolicy } from '../src/platform/auth/access-policy.js';
import { personPrincipal, ServiceRole, type Principal } from '../src/platform/auth/principal.js';
import type { Em } from '../src/platform/db/orm.js';
import { NoteOfVisit } from '../src/notes/note-of-visit.entity.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { NoteStatus } from '../src/notes/note.enums.js';
import { assertCanEditNote, canSeeNote } from '../src/notes/note.access.js';
import { assertCanEditVisit } from '../src/visits/visit.access.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testClock } from './support/test-clock.js';

/**
 * Who may change what, decided by the policy the mutations (issues 4 and 5) call;
 * here on real demo records.
 */
let t: TestApp;
let em: Em;
let note: NoteOfVisit;
let lead: Partner;
let colleague: Partner;
let manager: Partner;

beforeAll(async () => {
  t = await startTestApp();
  em = t.app.orm.em.fork() as Em;
  note = (await em.findOne(NoteOfVisit, { status: { $ne: null } }, { populate: ['visit', 'author'] }))!;
  lead = note.author.getEntity();
  colleague = (await em.findOne(Partner, { role: PartnerRole.PARTNER, id: { $ne: lead.id } }))!;
  manager = (await em.findOne(Partner, { role: PartnerRole.MANAGER }))!;
  expect(note.visit.getEntity().leadPartner.id).toBe(lead.id);
});
afterAll(() => t?.stop());

const person = (p: Partner): Principal => personPrincipal(p);
const service: Principal = { kind: 'service', name: 'Finance', roles: new Set([ServiceRole.READ, ServiceRole.RISK_CATEGORIES]), auditName: 'service:Finance' };
const policy = (p: Principal) => new AccessPolicy(p, em, testClock);
const refused = expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) });

describe('editing', () => {
  it('lets the lead partner and a manager change a visit, and nobody else', () => {
    const visit = note.visit.getEntity();
    expect(() => assertCanEditVisit(policy(person(lead)), visit)).not.toThrow();
    expect(() => assertCanEditVisit(policy(person(manager)), visit)).not.toThrow();
    expect(() => assertCanEditVisit(policy(person(colleague)), visit)).toThrow(refused);
    expect(() => assertCanEditVisit(policy(service), visit)).toThrow(refused);
  });

  it('lets the author and a manager change a note, and nobody else', () => {
    expect(() => assertCanEditNote(policy(person(lead)), note)).not.toThrow();
    expect(() => assertCanEditNote(policy(person(manager)), note)).not.toThrow();
    expect(() => assertCanEditNote(policy(person(colleague)), note)).toThrow(refused);
    expect(() => assertCanEditNote(policy(service), note)).toThrow(refused);
  });

  it('keeps allocating and moderating to managers', () => {
    expect(() => policy(person(manager)).assertManager('allocate partners')).not.toThrow();
    expect(() => policy(person(lead)).assertManager('allocate partners')).toThrow(refused);
    expect(() => policy(service).assertManager('moderate notes')).toThrow(refused);
  });
});

describe('reading a note', () => {
  it('answers a service asking for a note not yet circulated the same way through GraphQL and the Word download', async () => {
    const draft = (await em.findOne(NoteOfVisit, { status: NoteStatus.DRAFT }, { populate: ['author'] }))!;
    expect(canSeeNote(policy(service), draft)).toBe(false);
    expect(canSeeNote(policy(person(draft.author.getEntity())), draft)).toBe(true);
    expect(canSeeNote(policy(service), note)).toBe(note.status === NoteStatus.CIRCULATED);
    const token = await t.serviceToken('Finance');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const graphql = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: 'query($id: ID!) { note(id: $id) { id } }', variables: { id: draft.id } }),
    });
    const graphqlError = ((await graphql.json()) as { errors: { message: string; extensions: { code: string } }[] }).errors[0]!;
    const download = await fetch(`${t.url}/exports/notes/${draft.id}/note.docx`, { headers });
    const downloadError = ((await download.json()) as { errors: { message: string; extensions: { code: string } }[] }).errors[0]!;
    expect(graphqlError.extensions.code).toBe('FORBIDDEN');
    expect(download.status).toBe(403);
    expect(downloadError).toEqual({ message: graphqlError.message, extensions: expect.objectContaining({ code: 'FORBIDDEN' }) });
  });
});
