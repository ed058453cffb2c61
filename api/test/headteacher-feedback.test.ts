import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailMessage } from '../src/platform/mail/mail-transport.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { RecordingTransport } from './support/recording-transport.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The headteacher's feedback on their partner (seed 004 section 19), recorded on a pro forma
 * reached through a signed link, as the response is: request → email → page → form → stored.
 */
let t: TestApp;
let mail: RecordingTransport;
let partner: Partner;
let partnerToken: string;
let school: { id: string; name: string; headteacher: { email: string } };

const open = (path: string, init?: RequestInit) => fetch(`${t.url}${path}`, { redirect: 'manual', ...init });
const formToken = (page: string) => /name="form_token" value="([^"]+)"/.exec(page)![1]!;
const post = (path: string, fields: Record<string, string>) =>
  open(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
const linkIn = (message: MailMessage) => {
  const match = /https?:\/\/\S+(\/school\/feedback\/\S+)/.exec(message.text);
  expect(match, message.text).not.toBeNull();
  return match![1]!;
};

async function gqlOk(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await t.gql(query, variables, token ? { token } : {});
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}
const REQUEST = `mutation($s: ID!, $p: ID) { requestHeadteacherFeedback(schoolId: $s, partnerId: $p) { id purpose recipientEmail } }`;

beforeAll(async () => {
  mail = new RecordingTransport();
  t = await startTestApp({ mailTransport: mail });
  ({ partner, token: partnerToken } = await t.personWithRole(PartnerRole.PARTNER));
  school = (await t.gql(`{ schools(first: 1, filter: { status: [OPEN], phase: [PRIMARY] }) { nodes { id name headteacher { email } } } }`)).data!.schools
    .nodes[0];
});
afterAll(() => t?.stop());

describe("the headteacher's feedback on their partner", () => {
  it('is refused for a partner who never visited the school, and to anyone but a senior adviser', async () => {
    const other = await t.app.orm.em
      .fork()
      .findOneOrFail(Partner, { role: PartnerRole.PARTNER, active: true, id: { $ne: partner.id } }, { orderBy: { name: 'desc' } });
    const none = await t.gql(REQUEST, { s: school.id, p: other.id });
    expect(none.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(none.errors?.[0]?.message).toContain('no visit');
    const byPartner = await t.gql(REQUEST, { s: school.id, p: partner.id }, { token: partnerToken });
    expect(byPartner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('arrives through its link: request, email, page, form, stored with its event; the link then refuses a second submission', async () => {
    const visitId = (
      await gqlOk(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, {
        input: { schoolId: school.id, leadPartnerId: partner.id, type: 'SPRING', startsAt: '2027-02-24T09:00:00+00:00', endsAt: '2027-02-24T12:00:00+00:00' },
      })
    ).bookVisit.id;
    const before = mail.sent.length;
    const link = (await gqlOk(REQUEST, { s: school.id, p: partner.id })).requestHeadteacherFeedback;
    expect(link).toMatchObject({ purpose: 'PARTNER_FEEDBACK', recipientEmail: school.headteacher.email.toLowerCase() });
    await t.app.outbox.runOnce();
    expect(mail.sent.length).toBe(before + 1);
    const message = mail.sent.at(-1)!;
    expect(message.to).toBe(school.headteacher.email.toLowerCase());
    expect(message.text).toContain(partner.name);
    const path = linkIn(message);

    // the partner does not see the request among their visit's links
    const theirLinks = (await gqlOk(`query($id: ID!) { visit(id: $id) { accessLinks { purpose } } }`, { id: visitId }, partnerToken)).visit.accessLinks;
    expect(theirLinks).not.toContainEqual({ purpose: 'PARTNER_FEEDBACK' });

    const page = await open(path);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('<legend>Challenge and support</legend>');
    expect(html).toContain('<label for="respondent">Your name and role</label>');

    // a form missing answers comes back with the error summary, as typed
    const incomplete = await post(path, { form_token: formToken(html), challenge_and_support: '2', comments: 'Typed & kept', respondent: '' });
    expect(incomplete.status).toBe(400);
    const again = await incomplete.text();
    expect(again).toContain('There is a problem');
    expect(again).toContain('href="#knowledge_of_school_1"');
    expect(again).toContain('Typed &amp; kept');
    expect(again).toMatch(/id="challenge_and_support_2"[^>]*checked/);

    const sent = await post(path, {
      form_token: formToken(html),
      challenge_and_support: '1',
      knowledge_of_school: '2',
      quality_of_notes: '0',
      communication: '3',
      comments: 'Rigorous challenge; notes sometimes late.',
      respondent: 'A. Head, Headteacher',
    });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('Thank you');

    const stored = (
      await gqlOk(
        `query($p: ID!) { headteacherFeedback(partnerId: $p) { school { id } partner { id } challengeAndSupport knowledgeOfSchool qualityOfNotes communication comments respondent } }`,
        { p: partner.id },
      )
    ).headteacherFeedback;
    expect(stored).toEqual([
      {
        school: { id: school.id },
        partner: { id: partner.id },
        challengeAndSupport: 1,
        knowledgeOfSchool: 2,
        qualityOfNotes: null,
        communication: 3,
        comments: 'Rigorous challenge; notes sometimes late.',
        respondent: 'A. Head, Headteacher',
      },
    ]);
    const events = await t.app.orm.em
      .fork()
      .getConnection()
      .execute(`select partner_id, school_id, actor from domain_event where kind = 'qa.headteacher_feedback_received'`);
    expect(events).toEqual([{ partner_id: partner.id, school_id: school.id, actor: `link:${link.id}` }]);
    // recorded for the managers: the partner does not read it
    const theirs = await t.gql(`query($p: ID!) { headteacherFeedback(partnerId: $p) { comments } }`, { p: partner.id }, { token: partnerToken });
    expect(theirs.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // used: a second submission (and a second visit to the page) is refused, and nothing more is stored
    const second = await post(path, {
      form_token: formToken(html),
      challenge_and_support: '4',
      knowledge_of_school: '4',
      quality_of_notes: '4',
      communication: '4',
      respondent: 'Someone else',
    });
    expect(second.status).toBe(410);
    expect(await second.text()).toContain('already been sent');
    expect((await open(path)).status).toBe(410);
    expect((await gqlOk(`query($p: ID!) { headteacherFeedback(partnerId: $p) { id } }`, { p: partner.id })).headteacherFeedback).toHaveLength(1);
  });

  it('refuses a tampered token', async () => {
    await gqlOk(REQUEST, { s: school.id, p: partner.id });
    await t.app.outbox.runOnce();
    const path = linkIn(mail.sent.at(-1)!);
    const tampered = path.slice(0, -3) + (path.endsWith('AAA') ? 'BBB' : 'AAA');
    const res = await open(tampered);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('This link is not valid');
    // the genuine one still opens
    expect((await open(path)).status).toBe(200);
  });
});
