import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCommandConfig, loadConfig } from '../src/platform/config.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { emptyDatabase, realPostgresUrl, TEST_DATA_ROOT, type TestDatabase } from './support/test-database.js';

/**
 * Issue 20: forgetting a setting never opens a door. Without NODE_ENV the server is production:
 * no development sign-in, no /dev pages, no explorer, no demo data. Development is asked for
 * (`npm start` passes --development), and its sign-in answers only this machine.
 */

/** What a production deployment must set; each test leaves out what it is about. */
const PRODUCTION_SETTINGS = {
  AUTH_CLIENT_ID: '2f9c1d7e-4b0a-4c1e-9a8b-0c3d5e7f9a1b',
  AUTH_TENANT_IDS: '7a1b2c3d-0000-4000-8000-00000000000a',
  ADDIN_CLIENT_ID: '3a9c1d7e-4b0a-4c1e-9a8b-0c3d5e7f9a1c',
  PUBLIC_URL: 'https://visits.council.example',
  LINK_SIGNING_SECRET: 'x'.repeat(40),
  SMTP_URL: 'smtp://127.0.0.1:9',
  COUNCIL_NOTES_EMAIL: 'school.improvement@council.example',
};

describe('configuration without NODE_ENV', () => {
  it('is production: the development issuer, demo data and the explorer are off', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u@db/visits', ...PRODUCTION_SETTINGS });
    expect(config.env).toBe('production');
    expect(config.auth.devIssuer).toBeNull();
    expect(config.loadDemoData).toBe(false);
    expect(config.graphiql).toBe(false);
  });

  it('refuses to start with only a database, naming every missing production setting', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://u@db/visits' })).toThrow(
      /AUTH_CLIENT_ID[\s\S]*AUTH_TENANT_IDS[\s\S]*PUBLIC_URL[\s\S]*ADDIN_CLIENT_ID[\s\S]*LINK_SIGNING_SECRET/,
    );
  });

  it('refuses a public address that is not https, and the remote development sign-in', () => {
    const settings = { DATABASE_URL: 'postgresql://u@db/visits', ...PRODUCTION_SETTINGS };
    expect(() => loadConfig({ ...settings, PUBLIC_URL: 'http://visits.council.example' })).toThrow(/PUBLIC_URL: must be an https:\/\/ address/);
    expect(() => loadConfig({ ...settings, DEV_ALLOW_REMOTE: 'on' })).toThrow(/DEV_ALLOW_REMOTE/);
  });

  it('gives the commands that serve nothing (migrate, seed, dev-token) development settings, while NODE_ENV still wins', () => {
    expect(loadCommandConfig({}).env).toBe('development');
    expect(loadCommandConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://u@db/visits', ...PRODUCTION_SETTINGS }).env).toBe('production');
  });

  it('keeps the development sign-in to this machine unless DEV_ALLOW_REMOTE=on', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).auth.devIssuer).toMatchObject({ allowRemote: false });
    expect(loadConfig({ NODE_ENV: 'development', DEV_ALLOW_REMOTE: 'on' }).auth.devIssuer).toMatchObject({ allowRemote: true });
  });
});

/** GET or POST with any headers, from this machine (fetch cannot set `Forwarded` and friends freely). */
function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the development sign-in', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.stop());

  it('answers this machine, and nobody through a proxy (a proxy on this machine connects from loopback too)', async () => {
    const token = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'nobody@example.org' }) };
    expect(await request(`${t.url}/dev/people`)).toBe(200);
    expect(await request(`${t.url}/dev/token`, token)).toBe(404); // answered by the sign-in: no such person
    const relayedHeaders: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.9' },
      { forwarded: 'for=203.0.113.9' },
      { via: '1.1 proxy' },
      { 'x-real-ip': '203.0.113.9' },
    ];
    for (const relayed of relayedHeaders) {
      expect(await request(`${t.url}/dev/people`, { headers: relayed })).toBe(404);
      expect(await request(`${t.url}/dev/teams`, { headers: relayed })).toBe(404);
    }
  });
});

/** The compiled demo entry, as a deployment that forgot NODE_ENV would run it. */
function startServer(env: NodeJS.ProcessEnv, args: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['api/dist/demo/main.js', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => lines.push(d.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'school visits API ready' && entry.url) resolve({ child, url: entry.url.replace(/\/graphql$/, '') });
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(Object.assign(new Error(`server exited with ${code}:\n${lines.join('\n')}`), { code, output: lines.join('\n') })));
  });
}

function withoutNodeEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOG_LEVEL: 'info', DATA_DIR: path.join(TEST_DATA_ROOT, `defaults-${randomUUID()}`), ...extra };
  delete env.NODE_ENV;
  return env;
}

describe('a server started without NODE_ENV', () => {
  it('refuses to start without the production settings, naming them', { timeout: 120_000 }, async () => {
    const env = withoutNodeEnv({ DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' });
    const failure = await startServer(env).then(
      () => null,
      (error: { code: number; output: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.output).toMatch(/AUTH_CLIENT_ID: required when NODE_ENV=production/);
  });

  // A production server needs PostgreSQL (config.ts refuses the embedded database there).
  describe.runIf(realPostgresUrl())('with DATABASE_URL and the production settings', () => {
    let db: TestDatabase;
    let server: { child: ChildProcess; url: string } | undefined;
    beforeAll(async () => {
      db = await emptyDatabase();
      if (db.database.kind !== 'postgresql') throw new Error('expected PostgreSQL');
      server = await startServer(withoutNodeEnv({ DATABASE_URL: db.database.url, ...PRODUCTION_SETTINGS }));
    }, 120_000);
    afterAll(async () => {
      server?.child.kill('SIGTERM');
      if (server && server.child.exitCode === null) await new Promise((r) => server!.child.once('exit', r));
      await db?.drop();
    });

    it('issues no token and serves no /dev page nor the explorer', async () => {
      const url = server!.url;
      expect(await request(`${url}/dev/people`)).toBe(404);
      expect(await request(`${url}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"a@b.c"}' })).toBe(404);
      expect(await request(`${url}/dev/teams`)).toBe(404);
      expect(await request(`${url}/dev/outlook`)).toBe(404);
      expect(await request(`${url}/graphiql`)).toBe(404);
      expect(await request(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).toBe(
        401,
      );
    });

    it('loads no demo data into the empty database', async () => {
      const client = new pg.Client({ connectionString: (db.database as { url: string }).url });
      await client.connect();
      try {
        const { rows } = await client.query<{ schools: string; partners: string }>(
          'select (select count(*) from school) as schools, (select count(*) from partner) as partners',
        );
        expect(rows[0]).toEqual({ schools: '0', partners: '0' });
      } finally {
        await client.end();
      }
    });
  });
});
