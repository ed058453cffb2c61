import 'reflect-metadata';
import { startApp, type App } from '../../src/app.js';
import type { AppConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { cloneTemplate, type TestDatabase } from './test-database.js';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; [k: string]: unknown } }[];
}

export interface TestApp {
  app: App;
  url: string;
  config: AppConfig;
  /** SQL statements sent since the last reset. */
  sql: string[];
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  post(body: string, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

export function testConfig(database: AppConfig['database'], overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    env: 'test',
    port: 0,
    host: '127.0.0.1',
    database,
    logLevel: 'silent',
    loadDemoData: false,
    graphiql: true,
    ...overrides,
  };
}

/** The real server on a free port, over its own copy of the demo database. */
export async function startTestApp(options: { db?: TestDatabase; config?: Partial<AppConfig> } = {}): Promise<TestApp> {
  const db = options.db ?? (await cloneTemplate());
  const config = testConfig(db.database, options.config);
  const sql: string[] = [];
  const app = await startApp(config, createLogger(config), { onQuery: (q) => sql.push(q), port: 0 });
  const url = app.server.url;
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return {
    app,
    url,
    config,
    sql,
    post,
    async gql(query, variables) {
      const res = await post(JSON.stringify({ query, variables }));
      const json = (await res.json()) as GraphQLResponse;
      return { status: res.status, data: json.data as never, errors: json.errors };
    },
    async stop() {
      await app.stop();
      await db.drop();
    },
  };
}
