import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, type Orm } from '../src/platform/db/orm.js';
import { createOrm } from '../src/app/database.js';
import { createLogger } from '../src/platform/logger.js';
import { MIGRATIONS } from '../src/platform/db/migrations/index.js';
import { emptyDatabase, type TestDatabase } from './support/test-database.js';

let db: TestDatabase;
let orm: Orm;
beforeAll(async () => {
  db = await emptyDatabase();
  orm = await createOrm({ database: db.database, logger: createLogger({ logLevel: 'silent', env: 'test' }) });
});
afterAll(async () => {
  await orm?.close(true);
  await db?.drop();
});

describe('migrations', () => {
  // Every migration on an empty database: a minute or more on a busy machine, nothing to do with what is checked.
  it('apply in order on an empty database, then find nothing left to do', { timeout: 180_000 }, async () => {
    expect(await migrate(orm)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await migrate(orm)).toEqual([]);
  });

  it('describe exactly the tables the entities map to (a changed entity needs a committed migration)', async () => {
    const diff = (await orm.schema.getUpdateSchemaSQL({ wrap: false })).trim();
    expect(diff.replace(/^set names .*;$/m, '').trim()).toBe('');
  });
});
