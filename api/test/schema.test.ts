import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CURRENT_FILE,
  RELEASED_FILE,
  REPO_ROOT,
  breakingChanges,
  contractRefsFromGit,
  findContractChanges,
  formatContractReport,
} from '../../scripts/schema/breaking-changes.mjs';
import { CHANGELOG_FILE, MIN_MONTHS, deprecationProblems, deprecationsIn, releasesIn } from '../../scripts/schema/deprecations.mjs';
import { testToday } from './support/test-clock.js';
import { buildApiSchema, printApiSchema } from '../src/app/schema.js';

/**
 * The API's contract (schema/README.md). schema/schema.graphql must be what the server prints;
 * the gate compares the schema the server builds now with schema/released.graphql, the contract
 * as last released (never with the working file, which follows the code), using the same module
 * as the release script (scripts/schema/breaking-changes.mjs).
 */

const RELEASE_SCRIPT = path.join(REPO_ROOT, 'scripts/schema/release.mjs');
let running: Promise<string> | undefined;
/** The SDL the server builds now (built once for this file). */
const runningSdl = (): Promise<string> => (running ??= buildApiSchema().then(printApiSchema));

describe('schema/schema.graphql', () => {
  it('is exactly the schema the server prints (else run `npm run schema:emit`)', async () => {
    const checkedIn = await readFile(path.join(REPO_ROOT, CURRENT_FILE), 'utf8');
    const running = await runningSdl();
    if (running !== checkedIn) {
      const a = checkedIn.split('\n');
      const b = running.split('\n');
      const line = a.findIndex((text, i) => text !== b[i]);
      const at = line === -1 ? a.length : line;
      expect.fail(
        `${CURRENT_FILE} is not the schema the server prints: run \`npm run schema:emit\` and commit the result ` +
          `(first difference at line ${at + 1}: checked in ${JSON.stringify(a[at] ?? '<end>')}, server ${JSON.stringify(b[at] ?? '<end>')}).`,
      );
    }
  });
});

describe('the breaking-change gate: the server against the released contract', () => {
  it(`has no breaking change against ${RELEASED_FILE} (the contract as last released)`, async () => {
    const released = await readFile(path.join(REPO_ROOT, RELEASED_FILE), 'utf8');
    const changes = findContractChanges(released, await runningSdl(), {
      released: RELEASED_FILE,
      current: 'the schema the server builds',
    });
    const report = formatContractReport(changes, `${RELEASED_FILE} (the contract as last released)`);
    if (changes.dangerous.length) console.info(report);
    expect(
      changes.breaking.map((change) => change.message),
      report,
    ).toEqual([]);
  });

  // Optional: the contract in git (origin/main's merge-base, the nearest contract-* tag). A clone
  // without git, remotes or tags skips this; the checked-in released contract above always runs.
  const git = contractRefsFromGit();
  for (const note of git.notes) console.info(`schema.test.ts: ${note}`);
  if (git.refs.length === 0) {
    it.skip('has no breaking change against the contract in git (no origin/main and no contract-* tag here)', () => {});
  }
  for (const ref of git.refs) {
    it(`has no breaking change against ${ref.label}`, async () => {
      const changes = findContractChanges(ref.sdl, await runningSdl(), { released: ref.label, current: 'the schema the server builds' });
      const report = formatContractReport(changes, ref.label);
      expect(
        changes.breaking.map((change) => change.message),
        report,
      ).toEqual([]);
    });
  }
});

/** `sdl` with `from` replaced by `to` inside the block that starts with `header` (`type Visit`); throws if nothing changed. */
function editBlock(sdl: string, header: string, from: string | RegExp, to: string): string {
  const start = sdl.indexOf(`\n${header} {\n`);
  if (start === -1) throw new Error(`${header} is not in the released contract: choose another for this test`);
  const end = sdl.indexOf('\n}\n', start) + 3;
  const block = sdl.slice(start, end);
  const edited = block.replace(from, to);
  if (edited === block) throw new Error(`${String(from)} is not in ${header}: choose another for this test`);
  return sdl.slice(0, start) + edited + sdl.slice(end);
}

