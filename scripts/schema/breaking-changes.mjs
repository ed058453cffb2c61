/**
 * The GraphQL contract's breaking-change gate, shared by api/test/schema.test.ts and
 * scripts/schema/release.mjs (see schema/README.md).
 *
 * Other council systems call this API, so between releases its schema may only grow. This
 * compares a released contract with a newer schema (both as SDL text) using graphql-js's
 * findBreakingChanges and findDangerousChanges, and says each change in words a developer can
 * act on. Breaking changes fail the gate; dangerous ones (an enum value or optional argument
 * added, a default changed) are reported but pass.
 *
 * Also: contractRefsFromGit, the contract at git's origin/main merge-base and nearest
 * `contract-*` tag, for the optional second comparison (skipped where git or the refs are absent).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  BreakingChangeType,
  DangerousChangeType,
  buildSchema,
  findBreakingChanges,
  findDangerousChanges,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { deprecationsIn } from './deprecations.mjs';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The contract as last released: changed only by scripts/schema/release.mjs when cutting a release. */
export const RELEASED_FILE = 'schema/released.graphql';
/** The working contract: what the server prints, written by `npm run schema:emit`. */
export const CURRENT_FILE = 'schema/schema.graphql';

const KEEP = 'other council systems depend on it; the contract may only grow between releases';

/**
 * Every change from `releasedSdl` to `currentSdl`: `breaking` (fails the gate), `dangerous`
 * (reported), `added` (new types, fields, arguments and enum values; for release notes).
 * Each change is `{ type, coordinate, description, message }`: `description` is graphql-js's,
 * `message` names the change and says what to do instead. With `today` (YYYY-MM-DD), a removal of
 * something the released contract deprecated with a removal date that has come is `retired`, not breaking.
 */
export function findContractChanges(releasedSdl, currentSdl, names = {}, { today } = {}) {
  const released = parseSdl(releasedSdl, names.released ?? 'the released contract');
  const current = parseSdl(currentSdl, names.current ?? 'the current schema');
  const { breaking, retired } = retire(
    findBreakingChanges(released, current).map((change) => explainBreaking(change, released)),
    released,
    today,
  );
  return {
    breaking,
    dangerous: findDangerousChanges(released, current).map((change) => explainDangerous(change)),
    added: findAdditions(released, current),
    retired,
  };
}

const REMOVALS = new Set([BreakingChangeType.FIELD_REMOVED, BreakingChangeType.VALUE_REMOVED_FROM_ENUM, BreakingChangeType.ARG_REMOVED]);

/**
 * The deprecation policy (deprecations.mjs): a removal is no break of the contract when the released
 * contract deprecated the thing with a removal date that has come by `today` (YYYY-MM-DD): it goes
 * to `retired`. Without `today`, and for anything removed early or never deprecated, it stays breaking.
 */
function retire(changes, released, today) {
  const deprecated = new Map(deprecationsIn(released).map((d) => [d.coordinate, d]));
  const breaking = [];
  const retired = [];
  for (const change of changes) {
    const d = REMOVALS.has(change.type) ? deprecated.get(change.coordinate) : undefined;
    if (d?.removalOn && today && d.removalOn <= today) retired.push({ ...change, message: `${change.coordinate} was removed on schedule (deprecated: ${d.reason})` });
    else if (d) breaking.push({ ...change, message: `${change.message}; it is deprecated, but ${d.removalOn ? `its removal date, ${d.removalOn}, has not come` : 'its reason names no removal date'}` });
    else breaking.push(change);
  }
  return { breaking, retired };
}

/** The breaking changes alone (an empty list passes the gate). */
export function breakingChanges(releasedSdl, currentSdl, names) {
  return findContractChanges(releasedSdl, currentSdl, names).breaking;
}

/** A report of `changes` (from findContractChanges) against `against`, for a test failure or the console. */
export function formatContractReport(changes, against) {
  const lines = [];
  if (changes.breaking.length) {
    lines.push(
      `${count(changes.breaking.length, 'breaking change')} against ${against}:`,
      ...changes.breaking.map((change) => `  - ${change.message}`),
      '',
      'Other council systems depend on this contract, so it may only grow: put back what was removed or',
      'changed, add the new shape beside it and deprecate the old (@deprecated / deprecationReason).',
      'A breaking change needs a release agreed with those systems (schema/README.md).',
    );
  } else {
    lines.push(`No breaking change against ${against}.`);
  }
  if (changes.retired?.length) {
    lines.push(`${count(changes.retired.length, 'removal')} after deprecation, on schedule:`, ...changes.retired.map((change) => `  - ${change.message}`));
  }
  if (changes.dangerous.length) {
    lines.push(
      `${count(changes.dangerous.length, 'change')} that may affect callers (not failing; mention them in the release notes):`,
      ...changes.dangerous.map((change) => `  - ${change.message}`),
    );
  }
  return lines.join('\n');
}

