import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, LOCK_FILE, lockEmbeddedDataDir } from '../src/platform/db/embedded-lock.js';
import { TEST_DATA_ROOT } from './support/test-database.js';

/**
 * Two processes on one PGlite folder corrupt it (its shutdown checkpoint points
 * pg_control at WAL the other overwrites): the second is refused. A lock left by a
 * killed process, or copied with the folder, does not block.
 */
const root = path.join(TEST_DATA_ROOT, `locks-${randomUUID().slice(0, 8)}`);
afterAll(() => rm(root, { recursive: true, force: true }));
const folder = async () => {
  const dir = path.join(root, randomUUID().slice(0, 8));
  await mkdir(dir, { recursive: true });
  return dir;
};

describe('the embedded database folder lock', () => {
  it('refuses a second holder in the same process, and frees the folder on release', async () => {
    const dir = await folder();
    const lock = lockEmbeddedDataDir(dir);
    expect(() => lockEmbeddedDataDir(dir)).toThrow(DataDirInUseError);
    lock.release();
    lockEmbeddedDataDir(dir).release();
  });

  it('refuses while another live process holds the folder, naming it', { timeout: 60_000 }, async () => {
    const dir = await folder();
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { lockEmbeddedDataDir } from ${JSON.stringify(path.resolve('api/dist/src/platform/db/embedded-lock.js'))}; lockEmbeddedDataDir(process.argv[1]); console.log('locked'); setInterval(() => {}, 1000);`,
        dir,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (d) => String(d).includes('locked') && resolve());
        holder.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      expect(() => lockEmbeddedDataDir(dir)).toThrow(new RegExp(`open in process ${holder.pid}`));
    } finally {
      const gone = new Promise((r) => holder.once('exit', r));
      holder.kill('SIGKILL');
      await gone;
    }
    // Killed outright, it left its lock behind: taken over, as the holder is gone.
    expect(JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(holder.pid);
    lockEmbeddedDataDir(dir).release();
  });

  it("takes over a lock naming this process's pid that this process did not take (an earlier process had the pid)", async () => {
    const dir = await folder();
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, dataDir: dir, since: '2026-01-01T00:00:00.000Z' }));
    const lock = lockEmbeddedDataDir(dir);
    expect(() => lockEmbeddedDataDir(dir)).toThrow(DataDirInUseError); // now it is ours
    lock.release();
  });

  it('takes over a lock whose pid now belongs to another process (started later than the holder)', { timeout: 60_000 }, async () => {
    const dir = await folder();
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      const started = (await readFile(`/proc/${other.pid}/stat`, 'utf8').catch(() => null)) !== null;
      if (!started) return; // no /proc here: only the pid can be checked, and this process is alive
      await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: other.pid, dataDir: dir, since: '2026-01-01T00:00:00.000Z', startedAt: '1' }));
      lockEmbeddedDataDir(dir).release();
    } finally {
      other.kill('SIGKILL');
    }
  });

  // A container restarted after a crash starts the server with the old one's pid. A new PID namespace
  // (unshare, as a container runtime makes one) gives pid 1 both times; skipped where unshare is not allowed.
  const canUnshare = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;
  it.runIf(canUnshare)('reopens after a crash when the restarted server gets the old pid (pid 1 in a container)', { timeout: 60_000 }, async () => {
    const dir = await folder();
    const lockModule = JSON.stringify(path.resolve('api/dist/src/platform/db/embedded-lock.js'));
    const inContainer = (script: string) =>
      spawnSync('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, '--input-type=module', '-e', script, dir], { encoding: 'utf8' });
    // The first server takes the lock as pid 1 and is killed outright (SIGKILL from outside, as a crashed
    // container's processes are), leaving its lock behind.
    const first = spawn(
      'unshare',
      [
        '--pid',
        '--fork',
        '--mount-proc',
        '--kill-child',
        process.execPath,
        '--input-type=module',
        '-e',
        `import { lockEmbeddedDataDir } from ${lockModule}; lockEmbeddedDataDir(process.argv[1]); console.log('locked as', process.pid); setInterval(() => {}, 1000);`,
        dir,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      first.stdout!.on('data', (d) => String(d).includes('locked as') && resolve());
      first.once('exit', (code) => reject(new Error(`the first server exited with ${code}`)));
    });
    const gone = new Promise((r) => first.once('exit', r));
    first.kill('SIGKILL');
    await gone;
    expect(JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8')).pid).toBe(1);
    const restarted = inContainer(
      `import { lockEmbeddedDataDir } from ${lockModule}; lockEmbeddedDataDir(process.argv[1]).release(); console.log('reopened as', process.pid);`,
    );
    expect(restarted.stdout + restarted.stderr).toContain('reopened as 1');
  });

  it('takes over a lock copied along with the folder (same process, other folder)', async () => {
    const dir = await folder();
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, dataDir: path.join(root, 'the-original'), since: new Date().toISOString() }));
    lockEmbeddedDataDir(dir).release();
  });
});
