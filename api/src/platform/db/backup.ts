import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { pgDump } from '@electric-sql/pglite-tools/pg_dump';
import { MIGRATIONS } from './migrations/index.js';
import { embeddedDataDirHolder, LOCK_FILE, lockEmbeddedDataDir } from './embedded-lock.js';

/**
 * Backups of the embedded database (PGlite): a logical dump, never a copy of the folder.
 *
 * A backup is the SQL that pg_dump writes (PGlite's own WASM build of it, from
 * @electric-sql/pglite-tools), gzipped, behind one header line of our own: what
 * wrote it, when, the migrations the database had, the number of rows in every
 * table, and the SHA-256 of the SQL. Restore checks all of that before it touches
 * anything, and checks the row counts again on the restored database. The SQL is
 * plain PostgreSQL, so `gunzip -c backup.sql.gz | psql` also loads it elsewhere.
 *
 * While the server runs, only it may open the folder (embedded-lock.ts), so
 * `npm run backup` asks it: it writes a request into DATA_DIR/backup-requests and
 * sends the server SIGUSR2 (backup-requests.ts answers). The server takes a
 * consistent image of its database between two transactions (PGlite's
 * dumpDataDir, the way PGlite clones itself, with every query held back for that
 * moment), and pg_dump runs on an in-memory copy made from that image in a worker
 * thread, so requests are held for the image only. When no process has the folder
 * open, the command opens it itself and dumps it directly.
 */

export const BACKUP_FORMAT = 'school-visits-embedded-backup';
export const BACKUP_FORMAT_VERSION = 1;
const HEADER_PREFIX = '-- school-visits-backup ';
/** Where the server and `npm run backup` exchange requests, inside DATA_DIR. */
export const BACKUP_REQUESTS_DIR = 'backup-requests';
export const LISTENING_FILE = 'listening.json';
/** pg_dump arguments: ownership and grants mean nothing in a restored PGlite (or another server). */
const PG_DUMP_ARGS = ['--no-owner', '--no-privileges'];

export class BackupError extends Error {}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  /** The folder it was taken from. */
  source: string;
  /** PostgreSQL's server_version of the embedded database. */
  postgres: string;
  /** Applied migrations, in order. */
  migrations: string[];
  /** Rows in every table of the public schema when the dump was taken. */
  rows: Record<string, number>;
  sqlBytes: number;
  sha256: string;
}

export interface BackupResult {
  file: string;
  /** Size of the backup file (gzipped). */
  bytes: number;
  sqlBytes: number;
  ms: number;
  /** How long the database was held still for the consistent image (requests waited this long at most); 0 when the server was not running. */
  heldMs: number;
  /** 'server': the running server took it; 'folder': nobody had the folder open, so the command did. */
  via: 'server' | 'folder';
  createdAt: string;
  migrations: number;
  rows: number;
}

/** What a dump is checked against: read in the same moment as the dumped data. */
export interface DatabaseFacts {
  postgres: string;
  migrations: string[];
  rows: Record<string, number>;
}

type Query = <T>(sql: string) => Promise<{ rows: T[] }>;

export async function databaseFacts(query: Query): Promise<DatabaseFacts> {
  const version = await query<{ server_version: string }>('show server_version');
  const tables = await query<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name",
  );
  const rows: Record<string, number> = {};
  for (const { table_name: name } of tables.rows) {
    const count = await query<{ n: number }>(`select count(*)::int as n from public."${name.replace(/"/g, '""')}"`);
    rows[name] = count.rows[0]!.n;
  }
  const migrations =
    'mikro_orm_migrations' in rows ? (await query<{ name: string }>('select name from public.mikro_orm_migrations order by id')).rows.map((r) => r.name) : [];
  return { postgres: version.rows[0]!.server_version, migrations, rows };
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** The backup file's bytes: the header line, then pg_dump's SQL, gzipped. */
export function encodeBackup(sql: string, facts: DatabaseFacts, source: string, createdAt = new Date()): { data: Buffer; header: BackupHeader } {
  const body = Buffer.from(sql, 'utf8');
  const header: BackupHeader = {
    format: BACKUP_FORMAT,
    version: BACKUP_FORMAT_VERSION,
    createdAt: createdAt.toISOString(),
    source,
    ...facts,
    sqlBytes: body.length,
    sha256: sha256(body),
  };
  const data = gzipSync(Buffer.concat([Buffer.from(`${HEADER_PREFIX}${JSON.stringify(header)}\n`, 'utf8'), body]));
  return { data, header };
}

