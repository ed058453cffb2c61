/** Loads the demo county into an empty database (npm run seed), applying migrations first. */
import { loadCommandConfig } from '../src/platform/config.js';
import { createOrm } from '../src/app/database.js';
import { migrate, requestEm } from '../src/platform/db/orm.js';
import { loadDemoDataIfEmpty } from './load-demo-data.js';
import { createLogger } from '../src/platform/logger.js';

const config = loadCommandConfig();
if (config.env === 'production') {
  console.error('seed refuses to run when NODE_ENV=production: the demo county is fictional and belongs in development databases only.');
  process.exit(1);
}
const orm = await createOrm({ database: config.database, logger: createLogger(config) });
try {
  await migrate(orm);
  // Around today, or the day CLOCK_START names (development and test only).
  const summary = await loadDemoDataIfEmpty(requestEm(orm), config.clockStart ?? new Date());
  console.log(summary ? `Demo county loaded: ${JSON.stringify(summary)}` : 'The database already has schools: nothing loaded.');
} finally {
  await orm.close(true);
}
