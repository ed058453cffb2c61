// npm run build:api: compiles the API (tsc -p tsconfig.build.json, incremental) into
// api/dist, unless nothing it is compiled from has changed since the last successful
// compile and every file that compile should have written is there.
//
// Why not just run tsc: even with nothing to do, incremental tsc parses the whole program
// (about 1,300 files, most of them dependencies' .d.ts) to compare versions: 4-5 s of CPU,
// more on a busy machine. Fingerprinting api/src, api/demo, api/soak, the tsconfigs and the
// installed dependencies by content takes a few milliseconds.
//
// The stamp (api/dist/.build-stamp.json) is written only after tsc succeeds, with the
// fingerprint taken before it ran (a file edited during a compile is compiled again next
// time). No stamp (fresh clone, failed compile, type errors): tsc runs. Outputs missing
// (e.g. a file deleted from api/dist, which incremental tsc would not write again): the
// build info is dropped and tsc compiles everything. `--force` (or BUILD_FORCE=1) does too.
// Messages go to stderr (stdout stays the command's own, e.g. npm run backup's); --quiet drops them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEPENDENCY_FILES, ROOT, fingerprint, forced, listFiles, node, readJson, remove, tool, writeJson } from './lib.mjs';

const STAMP = 'api/dist/.build-stamp.json';
const BUILD_INFO = 'api/dist/.tsbuildinfo'; // tsconfig.build.json's tsBuildInfoFile
const SOURCE_DIRS = ['api/src', 'api/demo', 'api/soak']; // tsconfig.build.json's include
const quiet = process.argv.includes('--quiet');

const sources = SOURCE_DIRS.flatMap((dir) => listFiles(dir));
const wanted = fingerprint([...sources, 'tsconfig.json', 'tsconfig.build.json', ...listFiles('scripts/build'), ...DEPENDENCY_FILES()], {
  node: process.version,
});

/** What tsc writes for each TypeScript source (rootDir api, outDir api/dist); .json is copied only when imported. */
const expectedOutputs = sources
  .filter((f) => /\.(ts|tsx|mts|cts)$/.test(f) && !/\.d\.[mc]?ts$/.test(f))
  .map(
    (f) =>
      'api/dist/' +
      f
        .slice('api/'.length)
        .replace(/\.tsx?$/, '.js')
        .replace(/\.mts$/, '.mjs')
        .replace(/\.cts$/, '.cjs'),
  );
const missing = expectedOutputs.filter((f) => !existsSync(join(ROOT, f)));

const stamp = readJson(STAMP);
if (!forced() && stamp?.inputs === wanted && missing.length === 0 && existsSync(join(ROOT, BUILD_INFO))) {
  if (!quiet) console.error('API up to date (api/dist): nothing it is compiled from has changed. `npm run build:api -- --force` recompiles.');
  process.exit(0);
}

const why = forced()
  ? 'forced: everything'
  : !existsSync(join(ROOT, BUILD_INFO))
    ? 'no previous build'
    : missing.length > 0
      ? `api/dist lacks ${missing.length} compiled file(s), e.g. ${missing[0]}: everything`
      : !stamp
        ? 'no record of a successful build'
        : 'sources or dependencies changed';
if (!quiet) console.error(`Compiling the API (${why})...`);
remove(STAMP);
if (forced() || missing.length > 0) remove(BUILD_INFO);
const status = node(tool('tsc'), ['-p', 'tsconfig.build.json']);
if (status !== 0) process.exit(status);
writeJson(STAMP, { inputs: wanted });