/**
 * Reads a backup file and checks it is one of ours, whole, and from a version of
 * the software this one can run: refuses (BackupError, in words) anything else.
 */
export function decodeBackup(data: Buffer, file = 'the file'): { header: BackupHeader; sql: string } {
  let plain: Buffer;
  try {
    plain = gunzipSync(data);
  } catch {
    throw new BackupError(`${file} is not a backup made by npm run backup (it is not gzip-compressed).`);
  }
  const newline = plain.indexOf(0x0a);
  const first = plain.subarray(0, newline < 0 ? plain.length : newline).toString('utf8');
  if (!first.startsWith(HEADER_PREFIX)) throw new BackupError(`${file} is not a backup made by npm run backup (its first line is not our header).`);
  let header: BackupHeader;
  try {
    header = JSON.parse(first.slice(HEADER_PREFIX.length)) as BackupHeader;
  } catch {
    throw new BackupError(`${file} has a damaged header line.`);
  }
  if (header.format !== BACKUP_FORMAT) throw new BackupError(`${file} is not a backup made by npm run backup (format "${String(header.format)}").`);
  if (header.version !== BACKUP_FORMAT_VERSION) {
    throw new BackupError(`${file} is in backup format ${header.version}; this version of the software reads format ${BACKUP_FORMAT_VERSION}.`);
  }
  const body = plain.subarray(newline + 1);
  if (body.length !== header.sqlBytes || sha256(body) !== header.sha256) {
    throw new BackupError(`${file} is damaged: its contents do not match the checksum in its header (truncated or changed since it was written).`);
  }
  const known = new Set(MIGRATIONS.map((m) => m.name));
  const unknown = (header.migrations ?? []).filter((m) => !known.has(m));
  if (unknown.length) {
    throw new BackupError(
      `${file} was taken from a newer version of the software (its database has migrations this version does not know: ${unknown.join(', ')}). Restore it with that version or later.`,
    );
  }
  if (!header.migrations?.length || !header.rows || typeof header.rows !== 'object')
    throw new BackupError(`${file} does not hold a school visits database (no migrations recorded).`);
  return { header, sql: body.toString('utf8') };
}

async function writeBackupFile(out: string, data: Buffer): Promise<void> {
  await mkdir(path.dirname(out), { recursive: true });
  const partial = `${out}.partial-${randomUUID().slice(0, 8)}`;
  try {
    // Readable by its owner only: a backup holds everything, confidential risk categories included.
    await writeFile(partial, data, { mode: 0o600, flag: 'wx', flush: true });
    if (existsSync(out)) throw new BackupError(`${out} already exists: choose another name (backups are never overwritten).`);
    await rename(partial, out);
  } finally {
    await rm(partial, { force: true });
  }
}

/** pg_dump's SQL for a PGlite instance nobody else is using (it changes the session's search_path and prepared statements for a moment). */
async function dumpSql(pg: PGlite): Promise<string> {
  return (await pgDump({ pg, args: PG_DUMP_ARGS })).text();
}

/**
 * A consistent image of a database in use (a running server's): taken while every
 * other query waits (PGlite runs one transaction at a time, and this is one), after
 * a checkpoint, with the facts the dump will be checked against read in the same
 * moment. PGlite's own clone() is built the same way.
 */
export async function snapshotLive(pg: PGlite): Promise<{ image: Blob; facts: DatabaseFacts }> {
  return pg.transaction(async (tx) => {
    const facts = await databaseFacts(<T>(sql: string) => tx.query<T>(sql));
    await tx.exec('CHECKPOINT');
    const image = await pg.dumpDataDir('none');
    return { image, facts };
  });
}

