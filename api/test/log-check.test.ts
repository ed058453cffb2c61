import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertNoSecretInLogs, findSecretsInLogs } from './support/log-check.js';

/**
 * The suite-wide log check (support/log-check.ts, run by global teardown) must be able to fail:
 * here it is given a data root of its own with tokens planted in a log, as a careless log line
 * would write them, and must name the file.
 */
let root: string;
afterEach(() => rm(root, { recursive: true, force: true }));

const linkToken = () => `${randomUUID()}.${randomBytes(32).toString('base64url')}`;
const jwt = () => ['eyJhbGciOiJSUzI1NiJ9', 'eyJzdWIiOiJ4In0', randomBytes(256).toString('base64url')].join('.');

async function given(issued: { kind: string; text: string }[], logs: Record<string, string>, eml?: string) {
  root = await mkdtemp(path.join(tmpdir(), 'log-check-'));
  await mkdir(path.join(root, 'issued'), { recursive: true });
  await writeFile(path.join(root, 'issued', '1.jsonl'), issued.map((i) => JSON.stringify(i)).join('\n'));
  await mkdir(path.join(root, 'logs'), { recursive: true });
  for (const [name, text] of Object.entries(logs)) await writeFile(path.join(root, 'logs', name), text);
  if (eml) {
    await mkdir(path.join(root, 'outbox', 'a'), { recursive: true });
    await writeFile(path.join(root, 'outbox', 'a', 'm.eml'), eml);
  }
}

const requestLine = (url: string, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ level: 30, msg: 'request completed', req: { method: 'GET', url, headers: { host: 'x' } }, ...extra })}\n`;

describe('the log check', () => {
  it('passes when the logs hold only redacted links, and fails naming each file that holds a school link or a bearer token', async () => {
    const link = linkToken();
    const bearer = jwt();
    await given(
      [
        { kind: 'email', text: `Dear colleague,\n\nhttps://council.example/school/section/${link}\n` },
        { kind: 'bearer', text: bearer },
      ],
      {
        'clean.log': requestLine('/school/section/[Redacted]'),
        'planted-link.log': requestLine(`/school/section/${link}?x=1`),
        'planted-bearer.log': `${JSON.stringify({ level: 50, msg: 'oops', header: `Bearer ${bearer}` })}\n`,
      },
    );
    const { findings, secrets } = await findSecretsInLogs(root);
    expect(secrets).toBe(2);
    expect(findings.map((f) => path.basename(f.file)).sort()).toEqual(['planted-bearer.log', 'planted-link.log']);
    const failure = await assertNoSecretInLogs(root).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(failure).toContain('planted-link.log');
    expect(failure).toContain('planted-bearer.log');
    expect(failure).not.toContain('clean.log');
    // The failure names the file, not the secret.
    expect(failure).not.toContain(link.split('.')[1]);
  });

  it('finds a link that only the file outbox holds, written quoted-printable across lines, even when only its signature was logged', async () => {
    const link = linkToken();
    const url = `https://council.example/school/response/${link}`;
    await given(
      [],
      { 'x.log': `${JSON.stringify({ msg: 'signature', sig: link.split('.')[1] })}\n` },
      `Subject: x\r\n\r\n${url.slice(0, 60)}=\r\n${url.slice(60)}\r\n`,
    );
    await expect(assertNoSecretInLogs(root)).rejects.toThrow(/x\.log: 1 token/);
  });

  it('refuses to pass blind: logs written but no token recorded as issued', async () => {
    await given([], { 'a.log': requestLine('/graphql') });
    await expect(assertNoSecretInLogs(root)).rejects.toThrow(/no issued token/);
  });
});
