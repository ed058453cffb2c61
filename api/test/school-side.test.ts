import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../src/platform/audit/audit-event.entity.js';
import { AccessPolicy } from '../src/platform/auth/access-policy.js';
import { personPrincipal } from '../src/platform/auth/principal.js';
import type { Em } from '../src/platform/db/orm.js';
import type { MailMessage } from '../src/platform/mail/mail-transport.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { sendSchoolSectionLink } from '../src/school-side/links.service.js';
import { RecordingTransport } from './support/recording-transport.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testClock } from './support/test-clock.js';

/**
 * The school's way in: links sent by email, plain forms, no account. Mail goes to
 * a transport the test controls, so it can fail on demand.
 */
let t: TestApp;
let mail: RecordingTransport;
let partner: Partner;
let partnerToken: string;
let school: { id: string; name: string; headteacher: { name: string; email: string } };

const linkIn = (message: MailMessage, route: 'section' | 'response') => {
  const match = new RegExp(`https?://\\S+(/school/${route}/\\S+)`).exec(message.text);
  expect(match, message.text).not.toBeNull();
  return match![1]!;
};
const open = (path: string, init?: RequestInit) => fetch(`${t.url}${path}`, { redirect: 'manual', ...init });
const formToken = (page: string) => /name="form_token" value="([^"]+)"/.exec(page)![1]!;
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  open(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString() });

