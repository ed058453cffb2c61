import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEvent } from '../src/platform/audit/audit-event.entity.js';
import { AccessPolicy } from '../src/platform/auth/access-policy.js';
import { personPrincipal } from '../src/platform/auth/principal.js';
import { loadConfig } from '../src/platform/config.js';
import type { Em } from '../src/platform/db/orm.js';
import type { MailMessage } from '../src/platform/mail/mail-transport.js';
import { Partner } from '../src/partners/partner.entity.js';
import { PartnerRole } from '../src/partners/partner.enums.js';
import { AccessLink } from '../src/school-side/access-link.entity.js';
import { sendSchoolSectionLink } from '../src/school-side/links.service.js';
import { SchoolSection } from '../src/notes/school-section.entity.js';
import { NoteOfVisit } from '../src/notes/note-of-visit.entity.js';
import { RecordingTransport } from './support/recording-transport.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { testClock } from './support/test-clock.js';

/**
 * The school's pages under attack and under fault (issue 20): rate limits per link and per
 * address, every refusal audited without the token, malformed requests answered with a 4xx
 * page, and a submission saved with its audit row or not at all. The server believes
 * X-Forwarded-For from loopback here (TRUST_PROXY), so each test speaks from addresses of its own.
 */
const PER_LINK = 5;
const PER_ADDRESS = 8;
let t: TestApp;
let mail: RecordingTransport;
let partner: Partner;
let partnerToken: string;
let school: { id: string };
let day = 1;

const linkIn = (message: MailMessage, route: 'section' | 'response') => {
  const match = new RegExp(`https?://\\S+(/school/${route}/\\S+)`).exec(message.text);
  expect(match, message.text).not.toBeNull();
  return match![1]!;
};
const secretOf = (path: string) => path.split('/').at(-1)!.split('.').at(-1)!;
const open = (path: string, address: string, init: RequestInit = {}) =>
  fetch(`${t.url}${path}`, { redirect: 'manual', ...init, headers: { 'x-forwarded-for': address, ...(init.headers as Record<string, string>) } });
const formToken = (page: string) => /name="form_token" value="([^"]+)"/.exec(page)![1]!;
const post = (path: string, address: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  open(path, address, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });

/** A request as bytes on a socket: fetch and node:http refuse to send some of the malformed headers tried here. */
function raw(request: string): Promise<{ status: number; head: string; body: string }> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    // Written, not ended: a half-closed socket is dropped by body-parser on some errors before the answer is read.
    const socket = net.connect(Number(port), hostname, () => socket.write(request));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body });
    });
  });
}

