#!/usr/bin/env node
/**
 * Cuts a release of the GraphQL contract: copies schema/schema.graphql (the schema the server
 * prints now) over schema/released.graphql (the contract as last released), which the
 * breaking-change gate in api/test/schema.test.ts compares the server with. Run it only when
 * cutting a release, after `npm run schema:emit` (see schema/README.md):
 *
 *   node scripts/schema/release.mjs                     check, report, copy
 *   node scripts/schema/release.mjs --dry-run           check and report only
 *   node scripts/schema/release.mjs --accept-breaking   copy even with breaking changes (a release
 *                                                       agreed with the other council systems)
 *   --version <n>                                       also date the changelog: schema/CHANGELOG.md's
 *                                                       "## Unreleased" becomes "## <today> (contract-<n>)"
 *   --today <YYYY-MM-DD>                                the release's date (default: today, UTC)
 *   --released <file> --current <file>                  other files (default: the two above)
 *
 * It refuses (exit 1) when the current schema breaks the released contract, naming each change,
 * or breaks the deprecation policy (deprecations.mjs: a removal date on everything deprecated, at
 * least six months on, listed in the changelog); a removal of something deprecated whose removal
 * date has come is allowed. Changes that may affect callers are listed but do not stop it. Exit 0
 * when released (or when there is nothing to release).
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CURRENT_FILE, RELEASED_FILE, REPO_ROOT, findContractChanges, formatContractReport } from './breaking-changes.mjs';
import { CHANGELOG_FILE, deprecationProblems } from './deprecations.mjs';

const { values } = parseArgs({
  options: {
    'dry-run': { type: 'boolean', default: false },
    'accept-breaking': { type: 'boolean', default: false },
    released: { type: 'string' },
    current: { type: 'string' },
    changelog: { type: 'string' },
    version: { type: 'string' },
    today: { type: 'string' },
  },
});
const today = values.today ?? new Date().toISOString().slice(0, 10);
if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) {
  console.error(`--today is a date, YYYY-MM-DD (not ${JSON.stringify(today)}).`);
  process.exit(2);
}

const releasedFile = values.released ? path.resolve(values.released) : path.join(REPO_ROOT, RELEASED_FILE);
const currentFile = values.current ? path.resolve(values.current) : path.join(REPO_ROOT, CURRENT_FILE);
const changelogFile = values.changelog ? path.resolve(values.changelog) : path.join(REPO_ROOT, CHANGELOG_FILE);
const show = (file) => path.relative(process.cwd(), file) || file;

const [released, current] = await Promise.all([readFile(releasedFile, 'utf8'), readFile(currentFile, 'utf8')]);
if (released === current) {
  console.log(`${show(releasedFile)} is already ${show(currentFile)}: nothing to release.`);
  process.exit(0);
}

const changes = findContractChanges(released, current, { released: show(releasedFile), current: show(currentFile) }, { today });
console.log(formatContractReport(changes, `${show(releasedFile)} (the contract as last released)`));
if (changes.added.length) {
  console.log(`Added since the last release (${changes.added.length}):\n${changes.added.map((c) => `  + ${c}`).join('\n')}`);
}

if (changes.breaking.length && !values['accept-breaking']) {
  console.error(
    `\nNot released: ${show(currentFile)} breaks the released contract (above). Make the change additive, ` +
      'or, for a release agreed with the other council systems, run again with --accept-breaking.',
  );
  process.exit(1);
}
const changelog = await readFile(changelogFile, 'utf8');
const policy = deprecationProblems(current, changelog, { today });
if (policy.length) {
  console.error(`\nNot released: the deprecation policy (docs/api.md, "Changes to the contract"):\n${policy.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
if (values['dry-run']) {
  console.log(`\nDry run: ${show(releasedFile)} not changed.`);
  process.exit(0);
}

await copyFile(currentFile, releasedFile);
if (values.version) {
  if (!/^## Unreleased\b.*$/m.test(changelog)) {
    console.error(`${show(changelogFile)} has no "## Unreleased" section to date: write this release's entry there.`);
    process.exit(1);
  }
  const fresh = '## Unreleased\n\n### Added\n\n### Deprecated\n\n### Removed\n\n';
  await writeFile(changelogFile, changelog.replace(/^## Unreleased\b.*$/m, `${fresh}## ${today} (contract-${values.version})`));
  console.log(`Dated "## Unreleased" in ${show(changelogFile)} as ${today} (contract-${values.version}), with a fresh Unreleased above it.`);
}
console.log(
  `\nWrote ${show(releasedFile)} from ${show(currentFile)}${changes.breaking.length ? ' (breaking changes accepted)' : ''}. ` +
    'Commit it with the release, and tag that commit contract-<version> (git tag contract-<version>).',
);
