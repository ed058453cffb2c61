import { readFileSync } from 'node:fs';
import { buildSchema, isInterfaceType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_FIELDS } from '../src/app/service-fields.js';
import { ServiceRole } from '../src/platform/auth/principal.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Services read an explicit allow-list of fields (issue 20; app/service-fields.ts, enforced
 * before execution by platform/graphql/service-fields.plugin.ts): personal contact details
 * only with Contacts.Read.All, the school's section only with SchoolSections.Read.All.
 */
const schema = buildSchema(readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));

describe('the allow-list', () => {
  it('decides every field of schema/schema.graphql, and names no field the schema lacks', () => {
    const fields = Object.values(schema.getTypeMap())
      .filter((type) => !type.name.startsWith('__') && (isObjectType(type) || isInterfaceType(type)))
      .flatMap((type) => Object.keys((type as { getFields(): object }).getFields()).map((field) => `${type.name}.${field}`));
    expect(fields.length).toBeGreaterThan(300);
    // a new field needs a line in app/service-fields.ts: allowed, allowed with an app role, or denied
    expect(fields.filter((f) => !SERVICE_FIELDS.has(f))).toEqual([]);
    expect([...SERVICE_FIELDS.keys()].filter((f) => !fields.includes(f))).toEqual([]);
  });

  it('keeps contact details and the school section behind their app roles', () => {
    for (const field of [
      'Contact.email',
      'Partner.email',
      'VisitAttendee.email',
      'NoteRecipient.email',
      'AccessLink.recipientEmail',
      'OutboundEmail.toAddress',
    ]) {
      expect(SERVICE_FIELDS.get(field), field).toEqual({ grant: ServiceRole.CONTACTS });
    }
    for (const field of ['Visit.schoolSection', 'SchoolSection.selfEvaluation', 'SchoolSelfEvaluation.grade']) {
      expect(SERVICE_FIELDS.get(field), field).toEqual({ grant: ServiceRole.SCHOOL_SECTIONS });
    }
    expect(SERVICE_FIELDS.get('Mutation.bookVisit')).toBe('deny');
  });
});

describe('a service', () => {
  let t: TestApp;
  let reader: string;
  let contactsReader: string;
  let sectionsReader: string;
  let schoolId: string;
  let visitWithSection: string;

  beforeAll(async () => {
    t = await startTestApp();
    reader = await t.serviceToken('Finance');
    contactsReader = await t.serviceToken('Governor services', [ServiceRole.READ, ServiceRole.CONTACTS]);
    sectionsReader = await t.serviceToken('Standards', [ServiceRole.READ, ServiceRole.SCHOOL_SECTIONS]);
    schoolId = (await t.gql(`{ schools(first: 1) { nodes { id } } }`)).data!.schools.nodes[0].id;
    // a visit with the school's section in the demo data (or any visit: the refusal comes before any record is read)
    const visits = (await t.gql(`{ visits(first: 100, filter: { status: [COMPLETED] }) { nodes { id schoolSection { id } } } }`)).data!.visits.nodes;
    visitWithSection = (visits.find((v: { schoolSection: unknown }) => v.schoolSection) ?? visits[0]).id;
  });
  afterAll(() => t?.stop());

  const refusal = (res: Awaited<ReturnType<TestApp['gql']>>) => ({
    code: res.errors?.[0]?.extensions?.code,
    message: res.errors?.[0]?.message,
    data: res.data,
  });

  it("reads a school's register details and the headteacher's name, but their email address only with Contacts.Read.All", async () => {
    const plain = await t.gql(`query($id: ID!) { school(id: $id) { name headteacher { name } } }`, { id: schoolId }, { token: reader });
    expect(plain.errors).toBeUndefined();
    expect(plain.data!.school.name).toBeTruthy();

    const email = `query($id: ID!) { school(id: $id) { name headteacher { name email } } }`;
    const refused = await t.gql(email, { id: schoolId }, { token: reader });
    expect(refused.status).toBe(403);
    expect(refusal(refused)).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining(`Contact.email needs the ${ServiceRole.CONTACTS} app role`) });
    expect(refused.data ?? null).toBeNull();

    const granted = await t.gql(email, { id: schoolId }, { token: contactsReader });
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.school.headteacher).toHaveProperty('email');
  });

  it('is refused a field reached through a fragment or an inline fragment, as directly', async () => {
    const viaFragment = await t.gql(
      `query($id: ID!) { school(id: $id) { ...Who } } fragment Who on School { name chairOfGovernors { ... on Contact { email } } }`,
      { id: schoolId },
      { token: reader },
    );
    expect(refusal(viaFragment)).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('Contact.email') });
    const partners = await t.gql(`{ partners(first: 5) { nodes { ...P } } } fragment P on Partner { name email }`, {}, { token: reader });
    expect(refusal(partners)).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('Partner.email') });
  });

  it("reads a visit list through the read view, but not the attendees' addresses or the school's section without their roles", async () => {
    const list = await t.gql(`{ visits(first: 5) { totalCount nodes { id startsAt school { name } } } }`, {}, { token: reader });
    expect(list.errors).toBeUndefined();
    expect(list.data!.visits.nodes.length).toBeGreaterThan(0);
    const attendees = await t.gql(`{ visits(first: 5) { nodes { id attendees { role email } } } }`, {}, { token: reader });
    expect(refusal(attendees)).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('VisitAttendee.email') });

    const section = `query($id: ID!) { visit(id: $id) { id schoolSection { selfEvaluation { area grade } } } }`;
    const refused = await t.gql(section, { id: visitWithSection }, { token: reader });
    expect(refusal(refused)).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining(`Visit.schoolSection needs the ${ServiceRole.SCHOOL_SECTIONS} app role`),
    });
    // the contacts grant is not the section's
    expect(refusal(await t.gql(section, { id: visitWithSection }, { token: contactsReader })).code).toBe('FORBIDDEN');
    const granted = await t.gql(section, { id: visitWithSection }, { token: sectionsReader });
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.visit.id).toBe(visitWithSection);
  });

  it('is refused what only serves a person, and every change', async () => {
    expect(refusal(await t.gql(`{ me { id } }`, {}, { token: reader }))).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('Query.me is not for services'),
    });
    const change = await t.gql(`mutation { removeCouncilClosureDays(dates: ["2027-01-04"]) { rescheduledNotes } }`, {}, { token: reader });
    expect(refusal(change)).toMatchObject({ code: 'FORBIDDEN', message: 'Services can read through this API but not change anything.' });
  });

  it('leaves people alone: a manager reads the contact details without any app role', async () => {
    const res = await t.gql(`query($id: ID!) { school(id: $id) { headteacher { email } } }`, { id: schoolId });
    expect(res.errors).toBeUndefined();
  });
});
