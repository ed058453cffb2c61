/**
 * npm run import:gias -- --la 926 [--la 925] FILE...
 * Imports schools of the given local authorities from GIAS downloads (the
 * establishment CSV and the links CSV), then prints what changed.
 */
import { parseArgs } from 'node:util';
import { loadCommandConfig } from '../platform/config.js';
import { migrate } from '../platform/db/orm.js';
import { createOrm } from '../app/database.js';
import { createLogger } from '../platform/logger.js';
import { importGias } from '../register/gias-import.js';

const { values, positionals } = parseArgs({ options: { la: { type: 'string', multiple: true }, quiet: { type: 'boolean' } }, allowPositionals: true });
const laCodes = (values.la ?? []).flatMap((v) => v.split(',')).map((v) => Number(v.trim()));
if (!laCodes.length || laCodes.some((c) => !Number.isInteger(c) || c < 100 || c > 999) || !positionals.length) {
  console.error('Usage: npm run import:gias -- --la 926 [--la 925] edubasealldata20261122.csv [links_edubasealldata20261122.csv]');
  process.exit(2);
}
const config = loadCommandConfig();
const orm = await createOrm({ database: config.database, logger: createLogger({ ...config, logLevel: 'warn' }) });
try {
  await migrate(orm);
  const started = Date.now();
  const report = await importGias(orm, positionals, laCodes);
  if (!values.quiet) for (const change of report.changes) console.log(change);
  for (const skip of report.skipped.slice(0, 20)) console.log(`skipped: ${skip}`);
  const { changes: _c, skipped, ...counts } = report;
  console.log(JSON.stringify({ ...counts, skipped: skipped.length, seconds: (Date.now() - started) / 1000 }));
} finally {
  await orm.close(true);
}
