/**
 * Database migrations from the command line (npm run migrate / migration:create).
 *   up             apply pending migrations
 *   create NAME    write a migration for the difference between the entities and the database
 *   check          exit 1 when the entities need a migration that does not exist yet
 */
import path from 'node:path';
import { loadCommandConfig } from '../platform/config.js';
import { migrate } from '../platform/db/orm.js';
import { createOrm } from '../app/database.js';
import { withStartupLock } from '../platform/db/startup-lock.js';
import { createLogger } from '../platform/logger.js';

const [command = 'up', name] = process.argv.slice(2);
const config = loadCommandConfig();
const logger = createLogger(config);
const orm = await createOrm({ database: config.database, logger });
try {
  if (command === 'up') {
    const applied = await withStartupLock(orm, () => migrate(orm));
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  } else if (command === 'create') {
    await migrate(orm);
    const result = await orm.migrator.create(path.resolve('api/src/platform/db/migrations'), false, false, name);
    if (!result.fileName) {
      console.log('No changes: the database already matches the entities.');
    } else {
      console.log(`Wrote api/src/platform/db/migrations/${result.fileName}. Add it to MIGRATIONS in api/src/platform/db/migrations/index.ts.`);
    }
  } else if (command === 'check') {
    await migrate(orm);
    const needed = await orm.migrator.checkSchema();
    console.log(needed ? 'The entities have changes that no migration covers.' : 'Migrations cover the entities.');
    process.exitCode = needed ? 1 : 0;
  } else {
    console.error(`Unknown command "${command}". Use up, create NAME or check.`);
    process.exitCode = 2;
  }
} finally {
  await orm.close(true);
}
