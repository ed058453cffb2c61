import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.js';

/** Calendar sync's settings (platform/graph/graph-config.ts): off unless asked for, and production refuses what is unsafe. */

const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u@db/visits',
  AUTH_CLIENT_ID: '2f9c1d7e-4b0a-4c1e-9a8b-0c3d5e7f9a1b',
  AUTH_TENANT_IDS: '7a1b2c3d-0000-4000-8000-00000000000a',
  PUBLIC_URL: 'https://visits.council.example',
  ADDIN_CLIENT_ID: '3a9c1d7e-4b0a-4c1e-9a8b-0c3d5e7f9a1c',
  LINK_SIGNING_SECRET: 'x'.repeat(40),
  SMTP_URL: 'smtp://mail.council.example:587',
  COUNCIL_NOTES_EMAIL: 'school.improvement@council.example',
};
const GRAPH = {
  GRAPH_TENANT_ID: '7a1b2c3d-0000-4000-8000-00000000000a',
  GRAPH_CLIENT_ID: '4b9c1d7e-4b0a-4c1e-9a8b-0c3d5e7f9a1d',
  GRAPH_CLIENT_SECRET: 'a-client-secret',
};

describe('calendar sync settings', () => {
  it('are off unless configured', () => {
    expect(loadConfig(PRODUCTION).calendarSync).toBeNull();
  });

  it('push: Microsoft Graph at its defaults, notifications at PUBLIC_URL, reconciliation hourly', () => {
    const sync = loadConfig({ ...PRODUCTION, ...GRAPH, CALENDAR_SYNC: 'push' }).calendarSync!;
    expect(sync).toMatchObject({
      mode: 'push',
      publicUrl: 'https://visits.council.example',
      intervalSeconds: 3600,
      graph: { authorityHost: 'https://login.microsoftonline.com', graphBaseUrl: 'https://graph.microsoft.com', credential: { kind: 'secret' } },
    });
  });

  it('push in production needs a public https address: Graph calls nothing else', () => {
    expect(() => loadConfig({ ...PRODUCTION, ...GRAPH, CALENDAR_SYNC: 'push', PUBLIC_URL: 'http://visits.council.example' })).toThrow(
      /PUBLIC_URL: CALENDAR_SYNC=push/,
    );
    expect(() => loadConfig({ ...PRODUCTION, ...GRAPH, CALENDAR_SYNC: 'push', PUBLIC_URL: 'https://localhost:4000' })).toThrow(
      /PUBLIC_URL: CALENDAR_SYNC=push/,
    );
  });

  it('poll needs no public address and polls every five minutes unless told otherwise', () => {
    const sync = loadConfig({ ...PRODUCTION, ...GRAPH, CALENDAR_SYNC: 'poll', PUBLIC_URL: 'https://visits.internal' }).calendarSync!;
    expect(sync).toMatchObject({ mode: 'poll', intervalSeconds: 300 });
  });

  it('need the app registration and one credential', () => {
    expect(() => loadConfig({ ...PRODUCTION, CALENDAR_SYNC: 'poll' })).toThrow(/GRAPH_TENANT_ID[\s\S]*GRAPH_CLIENT_ID[\s\S]*GRAPH_CLIENT_SECRET/);
    expect(() =>
      loadConfig({ ...PRODUCTION, ...GRAPH, CALENDAR_SYNC: 'poll', GRAPH_CERTIFICATE_PATH: '/etc/sync.pem', GRAPH_CERTIFICATE_THUMBPRINT: 'ab'.repeat(32) }),
    ).toThrow(/not both/);
    const { GRAPH_CLIENT_SECRET: _secret, ...withoutSecret } = GRAPH;
    expect(() => loadConfig({ ...PRODUCTION, ...withoutSecret, CALENDAR_SYNC: 'poll', GRAPH_CERTIFICATE_PATH: '/etc/sync.pem' })).toThrow(
      /GRAPH_CERTIFICATE_THUMBPRINT/,
    );
    const sync = loadConfig({
      ...PRODUCTION,
      ...withoutSecret,
      CALENDAR_SYNC: 'poll',
      GRAPH_CERTIFICATE_PATH: '/etc/sync.pem',
      GRAPH_CERTIFICATE_THUMBPRINT: 'ab'.repeat(32),
    }).calendarSync!;
    expect(sync.graph.credential).toEqual({ kind: 'certificate', path: '/etc/sync.pem', thumbprint: 'ab'.repeat(32) });
  });

  it('refuse plain http to Entra or Graph in production, and anywhere but this machine otherwise', () => {
    expect(() => loadConfig({ ...PRODUCTION, ...GRAPH, CALENDAR_SYNC: 'poll', GRAPH_BASE_URL: 'http://127.0.0.1:9000' })).toThrow(
      /GRAPH_BASE_URL: must be an https/,
    );
    expect(() => loadConfig({ NODE_ENV: 'development', ...GRAPH, CALENDAR_SYNC: 'poll', GRAPH_AUTHORITY_HOST: 'http://login.example' })).toThrow(
      /GRAPH_AUTHORITY_HOST: plain http/,
    );
    expect(
      loadConfig({ NODE_ENV: 'development', ...GRAPH, CALENDAR_SYNC: 'poll', GRAPH_BASE_URL: 'http://127.0.0.1:9000' }).calendarSync?.graph.graphBaseUrl,
    ).toBe('http://127.0.0.1:9000');
  });

  it('refuse a check interval that could let a subscription expire between checks', () => {
    expect(() =>
      loadConfig({ ...PRODUCTION, ...GRAPH, CALENDAR_SYNC: 'push', CALENDAR_SUBSCRIPTION_RENEW_MINUTES: '10', CALENDAR_SUBSCRIPTION_CHECK_SECONDS: '900' }),
    ).toThrow(/CALENDAR_SUBSCRIPTION_CHECK_SECONDS/);
  });
});
