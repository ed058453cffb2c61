import path from 'node:path';
import { z } from 'zod';

/**
 * Everything the server reads from its environment, validated once at start-up.
 * A bad value stops the process with a message naming the variable, rather than
 * surfacing later as an odd runtime failure.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  DEMO_DATA: z.enum(['auto', 'off']).optional(),
  GRAPHIQL: z.enum(['on', 'off']).optional(),
});

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  database:
    | { kind: 'postgresql'; url: string; poolMax: number; statementTimeoutMs: number }
    | { kind: 'embedded'; dataDir: string; statementTimeoutMs: number };
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** Load the demo county into an empty database at start-up. */
  loadDemoData: boolean;
  /** Serve the GraphiQL explorer at /graphiql. */
  graphiql: boolean;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`Invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.DATABASE_URL) {
    throw new ConfigError('Invalid configuration:\n  DATABASE_URL: required when NODE_ENV=production');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? { kind: 'postgresql', url: e.DATABASE_URL, poolMax: e.DB_POOL_MAX, statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS }
      : { kind: 'embedded', dataDir: path.resolve(e.DATA_DIR), statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS },
    logLevel: e.LOG_LEVEL,
    loadDemoData: (e.DEMO_DATA ?? (production ? 'off' : 'auto')) === 'auto',
    graphiql: (e.GRAPHIQL ?? (production ? 'off' : 'on')) === 'on',
  };
}