function count(n, noun) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function parseSdl(sdl, name) {
  try {
    return buildSchema(sdl);
  } catch (error) {
    throw new Error(`${name} is not a valid GraphQL schema: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

const B = BreakingChangeType;

function explainBreaking(change, released) {
  const d = change.description;
  let m;
  const done = (coordinate, message) => ({ type: change.type, coordinate, description: d, message });

  switch (change.type) {
    case B.FIELD_REMOVED:
      if ((m = /^(\w+)\.(\w+) was removed\.$/.exec(d))) {
        const [, type, field] = m;
        const c = `${type}.${field}`;
        if (isInputObjectType(released.getType(type))) {
          return done(
            c,
            `${c} was removed from input ${type}: other council systems send it, and their requests would be refused; ` +
              `keep accepting it (the server may ignore it) and deprecate it instead`,
          );
        }
        return done(c, `${c} was removed: other council systems read it; add a new field instead and deprecate this one`);
      }
      break;

    case B.FIELD_CHANGED_KIND:
      if ((m = /^(\w+)\.(\w+) changed type from (.+) to (.+)\.$/.exec(d))) {
        const [, type, field, from, to] = m;
        const c = `${type}.${field}`;
        if (isInputObjectType(released.getType(type))) {
          if (to === `${from}!`) {
            return done(
              c,
              `${c} was made required (${from} to ${to}): other council systems that leave it out or send null would be refused; ` +
                `keep it optional and apply a default on the server, or add a new field`,
            );
          }
          return done(
            c,
            `${c} changed type from ${from} to ${to}: other council systems send a ${from} and would be refused; ` +
              `keep this input field as it was and add a new optional field with the new type, deprecating this one`,
          );
        }
        if (from === `${to}!`) {
          return done(
            c,
            `${c} may now be null (${from} to ${to}): other council systems rely on it always having a value; ` +
              `keep it non-null, or add a new nullable field and deprecate this one`,
          );
        }
        return done(
          c,
          `${c} changed type from ${from} to ${to}: other council systems read it as ${from}; ` +
            `keep this field as it was, add a new field with the new type instead and deprecate this one`,
        );
      }
      break;

    case B.VALUE_REMOVED_FROM_ENUM:
      if ((m = /^(\w+) was removed from enum type (\w+)\.$/.exec(d))) {
        const [, value, type] = m;
        const c = `${type}.${value}`;
        return done(
          c,
          `${c} was removed from enum ${type}: other council systems send it or handle it in results; ` +
            `keep the value and deprecate it instead (@deprecated), and stop producing it if it no longer applies`,
        );
      }
      break;

    case B.TYPE_REMOVED:
      if ((m = /^Standard scalar (\w+) was removed/.exec(d))) {
        return done(
          m[1],
          `Standard scalar ${m[1]} is no longer used anywhere in the schema: the fields and arguments that used it were ` +
            `removed or changed (see the other changes); put them back`,
        );
      }
      if ((m = /^(\w+) was removed\.$/.exec(d))) {
        return done(
          m[1],
          `Type ${m[1]} was removed: other council systems name it in their queries (fragments, variables); ` +
            `keep it, and deprecate the fields that lead to it instead`,
        );
      }
      break;

    case B.TYPE_CHANGED_KIND:
      if ((m = /^(\w+) changed from (.+) to (.+)\.$/.exec(d))) {
        const [, type, from, to] = m;
        return done(
          type,
          `${type} changed from ${from} to ${to}: queries written against the ${from} would fail; ` +
            `keep ${type} as it was and add a new type with a new name`,
        );
      }
      break;

    case B.TYPE_REMOVED_FROM_UNION:
      if ((m = /^(\w+) was removed from union type (\w+)\.$/.exec(d))) {
        const [, member, union] = m;
        return done(
          union,
          `${member} was removed from union ${union}: other council systems select "... on ${member}" in it; keep it in the union`,
        );
      }
      break;

    case B.IMPLEMENTED_INTERFACE_REMOVED:
      if ((m = /^(\w+) no longer implements interface (\w+)\.$/.exec(d))) {
        const [, type, iface] = m;
        return done(
          type,
          `${type} no longer implements ${iface}: queries reaching it through ${iface} would lose its fields; keep the interface`,
        );
      }
      break;

    case B.REQUIRED_INPUT_FIELD_ADDED:
      if ((m = /^A required field (\w+) on input type (\w+) was added\.$/.exec(d))) {
        const [, field, type] = m;
        const c = `${type}.${field}`;
        return done(
          c,
          `${c} was added as a required input field: other council systems' requests do not send it and would be refused; ` +
            `make it optional (nullable, or with a default value)`,
        );
      }
      break;

    case B.REQUIRED_ARG_ADDED:
      if ((m = /^A required arg (\w+) on (\w+)\.(\w+) was added\.$/.exec(d))) {
        const [, arg, type, field] = m;
        const c = `${type}.${field}(${arg}:)`;
        return done(
          c,
          `${c} was added as a required argument: other council systems' requests do not pass it and would be refused; ` +
            `make it optional (nullable, or with a default value)`,
        );
      }
      break;

    case B.ARG_REMOVED:
      if ((m = /^(\w+)\.(\w+) arg (\w+) was removed\.$/.exec(d))) {
        const [, type, field, arg] = m;
        const c = `${type}.${field}(${arg}:)`;
        return done(
          c,
          `${c} was removed: other council systems pass it, and their requests would be refused ("Unknown argument"); ` +
            `keep accepting it (the server may ignore it) and deprecate it instead`,
        );
      }
      break;

    case B.ARG_CHANGED_KIND:
      if ((m = /^(\w+)\.(\w+) arg (\w+) has changed type from (.+) to (.+)\.$/.exec(d))) {
        const [, type, field, arg, from, to] = m;
        const c = `${type}.${field}(${arg}:)`;
        if (to === `${from}!`) {
          return done(
            c,
            `${c} was made required (${from} to ${to}): other council systems that leave it out would be refused; ` +
              `keep it optional and apply a default on the server`,
          );
        }
        return done(
          c,
          `${c} changed type from ${from} to ${to}: other council systems pass a ${from} and would be refused; ` +
            `keep the argument as it was and add a new optional argument with the new type`,
        );
      }
      break;

    default:
      break;
  }
  // Directive changes, and any wording a later graphql-js uses: its own description, with the rule.
  const coordinate = /^(\S+?)[.:]?\s/.exec(d)?.[1] ?? d;
  return done(coordinate, `${d.replace(/\.$/, '')}: ${KEEP}; keep it as it was`);
}