async function gqlOk(query: string, variables: Record<string, unknown> = {}) {
  const res = await t.gql(query, variables, { token: partnerToken });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

async function bookPast(): Promise<string> {
  const date = `2020-11-${String(day++).padStart(2, '0')}`;
  return (
    await gqlOk(`mutation($input: BookVisitInput!) { bookVisit(input: $input) { id } }`, {
      input: { schoolId: school.id, type: 'SPRING', startsAt: `${date}T09:00:00+00:00`, endsAt: `${date}T12:00:00+00:00` },
    })
  ).bookVisit.id as string;
}

async function sectionLink(visitId?: string) {
  const visit = visitId ?? (await bookPast());
  const link = (await gqlOk(`mutation($v: ID!) { sendSchoolSectionLink(visitId: $v) { id } }`, { v: visit })).sendSchoolSectionLink;
  await t.app.outbox.runOnce();
  return { visitId: visit, linkId: link.id as string, path: linkIn(mail.sent.at(-1)!, 'section') };
}

/** A shared draft of a past visit, and the headteacher's response link to it. */
async function responseLink() {
  const visitId = await bookPast();
  const note = (await gqlOk(`mutation($v: ID!) { startNote(visitId: $v) { id version judgements { id } } }`, { v: visitId })).startNote;
  const written = (
    await gqlOk(`mutation($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { id version } }`, {
      id: note.id,
      v: note.version,
      // The headings left out: a note may be shared without them.
      input: { summary: 'A school that knows itself well.', remove: note.judgements.map((j: { id: string }) => j.id) },
    })
  ).updateNote;
  await gqlOk(`mutation($id: ID!, $v: Int!) { shareNote(id: $id, expectedVersion: $v) { status } }`, { id: written.id, v: written.version });
  await t.app.outbox.runOnce();
  return { noteId: note.id as string, path: linkIn(mail.sent.at(-1)!, 'response') };
}

const refusals = async (address: string) =>
  (await t.app.orm.em.fork().find(AuditEvent, { action: 'refuse' }, { orderBy: { id: 'asc' } })).filter((e) => e.changes?.address === address);

/** Makes the next audit row of a submission fail, as a full disk or a broken connection would after the save. */
async function failSubmitAudits(on: boolean) {
  const connection = t.app.orm.em.getConnection();
  if (on) {
    await connection.execute(`create or replace function fail_submit_audit() returns trigger language plpgsql as $$
      begin if new.action = 'submit' then raise exception 'injected fault: audit write failed'; end if; return new; end $$`);
    await connection.execute(`create trigger fail_submit_audit before insert on audit_event for each row execute function fail_submit_audit()`);
  } else {
    await connection.execute(`drop trigger if exists fail_submit_audit on audit_event`);
  }
}

beforeAll(async () => {
  mail = new RecordingTransport();
  t = await startTestApp({
    mailTransport: mail,
    config: { trustProxy: 'loopback', schoolSide: { perLinkPerMinute: PER_LINK, perAddressPerMinute: PER_ADDRESS } as never },
  });
  ({ partner, token: partnerToken } = await t.personWithRole(PartnerRole.PARTNER));
  school = (await t.gql(`{ schools(first: 1, filter: { status: [OPEN], phase: [PRIMARY] }) { nodes { id } } }`)).data!.schools.nodes[0];
});
afterAll(() => t?.stop());

describe('rate limits', () => {
  it('come with defaults, and the client address is the connection’s unless proxies are named', () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    expect(config.schoolSide).toMatchObject({ perLinkPerMinute: 20, perAddressPerMinute: 60 });
    expect(config.trustProxy).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(() => loadConfig({ NODE_ENV: 'test', TRUST_PROXY: 'every one; please' })).toThrow(/TRUST_PROXY/);
  });

  it('refuse an address that asks too often with a 429 page saying when to try again, audited once', async () => {
    const address = '198.51.100.20';
    for (let i = 0; i < PER_ADDRESS; i++) expect((await open('/school/section/not-a-link', address)).status).toBe(404);
    const refused = await open('/school/section/not-a-link', address);
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(refused.headers.get('content-type')).toContain('text/html');
    expect(await refused.text()).toMatch(/Please wait \d+ seconds? and try again/);
    expect((await open('/school/section/not-a-link', address, { method: 'POST' })).status).toBe(429);
    // Another address is not held up by this one.
    expect((await open('/school/section/not-a-link', '198.51.100.21')).status).toBe(404);
    const rows = await refusals(address);
    expect(rows.filter((r) => r.changes?.refused === 'invalid')).toHaveLength(PER_ADDRESS);
    expect(rows.filter((r) => r.changes?.refused === 'rate_limited')).toEqual([
      expect.objectContaining({ actor: 'anonymous', changes: expect.objectContaining({ detail: 'per address', status: 429 }) }),
    ]);
  });

  it('refuse a link opened too often from anywhere, while forgeries naming it do not use up its allowance', async () => {
    const { linkId, path } = await sectionLink();
    const forged = path.replace(/\.[^.]+$/, '.AAAAforgedAAAAforgedAAAAforgedAAAAforgedAAA');
    for (let i = 0; i < PER_LINK + 2; i++) expect((await open(forged, `198.51.100.${100 + i}`)).status).toBe(404);
    for (let i = 0; i < PER_LINK; i++) expect((await open(path, `198.51.100.${130 + i}`)).status).toBe(200);
    const refused = await open(path, '198.51.100.140');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await refusals('198.51.100.140'))[0]).toMatchObject({
      actor: `link:${linkId}`,
      entityId: linkId,
      changes: { refused: 'rate_limited', detail: 'per link', purpose: 'school_section' },
    });
  });
});

