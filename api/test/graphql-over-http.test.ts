import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * GraphQL over HTTP as the specification describes, checked by the graphql-http
 * package's own server audits. Every request carries a token (the endpoint has no
 * anonymous use); nothing else is adjusted.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

describe('GraphQL over HTTP', () => {
  const audits = serverAudits({
    url: () => `${t.url}/graphql`,
    fetchFn: (input: string | URL | Request, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      headers.set('authorization', `Bearer ${t.managerToken}`);
      return fetch(input, { ...init, headers });
    },
  });
  it.each(audits.map((audit) => [audit.name, audit] as const))('%s', async (_name, audit) => {
    const result = await audit.fn();
    if (audit.name.startsWith('MUST')) expect(result.status, 'reason' in result ? result.reason : '').toBe('ok');
    else expect(['ok', 'warn']).toContain(result.status);
  });
});
