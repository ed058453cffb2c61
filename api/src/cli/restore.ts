/**
 * npm run restore -- FILE [--force] [--data-dir DIR]
 * Restores a backup made by npm run backup into the embedded database folder (DATA_DIR,
 * default .data). Stop the server first: a folder in use is refused. A folder that holds
 * anything is refused unless --force, which moves it aside (DIR.replaced-<time>), never
 * deletes it. The backup is checked first (ours, undamaged, migrations this version knows).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BackupError, restoreEmbedded } from '../platform/db/backup.js';
import { DataDirInUseError } from '../platform/db/embedded-lock.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { force: { type: 'boolean' }, 'data-dir': { type: 'string' } } });
if (process.env.DATABASE_URL) {
  console.error('DATABASE_URL is set: this server keeps its data in PostgreSQL. Restore it with pg_restore: see README, "Backups".');
  process.exit(2);
}
const [file] = positionals;
if (!file || positionals.length > 1) {
  console.error('Usage: npm run restore -- FILE [--force] [--data-dir DIR]');
  process.exit(2);
}
const dataDir = path.resolve(values['data-dir'] ?? process.env.DATA_DIR ?? '.data');
try {
  const result = await restoreEmbedded({ file: path.resolve(file), dataDir, force: values.force });
  console.log(
    `Restored ${file} (taken ${result.createdAt}) into ${result.dataDir}: ${result.rows} rows, ${result.migrations} migrations, in ${(result.ms / 1000).toFixed(1)} s.` +
      (result.replacedFolder ? `\nThe folder that was there is kept in ${result.replacedFolder}: delete it once you are satisfied.` : '') +
      '\nStart the server (npm start or npm run serve); it applies any newer migrations.',
  );
} catch (error) {
  if (error instanceof BackupError || error instanceof DataDirInUseError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
