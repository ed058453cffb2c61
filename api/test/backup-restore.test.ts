import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenForBackupRequests } from '../src/platform/db/backup-requests.js';
import { BackupError, backupEmbedded, decodeBackup, encodeBackup, restoreEmbedded, type DatabaseFacts } from '../src/platform/db/backup.js';
import { DataDirInUseError, lockEmbeddedDataDir } from '../src/platform/db/embedded-lock.js';
import { createLogger } from '../src/platform/logger.js';
import { MIGRATIONS } from '../src/platform/db/migrations/index.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { clockStartEnv } from './support/test-clock.js';
import { cloneTemplate, realPostgresUrl, TEST_DATA_ROOT, type TestDatabase } from './support/test-database.js';

/**
 * The restore drill (issue 18): back up a database holding the demo county, change
 * notes (a save that adds, changes and deletes), restore, and compare a full read of
 * every table, every row and every column, the notes and all their children among
 * them, with the read taken when the backup was. On the embedded database through
 * npm run backup / restore (db/backup.ts), with the server running when the backup
 * is taken; on real PostgreSQL through pg_dump / pg_restore, the README's way.
 */
const execFileAsync = promisify(execFile);
const embedded = !realPostgresUrl();
const WORK = path.join(TEST_DATA_ROOT, 'backups');
const logger = createLogger({ logLevel: 'silent', env: 'test' });

type ReadRows = (sql: string) => Promise<Record<string, unknown>[]>;
/** Every table of the public schema: each row as JSON text, all columns, in a fixed order. */
type FullRead = Map<string, string[]>;

async function readEverything(rows: ReadRows): Promise<FullRead> {
  const tables = (await rows("select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1")).map(
    (r) => r.table_name as string,
  );
  const read: FullRead = new Map();
  for (const table of tables)
    read.set(
      table,
      (await rows(`select to_jsonb(t)::text as row from public."${table}" t order by 1`)).map((r) => r.row as string),
    );
  return read;
}

/** Tables whose rows differ, with a few rows on each side to show how (empty: identical). */
function differences(expected: FullRead, actual: FullRead): { table: string; missing: string[]; unexpected: string[] }[] {
  const out: { table: string; missing: string[]; unexpected: string[] }[] = [];
  for (const table of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(table) ?? [];
    const got = actual.get(table) ?? [];
    const gotSet = new Set(got);
    const wantSet = new Set(want);
    const missing = want.filter((r) => !gotSet.has(r));
    const unexpected = got.filter((r) => !wantSet.has(r));
    if (missing.length || unexpected.length || want.length !== got.length || !expected.has(table) || !actual.has(table)) {
      out.push({ table, missing: missing.slice(0, 2).map((r) => r.slice(0, 300)), unexpected: unexpected.slice(0, 2).map((r) => r.slice(0, 300)) });
    }
  }
  return out;
}