describe('the breaking-change gate itself (scripts/schema/breaking-changes.mjs), on scratch copies of the released contract', () => {
  let dir: string;
  let released: string;

  /** Writes `sdl` to the scratch folder and runs the gate on the file as written. */
  async function gate(name: string, sdl: string) {
    const file = path.join(dir, `${name}.graphql`);
    await writeFile(file, sdl);
    return findContractChanges(released, await readFile(file, 'utf8'));
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'schema-gate-'));
    released = await readFile(path.join(REPO_ROOT, RELEASED_FILE), 'utf8');
    await writeFile(path.join(dir, 'released.graphql'), released);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes the released contract unchanged', () => {
    expect(breakingChanges(released, released)).toEqual([]);
  });

  it('fails when a field is removed (Visit.cancelledAt), naming it', async () => {
    const changes = await gate('field-removed', editBlock(released, 'type Visit', /\n {2}cancelledAt: DateTime\n/, '\n'));
    expect(changes.breaking.map((c) => c.coordinate)).toEqual(['Visit.cancelledAt']);
    expect(changes.breaking[0].message).toBe('Visit.cancelledAt was removed: other council systems read it; add a new field instead and deprecate this one');
    expect(formatContractReport(changes, RELEASED_FILE)).toContain('1 breaking change against schema/released.graphql');
  });

  it("fails when a field's type changes (Visit.cancellationReason String to Int), naming it", async () => {
    const changes = await gate('field-type-changed', editBlock(released, 'type Visit', /\n {2}cancellationReason: String\n/, '\n  cancellationReason: Int\n'));
    expect(changes.breaking.map((c) => c.coordinate)).toEqual(['Visit.cancellationReason']);
    expect(changes.breaking[0].message).toMatch(/^Visit\.cancellationReason changed type from String to Int: other council systems read it as String;/);
  });

  it('fails when a nullable input field is made non-null (UpdateNoteInput.summary String to String!), naming it', async () => {
    const changes = await gate('input-made-required', editBlock(released, 'input UpdateNoteInput', /\n {2}summary: String\n/, '\n  summary: String!\n'));
    expect(changes.breaking.map((c) => c.coordinate)).toEqual(['UpdateNoteInput.summary']);
    expect(changes.breaking[0].message).toMatch(/^UpdateNoteInput\.summary was made required \(String to String!\): /);
  });

  it('fails when an enum value is removed (NoteStatus.DISPUTED), naming it', async () => {
    const changes = await gate('enum-value-removed', editBlock(released, 'enum NoteStatus', /\n {2}DISPUTED\n/, '\n'));
    expect(changes.breaking.map((c) => c.coordinate)).toEqual(['NoteStatus.DISPUTED']);
    expect(changes.breaking[0].message).toMatch(/^NoteStatus\.DISPUTED was removed from enum NoteStatus: .*deprecate it instead/);
  });

  it('names every change when there are several at once', async () => {
    let sdl = editBlock(released, 'type Visit', /\n {2}cancelledAt: DateTime\n/, '\n');
    sdl = editBlock(sdl, 'enum NoteStatus', /\n {2}DISPUTED\n/, '\n');
    const report = formatContractReport(await gate('several', sdl), RELEASED_FILE);
    expect(report).toContain('2 breaking changes');
    expect(report).toContain('  - Visit.cancelledAt was removed');
    expect(report).toContain('  - NoteStatus.DISPUTED was removed from enum NoteStatus');
  });

  it('passes an added field, and reports an added enum value or optional input field as dangerous without failing', async () => {
    const added = await gate(
      'field-added',
      editBlock(released, 'type Visit', /\n {2}cancelledAt: DateTime\n/, '\n  cancelledAt: DateTime\n  cancelledBy: String\n'),
    );
    expect(added.breaking).toEqual([]);
    expect(added.dangerous).toEqual([]);
    expect(added.added).toEqual(['Visit.cancelledBy']);

    let sdl = editBlock(released, 'enum NoteStatus', /\n {2}DRAFT\n/, '\n  DRAFT\n  WITHDRAWN\n');
    sdl = editBlock(sdl, 'input UpdateNoteInput', /\n {2}summary: String\n/, '\n  summary: String\n  summaryLanguage: String\n');
    const dangerous = await gate('dangerous', sdl);
    expect(dangerous.breaking).toEqual([]);
    expect(dangerous.dangerous.map((c) => c.coordinate).sort()).toEqual(['NoteStatus.WITHDRAWN', 'UpdateNoteInput.summaryLanguage']);
    expect(dangerous.added).toEqual(['NoteStatus.WITHDRAWN', 'UpdateNoteInput.summaryLanguage']);
  });

  it('stops the release script (scripts/schema/release.mjs) on a breaking change and lets an additive one through', async () => {
    const releasedCopy = path.join(dir, 'released-copy.graphql');
    await writeFile(releasedCopy, released);
    const broken = path.join(dir, 'release-broken.graphql');
    await writeFile(broken, editBlock(released, 'type Visit', /\n {2}cancelledAt: DateTime\n/, '\n'));
    const refused = spawnSync(process.execPath, [RELEASE_SCRIPT, '--released', releasedCopy, '--current', broken], { encoding: 'utf8' });
    expect(refused.status, refused.stderr).toBe(1);
    expect(refused.stdout).toContain('Visit.cancelledAt was removed: other council systems read it');
    expect(refused.stderr).toContain('Not released');
    expect(await readFile(releasedCopy, 'utf8')).toBe(released);

    const additive = path.join(dir, 'release-additive.graphql');
    const next = editBlock(released, 'type Visit', /\n {2}cancelledAt: DateTime\n/, '\n  cancelledAt: DateTime\n  cancelledBy: String\n');
    await writeFile(additive, next);
    const { stdout } = await promisify(execFile)(process.execPath, [RELEASE_SCRIPT, '--released', releasedCopy, '--current', additive]);
    expect(stdout).toContain('+ Visit.cancelledBy');
    expect(await readFile(releasedCopy, 'utf8')).toBe(next);
  });
});

