import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

/**
 * The previous release's server, built from git history, for tests of a rolling deploy: old
 * instances keep serving while the new release's migrations have already run. Its `api/src`,
 * package.json and tsconfigs come out of `git archive`, compile with this checkout's TypeScript,
 * and run on this checkout's node_modules (linked), except the packages the old release pinned
 * at another version or that are gone: those are installed from the registry beside it. The
 * build is kept in the system's temporary folder under the commit's id, so only the first run
 * pays for it (about a minute).
 */
export const PREVIOUS_RELEASE = process.env.PREVIOUS_RELEASE ?? '1d4f6c9';

const run = promisify(execFile);
const REPO = path.resolve('.');

export interface ReleaseBuild {
  commit: string;
  dir: string;
  /** Packages installed beside the linked node_modules, as name@version. */
  installed: string[];
}

export async function buildRelease(ref = PREVIOUS_RELEASE): Promise<ReleaseBuild> {
  const commit = (await run('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: REPO })).stdout.trim();
  const dir = path.join(os.tmpdir(), 'school-visits-releases', commit);
  const marker = path.join(dir, 'built.json');
  // A build is reused only by the checkout whose node_modules it links: another clone's may be gone.
  if (existsSync(marker)) {
    const built = JSON.parse(await readFile(marker, 'utf8')) as ReleaseBuild & { linkedFrom?: string };
    if (built.linkedFrom === REPO) return built;
  }

  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const files = ['api/src', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];
  await run('sh', ['-c', `git archive --format=tar "$0" "$@" | tar -x -C "${dir}"`, commit, ...files], { cwd: REPO });
  const installed = await linkDependencies(dir);
  try {
    await run(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', path.join(dir, 'tsconfig.build.json')], {
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const { stdout = '' } = error as { stdout?: string };
    throw new Error(`the release ${commit} does not compile:\n${stdout.slice(0, 4000)}`, { cause: error });
  }
  const build: ReleaseBuild = { commit, dir, installed };
  await writeFile(marker, JSON.stringify({ ...build, linkedFrom: REPO }));
  return build;
}

/** node_modules for the old tree: every package of this checkout linked, the old release's differing pins installed. */
async function linkDependencies(dir: string): Promise<string[]> {
  const modules = path.join(dir, 'node_modules');
  await mkdir(modules);
  for (const entry of await readdir(path.join(REPO, 'node_modules'))) {
    if (!entry.startsWith('.')) await symlink(path.join(REPO, 'node_modules', entry), path.join(modules, entry));
  }
  const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const differing: string[] = [];
  for (const [name, version] of Object.entries(pkg.dependencies ?? {})) {
    if ((await installedVersion(name)) !== version) differing.push(`${name}@${version}`);
  }
  if (!differing.length) return [];
  const extra = path.join(dir, 'extra');
  await mkdir(extra);
  // No peers: a package's peer (graphql) must be this checkout's one copy, found up the tree, not a second one here.
  await run(
    'npm',
    ['install', '--prefix', extra, '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', '--legacy-peer-deps', ...differing],
    {
      cwd: extra,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  for (const spec of differing) {
    const name = spec.slice(0, spec.lastIndexOf('@'));
    const target = path.join(modules, name);
    const scope = name.startsWith('@') ? path.join(modules, name.split('/')[0]) : null;
    if (scope && (await lstat(scope).catch(() => null))?.isSymbolicLink()) await unlinkScope(scope);
    await rm(target, { force: true, recursive: false }).catch(() => undefined);
    if (scope) await mkdir(scope, { recursive: true });
    await symlink(path.join(extra, 'node_modules', name), target);
  }
  return differing;
}

/** A linked scope folder turned into a folder of links, so one of its packages can be replaced. */
async function unlinkScope(scope: string): Promise<void> {
  const source = path.join(REPO, 'node_modules', path.basename(scope));
  await rm(scope);
  await mkdir(scope);
  for (const entry of await readdir(source)) await symlink(path.join(source, entry), path.join(scope, entry));
}

async function installedVersion(name: string): Promise<string | null> {
  try {
    return (JSON.parse(await readFile(path.join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
}

export interface RunningRelease {
  url: string;
  /** Its log, line by line (JSON). */
  lines: string[];
  stop(): Promise<void>;
}

/** Starts the built release's server (`node api/dist/main.js`, what its `npm start` ran) and waits until it is ready. */
export async function startRelease(build: ReleaseBuild, env: NodeJS.ProcessEnv): Promise<RunningRelease> {
  const child = spawn(process.execPath, [path.join(build.dir, 'api/dist/main.js')], { cwd: build.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const collect = (line: string) => {
      lines.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'school visits API ready' && entry.url) resolve(entry.url.replace(/\/graphql$/, ''));
      } catch {
        // not a log line
      }
    };
    createInterface({ input: child.stdout! }).on('line', collect);
    createInterface({ input: child.stderr! }).on('line', collect);
    child.once('exit', (code) => reject(new Error(`the release's server exited with ${code} before it was ready:\n${lines.join('\n')}`)));
  });
  return { url, lines, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