/** The note tables: note_of_visit and every table that refers to it. */
async function noteTables(rows: ReadRows): Promise<string[]> {
  const children = await rows(`
    select distinct c.conrelid::regclass::text as child from pg_constraint c
     where c.contype = 'f' and c.confrelid = 'public.note_of_visit'::regclass order by 1`);
  return ['note_of_visit', ...children.map((r) => (r.child as string).replace(/^public\.|"/g, ''))];
}

const appRows =
  (t: TestApp): ReadRows =>
  async (sql) =>
    (await t.app.orm.em.getConnection().execute(sql, [], 'all')) as Record<string, unknown>[];

async function withPglite<T>(dataDir: string, work: (rows: ReadRows) => Promise<T>): Promise<T> {
  const lock = lockEmbeddedDataDir(dataDir);
  const pglite = await PGlite.create(dataDir);
  try {
    return await work(async (sql) => (await pglite.query<Record<string, unknown>>(sql)).rows);
  } finally {
    await pglite.close();
    lock.release();
  }
}

const NOTE = 'id version summary findings { id text } recommendations { id action }';

/**
 * After the backup: the author saves a draft note (summary changed, a finding added,
 * a recommendation deleted). Returns the note as it was before and after.
 */
async function changeNotes(t: TestApp) {
  const [draft] = await appRows(t)(`
    select n.id, p.email from note_of_visit n join partner p on p.id = n.author_id
     where n.status = 'draft' and exists (select 1 from recommendation r where r.note_id = n.id) order by n.id limit 1`);
  expect(draft, 'the demo county has a draft note with recommendations').toBeDefined();
  const token = await t.issuer.signForPerson(draft!.email as string);
  const read = await t.gql(`query($id: ID!) { note(id: $id) { ${NOTE} } }`, { id: draft!.id }, { token });
  expect(read.errors).toBeUndefined();
  const was = read.data!.note;
  const saved = await t.gql(
    `mutation($id: ID!, $v: Int!, $input: UpdateNoteInput!) { updateNote(id: $id, expectedVersion: $v, input: $input) { ${NOTE} } }`,
    {
      id: was.id,
      v: was.version,
      input: {
        summary: 'Changed after the backup: this text must not survive the restore.',
        findings: [{ text: 'A finding added after the backup.', evidenceBasis: 'OBSERVED' }],
        remove: [was.recommendations[0].id],
      },
    },
    { token },
  );
  expect(saved.errors, JSON.stringify(saved.errors)).toBeUndefined();
  const now = saved.data!.updateNote;
  expect(now.recommendations).toHaveLength(was.recommendations.length - 1);
  return { was, now, token };
}

beforeAll(async () => {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(WORK, { recursive: true });
});
afterAll(() => rm(WORK, { recursive: true, force: true }));

describe('the embedded database (npm run backup / restore)', () => {
  let db: TestDatabase | undefined;
  let t: TestApp | undefined;
  afterAll(async () => {
    await t?.stop();
    await db?.drop();
  });

  it('backs up while the server runs, and a restore brings back every note as it was', async (ctx) => {
    if (!embedded) ctx.skip('this run is on real PostgreSQL (DATABASE_URL): the embedded drill runs in the embedded run');
    db = await cloneTemplate();
    if (db.database.kind !== 'embedded') throw new Error('expected an embedded database');
    const dataDir = db.database.dataDir;
    t = await startTestApp({ db: { ...db, drop: async () => {} } });
    const listener = listenForBackupRequests({ orm: t.app.orm, dataDir, logger });
    const file = path.join(WORK, 'while-running.sql.gz');
    let result;
    try {
      const before = await readEverything(appRows(t));
      const started = Date.now();
      // The server goes on answering while it takes the backup.
      const [backup, during] = await Promise.all([backupEmbedded({ dataDir, out: file }), t.gql('{ schools(first: 1) { totalCount } }')]);
      result = backup;
      expect(during.errors).toBeUndefined();
      expect(backup).toMatchObject({ via: 'server', file });
      console.log(
        `embedded backup of the demo county while the server runs: ${(backup.bytes / 1e6).toFixed(2)} MB gzipped (${(backup.sqlBytes / 1e6).toFixed(1)} MB SQL), ${backup.rows} rows, ${Date.now() - started} ms (database held still ${backup.heldMs} ms)`,
      );
      expect((await stat(file)).mode & 0o077).toBe(0); // its owner's only

      const { was } = await changeNotes(t);
      const changed = await readEverything(appRows(t));
      const noteTablesHere = await noteTables(appRows(t));
      expect(noteTablesHere).toEqual(expect.arrayContaining(['note_of_visit', 'finding', 'recommendation', 'judgement', 'note_target', 'note_recipient']));
      for (const table of noteTablesHere) expect(changed.has(table), table).toBe(true);
      expect(before.get('note_of_visit')!.length).toBeGreaterThan(50);
      // The drill can fail: the changes show in a full read.
      expect(differences(before, changed).map((d) => d.table)).toEqual(expect.arrayContaining(['note_of_visit', 'finding', 'recommendation']));

      listener.close();
      await t.stop();
      t = undefined;

      await expect(restoreEmbedded({ file, dataDir })).rejects.toThrow(/is not empty \(it holds an embedded database\).*--force/);
      const restored = await restoreEmbedded({ file, dataDir, force: true });
      expect(restored.replacedFolder).toMatch(/\.replaced-/);
      expect(existsSync(path.join(restored.replacedFolder!, 'PG_VERSION'))).toBe(true); // moved aside, not deleted
      expect(restored.rows).toBe(result.rows);

      const after = await withPglite(dataDir, readEverything);
      expect(differences(before, after)).toEqual([]);
      for (const table of noteTablesHere) expect(after.get(table), table).toEqual(before.get(table));

      // The restored folder serves the note as it was before the change.
      t = await startTestApp({ db: { ...db, drop: async () => {} } });
      const again = await t.gql(`query($id: ID!) { note(id: $id) { ${NOTE} } }`, { id: was.id });
      expect(again.errors).toBeUndefined();
      expect(again.data!.note).toEqual(was);
      await rm(restored.replacedFolder!, { recursive: true, force: true });
    } finally {
      listener.close();
    }
  }, 300_000);

  it('backs up a folder nobody has open, and restores it into a new folder', async (ctx) => {
    if (!embedded) ctx.skip('this run is on real PostgreSQL (DATABASE_URL): the embedded drill runs in the embedded run');
    const source = await cloneTemplate();
    if (source.database.kind !== 'embedded') throw new Error('expected an embedded database');
    const target = path.join(WORK, 'restored-new');
    try {
      const before = await withPglite(source.database.dataDir, readEverything);
      const file = path.join(WORK, 'stopped.sql.gz');
      const backup = await backupEmbedded({ dataDir: source.database.dataDir, out: file });
      expect(backup.via).toBe('folder');
      await expect(backupEmbedded({ dataDir: source.database.dataDir, out: file })).rejects.toThrow(/already exists/);
      const restored = await restoreEmbedded({ file, dataDir: target });
      expect(restored.replacedFolder).toBeNull();
      expect(readdirSync(WORK).filter((n) => n.includes('.restoring-'))).toEqual([]);
      expect(differences(before, await withPglite(target, readEverything))).toEqual([]);
    } finally {
      await source.drop();
      await rm(target, { recursive: true, force: true });
    }
  }, 300_000);
});

describe('npm run backup against the compiled server (what npm start runs)', () => {
  it('the server answers the command, a restore meanwhile is refused, and SIGTERM still stops it cleanly', { timeout: 300_000 }, async (ctx) => {
    if (!embedded) ctx.skip('this run is on real PostgreSQL (DATABASE_URL): the embedded backup is tried in the embedded run');
    expect(existsSync('api/dist/src/main.js'), 'run `npm run build` first (npm test does)').toBe(true);
    const db = await cloneTemplate();
    if (db.database.kind !== 'embedded') throw new Error('expected an embedded database');
    const dataDir = db.database.dataDir;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      DEV_ISSUER_KEY_FILE: path.join(TEST_DATA_ROOT, 'keys', `${randomUUID()}.json`),
      ...clockStartEnv(),
    };
    delete env.DATABASE_URL;
    const server = spawn(process.execPath, ['api/dist/demo/main.js'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const log: string[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        server.stdout!.on('data', (chunk: Buffer) => {
          log.push(chunk.toString());
          if (log.join('').includes('"msg":"school visits API ready"')) resolve();
        });
        server.once('exit', (code) => reject(new Error(`server exited with ${code} before it was ready:\n${log.join('')}`)));
      });
      const file = path.join(WORK, 'from-the-compiled-server.sql.gz');
      const { stdout } = await execFileAsync(process.execPath, ['api/dist/src/cli/backup.js', '--out', file], { env });
      expect(stdout).toMatch(/Backup written: .*taken by the running server/s);
      expect(decodeBackup(await readFile(file)).header.rows.note_of_visit).toBeGreaterThan(50);
      expect(log.join('')).toMatch(/"msg":"backup written"/);
      const refused = await execFileAsync(process.execPath, ['api/dist/src/cli/restore.js', file, '--force'], { env }).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(new RegExp(`is open in process ${server.pid}`)) });
      const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(path.join(dataDir, 'backup-requests', 'listening.json'))).toBe(false);
    } finally {
      if (server.exitCode === null) server.kill('SIGKILL');
      await db.drop();
    }
  });
});

