import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessPolicy } from '../src/platform/auth/access-policy.js';
import { personPrincipal, ServiceRole, type Principal } from '../src/platform/auth/principal.js';
import type { Em } from '../src/platform/db/orm.js';
import { NoteOfVisit } from '../src/notes/note-of-visit.entity.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
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
    expect(() => policy(person(lead)).assertCanEditVisit(visit)).not.toThrow();
    expect(() => policy(person(manager)).assertCanEditVisit(visit)).not.toThrow();
    expect(() => policy(person(colleague)).assertCanEditVisit(visit)).toThrow(refused);
    expect(() => policy(service).assertCanEditVisit(visit)).toThrow(refused);
  });

  it('lets the author and a manager change a note, and nobody else', () => {
    expect(() => policy(person(lead)).assertCanEditNote(note)).not.toThrow();
    expect(() => policy(person(manager)).assertCanEditNote(note)).not.toThrow();
    expect(() => policy(person(colleague)).assertCanEditNote(note)).toThrow(refused);
    expect(() => policy(service).assertCanEditNote(note)).toThrow(refused);
  });

  it('keeps allocating and moderating to managers', () => {
    expect(() => policy(person(manager)).assertManager('allocate partners')).not.toThrow();
    expect(() => policy(person(lead)).assertManager('allocate partners')).toThrow(refused);
    expect(() => policy(service).assertManager('moderate notes')).toThrow(refused);
  });
});