const hasGit = spawnSync('git', ['--version']).status === 0;

describe.runIf(hasGit)('the contract in git (contractRefsFromGit), on a scratch repository', () => {
  let dir: string;
  // A scratch repository only: never the checkout (GIT_DIR and the like are dropped).
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_')));
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'user.name=Schema test', '-c', 'user.email=schema-test@example.invalid', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false', ...args],
      { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    ).trim();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'schema-git-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("skips with a note outside a repository, and finds origin/main's merge-base and the nearest contract-* tag inside one", async () => {
    const outside = contractRefsFromGit({ cwd: dir });
    expect(outside.refs).toEqual([]);
    expect(outside.notes.join('\n')).toMatch(/skipped the comparison with git's contract/);

    const released = await readFile(path.join(REPO_ROOT, RELEASED_FILE), 'utf8');
    const withField = editBlock(released, 'type Visit', /\n {2}cancelledAt: DateTime\n/, '\n  cancelledAt: DateTime\n  cancelledBy: String\n');
    const save = async (sdl: string, message: string) => {
      await writeFile(path.join(dir, CURRENT_FILE), sdl);
      git('add', CURRENT_FILE);
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    };
    git('init', '-q', '-b', 'main');
    await mkdir(path.join(dir, 'schema'));
    const releaseCommit = await save(released, 'release 1');

    const bare = contractRefsFromGit({ cwd: dir });
    expect(bare.refs).toEqual([]);
    expect(bare.notes.join('\n')).toMatch(/no origin\/main/);
    expect(bare.notes.join('\n')).toMatch(/no contract-\* tag/);

    git('tag', 'contract-1');
    const mainCommit = await save(withField, 'a field added on main');
    git('update-ref', 'refs/remotes/origin/main', mainCommit);
    await save(editBlock(withField, 'type Visit', /\n {2}cancelledBy: String\n/, '\n'), 'the branch removes it again');

    const found = contractRefsFromGit({ cwd: dir });
    expect(found.notes).toEqual([]);
    expect(found.refs.map((r) => [r.commit, r.label])).toEqual([
      [mainCommit, `${CURRENT_FILE} at git merge-base HEAD origin/main (${mainCommit.slice(0, 10)})`],
      [releaseCommit, `${CURRENT_FILE} at tag contract-1 (${releaseCommit.slice(0, 10)})`],
    ]);
    const head = await readFile(path.join(dir, CURRENT_FILE), 'utf8');
    expect(breakingChanges(found.refs[0].sdl, head).map((c) => c.coordinate)).toEqual(['Visit.cancelledBy']);
    expect(breakingChanges(found.refs[1].sdl, head)).toEqual([]);
  });
});

