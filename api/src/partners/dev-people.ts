import type { Em } from '../platform/db/orm.js';
import { writeDevPeopleFile } from './dev-people-file.js';
import { Partner } from './partner.entity.js';

/** Lists the active partners and managers for dev-token (dev-people-file.ts). */
export async function writeDevPeople(em: Em, dataDir: string): Promise<void> {
  const people = await em.find(Partner, { active: true }, { orderBy: { name: 'asc' } });
  await writeDevPeopleFile(
    dataDir,
    people.map((p) => ({ name: p.name, email: p.email, role: p.role })),
  );
}
