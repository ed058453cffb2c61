import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * One process at a time on an embedded database folder.
 *
 * PGlite has no cross-process lock of its own (its postmaster.pid always says -42).
 * Two processes on one folder both write its WAL and pg_control; when the second
 * closes, its shutdown checkpoint points pg_control at WAL the first overwrites,
 * and the folder no longer opens ("PANIC: could not locate a valid checkpoint
 * record"). That, not SIGKILL itself, is what broke folders here (README,
 * "Reliability"). So the folder carries a lock file naming its holder.
 *
 * A pid file rather than a library (proper-lockfile and the like judge a lock
 * stale by age, so a server killed with SIGKILL would block its own restart for
 * that long, or need a timer refreshing the file): a folder is only ever used on
 * one machine, where "is that process alive" is a direct answer. A lock left by
 * a dead process, or copied along with the folder, is taken over.
 */
export const LOCK_FILE = 'school-visits.lock';

export class DataDirInUseError extends Error {}

interface Holder {
  pid: number;
  dataDir: string;
  since: string;
}

function readHolder(file: string): Holder | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder;
  } catch {
    return null; // unreadable or half-written: its writer died between open and write
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, but someone else's
  }
}

export interface DataDirLock {
  release(): void;
}

export function lockEmbeddedDataDir(dataDir: string): DataDirLock {
  const dir = path.resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder && holder.dataDir === dir && isAlive(holder.pid)) {
        throw new DataDirInUseError(
          `The embedded database in ${dir} is open in process ${holder.pid} (since ${holder.since}). ` +
            'Only one process may open it at a time: stop that process first, or use PostgreSQL (DATABASE_URL) to run several.',
        );
      }
      rmSync(file, { force: true }); // its holder is gone (killed), or the folder was copied with it
      continue;
    }
    try {
      writeSync(fd, JSON.stringify({ pid: process.pid, dataDir: dir, since: new Date().toISOString() } satisfies Holder));
    } finally {
      closeSync(fd);
    }
    const remove = () => {
      if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
    };
    // Also on a plain process.exit() (main.ts exits after closing); SIGKILL leaves it, to be taken over.
    process.once('exit', remove);
    return {
      release() {
        process.off('exit', remove);
        remove();
      },
    };
  }
  throw new DataDirInUseError(`Could not take the lock on the embedded database in ${dir}: other processes keep taking it.`);
}
