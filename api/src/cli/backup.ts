/**
 * npm run backup [-- --out FILE] [--data-dir DIR]
 * A backup of the embedded database (DATA_DIR, default .data): a gzipped SQL dump with a
 * header of ours (db/backup.ts), written to FILE (default backups/school-visits-<time>.sql.gz).
 * Works with the server running (the server takes it, asked through SIGUSR2) or stopped.
 * With DATABASE_URL set it refuses: PostgreSQL is backed up with its own tools (README, Backups).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BackupError, backupEmbedded } from '../platform/db/backup.js';
import { DataDirInUseError } from '../platform/db/embedded-lock.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, 'data-dir': { type: 'string' }, 'timeout-seconds': { type: 'string' } } });
if (process.env.DATABASE_URL) {
  console.error(
    'DATABASE_URL is set: this server keeps its data in PostgreSQL. Back it up with pg_dump (or base backups and WAL archiving): see README, "Backups".',
  );
  process.exit(2);
}
const dataDir = path.resolve(values['data-dir'] ?? process.env.DATA_DIR ?? '.data');
const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
const out = path.resolve(values.out ?? path.join('backups', `school-visits-${stamp}.sql.gz`));
try {
  const result = await backupEmbedded({ dataDir, out, timeoutMs: values['timeout-seconds'] ? Number(values['timeout-seconds']) * 1000 : undefined });
  const who = result.via === 'server' ? `taken by the running server, which held its database still for ${result.heldMs} ms` : 'the server was not running';
  console.log(
    `Backup written: ${result.file}\n` +
      `  ${(result.bytes / 1e6).toFixed(1)} MB gzipped (${(result.sqlBytes / 1e6).toFixed(1)} MB of SQL), ${result.rows} rows, ${result.migrations} migrations, ` +
      `in ${(result.ms / 1000).toFixed(1)} s (${who}).\n` +
      `  Restore with: npm run restore -- ${path.relative(process.cwd(), result.file).startsWith('..') ? result.file : path.relative(process.cwd(), result.file)}`,
  );
} catch (error) {
  if (error instanceof BackupError || error instanceof DataDirInUseError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