const D = DangerousChangeType;
const DANGEROUS = [
  [D.VALUE_ADDED_TO_ENUM, /^(\w+) was added to enum type (\w+)\.$/, (v, e) => `${e}.${v}`,
    (c) => `${c} was added: callers that handle every value may meet one they do not know; tell the other council systems`],
  [D.TYPE_ADDED_TO_UNION, /^(\w+) was added to union type (\w+)\.$/, (_m, u) => u,
    (c, d) => `${d.replace(/\.$/, '')}: callers that handle every member may meet one they do not know`],
  [D.OPTIONAL_INPUT_FIELD_ADDED, /^An optional field (\w+) on input type (\w+) was added\.$/, (f, t) => `${t}.${f}`,
    (c) => `${c} was added as an optional input field: existing requests leave it out and get the server's default`],
  [D.OPTIONAL_ARG_ADDED, /^An optional arg (\w+) on (\w+)\.(\w+) was added\.$/, (a, t, f) => `${t}.${f}(${a}:)`,
    (c) => `${c} was added as an optional argument: existing requests leave it out and get the server's default`],
  [D.IMPLEMENTED_INTERFACE_ADDED, /^(\w+) added to interfaces implemented by (\w+)\.$/, (_i, t) => t,
    (c, d) => `${d.replace(/\.$/, '')}: callers matching on the interface now also receive ${c}`],
  [D.ARG_DEFAULT_VALUE_CHANGE, /^(\w+)\.(\w+) arg (\w+) has changed defaultValue/, (t, f, a) => `${t}.${f}(${a}:)`,
    (c, d) => `${d.replace(/\.$/, '')}: requests relying on the default now behave differently`],
];

