// npm run build:addin: builds the front ends (GraphQL codegen, the two Vite builds, the
// bundle-size report and the Outlook manifest) into addin/dist, unless nothing they are
// built from has changed since the last build and what it wrote is still there, intact.
//
// The stamp (addin/dist/.build-stamp.json) is written only after a build succeeds and
// records a fingerprint of the inputs, by content, and the contents of every file the
// build wrote. A fresh clone has no addin/dist, hence no stamp, and always builds;
// a failed or interrupted build leaves no stamp. `--force` (or BUILD_FORCE=1) always builds.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEPENDENCY_FILES, ROOT, contentsOf, fingerprint, forced, intact, listFiles, node, readJson, remove, tool, writeJson } from './lib.mjs';

const STAMP = 'addin/dist/.build-stamp.json';
const GENERATED = 'addin/src/shared/graphql/generated';

function inputs() {
  // Top-level files of addin/: the pages (*.html), vite*.ts, codegen.yml, tsconfig.json, any .env*.
  const topLevel = readdirSync(join(ROOT, 'addin'))
    .filter((name) => !name.endsWith('.md') && statSync(join(ROOT, 'addin', name)).isFile())
    .map((name) => `addin/${name}`);
  const files = [
    ...topLevel,
    ...listFiles('addin/src', { skip: [GENERATED] }),
    ...listFiles('addin/public'),
    ...listFiles('addin/scripts'), // the bundle-size report and the manifest writer
    ...listFiles('addin/teams', { skip: ['addin/teams/package'] }), // package/: git-ignored output
    ...listFiles('schema/schema.graphql'),
    ...listFiles('manifest.xml'),
    ...listFiles('scripts/build'),
    ...DEPENDENCY_FILES(),
  ];
  const env = Object.fromEntries(
    Object.entries(process.env)
      .filter(([k]) => k === 'ADDIN_HOST' || k === 'NODE_ENV' || k.startsWith('VITE_'))
      .sort(),
  );
  return fingerprint(files, { env, node: process.version });
}

const outputs = () => [...listFiles('addin/dist').filter((f) => f !== STAMP), ...listFiles(GENERATED)];

const STEPS = [
  [tool('graphql-codegen'), ['--config', 'codegen.yml', '--silent']],
  [tool('vite'), ['build', '--logLevel', 'warn']],
  [tool('vite'), ['build', '--config', 'vite.fake-office.config.ts', '--logLevel', 'warn']],
  [tool('vite'), ['build', '--config', 'vite.launch-events.config.ts', '--logLevel', 'warn']],
  ['scripts/report-bundle-size.mjs', []],
  ['scripts/build-manifest.mjs', []],
];

const wanted = inputs();
const stamp = readJson(STAMP);
const why = forced()
  ? 'forced'
  : !stamp
    ? 'no record of a successful build'
    : stamp.inputs !== wanted
      ? 'sources or dependencies changed'
      : !intact(stamp.outputs)
        ? 'the previous build output is incomplete'
        : null;

if (!why) {
  console.log('Front ends up to date (addin/dist): nothing they are built from has changed. `npm run build:addin -- --force` rebuilds.');
  process.exit(0);
}
console.log(`Building the front ends (${why})...`);
remove(STAMP);
for (const [script, args] of STEPS) {
  const status = node(script, args, { cwd: 'addin' });
  if (status !== 0) process.exit(status);
}
writeJson(STAMP, { inputs: wanted, outputs: contentsOf(outputs()) });
