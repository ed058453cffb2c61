import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/platform/config.js';

describe('configuration', () => {
  it('in development, defaults to the embedded database in .data on port 4000 with demo data and the explorer', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(config.port).toBe(4000);
    expect(config.database).toEqual({ kind: 'embedded', dataDir: path.resolve('.data'), statementTimeoutMs: 15_000 });
    expect(config.loadDemoData).toBe(true);
    expect(config.graphiql).toBe(true);
  });

  it('uses DATABASE_URL when set', () => {
    const config = loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'postgresql://u@db:5432/visits', DB_POOL_MAX: '20' });
    expect(config.database).toMatchObject({ kind: 'postgresql', url: 'postgresql://u@db:5432/visits', poolMax: 20 });
  });

  const PRODUCTION = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://u@db/visits',
    AUTH_CLIENT_ID: '2f9c1d7e-4b0a-4c1e-9a8b-0c3d5e7f9a1b',
    AUTH_TENANT_IDS: '7a1b2c3d-0000-4000-8000-00000000000a, 7a1b2c3d-0000-4000-8000-00000000000b',
    PUBLIC_URL: 'https://visits.council.example',
    ADDIN_CLIENT_ID: '3a9c1d7e-4b0a-4c1e-9a8b-0c3d5e7f9a1c',
    LINK_SIGNING_SECRET: 'x'.repeat(40),
    SMTP_URL: 'smtp://mail.council.example:587',
    COUNCIL_NOTES_EMAIL: 'School.Improvement@Norfolk.gov.uk',
  };

  it('in production needs a database and an app registration, and turns off demo data, the explorer and the development issuer', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL[\s\S]*AUTH_CLIENT_ID[\s\S]*AUTH_TENANT_IDS[\s\S]*PUBLIC_URL[\s\S]*LINK_SIGNING_SECRET[\s\S]*SMTP_URL[\s\S]*COUNCIL_NOTES_EMAIL/,
    );
    const config = loadConfig(PRODUCTION);
    expect(config.loadDemoData).toBe(false);
    expect(config.graphiql).toBe(false);
    expect(config.auth.devIssuer).toBeNull();
    expect(config.mail).toEqual({ transport: 'smtp', smtpUrl: PRODUCTION.SMTP_URL, from: expect.any(String) });
    expect(config.schoolSide).toMatchObject({ publicUrl: PRODUCTION.PUBLIC_URL, linkSecret: PRODUCTION.LINK_SIGNING_SECRET, linkValidDays: 14 });
    expect(config.auth.audiences).toEqual([PRODUCTION.AUTH_CLIENT_ID, `api://${PRODUCTION.AUTH_CLIENT_ID}`]);
    expect(config.auth.tenants).toEqual(['7a1b2c3d-0000-4000-8000-00000000000a', '7a1b2c3d-0000-4000-8000-00000000000b']);
    expect(() => loadConfig({ ...PRODUCTION, DEV_ISSUER: 'on' })).toThrow(/DEV_ISSUER/);
    expect(config.council).toEqual({ name: 'School improvement team', email: 'school.improvement@norfolk.gov.uk' });
  });

  it("sends the council's copy of circulated notes to a placeholder address only outside production", () => {
    expect(loadConfig({ NODE_ENV: 'development' }).council).toEqual({ name: 'School improvement team', email: 'school.improvement@council.example' });
    expect(loadConfig({ NODE_ENV: 'development', COUNCIL_NOTES_EMAIL: 'notes@council.example', COUNCIL_NOTES_NAME: 'Education quality team' }).council).toEqual(
      {
        name: 'Education quality team',
        email: 'notes@council.example',
      },
    );
    expect(() => loadConfig({ NODE_ENV: 'development', COUNCIL_NOTES_EMAIL: 'not an address' })).toThrow(/COUNCIL_NOTES_EMAIL/);
  });

  it('moves the business clock with CLOCK_START in development and tests only: production refuses to start with it', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).clockStart).toBeNull();
    expect(loadConfig({ NODE_ENV: 'test', CLOCK_START: '2027-08-15T10:00:00+01:00' }).clockStart).toEqual(new Date('2027-08-15T09:00:00Z'));
    expect(loadConfig({ NODE_ENV: 'development', CLOCK_START: '2027-12-27T10:00:00Z' }).clockStart).toEqual(new Date('2027-12-27T10:00:00Z'));
    expect(() => loadConfig({ ...PRODUCTION, CLOCK_START: '2027-12-27T10:00:00Z' })).toThrow(/CLOCK_START: .*cannot be set when NODE_ENV=production/);
    expect(() => loadConfig({ NODE_ENV: 'development', CLOCK_START: '2027-12-27' })).toThrow(/CLOCK_START: must be an ISO 8601 instant/);
  });

  it('runs the development issuer outside production unless turned off', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).auth.devIssuer).not.toBeNull();
    expect(loadConfig({ NODE_ENV: 'test' }).auth.devIssuer).not.toBeNull();
    expect(loadConfig({ NODE_ENV: 'development', DEV_ISSUER: 'off' }).auth.devIssuer).toBeNull();
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => loadConfig({ NODE_ENV: 'development', ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'development', ...env })).toThrow(message);
  });
});
