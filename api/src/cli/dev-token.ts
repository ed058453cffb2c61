/**
 * Prints a development access token (npm run dev-token -- ...). The token is the last line.
 *   --email <email>          a partner or manager in the database
 *   --role manager|partner   the first such person (by name)
 *   --service <name> [--roles Visits.Read.All,RiskCategories.Read.All]
 * Refuses to run when NODE_ENV=production: the development issuer does not exist there.
 */
import { parseArgs } from 'node:util';
import { createDevIssuer } from '../platform/auth/dev-issuer.js';
import { readDevPeople, type DevPerson } from '../partners/dev-people-file.js';
import { ServiceRole } from '../platform/auth/principal.js';
import { loadCommandConfig } from '../platform/config.js';
import type { PartnerRole } from '../partners/partner.enums.js';

// The ORM, the entities and the logger are imported only when the database is opened
// (external PostgreSQL): loading them takes a few seconds, and the usual case (embedded
// database, list read from a file) needs none of them.

if (process.env.NODE_ENV === 'production') {
  console.error('dev-token refuses to run when NODE_ENV=production: production tokens come from Microsoft Entra ID.');
  process.exit(1);
}
const { values } = parseArgs({
  options: { email: { type: 'string' }, role: { type: 'string' }, service: { type: 'string' }, roles: { type: 'string' }, hours: { type: 'string' } },
});
const config = loadCommandConfig();
if (!config.auth.devIssuer) {
  console.error('The development issuer is off (DEV_ISSUER=off).');
  process.exit(1);
}
const issuer = await createDevIssuer(config.auth);

/**
 * The person to sign for. With the embedded database the server may be running
 * with it open, so the list it wrote at start-up is read instead of the database.
 */
async function findPerson(email: string | undefined, role: string | undefined): Promise<DevPerson | null> {
  const wanted = (p: DevPerson) => (email ? p.email === email.toLowerCase() : p.role === role);
  if (config.database.kind === 'embedded') {
    const people = await readDevPeople(config.database.dataDir);
    if (!people) {
      console.error('Start the server once (npm start) so it can list who may sign in, then run this again.');
      process.exit(1);
    }
    return people.find(wanted) ?? null;
  }
  // One after the other, in this order: orm.js loads reflect-metadata, which the entities' decorators need.
  const { migrate, requestEm } = await import('../platform/db/orm.js');
  const { createOrm } = await import('../app/database.js');
  const { createLogger } = await import('../platform/logger.js');
  const { Partner } = await import('../partners/partner.entity.js');
  const orm = await createOrm({ database: config.database, logger: createLogger({ ...config, logLevel: 'warn' }) });
  try {
    await migrate(orm);
    const em = requestEm(orm);
    const person = email
      ? await em.findOne(Partner, { email: email.toLowerCase() })
      : await em.findOne(Partner, { role: role as PartnerRole, active: true }, { orderBy: { name: 'asc' } });
    return person ? { name: person.name, email: person.email, role: person.role } : null;
  } finally {
    await orm.close(true);
  }
}
const lifetimeSeconds = Math.round(Number(values.hours ?? 8) * 3600);

if (values.service) {
  const roles = values.roles ? values.roles.split(',').map((r) => r.trim()) : [ServiceRole.READ];
  console.log(`Service "${values.service}" with app roles ${roles.join(', ')}; valid for ${lifetimeSeconds / 3600} h.`);
  console.log(await issuer.signForService(values.service, roles, { lifetimeSeconds }));
} else if (values.email || values.role) {
  if (values.role && !['manager', 'partner'].includes(values.role)) {
    console.error('--role must be manager or partner');
    process.exit(2);
  }
  const person = await findPerson(values.email, values.role);
  if (!person) {
    console.error(values.email ? `No partner or manager has the email ${values.email}.` : `No active ${values.role} is known.`);
    process.exitCode = 1;
  } else {
    console.log(`${person.name} <${person.email}>, ${person.role}; valid for ${lifetimeSeconds / 3600} h.`);
    console.log(await issuer.signForPerson(person.email, { lifetimeSeconds }));
  }
} else {
  console.error('Usage: npm run dev-token -- --email <email> | --role manager|partner | --service <name> [--roles A,B]');
  process.exit(2);
}
