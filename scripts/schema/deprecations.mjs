/**
 * The deprecation policy of the GraphQL contract (docs/api.md, "Changes to the contract"), as a
 * check shared by api/test/schema.test.ts and scripts/schema/release.mjs:
 *
 * - everything deprecated (a field, an argument, an input field, an enum value) says when it goes:
 *   its reason ends "Removal on YYYY-MM-DD.";
 * - schema/CHANGELOG.md lists it under "### Deprecated" of the release that deprecated it (or of
 *   "## Unreleased" until that release is cut);
 * - the removal date is at least MIN_MONTHS after that release's date (today, for Unreleased).
 *
 * The breaking-change gate (breaking-changes.mjs) reads the same removal dates: a removal is
 * allowed only for something deprecated in the released contract whose removal date has come.
 */
import { buildSchema, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from 'graphql';

/** A council's reporting cycle is a year of three terms: six months is two terms' notice. */
export const MIN_MONTHS = 6;
export const CHANGELOG_FILE = 'schema/CHANGELOG.md';
const REMOVAL = /Removal on (\d{4}-\d{2}-\d{2})\.?\s*$/;

/** Every deprecated coordinate of `sdl` with its reason and removal date (null when the reason names none). */
export function deprecationsIn(sdl) {
  const schema = typeof sdl === 'string' ? buildSchema(sdl) : sdl;
  const found = [];
  const add = (coordinate, reason) => {
    if (reason == null) return;
    const date = REMOVAL.exec(reason)?.[1] ?? null;
    found.push({ coordinate, reason, removalOn: date && isCalendarDate(date) ? date : null });
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isEnumType(type)) for (const value of type.getValues()) add(`${type.name}.${value.name}`, value.deprecationReason);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        add(`${type.name}.${field.name}`, field.deprecationReason);
        for (const arg of field.args ?? []) add(`${type.name}.${field.name}(${arg.name}:)`, arg.deprecationReason);
      }
    }
  }
  return found.sort((a, b) => a.coordinate.localeCompare(b.coordinate));
}

/**
 * The releases of schema/CHANGELOG.md, newest first: `{ heading, date, deprecated }`, where `date` is
 * the YYYY-MM-DD of the heading (null for "Unreleased") and `deprecated` the coordinates written in
 * backticks under its "### Deprecated".
 */
export function releasesIn(changelog) {
  const releases = [];
  for (const section of changelog.split(/^## /m).slice(1)) {
    const heading = section.slice(0, section.indexOf('\n')).trim();
    const date = /\b(\d{4}-\d{2}-\d{2})\b/.exec(heading)?.[1] ?? null;
    const deprecatedBlock = /^### Deprecated\s*$([\s\S]*?)(?=^### |(?![\s\S]))/m.exec(section)?.[1] ?? '';
    const deprecated = [...deprecatedBlock.matchAll(/`([A-Za-z_]\w*\.\w+(?:\(\w+:\))?)`/g)].map((m) => m[1]);
    releases.push({ heading, date: /^unreleased\b/i.test(heading) ? null : date, deprecated });
  }
  return releases;
}

/**
 * What breaks the policy in `sdl` against `changelog` (text of schema/CHANGELOG.md), as sentences a
 * developer can act on; empty when the policy holds. `today` (YYYY-MM-DD) dates "Unreleased".
 */
export function deprecationProblems(sdl, changelog, { today }) {
  const releases = releasesIn(changelog);
  const problems = [];
  for (const { coordinate, reason, removalOn } of deprecationsIn(sdl)) {
    if (!removalOn) {
      problems.push(
        `${coordinate} is deprecated without a removal date: end its reason with "Removal on YYYY-MM-DD." ` +
          `(at least ${MIN_MONTHS} months after the release that deprecates it); its reason is ${JSON.stringify(reason)}`,
      );
      continue;
    }
    const release = [...releases].reverse().find((r) => r.deprecated.includes(coordinate));
    if (!release) {
      problems.push(`${coordinate} is deprecated but ${CHANGELOG_FILE} does not list it: add \`${coordinate}\` under "### Deprecated" of "## Unreleased"`);
      continue;
    }
    const from = release.date ?? today;
    const earliest = addMonths(from, MIN_MONTHS);
    if (removalOn < earliest) {
      problems.push(
        `${coordinate} is to be removed on ${removalOn}, less than ${MIN_MONTHS} months after it was deprecated ` +
          `(${release.date ? `release ${release.heading}` : `unreleased, so from today, ${today}`}): the earliest removal date is ${earliest}`,
      );
    }
  }
  return problems;
}

/** YYYY-MM-DD plus `months` calendar months (the 31st of a month without one falls back to its last day). */
export function addMonths(date, months) {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

function isCalendarDate(text) {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}