describe('what restore refuses', () => {
  const facts: DatabaseFacts = { postgres: '18', migrations: MIGRATIONS.map((m) => m.name), rows: { note_of_visit: 0 } };
  const backupOf = (sql: string, f: DatabaseFacts = facts) => encodeBackup(sql, f, '/somewhere').data;

  it('a file that is not one of our backups, or that changed since it was written', () => {
    expect(() => decodeBackup(Buffer.from('create table x (y int);'))).toThrow(/not gzip-compressed/);
    expect(() => decodeBackup(gzipSync('-- some other dump\ncreate table x (y int);'))).toThrow(/not a backup made by npm run backup/);
    expect(() => decodeBackup(gzipSync('-- school-visits-backup {"format":"another"}\n'))).toThrow(/format "another"/);
    const good = backupOf('create table note_of_visit (id int);');
    expect(decodeBackup(good).sql).toBe('create table note_of_visit (id int);');
    const plain = gunzipSync(good).toString('utf8');
    expect(() => decodeBackup(gzipSync(plain.replace('(id int)', '(id text)')))).toThrow(/damaged/);
    expect(() => decodeBackup(gzipSync(plain.slice(0, -3)))).toThrow(/damaged/);
    const future = backupOf('select 1;', { ...facts, migrations: [...facts.migrations, 'Migration29990101000000_from_the_future'] });
    expect(() => decodeBackup(future)).toThrow(/newer version of the software.*Migration29990101000000_from_the_future/);
    expect(() => decodeBackup(backupOf('select 1;', { ...facts, migrations: [] }))).toThrow(/does not hold a school visits database/);
  });

  it('a folder in use, or a backup that does not restore to what its header says (leaving the folder as it was)', async () => {
    const file = path.join(WORK, 'claims-rows.sql.gz');
    // The header says one note; the SQL makes an empty table.
    await writeFile(file, backupOf('create table public.note_of_visit (id int);', { ...facts, rows: { note_of_visit: 1 } }));
    const dir = path.join(WORK, 'in-use');
    const lock = lockEmbeddedDataDir(dir);
    try {
      await expect(restoreEmbedded({ file, dataDir: dir, force: true })).rejects.toThrow(DataDirInUseError);
    } finally {
      lock.release();
    }
    await expect(restoreEmbedded({ file: path.join(WORK, 'no-such.sql.gz'), dataDir: dir })).rejects.toThrow(/does not exist/);
    const empty = path.join(WORK, 'stays-empty');
    await expect(restoreEmbedded({ file, dataDir: empty })).rejects.toThrow(/row counts differ in note_of_visit.*nothing was replaced/);
    expect(readdirSync(empty)).toEqual([]);
    expect(readdirSync(WORK).filter((n) => n.includes('.restoring-'))).toEqual([]);
  }, 120_000);

  it('backup never signals a process that does not answer backup requests', async () => {
    // This process holds a folder (as a migration run would) without listening: SIGUSR2 would end it.
    const dir = path.join(WORK, 'held');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'PG_VERSION'), '18\n');
    const lock = lockEmbeddedDataDir(dir);
    try {
      await expect(backupEmbedded({ dataDir: dir, out: path.join(WORK, 'never.sql.gz') })).rejects.toThrow(BackupError);
      await expect(backupEmbedded({ dataDir: dir, out: path.join(WORK, 'never.sql.gz') })).rejects.toThrow(/does not take backup requests/);
    } finally {
      lock.release();
    }
    await expect(backupEmbedded({ dataDir: path.join(WORK, 'nothing-here'), out: path.join(WORK, 'never.sql.gz') })).rejects.toThrow(/no embedded database/);
  });
});

