import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('defaults to the embedded database in .data on port 4000 with demo data and the explorer', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.database).toEqual({ kind: 'embedded', dataDir: path.resolve('.data'), statementTimeoutMs: 15_000 });
    expect(config.loadDemoData).toBe(true);
    expect(config.graphiql).toBe(true);
  });

  it('uses DATABASE_URL when set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u@db:5432/visits', DB_POOL_MAX: '20' });
    expect(config.database).toMatchObject({ kind: 'postgresql', url: 'postgresql://u@db:5432/visits', poolMax: 20 });
  });

  it('in production needs DATABASE_URL, and turns demo data and the explorer off', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL/);
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://u@db/visits' });
    expect(config.loadDemoData).toBe(false);
    expect(config.graphiql).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
