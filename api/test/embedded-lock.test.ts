import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirInUseError, LOCK_FILE, lockEmbeddedDataDir } from '../src/db/embedded-lock.js';
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
      ['--input-type=module', '-e', `import { lockEmbeddedDataDir } from ${JSON.stringify(path.resolve('api/dist/db/embedded-lock.js'))}; lockEmbeddedDataDir(process.argv[1]); console.log('locked'); setInterval(() => {}, 1000);`, dir],
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

  it('takes over a lock copied along with the folder (same process, other folder)', async () => {
    const dir = await folder();
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, dataDir: path.join(root, 'the-original'), since: new Date().toISOString() }));
    lockEmbeddedDataDir(dir).release();
  });
});
