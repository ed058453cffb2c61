import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

describe('HTTP endpoints', () => {
  it('GET /healthz answers without touching the database', async () => {
    t.sql.length = 0;
    const res = await fetch(`${t.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(t.sql).toHaveLength(0);
  });

  it('GET /readyz checks the database', async () => {
    t.sql.length = 0;
    const res = await fetch(`${t.url}/readyz`);
    expect(res.status).toBe(200);
    expect(t.sql.some((q) => /select 1/i.test(q))).toBe(true);
  });

  it('returns the request id it was given, or a new one', async () => {
    const given = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'outlook-1234abcd' } });
    expect(given.headers.get('x-request-id')).toBe('outlook-1234abcd');
    const made = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves GraphQL at /graphql however the path is written (trailing slash, capitals, a query string), POST and GET', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${t.managerToken}` };
    for (const path of ['/graphql', '/graphql/', '/GraphQL', '/graphql?from=outlook']) {
      const res = await fetch(`${t.url}${path}`, { method: 'POST', headers, body: JSON.stringify({ query: '{ me { name } }' }) });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('x-request-id'), path).toMatch(/^[0-9a-f-]{36}$/);
      expect(((await res.json()) as any).data.me.name, path).toBeTruthy();
    }
    for (const path of ['/graphql', '/graphql/']) {
      const res = await fetch(`${t.url}${path}?query=${encodeURIComponent('{ me { name } }')}`, { headers });
      expect(res.status, path).toBe(200);
      expect(((await res.json()) as any).data.me.name, path).toBeTruthy();
    }
  });

  it('serves the GraphiQL explorer and every asset it loads from this server (works offline)', async () => {
    const page = await fetch(`${t.url}/graphiql`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThanOrEqual(2);
    for (const source of sources) {
      expect(source.startsWith('/'), `${source} must be served locally`).toBe(true);
      const asset = await fetch(`${t.url}${source}`);
      expect(asset.status, source).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, source).toBeGreaterThan(100);
    }
  });

  it('answers GET queries from clients that send their token, and refuses mutations over GET', async () => {
    const auth = { authorization: `Bearer ${t.managerToken}` };
    const query = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: auth });
    expect(query.status).toBe(200);
    const mutation = await fetch(`${t.url}/graphql?query=${encodeURIComponent('mutation { cancelVisit(id: "x", reason: "y") { id } }')}`, { headers: auth });
    expect(mutation.status).toBe(405);
    // A cross-site page cannot add the Authorization header without a CORS preflight, which is never granted.
    const preflight = await fetch(`${t.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});
