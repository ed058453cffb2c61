import { createHash } from 'node:crypto';
import { PostgreSqlConnection } from '@mikro-orm/postgresql';
import { PinoOrmLogger } from './orm-logger.js';
import type { ReadDb } from './orm.js';

type Row = Record<string, unknown>;

/** Statements prepared under a name, by their SQL: as many as the read views have shapes, and no more than this. */
const MAX_NAMED = 500;
const prepared = new Map<string, { name: string; text: string }>();

/** `?` placeholders as PostgreSQL's $1, $2…: the read views' SQL has no `?` of its own. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function preparedFor(sql: string): { name: string; text: string } | undefined {
  let statement = prepared.get(sql);
  if (!statement && prepared.size < MAX_NAMED) {
    const text = numbered(sql);
    statement = { name: `read_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text };
    prepared.set(sql, statement);
  }
  return statement;
}

/**
 * Runs a read view's one statement (graphql/read-views.ts). On PostgreSQL it is a
 * prepared statement, named by its text: the text is the same for every request of
 * a shape (values are parameters), so each connection plans it once, not on every
 * request: planning was a large share of PostgreSQL's work for a partner's visit list,
 * the read it does most of (issue 10; `npm run bench` shows it). On the
 * embedded database, and for shapes beyond the first MAX_NAMED, the ORM's connection
 * runs it as any other statement. Logged as the ORM logs its own (tests count them),
 * and a driver error is the ORM's exception for it, as anywhere else.
 */
export async function readStatement(em: ReadDb, sql: string, params: unknown[]): Promise<Row[]> {
  const connection = em.getConnection();
  const statement = connection instanceof PostgreSqlConnection && !em.isInTransaction() ? preparedFor(sql) : undefined;
  if (!statement) return connection.execute<Row[]>(sql, params);
  const pool = await (connection as PostgreSqlConnection).getNativeClient();
  const started = Date.now();
  try {
    const result = await pool.query<Row>({ name: statement.name, text: statement.text, values: params });
    const took = Date.now() - started;
    const slow = took >= (em.config.get('slowQueryThreshold') ?? Infinity);
    const logger = em.config.getLogger();
    // Logged with its values in place, as the ORM logs its own statements (and as EXPLAIN can take
    // it); written out only when someone reads it, not on every request.
    if (slow || !(logger instanceof PinoOrmLogger) || logger.wantsStatements()) {
      logger.logQuery({ query: em.getPlatform().formatQuery(sql, params), took, namespace: slow ? 'slow-query' : 'query', level: 'info' });
    }
    return result.rows;
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  }
}
