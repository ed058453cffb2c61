import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Em } from '../platform/db/orm.js';
import { Partner } from './partner.entity.js';

/**
 * Who can sign in, written by the development server beside the embedded database
 * at start-up, so `npm run dev-token -- --role ...` never opens that database while
 * the server has it open (PGlite has no cross-process locking).
 */
export interface DevPerson {
  name: string;
  email: string;
  role: string;
}

const fileIn = (dataDir: string) => path.join(dataDir, 'dev-people.json');

export async function writeDevPeople(em: Em, dataDir: string): Promise<void> {
  const people = await em.find(Partner, { active: true }, { orderBy: { name: 'asc' } });
  const list: DevPerson[] = people.map((p) => ({ name: p.name, email: p.email, role: p.role }));
  await writeFile(fileIn(dataDir), JSON.stringify(list, null, 2));
}

export async function readDevPeople(dataDir: string): Promise<DevPerson[] | null> {
  try {
    return JSON.parse(await readFile(fileIn(dataDir), 'utf8')) as DevPerson[];
  } catch {
    return null;
  }
}