describe('refused attempts', () => {
  it('are each audited with what was refused, the link when known and the address, never the token', async () => {
    const first = await sectionLink();
    const tampered = first.path.replace(/\.[^.]+$/, '.AAAAtamperedAAAAtamperedAAAAtamperedAAAAtam');
    expect((await open(tampered, '192.0.2.1')).status).toBe(404);
    expect((await open(first.path.replace('/school/section/', '/school/response/'), '192.0.2.2')).status).toBe(404);
    const newer = await sectionLink(first.visitId);
    expect((await open(first.path, '192.0.2.3')).status).toBe(410);
    const page = await (await open(newer.path, '192.0.2.4')).text();
    expect((await post(newer.path, '192.0.2.4', { completed_by: 'Someone' })).status).toBe(403);
    expect((await post(newer.path, '192.0.2.5', { completed_by: 'Someone', form_token: formToken(page) }, { origin: 'https://evil.example' })).status).toBe(
      403,
    );

    const em = t.app.orm.em.fork() as Em;
    const me = await em.findOneOrFail(Partner, { id: partner.id });
    const before = mail.sent.length;
    await sendSchoolSectionLink(
      em,
      new AccessPolicy(personPrincipal(me), em, testClock),
      t.app.schoolSide,
      first.visitId,
      null,
      new Date(testClock.now().getTime() - 30 * 86_400_000),
    );
    await t.app.outbox.runOnce();
    const expired = linkIn(mail.sent[before]!, 'section');
    expect((await open(expired, '192.0.2.6')).status).toBe(410);

    const response = await responseLink();
    const draft = await (await open(response.path, '192.0.2.7')).text();
    expect((await post(response.path, '192.0.2.7', { form_token: formToken(draft), agreed: 'yes', respondent: 'The headteacher' })).status).toBe(200);
    expect((await open(response.path, '192.0.2.8')).status).toBe(410);

    const expected: [string, string, string | null][] = [
      ['192.0.2.1', 'invalid', null],
      ['192.0.2.2', 'wrong_purpose', first.linkId],
      ['192.0.2.3', 'revoked', first.linkId],
      ['192.0.2.4', 'form', newer.linkId],
      ['192.0.2.5', 'form', newer.linkId],
      ['192.0.2.6', 'expired', expired.split('/').at(-1)!.split('.')[0]!],
      ['192.0.2.8', 'used', response.path.split('/').at(-1)!.split('.')[0]!],
    ];
    const secrets = [first.path, newer.path, expired, response.path, tampered].map(secretOf);
    for (const [address, refused, linkId] of expected) {
      const rows = await refusals(address);
      expect(rows, `${address} ${refused}`).toEqual([
        expect.objectContaining({
          action: 'refuse',
          entityType: 'AccessLink',
          entityId: linkId ?? '',
          actor: linkId ? `link:${linkId}` : 'anonymous',
          changes: expect.objectContaining({ refused, address }),
        }),
      ]);
      for (const secret of secrets) expect(JSON.stringify(rows)).not.toContain(secret);
    }
  });
});

describe('malformed requests', () => {
  it('are answered with a 4xx page, never a 500, and the ones that reach the pages are audited', async () => {
    const host = new URL(t.url).host;
    const FORM = 'Content-Type: application/x-www-form-urlencoded\r\n';
    /** A new link's form (each link takes a few requests a minute), and a raw POST to it. */
    const freshForm = async () => {
      const { path } = await sectionLink();
      const body = new URLSearchParams({ form_token: formToken(await (await open(path, '203.0.113.1')).text()), completed_by: 'Headteacher' }).toString();
      return (headers: string, address: string, content = body) =>
        raw(
          `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nX-Forwarded-For: ${address}\r\nConnection: close\r\n${headers}Content-Length: ${Buffer.byteLength(content)}\r\n\r\n${content}`,
        );
    };

    let postWith = await freshForm();
    const badOrigin = await postWith(`${FORM}Origin: http://[::1\r\n`, '203.0.113.2');
    expect(badOrigin.status).toBe(400);
    expect(badOrigin.head).toMatch(/content-type: text\/html/i);
    expect(badOrigin.body).toContain('This request could not be read');
    for (const origin of ['not a url', 'http://', ':::']) expect((await postWith(`${FORM}Origin: ${origin}\r\n`, '203.0.113.3')).status, origin).toBe(400);

    postWith = await freshForm();
    expect((await postWith(`${FORM}Origin: http://%zz\r\n`, '203.0.113.3')).status).toBe(400);
    const charset = await postWith('Content-Type: application/x-www-form-urlencoded; charset=klingon\r\n', '203.0.113.4');
    expect(charset.status).toBe(415);
    expect(charset.body).toContain('This request could not be read');
    expect((await postWith(`${FORM}Content-Encoding: bogus\r\n`, '203.0.113.6')).status).toBe(415);
    expect((await postWith(`${FORM}Content-Encoding: gzip\r\n`, '203.0.113.7')).status).toBe(400);
    const tooLong = await postWith(FORM, '203.0.113.9', `completed_by=${'x'.repeat(200_000)}`);
    expect(tooLong.status).toBe(413);
    expect(tooLong.body).toContain('This request could not be read');

    postWith = await freshForm();
    expect((await postWith('Content-Type: ;;;==\r\n', '203.0.113.5')).status).toBe(403);
    expect((await postWith(FORM, '203.0.113.8', 'form_token=%E0%A4%A')).status).toBe(403);

    const badPath = await raw(`GET /school/section/%E0%A4%A HTTP/1.1\r\nHost: ${host}\r\nX-Forwarded-For: 203.0.113.10\r\nConnection: close\r\n\r\n`);
    expect(badPath.status).toBe(400);
    expect(badPath.body).toContain('This request could not be read');
    const { path } = await sectionLink();
    const contentLength = await raw(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Length: ten\r\nConnection: close\r\n\r\n`);
    expect(contentLength.status).toBe(400);
    for (const header of ['Cookie: %%%;=;;a=%zz\r\n', 'Referer: ::not a url::\r\n', 'Cookie: \r\n']) {
      expect((await raw(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nX-Forwarded-For: 203.0.113.11\r\nConnection: close\r\n${header}\r\n`)).status, header).toBe(
        200,
      );
    }

    expect((await refusals('203.0.113.2'))[0]).toMatchObject({ changes: { refused: 'bad_request', status: 400, detail: 'malformed Origin header' } });
    expect((await refusals('203.0.113.4'))[0]).toMatchObject({ changes: { refused: 'bad_request', status: 415 } });
    expect((await refusals('203.0.113.10'))[0]).toMatchObject({ changes: { refused: 'bad_request', status: 400 } });
    // After all that, the form still works.
    const page = await (await open(path, '203.0.113.12')).text();
    expect((await post(path, '203.0.113.12', { form_token: formToken(page), completed_by: 'Headteacher' })).status).toBe(200);
  });
});