async function gqlOk(query: string, variables: Record<string, unknown> = {}, token = partnerToken) {
  const res = await t.gql(query, variables, { token });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

async function bookPast(date: string) {
  return (
    await gqlOk(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, {
      input: { schoolId: school.id, type: 'SPRING', startsAt: `${date}T09:00:00+00:00`, endsAt: `${date}T12:00:00+00:00` },
    })
  ).bookVisit.id as string;
}

async function sendSectionLink(visitId: string) {
  const before = mail.sent.length;
  const link = (await gqlOk(`mutation($v: ID!) { sendSchoolSectionLink(visitId: $v) { id purpose recipientEmail expiresAt } }`, { v: visitId }))
    .sendSchoolSectionLink;
  await t.app.outbox.runOnce();
  expect(mail.sent.length).toBe(before + 1);
  return { link, message: mail.sent.at(-1)! };
}

beforeAll(async () => {
  mail = new RecordingTransport();
  t = await startTestApp({ mailTransport: mail });
  ({ partner, token: partnerToken } = await t.personWithRole(PartnerRole.PARTNER));
  school = (await t.gql(`{ schools(first: 1, filter: { status: [OPEN], phase: [SECONDARY] }) { nodes { id name headteacher { name email } } } }`)).data!.schools
    .nodes[0];
});
afterAll(() => t?.stop());

describe('the full round', () => {
  it("goes from booking to the school's section, the shared draft and a disputed judgement the partner sees", async () => {
    const visitId = await bookPast('2020-09-15');
    const { link, message } = await sendSectionLink(visitId);
    expect(link).toMatchObject({ purpose: 'SCHOOL_SECTION', recipientEmail: school.headteacher.email.toLowerCase() });
    expect(message).toMatchObject({ to: school.headteacher.email.toLowerCase(), subject: expect.stringContaining(school.name) });

    const sectionPath = linkIn(message, 'section');
    const page = await open(sectionPath);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('<label for="grade_quality_of_teaching">');
    const sent = await post(sectionPath, {
      form_token: formToken(html),
      grade_achievement: '2',
      grade_quality_of_teaching: '1',
      grade_leadership_and_management: '2',
      grade_overall_effectiveness: '2',
      evidence_quality_of_teaching: 'Lesson observations <script>alert(1)</script> & work scrutiny',
      evidence_to_show: 'Tracking data for Years 10 and 11.',
      wants_from_visit: 'Challenge on our Key Stage 4 predictions.',
      completed_by: 'Headteacher',
    });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toContain('Thank you');
    const reopened = await (await open(sectionPath)).text();
    expect(reopened).toContain('Lesson observations &lt;script&gt;alert(1)&lt;/script&gt; &amp; work scrutiny');
    expect(reopened).not.toContain('<script>alert(1)');

    const section = (
      await gqlOk(`query($id: ID!) { visit(id: $id) { schoolSection { completedBy wantsFromVisit selfEvaluation { area grade } } } }`, { id: visitId })
    ).visit.schoolSection;
    expect(section.selfEvaluation).toContainEqual({ area: 'QUALITY_OF_TEACHING', grade: 1 });

    const NOTE = `id version status judgements { id area schoolGrade partnerGrade headteacherComment } headteacherAgreed headteacherComment`;
    const note = (await gqlOk(`mutation($v: ID!) { startNote(visitId: $v) { ${NOTE} } }`, { v: visitId })).startNote;
    const schoolView = Object.fromEntries(note.judgements.map((j: { area: string; schoolGrade: number | null }) => [j.area, j.schoolGrade]));
    expect(schoolView).toMatchObject({ ACHIEVEMENT: 2, QUALITY_OF_TEACHING: 1, LEADERSHIP_AND_MANAGEMENT: 2, OVERALL_EFFECTIVENESS: 2 });

    const judgements = [
      { area: 'ACHIEVEMENT', schoolGrade: 2, partnerGrade: 2, evidenceBasis: 'REPORTED' },
      {
        area: 'QUALITY_OF_TEACHING',
        schoolGrade: 1,
        partnerGrade: 2,
        evidenceBasis: 'OBSERVED',
        disagreementReason: 'Teaching seen was good, not yet outstanding.',
      },
    ];
    const written = (
      await gqlOk(`mutation($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { ${NOTE} } }`, {
        id: note.id,
        v: note.version,
        input: {
          summary: 'A school that knows itself well.',
          judgements,
          // Only these two headings are kept (a save changes only what it names: the others are removed by id).
          remove: note.judgements.filter((j: { area: string }) => !judgements.some((k) => k.area === j.area)).map((j: { id: string }) => j.id),
        },
      })
    ).updateNote;
    const before = mail.sent.length;
    await gqlOk(`mutation($id: ID!, $v: Int!) { shareNote(id: $id, expectedVersion: $v) { status } }`, { id: written.id, v: written.version });
    await t.app.outbox.runOnce();
    expect(mail.sent.length).toBe(before + 1);
    const responsePath = linkIn(mail.sent.at(-1)!, 'response');

    const draft = await (await open(responsePath)).text();
    expect(draft).toContain('Teaching seen was good, not yet outstanding.');
    // A response that needs correcting comes back as typed, never blank and never cut short.
    const longComment = `${'A long account of the school. '.repeat(270)}The end.`;
    const corrected = await post(responsePath, {
      form_token: formToken(draft),
      agreed: 'no',
      comment_quality_of_teaching: 'Our own monitoring shows outstanding teaching in most lessons.',
      comment: longComment,
      respondent: '',
    });
    expect(corrected.status).toBe(400);
    const again400 = await corrected.text();
    expect(again400).toContain('Give your name.');
    expect(again400).toContain(`Your comment is longer than 8000 characters (${longComment.length})`);
    expect(again400).toContain('>Our own monitoring shows outstanding teaching in most lessons.</textarea>');
    expect(again400).toContain(`>${longComment}</textarea>`);
    expect(again400).toMatch(/id="agree_no" name="agreed" value="no"\s+checked/);
    expect((await gqlOk(`query($id: ID!) { note(id: $id) { status } }`, { id: note.id })).note.status).toBe('SHARED');

    const disputed = await post(responsePath, {
      form_token: formToken(draft),
      agreed: 'no',
      comment_quality_of_teaching: 'Our own monitoring shows outstanding teaching in most lessons.',
      respondent: 'The headteacher',
    });
    expect(disputed.status).toBe(200);

    const seen = (await gqlOk(`query($id: ID!) { note(id: $id) { ${NOTE} } }`, { id: note.id })).note;
    expect(seen).toMatchObject({ status: 'DISPUTED', headteacherAgreed: false });
    expect(seen.judgements).toContainEqual(
      expect.objectContaining({ area: 'QUALITY_OF_TEACHING', headteacherComment: 'Our own monitoring shows outstanding teaching in most lessons.' }),
    );

    const uses = await t.app.orm.em.fork().find(AuditEvent, { entityType: 'AccessLink', action: { $in: ['open', 'submit'] } });
    expect(uses.filter((u) => u.action === 'submit')).toHaveLength(2);
    expect(uses.every((u) => u.actor.startsWith('link:'))).toBe(true);

    // The response link works once.
    const again = await open(responsePath);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('already been sent');
  });
});

describe('links that cannot be used', () => {
  let visitId: string;
  let sectionPath: string;
  beforeAll(async () => {
    visitId = await bookPast('2020-10-06');
    sectionPath = linkIn((await sendSectionLink(visitId)).message, 'section');
  });

  it('refuses a changed link', async () => {
    const tampered = sectionPath.slice(0, -3) + (sectionPath.endsWith('AAA') ? 'BBB' : 'AAA');
    const res = await open(tampered);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('This link is not valid');
    expect((await open('/school/section/not-a-link')).status).toBe(404);
  });

  it('refuses a link used for another purpose', async () => {
    const res = await open(sectionPath.replace('/school/section/', '/school/response/'));
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('This link is for something else');
  });

  it('refuses a revoked link, and a newer link replaces the older one', async () => {
    const newer = await sendSectionLink(visitId);
    const old = await open(sectionPath);
    expect(old.status).toBe(410);
    expect(await old.text()).toContain('withdrawn');
    const newerPath = linkIn(newer.message, 'section');
    expect((await open(newerPath)).status).toBe(200);
    await gqlOk(`mutation($id: ID!) { revokeAccessLink(id: $id) { revokedAt } }`, { id: newer.link.id });
    const revoked = await open(newerPath);
    expect(revoked.status).toBe(410);
    expect(await revoked.text()).toContain(partner.email);
  });

  it('refuses an expired link, saying whom to ask for a new one', async () => {
    const em = t.app.orm.em.fork() as Em;
    const me = await em.findOneOrFail(Partner, { id: partner.id });
    const access = new AccessPolicy(personPrincipal(me), em, testClock);
    const before = mail.sent.length;
    await sendSchoolSectionLink(em, access, t.app.schoolSide, visitId, null, new Date(testClock.now().getTime() - 15 * 86_400_000));
    await t.app.outbox.runOnce();
    const expired = await open(linkIn(mail.sent[before]!, 'section'));
    expect(expired.status).toBe(410);
    const text = await expired.text();
    expect(text).toContain('This link has expired');
    expect(text).toContain(partner.name);
  });

  it('refuses a form posted without its token or from another site (CSRF)', async () => {
    const path = linkIn((await sendSectionLink(visitId)).message, 'section');
    const token = formToken(await (await open(path)).text());
    expect((await post(path, { completed_by: 'Someone' })).status).toBe(403);
    expect((await post(path, { completed_by: 'Someone', form_token: token }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post(path, { completed_by: 'Someone', form_token: token, grade_achievement: '7' })).status).toBe(400);
    expect((await post(path, { completed_by: 'Headteacher', form_token: token })).status).toBe(200);
  });
});

describe('mail that cannot go', () => {
  it('stays queued and visible to the partner, and a later retry sends it', async () => {
    const visitId = await bookPast('2020-11-10');
    mail.failing = true;
    await gqlOk(`mutation($v: ID!) { sendSchoolSectionLink(visitId: $v) { id } }`, { v: visitId });
    await t.app.outbox.runOnce();
    const EMAILS = `query($id: ID!) { visit(id: $id) { emails { id status attempts lastError toAddress subject } } }`;
    const [queued] = (await gqlOk(EMAILS, { id: visitId })).visit.emails;
    expect(queued).toMatchObject({ status: 'QUEUED', attempts: 1, lastError: expect.stringContaining('ECONNREFUSED') });

    mail.failing = false;
    const retried = (await gqlOk(`mutation($id: ID!) { retryEmail(id: $id) { status attempts sentAt } }`, { id: queued.id })).retryEmail;
    expect(retried).toMatchObject({ status: 'SENT', attempts: 2, sentAt: expect.any(String) });
    expect(mail.sent.at(-1)!.subject).toBe(queued.subject);
  });
});
