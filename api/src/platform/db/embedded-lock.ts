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
 *
 * "Alive" means the same process, not just the same number: a container restarted
 * after a crash starts its server with the pid the old one had (often 1), and any
 * process may later get a dead holder's pid. So the lock also records the boot and
 * the process's start time (from /proc, where there is one), and a lock naming this
 * very pid counts as held only if this process took it.
 */
export const LOCK_FILE = 'school-visits.lock';

export class DataDirInUseError extends Error {}

interface Holder {
  pid: number;
  dataDir: string;
  since: string;
  /** The kernel's boot id and the process's start (clock ticks since boot), where /proc tells them. */
  bootId?: string;
  startedAt?: string;
}

/** Folders this process holds: a lock naming our pid that is not here was left by an earlier process. */
const heldHere = new Set<string>();

function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined; // no /proc (macOS, Windows), or the process is gone
  }
}

const bootId = () => readProc('/proc/sys/kernel/random/boot_id');

/** Field 22 of /proc/<pid>/stat; the command name before it may hold spaces and brackets. */
function startTimeOf(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  return stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

function isHolding(holder: Holder, dir: string): boolean {
  if (holder.dataDir !== dir) return false; // copied along with the folder
  if (holder.pid === process.pid) return heldHere.has(dir);
  if (!isAlive(holder.pid)) return false;
  // Alive under that number: the same process only if it started when the holder did, in this boot.
  if (holder.bootId && bootId() && holder.bootId !== bootId()) return false;
  const started = startTimeOf(holder.pid);
  return !(holder.startedAt && started && holder.startedAt !== started);
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

/** The live process holding the folder, or null when none does (no lock, or its holder is gone). */
export function embeddedDataDirHolder(dataDir: string): { pid: number; since: string } | null {
  const dir = path.resolve(dataDir);
  const holder = readHolder(path.join(dir, LOCK_FILE));
  return holder && isHolding(holder, dir) ? { pid: holder.pid, since: holder.since } : null;
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
      if (holder && isHolding(holder, dir)) {
        throw new DataDirInUseError(
          `The embedded database in ${dir} is open in process ${holder.pid} (since ${holder.since}). ` +
            'Only one process may open it at a time: stop that process first, or use PostgreSQL (DATABASE_URL) to run several.',
        );
      }
      rmSync(file, { force: true }); // its holder is gone (killed, or an earlier process with our pid), or the folder was copied with it
      continue;
    }
    try {
      const holder: Holder = { pid: process.pid, dataDir: dir, since: new Date().toISOString(), bootId: bootId(), startedAt: startTimeOf(process.pid) };
      writeSync(fd, JSON.stringify(holder));
    } finally {
      closeSync(fd);
    }
    heldHere.add(dir);
    const remove = () => {
      heldHere.delete(dir);
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