describe('a submission', () => {
  it("of the school's section is saved with its audit row, or neither is", async () => {
    const { visitId, linkId, path } = await sectionLink();
    const page = await (await open(path, '192.0.2.50')).text();
    const fields = { form_token: formToken(page), completed_by: 'Headteacher', grade_achievement: '2' };
    await failSubmitAudits(true);
    try {
      const failed = await post(path, '192.0.2.50', fields);
      expect(failed.status).toBe(500);
      expect(await failed.text()).toContain('Nothing was saved');
    } finally {
      await failSubmitAudits(false);
    }
    const em = t.app.orm.em.fork();
    expect(await em.findOne(SchoolSection, { visit: visitId })).toBeNull();
    expect((await em.findOneOrFail(AccessLink, { id: linkId })).usedAt ?? null).toBeNull();
    expect(await em.count(AuditEvent, { entityId: linkId, action: 'submit' })).toBe(0);

    expect((await post(path, '192.0.2.50', fields)).status).toBe(200);
    const after = t.app.orm.em.fork();
    expect(await after.findOne(SchoolSection, { visit: visitId })).toMatchObject({ completedBy: 'Headteacher' });
    expect(await after.find(AuditEvent, { entityId: linkId, action: 'submit' })).toEqual([
      expect.objectContaining({ actor: `link:${linkId}`, changes: expect.objectContaining({ completedBy: 'Headteacher' }) }),
    ]);
  });

  it("of the headteacher's response is recorded with its audit row, or neither is", async () => {
    const { noteId, path } = await responseLink();
    const linkId = path.split('/').at(-1)!.split('.')[0]!;
    const page = await (await open(path, '192.0.2.60')).text();
    const fields = { form_token: formToken(page), agreed: 'yes', respondent: 'The headteacher' };
    await failSubmitAudits(true);
    try {
      expect((await post(path, '192.0.2.60', fields)).status).toBe(500);
    } finally {
      await failSubmitAudits(false);
    }
    const em = t.app.orm.em.fork();
    expect((await em.findOneOrFail(NoteOfVisit, { id: noteId })).status).toBe('shared');
    expect((await em.findOneOrFail(AccessLink, { id: linkId })).usedAt ?? null).toBeNull();
    expect(await em.count(AuditEvent, { entityId: linkId, action: 'submit' })).toBe(0);

    expect((await post(path, '192.0.2.60', fields)).status).toBe(200);
    const after = t.app.orm.em.fork();
    expect((await after.findOneOrFail(NoteOfVisit, { id: noteId })).status).toBe('agreed');
    expect(await after.count(AuditEvent, { entityId: linkId, action: 'submit' })).toBe(1);
  });
});
