import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { PgliteConnection } from '@mikro-orm/pglite';
import type { Logger } from '../logger.js';
import { BACKUP_REQUESTS_DIR, backupLive, LISTENING_FILE, type BackupResult } from './backup.js';
import type { Orm } from './orm.js';

/**
 * The running server's side of `npm run backup` on the embedded database (backup.ts).
 *
 * The command cannot open the folder while the server has it (embedded-lock.ts), so
 * it leaves a request in DATA_DIR/backup-requests and sends the server SIGUSR2; the
 * server writes the backup where the request says and answers in a result file.
 * No network door: only someone who can write into DATA_DIR and signal the server's
 * process (its own account, or root), who could read the database anyway, can ask.
 * `listening.json` names the process that answers, so the command never signals a
 * process that does not (SIGUSR2 would end it).
 */
export interface BackupListener {
  /** Stops answering (before the database closes). */
  close(): void;
}

interface Request {
  id: string;
  out: string;
}

export function listenForBackupRequests({ orm, dataDir, logger }: { orm: Orm; dataDir: string; logger: Logger }): BackupListener {
  const dir = path.join(path.resolve(dataDir), BACKUP_REQUESTS_DIR);
  const listeningFile = path.join(dir, LISTENING_FILE);
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  const answer = async (request: Request, taken: string) => {
    let result: { ok: true; result: BackupResult } | { ok: false; error: string };
    try {
      const pg = (await (orm.em.getConnection() as unknown as PgliteConnection).getNativeClient()) as PGlite;
      const done = await backupLive(pg, path.resolve(dataDir), request.out);
      logger.info({ backup: done }, 'backup written');
      result = { ok: true, result: done };
    } catch (error) {
      logger.error({ err: error, out: request.out }, 'backup failed');
      result = { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    const file = path.join(dir, `${request.id}.result.json`);
    await writeFile(`${file}.tmp`, JSON.stringify(result));
    await rename(`${file}.tmp`, file);
    await rm(taken, { force: true });
  };

  const work = async () => {
    do {
      again = false;
      const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.request.json')).sort();
      for (const name of names) {
        if (closed) return;
        const taken = path.join(dir, name.replace(/\.request\.json$/, '.taken.json'));
        try {
          await rename(path.join(dir, name), taken); // claimed: a second signal will not answer it again
        } catch {
          continue;
        }
        let request: Request;
        try {
          request = JSON.parse(await readFile(taken, 'utf8')) as Request;
          if (typeof request.id !== 'string' || !/^[\w-]+$/.test(request.id) || typeof request.out !== 'string' || !path.isAbsolute(request.out))
            throw new Error('malformed');
        } catch {
          logger.warn({ file: name }, 'ignored a malformed backup request');
          await rm(taken, { force: true });
          continue;
        }
        await answer(request, taken);
      }
    } while (again && !closed);
  };

  const onSignal = () => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = work()
      .catch((error) => logger.error({ err: error }, 'backup requests could not be read'))
      .finally(() => {
        running = null;
      });
  };

  if (process.platform === 'win32') return { close() {} }; // no SIGUSR2 there: back up with the server stopped
  mkdirSync(dir, { recursive: true });
  writeFileSync(listeningFile, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
  const forget = () => {
    try {
      if ((JSON.parse(readFileSync(listeningFile, 'utf8')) as { pid: number }).pid === process.pid) rmSync(listeningFile, { force: true });
    } catch {
      // already gone
    }
  };
  process.on('SIGUSR2', onSignal);
  process.once('exit', forget);
  return {
    close() {
      closed = true;
      process.off('SIGUSR2', onSignal);
      process.off('exit', forget);
      forget();
    },
  };
}