function explainDangerous(change) {
  const d = change.description;
  for (const [type, pattern, coordinateOf, messageOf] of DANGEROUS) {
    const m = type === change.type ? pattern.exec(d) : null;
    if (m) {
      const coordinate = coordinateOf(...m.slice(1));
      return { type: change.type, coordinate, description: d, message: messageOf(coordinate, d) };
    }
  }
  return { type: change.type, coordinate: /^(\S+?)[.:]?\s/.exec(d)?.[1] ?? d, description: d, message: d.replace(/\.$/, '') };
}

/** What `current` adds to `released`: new types, fields, arguments and enum values (coordinates). */
function findAdditions(released, current) {
  const added = [];
  for (const type of Object.values(current.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const old = released.getType(type.name);
    if (!old) {
      added.push(type.name);
      continue;
    }
    if (isEnumType(type) && isEnumType(old)) {
      const had = new Set(old.getValues().map((v) => v.name));
      for (const v of type.getValues()) if (!had.has(v.name)) added.push(`${type.name}.${v.name}`);
    }
    const hasFields = (t) => isObjectType(t) || isInterfaceType(t) || isInputObjectType(t);
    if (hasFields(type) && hasFields(old)) {
      const oldFields = old.getFields();
      for (const field of Object.values(type.getFields())) {
        const before = oldFields[field.name];
        if (!before) {
          added.push(`${type.name}.${field.name}`);
          continue;
        }
        if (field.args && before.args) {
          const hadArgs = new Set(before.args.map((a) => a.name));
          for (const arg of field.args) if (!hadArgs.has(arg.name)) added.push(`${type.name}.${field.name}(${arg.name}:)`);
        }
      }
    }
  }
  return added.sort();
}

/**
 * The contract in git, for a second, optional comparison: the schema file at the merge-base of
 * HEAD and origin/main, and at the nearest `contract-*` tag reachable from HEAD. Returns
 * `{ refs: [{ label, commit, sdl }], notes }`; `notes` says why a ref was skipped (no git, not a
 * repository, no origin/main, no tag, no schema file at that commit). Reads only.
 */
export function contractRefsFromGit({ cwd = REPO_ROOT, file = CURRENT_FILE } = {}) {
  const notes = [];
  const refs = [];
  const git = (...args) =>
    execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const tryGit = (...args) => {
    try {
      return git(...args).trim();
    } catch {
      return undefined;
    }
  };

  try {
    if (git('rev-parse', '--is-inside-work-tree').trim() !== 'true') throw new Error('not a work tree');
  } catch (error) {
    const why = error?.code === 'ENOENT' ? 'git is not installed' : 'not a git repository (or git refused it)';
    notes.push(`${why}: skipped the comparison with git's contract; the checked-in ${RELEASED_FILE} still ran`);
    return { refs, notes };
  }

  const candidates = [];
  if (tryGit('rev-parse', '--verify', '--quiet', 'origin/main^{commit}')) {
    const base = tryGit('merge-base', 'HEAD', 'origin/main');
    if (base) candidates.push({ label: `git merge-base HEAD origin/main (${base.slice(0, 10)})`, commit: base });
    else notes.push('HEAD and origin/main share no history: skipped the merge-base comparison');
  } else {
    notes.push('no origin/main (a clone without remotes?): skipped the merge-base comparison');
  }
  const tag = tryGit('describe', '--tags', '--abbrev=0', '--match', 'contract-*', 'HEAD');
  if (tag) {
    const commit = tryGit('rev-parse', '--verify', '--quiet', `${tag}^{commit}`);
    if (commit) candidates.push({ label: `tag ${tag} (${commit.slice(0, 10)})`, commit });
  } else {
    notes.push('no contract-* tag reachable from HEAD: skipped the tag comparison');
  }

  const seen = new Set();
  for (const candidate of candidates) {
    if (seen.has(candidate.commit)) continue;
    seen.add(candidate.commit);
    const sdl = tryGitRaw(git, 'show', `${candidate.commit}:${file}`);
    if (sdl === undefined) {
      notes.push(`${candidate.label} has no ${file}: skipped`);
      continue;
    }
    refs.push({ label: `${file} at ${candidate.label}`, commit: candidate.commit, sdl });
  }
  return { refs, notes };
}

function tryGitRaw(git, ...args) {
  try {
    return git(...args);
  } catch {
    return undefined;
  }
}
