/**
 * Retention and rights from the command line (README, "Retention and rights"); the same as the
 * manager-only GraphQL operations, for an information governance officer with server access:
 *   npm run records -- dispose                       dispose of everything past retention now
 *   npm run records -- export --email E [--name N] [--out FILE]   the subject access export (JSON)
 *   npm run records -- anonymise --email E [--name N] --role headteacher|governor|partner|contact
 * Each is audited as "cli:<user>". With the embedded database the server must be stopped first
 * (one process per folder); with PostgreSQL it may run alongside (disposal takes the job's lock).
 */
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { createOrm } from '../app/database.js';
import { runAs } from '../platform/audit/audit-context.js';
import { clockFrom, systemClock } from '../platform/clock.js';
import { loadCommandConfig } from '../platform/config.js';
import { migrate, type Em } from '../platform/db/orm.js';
import { withJobLock } from '../platform/db/job-lock.js';
import { AppError } from '../platform/errors.js';
import { createLogger } from '../platform/logger.js';
import { anonymisePerson, type FormerRole } from '../records/anonymise.service.js';
import { disposeExpiredRecords } from '../records/disposal.service.js';
import { personTerms } from '../records/person-search.js';
import { exportSubjectAccess } from '../records/subject-access.service.js';

const ROLES = ['headteacher', 'governor', 'partner', 'contact'];
const { values, positionals } = parseArgs({
  options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, out: { type: 'string' } },
  allowPositionals: true,
});
const command = positionals[0];
if (!['dispose', 'export', 'anonymise'].includes(command ?? '') || (command === 'anonymise' && !ROLES.includes(values.role ?? ''))) {
  console.error(
    'Usage: npm run records -- dispose\n' +
      '       npm run records -- export --email name@example.org [--name "Full Name"] [--out file.json]\n' +
      `       npm run records -- anonymise --email name@example.org [--name "Full Name"] --role ${ROLES.join('|')}`,
  );
  process.exit(2);
}
const config = loadCommandConfig();
const clock = config.clockStart ? clockFrom(config.clockStart) : systemClock;
const orm = await createOrm({ database: config.database, logger: createLogger({ ...config, logLevel: 'warn' }) });
try {
  await migrate(orm);
  const em = () => orm.em.fork() as Em;
  await runAs({ actor: `cli:${userInfo().username}` }, async () => {
    if (command === 'dispose') {
      const summary = await withJobLock(orm, 'disposal', () => disposeExpiredRecords(em(), config.retention, clock.now()));
      console.log(summary ? JSON.stringify(summary) : 'Another server is running the disposal job now; nothing done. Try again later.');
      return;
    }
    const terms = personTerms({ email: values.email, name: values.name });
    if (command === 'export') {
      const result = await exportSubjectAccess(em(), terms, clock.now());
      const text = JSON.stringify(result.document, null, 2);
      if (values.out) writeFileSync(values.out, text, { mode: 0o600 });
      else console.log(text);
      console.error(`${result.total} records${values.out ? `, written to ${values.out}` : ''}.`);
      return;
    }
    console.log(JSON.stringify(await anonymisePerson(em(), terms, values.role as FormerRole)));
  });
} catch (error) {
  if (error instanceof AppError) {
    console.error(error.message);
    process.exitCode = 1;
  } else throw error;
} finally {
  await orm.close(true);
}
