// Helpers for the build scripts in this folder: fingerprints of source trees (by content,
// not by modification time, so a checkout, a copy or a touch never fools them) and a way
// to run the project's own tools with the Node running the script.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { spawnSync } from 'node:child_process';

export const ROOT = resolve(import.meta.dirname, '..', '..');

const sha1 = (data) => createHash('sha1').update(data).digest('hex');

/** Every file under `path` (a file or a folder, relative to the root), as root-relative paths with '/', sorted. */
export function listFiles(path, { skip = [] } = {}) {
  const skipped = skip.map((s) => resolve(ROOT, s));
  const out = [];
  const walk = (abs) => {
    if (skipped.some((s) => abs === s || abs.startsWith(s + sep))) return;
    let st;
    try {
      st = statSync(abs);
    } catch {
      return; // absent: its absence is part of the fingerprint through the list of names
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(abs).sort()) walk(join(abs, name));
    } else if (st.isFile()) {
      out.push(relative(ROOT, abs).split(sep).join('/'));
    }
  };
  walk(resolve(ROOT, path));
  return out.sort();
}

/** A fingerprint of the named files' names and contents, and of `extra` (e.g. environment variables). */
export function fingerprint(files, extra = {}) {
  const h = createHash('sha256');
  h.update(JSON.stringify(extra));
  for (const file of [...new Set(files)].sort()) {
    h.update(`\0${file}\0`);
    h.update(sha1(readFileSync(join(ROOT, file))));
  }
  return h.digest('hex');
}

/** path -> sha1 of its contents, for the files a build wrote. */
export function contentsOf(files) {
  return Object.fromEntries(files.map((f) => [f, sha1(readFileSync(join(ROOT, f)))]));
}

/** Whether every file recorded by contentsOf is still there, unchanged. */
export function intact(recorded) {
  if (!recorded || typeof recorded !== 'object' || Object.keys(recorded).length === 0) return false;
  for (const [file, hash] of Object.entries(recorded)) {
    const abs = join(ROOT, file);
    if (!existsSync(abs) || sha1(readFileSync(abs)) !== hash) return false;
  }
  return true;
}

export function readJson(path) {
  try {
    return JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
  } catch {
    return null;
  }
}

export const writeJson = (path, value) => writeFileSync(join(ROOT, path), JSON.stringify(value, null, 2) + '\n');
export const remove = (path) => rmSync(join(ROOT, path), { force: true });

/** The script behind node_modules/.bin/<name>, to run with this same Node. */
export const tool = (name) => realpathSync(join(ROOT, 'node_modules', '.bin', name));

/** Runs a Node script (e.g. tool('vite')) with this Node in `cwd`; returns its exit status. */
export function node(script, args = [], { cwd = ROOT } = {}) {
  const result = spawnSync(process.execPath, [script, ...args], { cwd: resolve(ROOT, cwd), stdio: 'inherit' });
  if (result.error) {
    console.error(`${script}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}

/** What the installed dependencies are, as far as a build is concerned. */
export const DEPENDENCY_FILES = () => [
  ...listFiles('package-lock.json'),
  ...listFiles('node_modules/.package-lock.json'), // what npm actually installed
  ...listFiles('patches'), // patch-package edits installed files without touching the lockfile
];

export const forced = () => process.argv.includes('--force') || process.env.BUILD_FORCE === '1';