/** `sdl` with `@deprecated(reason: ...)` added to the line `line` inside the block that starts with `header`. */
function deprecate(sdl: string, header: string, line: string, reason: string): string {
  return editBlock(sdl, header, new RegExp(`\n {2}${line.replace(/[()[\]!]/g, '\\$&')}\n`), `\n  ${line} @deprecated(reason: ${JSON.stringify(reason)})\n`);
}

describe('the deprecation policy (scripts/schema/deprecations.mjs; docs/api.md, "Changes to the contract")', () => {
  let released: string;
  let changelog: string;
  beforeAll(async () => {
    released = await readFile(path.join(REPO_ROOT, RELEASED_FILE), 'utf8');
    changelog = await readFile(path.join(REPO_ROOT, CHANGELOG_FILE), 'utf8');
  });

  it(`holds for the schema the server builds: each deprecation names a removal date ${MIN_MONTHS} months or more after its release, and the changelog lists it`, async () => {
    expect(deprecationProblems(await runningSdl(), changelog, { today: testToday() })).toEqual([]);
  });

  it('has an Unreleased entry and dated releases in schema/CHANGELOG.md', () => {
    const releases = releasesIn(changelog);
    expect(releases[0]).toMatchObject({ heading: 'Unreleased', date: null });
    expect(releases.slice(1).every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.date ?? ''))).toBe(true);
  });

  const withUnreleased = (...coordinates: string[]) =>
    `# Changes\n\n## Unreleased\n\n### Added\n\nNothing.\n\n### Deprecated\n\n${coordinates.map((c) => `- \`${c}\`: use something else.`).join('\n')}\n\n### Removed\n\nNothing.\n\n## 2026-11-30: the first release\n`;

  it('finds deprecated fields, arguments, input fields and enum values, and refuses each without a date, too soon, or missing from the changelog', () => {
    let sdl = deprecate(released, 'type Visit', 'cancelledAt: DateTime', 'Use cancellation instead. Removal on 2027-09-10.');
    sdl = deprecate(sdl, 'input UpdateNoteInput', 'summary: String', 'Use the sections instead.');
    sdl = deprecate(sdl, 'enum NoteStatus', 'DISPUTED', 'No longer produced. Removal on 2027-05-01.');
    sdl = editBlock(
      sdl,
      'type Query',
      /\n {4}after: String\n {4}filter: SchoolFilter\n/,
      '\n    after: String @deprecated(reason: "Removal on 2027-12-01.")\n    filter: SchoolFilter\n',
    );
    expect(deprecationsIn(sdl).map((d) => [d.coordinate, d.removalOn])).toEqual([
      ['NoteStatus.DISPUTED', '2027-05-01'],
      ['Query.schools(after:)', '2027-12-01'],
      ['UpdateNoteInput.summary', null],
      ['Visit.cancelledAt', '2027-09-10'],
    ]);
    const problems = deprecationProblems(sdl, withUnreleased('Visit.cancelledAt', 'NoteStatus.DISPUTED', 'UpdateNoteInput.summary'), { today: '2027-03-10' });
    expect(problems).toEqual([
      expect.stringMatching(
        /^NoteStatus\.DISPUTED is to be removed on 2027-05-01, less than 6 months after it was deprecated .*the earliest removal date is 2027-09-10$/,
      ),
      expect.stringMatching(/^Query\.schools\(after:\) is deprecated but schema\/CHANGELOG\.md does not list it/),
      expect.stringMatching(/^UpdateNoteInput\.summary is deprecated without a removal date: end its reason with "Removal on YYYY-MM-DD\."/),
    ]);
    // Six months to the day is enough; a deprecation dated by an earlier release counts from that release.
    expect(
      deprecationProblems(deprecate(released, 'type Visit', 'cancelledAt: DateTime', 'Removal on 2027-09-10.'), withUnreleased('Visit.cancelledAt'), {
        today: '2027-03-10',
      }),
    ).toEqual([]);
    const dated = withUnreleased().replace('## 2026-11-30: the first release\n', '## 2027-01-15 (contract-2)\n\n### Deprecated\n\n- `Visit.cancelledAt`\n');
    expect(deprecationProblems(deprecate(released, 'type Visit', 'cancelledAt: DateTime', 'Removal on 2027-07-15.'), dated, { today: '2027-03-10' })).toEqual(
      [],
    );
    expect(
      deprecationProblems(deprecate(released, 'type Visit', 'cancelledAt: DateTime', 'Removal on 2027-07-14.'), dated, { today: '2027-03-10' }),
    ).toHaveLength(1);
  });

  it('stops the release script on a deprecation without a date, and dates the changelog with --version', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'schema-release-'));
    try {
      const files = { released: path.join(dir, 'released.graphql'), current: path.join(dir, 'current.graphql'), changelog: path.join(dir, 'CHANGELOG.md') };
      await writeFile(files.released, released);
      await writeFile(files.changelog, withUnreleased('Visit.cancelledAt'));
      const run = (...extra: string[]) =>
        spawnSync(
          process.execPath,
          [RELEASE_SCRIPT, '--released', files.released, '--current', files.current, '--changelog', files.changelog, '--today', '2027-03-10', ...extra],
          { encoding: 'utf8' },
        );

      await writeFile(files.current, deprecate(released, 'type Visit', 'cancelledAt: DateTime', 'Use cancellation instead.'));
      const refused = run('--version', '2');
      expect(refused.status, refused.stderr).toBe(1);
      expect(refused.stderr).toContain('Not released: the deprecation policy');
      expect(refused.stderr).toContain('Visit.cancelledAt is deprecated without a removal date');
      expect(await readFile(files.released, 'utf8')).toBe(released);

      const next = deprecate(released, 'type Visit', 'cancelledAt: DateTime', 'Use cancellation instead. Removal on 2027-09-10.');
      await writeFile(files.current, next);
      const done = run('--version', '2');
      expect(done.status, done.stderr).toBe(0);
      expect(await readFile(files.released, 'utf8')).toBe(next);
      const dated = releasesIn(await readFile(files.changelog, 'utf8'));
      expect(dated.map((r) => [r.heading, r.deprecated])).toEqual([
        ['Unreleased', []],
        ['2027-03-10 (contract-2)', ['Visit.cancelledAt']],
        ['2026-11-30: the first release', []],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lets the gate pass a removal only of what the released contract deprecated, once its removal date has come', () => {
    const deprecatedRelease = deprecate(released, 'type Visit', 'cancelledAt: DateTime', 'Use cancellation instead. Removal on 2027-09-10.');
    const removed = editBlock(deprecatedRelease, 'type Visit', /\n {2}cancelledAt: DateTime @deprecated\(reason: "[^"]*"\)\n/, '\n');
    const early = findContractChanges(deprecatedRelease, removed, {}, { today: '2027-09-09' });
    expect(early.breaking.map((c) => c.message)).toEqual([
      expect.stringMatching(/^Visit\.cancelledAt was removed: .*; it is deprecated, but its removal date, 2027-09-10, has not come$/),
    ]);
    const onTime = findContractChanges(deprecatedRelease, removed, {}, { today: '2027-09-10' });
    expect(onTime.breaking).toEqual([]);
    expect(onTime.retired.map((c) => c.coordinate)).toEqual(['Visit.cancelledAt']);
    expect(formatContractReport(onTime, RELEASED_FILE)).toContain('1 removal after deprecation, on schedule:');
    // Never deprecated: breaking whatever the date.
    const undeprecated = editBlock(released, 'type Visit', /\n {2}cancelledAt: DateTime\n/, '\n');
    expect(findContractChanges(released, undeprecated, {}, { today: '2099-01-01' }).breaking.map((c) => c.coordinate)).toEqual(['Visit.cancelledAt']);
  });
});
