import http from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestLogging } from '../src/platform/http/request-log.js';
import { redactLinksInText, redactUrl } from '../src/platform/http/secret-urls.js';
import { createLogger } from '../src/platform/logger.js';

/** The request log (http/request-log.ts): one line per request when it ends, secrets redacted. */
const lines: Record<string, any>[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});
const logRequest = requestLogging(createLogger({ logLevel: 'info', env: 'test' }, sink), { ignore: (req) => req.url === '/healthz' });
const server = http.createServer((request, res) => {
  const req = logRequest(request, res);
  req.log.info({ step: 'inside' }, 'working');
  if (req.url === '/slow') return; // the client gives up first
  res.statusCode = req.url === '/broken' ? 500 : 200;
  res.end('done');
});
let base: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The lines of one request, by its id, once its last line is written. */
async function linesOf(id: string, count: number) {
  for (let i = 0; i < 100 && lines.filter((l) => l.reqId === id).length < count; i++) await new Promise((r) => setTimeout(r, 10));
  return lines.filter((l) => l.reqId === id);
}

describe('the request log', () => {
  it("writes a request's line when it ends: method, URL, headers without the token, status and time; lines inside carry its id", async () => {
    const res = await fetch(`${base}/graphql?x=1`, { headers: { authorization: 'Bearer secret-token', 'x-request-id': 'outlook-request-1' } });
    expect(res.headers.get('x-request-id')).toBe('outlook-request-1');
    const [inside, done] = await linesOf('outlook-request-1', 2);
    expect(inside).toMatchObject({ msg: 'working', step: 'inside', level: 30 });
    expect(inside.req).toBeUndefined();
    expect(done).toMatchObject({ msg: 'request completed', level: 30, req: { method: 'GET', url: '/graphql?x=1' }, res: { statusCode: 200 } });
    expect(done.req.headers.authorization).toBe('[Redacted]');
    expect(JSON.stringify(lines)).not.toContain('secret-token');
    expect(typeof done.responseTime).toBe('number');
  });

  it('writes a 5xx at error level, and a request the client gave up on as aborted', async () => {
    await fetch(`${base}/broken`, { headers: { 'x-request-id': 'broken-request-1' } });
    expect((await linesOf('broken-request-1', 2))[1]).toMatchObject({ msg: 'request errored', level: 50, res: { statusCode: 500 } });
    const gaveUp = new AbortController();
    const pending = fetch(`${base}/slow`, { headers: { 'x-request-id': 'slow-request-1' }, signal: gaveUp.signal }).catch(() => null);
    await linesOf('slow-request-1', 1);
    gaveUp.abort();
    await pending;
    expect((await linesOf('slow-request-1', 2))[1]).toMatchObject({ msg: 'request aborted', level: 30 });
  });

  it("keeps a school link's token, and credentials in a query or a Referer, out of the line", async () => {
    const res = await fetch(`${base}/school/section/0b1e6a5e-0000-4000-8000-000000000001.link-signature-secret?token=query-secret&page=2`, {
      headers: { 'x-request-id': 'school-page-1', referer: 'https://council.example/school/response/abc.referer-secret' },
    });
    expect(res.status).toBe(200);
    const [, done] = await linesOf('school-page-1', 2);
    expect(done.req.url).toBe('/school/section/[Redacted]?token=[Redacted]&page=2');
    expect(done.req.headers.referer).toBe('https://council.example/school/response/[Redacted]');
    expect(done.req.params).toBeUndefined();
    const all = JSON.stringify(lines);
    for (const secret of ['link-signature-secret', 'query-secret', 'referer-secret']) expect(all).not.toContain(secret);
  });

  it('redacts a link quoted in other text (a slow statement inserting an email) and credentials in an absolute URL', () => {
    const sql = `insert into "email" ("body") values ('Dear colleague,\n\nhttps://council.example/school/section/abc.sig-secret_1\n\nThe link is')`;
    expect(redactLinksInText(sql)).toBe(
      `insert into "email" ("body") values ('Dear colleague,\n\nhttps://council.example/school/section/[Redacted]\n\nThe link is')`,
    );
    expect(redactUrl('https://h.example/exports/x.csv?year=2027&access_token=abc')).toBe('https://h.example/exports/x.csv?year=2027&access_token=[Redacted]');
    expect(redactUrl('/graphql?query=%7B%7D')).toBe('/graphql?query=%7B%7D');
  });

  it('gives ignored requests (health checks) an id and a logger but no line of their own', async () => {
    const res = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'health-check-1' } });
    expect(res.headers.get('x-request-id')).toBe('health-check-1');
    const own = await linesOf('health-check-1', 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(own.map((l) => l.msg)).toEqual(['working']);
  });
});