/** A full read over a connection of its own, in UTC (timestamps as text depend on the session's time zone). */
async function readPostgres(url: string): Promise<FullRead> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("set time zone 'UTC'");
    return await readEverything(async (sql) => (await client.query(sql)).rows);
  } finally {
    await client.end();
  }
}

async function noteTablesIn(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await noteTables(async (sql) => (await client.query(sql)).rows);
  } finally {
    await client.end();
  }
}

/** A program on the PATH, or null. */
function onPath(program: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, program))) return path.join(dir, program);
  }
  return null;
}

describe('real PostgreSQL (pg_dump / pg_restore)', () => {
  let db: TestDatabase | undefined;
  let t: TestApp | undefined;
  afterAll(async () => {
    await t?.stop();
    await db?.drop();
  });

  it('a custom-format pg_dump, restored with pg_restore, brings back every note as it was', async (ctx) => {
    const url = realPostgresUrl();
    if (!url) ctx.skip('this run is on the embedded database: the PostgreSQL drill runs when DATABASE_URL is set (.ci/run does both)');
    const pgDump = onPath('pg_dump');
    const pgRestore = onPath('pg_restore');
    if (!pgDump || !pgRestore) ctx.skip('pg_dump or pg_restore is not on this machine (apt-get install postgresql-client)');
    db = await cloneTemplate();
    if (db.database.kind !== 'postgresql') throw new Error('expected a PostgreSQL database');
    const dbUrl = db.database.url;
    t = await startTestApp({ db: { ...db, drop: async () => {} } });
    const file = path.join(WORK, 'postgres.dump');
    const before = await readPostgres(dbUrl);
    const started = Date.now();
    await execFileAsync(pgDump!, ['--format=custom', `--file=${file}`, `--dbname=${dbUrl}`]);
    console.log(`pg_dump of the demo county: ${((await stat(file)).size / 1e6).toFixed(2)} MB (custom format), ${Date.now() - started} ms`);

    const { was } = await changeNotes(t);
    await t.stop();
    t = undefined;
    const changed = await readPostgres(dbUrl);
    expect(differences(before, changed).map((d) => d.table)).toEqual(expect.arrayContaining(['note_of_visit', 'finding', 'recommendation']));

    // The recovery: a new, empty database of the same name, then pg_restore into it.
    const name = new URL(dbUrl).pathname.slice(1);
    const admin = new URL(dbUrl);
    admin.pathname = '/postgres';
    const a = new pg.Client({ connectionString: admin.toString() });
    await a.connect();
    try {
      await a.query(`drop database "${name}" with (force)`);
      await a.query(`create database "${name}"`);
    } finally {
      await a.end();
    }
    const restoring = Date.now();
    await execFileAsync(pgRestore!, ['--exit-on-error', '--single-transaction', '--no-owner', `--dbname=${dbUrl}`, file]);
    console.log(`pg_restore: ${Date.now() - restoring} ms`);

    const after = await readPostgres(dbUrl);
    expect(differences(before, after)).toEqual([]);
    for (const table of await noteTablesIn(dbUrl)) expect(after.get(table)?.length, table).toBe(before.get(table)!.length);

    t = await startTestApp({ db: { ...db, drop: async () => {} } });
    const again = await t.gql(`query($id: ID!) { note(id: $id) { ${NOTE} } }`, { id: was.id });
    expect(again.errors).toBeUndefined();
    expect(again.data!.note).toEqual(was);
  }, 300_000);
});