/** Runs pg_dump over an in-memory copy made from `image`, in a worker thread (pg_dump's WASM runs synchronously: on the server's own thread it would stop every request). */
export async function dumpImageInWorker(image: Blob): Promise<string> {
  const require = createRequire(import.meta.url);
  const tar = await image.arrayBuffer();
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { PGlite } = require(workerData.pglite);
    const { pgDump } = require(workerData.pgDump);
    (async () => {
      const pg = await PGlite.create({ loadDataDir: new Blob([workerData.tar]) });
      try {
        const file = await pgDump({ pg, args: workerData.args });
        parentPort.postMessage({ sql: await file.text() });
      } finally {
        await pg.close();
      }
    })().catch((error) => parentPort.postMessage({ error: String((error && error.stack) || error) }));
  `;
  const worker = new Worker(code, {
    eval: true,
    workerData: { tar, args: PG_DUMP_ARGS, pglite: require.resolve('@electric-sql/pglite'), pgDump: require.resolve('@electric-sql/pglite-tools/pg_dump') },
    transferList: [tar],
  });
  try {
    return await new Promise<string>((resolve, reject) => {
      worker.once('message', (m: { sql?: string; error?: string }) =>
        m.sql !== undefined ? resolve(m.sql) : reject(new BackupError(`pg_dump failed: ${m.error}`)),
      );
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new BackupError(`the backup worker stopped (exit code ${code}) before finishing`)));
    });
  } finally {
    await worker.terminate();
  }
}

/** The running server's side: a backup of its open database, written to `out`. */
export async function backupLive(pg: PGlite, source: string, out: string): Promise<BackupResult> {
  const started = Date.now();
  if (existsSync(out)) throw new BackupError(`${out} already exists: choose another name (backups are never overwritten).`);
  const { image, facts } = await snapshotLive(pg);
  const heldMs = Date.now() - started;
  const sql = await dumpImageInWorker(image);
  const { data, header } = encodeBackup(sql, facts, source);
  await writeBackupFile(out, data);
  return { ...summary(out, data, header, 'server', started), heldMs };
}

function summary(file: string, data: Buffer, header: BackupHeader, via: BackupResult['via'], started: number): BackupResult {
  return {
    file,
    bytes: data.length,
    sqlBytes: header.sqlBytes,
    ms: Date.now() - started,
    heldMs: 0,
    via,
    createdAt: header.createdAt,
    migrations: header.migrations.length,
    rows: Object.values(header.rows).reduce((a, b) => a + b, 0),
  };
}

const isDatabaseFolder = (dir: string) => existsSync(path.join(dir, 'PG_VERSION'));

export interface BackupOptions {
  dataDir: string;
  out: string;
  /** How long to wait for a running server to answer (default 10 minutes). */
  timeoutMs?: number;
}

/**
 * `npm run backup`: asks the server holding the folder, or, when nobody holds
 * it, opens the folder itself (holding its lock meanwhile) and dumps it.
 */
export async function backupEmbedded({ dataDir, out, timeoutMs = 600_000 }: BackupOptions): Promise<BackupResult> {
  const dir = path.resolve(dataDir);
  const file = path.resolve(out);
  if (existsSync(file)) throw new BackupError(`${file} already exists: choose another name (backups are never overwritten).`);
  if (!isDatabaseFolder(dir)) throw new BackupError(`There is no embedded database in ${dir} (no PG_VERSION file): nothing to back up.`);
  const holder = embeddedDataDirHolder(dir);
  if (holder) return askServer(dir, file, holder.pid, timeoutMs);

  const started = Date.now();
  const lock = lockEmbeddedDataDir(dir); // a server starting meanwhile is refused until the dump is written
  let data: Buffer;
  let header: BackupHeader;
  try {
    const pg = await PGlite.create(dir);
    try {
      const facts = await databaseFacts(<T>(sql: string) => pg.query<T>(sql));
      ({ data, header } = encodeBackup(await dumpSql(pg), facts, dir));
    } finally {
      await pg.close();
    }
  } finally {
    lock.release();
  }
  await writeBackupFile(file, data);
  return summary(file, data, header, 'folder', started);
}

/** A request to the running server (backup-requests.ts): a file in DATA_DIR/backup-requests, then SIGUSR2. */
async function askServer(dir: string, file: string, pid: number, timeoutMs: number): Promise<BackupResult> {
  const requests = path.join(dir, BACKUP_REQUESTS_DIR);
  const listening = await readJson<{ pid: number }>(path.join(requests, LISTENING_FILE));
  if (listening?.pid !== pid) {
    throw new BackupError(
      `The embedded database in ${dir} is open in process ${pid}, which does not take backup requests (only the API server does, npm start). ` +
        'Wait for that process to finish, or stop it, and run the backup again.',
    );
  }
  const id = `${Date.now()}-${randomUUID().slice(0, 8)}`;
  const request = path.join(requests, `${id}.request.json`);
  const answer = path.join(requests, `${id}.result.json`);
  await writeFile(`${request}.tmp`, JSON.stringify({ id, out: file, pid: process.pid, at: new Date().toISOString() }));
  await rename(`${request}.tmp`, request);
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const result = await readJson<{ ok: true; result: BackupResult } | { ok: false; error: string }>(answer);
      if (result) {
        if (!result.ok) throw new BackupError(`The server could not take the backup: ${result.error}`);
        return result.result;
      }
      if (!embeddedDataDirHolder(dir)) throw new BackupError(`The server (process ${pid}) stopped before answering the backup request.`);
      if (Date.now() > deadline)
        throw new BackupError(`The server (process ${pid}) did not answer the backup request within ${Math.round(timeoutMs / 1000)} s.`);
      await sleep(100);
    }
  } finally {
    await rm(request, { force: true });
    await rm(answer, { force: true });
  }
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

export interface RestoreOptions {
  file: string;
  dataDir: string;
  /** Replace a folder that already holds something (it is moved aside, never deleted). */
  force?: boolean;
}

export interface RestoreResult {
  dataDir: string;
  /** Where the folder that was there went (--force), or null. */
  replacedFolder: string | null;
  createdAt: string;
  migrations: number;
  rows: number;
  ms: number;
}

/**
 * `npm run restore`: the backup is checked (ours, whole, known migrations), loaded
 * into a new folder beside the target and its row counts checked against the
 * header; only then does it take the target's place. The target must not be open
 * in any process (its lock is held throughout); a target holding anything needs
 * `force`, and is then moved to `<folder>.replaced-<time>`, not deleted. Files of
 * the application kept beside the database there (the development link-signing
 * secret and issuer key, the mail outbox) are carried over to the restored folder.
 */
export async function restoreEmbedded({ file, dataDir, force = false }: RestoreOptions): Promise<RestoreResult> {
  const started = Date.now();
  const data = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' ? new BackupError(`${file} does not exist.`) : error;
  });
  const { header, sql } = decodeBackup(data, file);
  const dir = path.resolve(dataDir);
  const lock = lockEmbeddedDataDir(dir); // refuses a folder in use (DataDirInUseError)
  const staging = `${dir}.restoring-${randomUUID().slice(0, 8)}`;
  try {
    const contents = readdirSync(dir).filter((name) => name !== LOCK_FILE);
    if (contents.length && !force) {
      throw new BackupError(
        `${dir} is not empty${isDatabaseFolder(dir) ? ' (it holds an embedded database)' : ''}. ` +
          'Restore into an empty or new folder (--data-dir), or add --force to replace it: the folder is then moved aside, not deleted.',
      );
    }
    const pg = await PGlite.create(staging);
    try {
      await pg.exec(sql);
      const facts = await databaseFacts(<T>(q: string) => pg.query<T>(q));
      const wrong = Object.keys({ ...header.rows, ...facts.rows }).filter((t) => header.rows[t] !== facts.rows[t]);
      if (wrong.length)
        throw new BackupError(`The restored database does not match the backup's header (row counts differ in ${wrong.join(', ')}); nothing was replaced.`);
      if (facts.migrations.join() !== header.migrations.join())
        throw new BackupError('The restored database does not list the migrations recorded in the backup; nothing was replaced.');
    } finally {
      await pg.close();
    }
    let replacedFolder: string | null = null;
    if (contents.length) {
      // Application files kept beside the database (secrets, outbox) come along; the cluster's own files do not.
      const cluster = new Set(await readdir(staging));
      for (const name of contents) {
        if (cluster.has(name) || name === BACKUP_REQUESTS_DIR) continue;
        await cp(path.join(dir, name), path.join(staging, name), { recursive: true, preserveTimestamps: true });
      }
      replacedFolder = `${dir}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(dir, replacedFolder);
      rmSync(path.join(replacedFolder, LOCK_FILE), { force: true });
    } else {
      rmSync(dir, { recursive: true, force: true }); // nothing in it but our lock
    }
    renameSync(staging, dir);
    return {
      dataDir: dir,
      replacedFolder,
      createdAt: header.createdAt,
      migrations: header.migrations.length,
      rows: Object.values(header.rows).reduce((a, b) => a + b, 0),
      ms: Date.now() - started,
    };
  } finally {
    lock.release();
    await rm(staging, { recursive: true, force: true });
  }
}
