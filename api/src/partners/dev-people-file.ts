import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Who can sign in, written by the development server beside the embedded database
 * at start-up, so `npm run dev-token -- --role ...` never opens that database while
 * the server has it open (PGlite has no cross-process locking). The file alone: no
 * entity or ORM is loaded here, so dev-token answers at once.
 */
export interface DevPerson {
  name: string;
  email: string;
  role: string;
}

const fileIn = (dataDir: string) => path.join(dataDir, 'dev-people.json');

export async function writeDevPeopleFile(dataDir: string, people: DevPerson[]): Promise<void> {
  await writeFile(fileIn(dataDir), JSON.stringify(people, null, 2));
}

export async function readDevPeople(dataDir: string): Promise<DevPerson[] | null> {
  try {
    return JSON.parse(await readFile(fileIn(dataDir), 'utf8')) as DevPerson[];
  } catch {
    return null;
  }
}
