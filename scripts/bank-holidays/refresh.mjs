#!/usr/bin/env node
/**
 * Refreshes the England and Wales bank holidays the working-day deadlines skip
 * (api/src/platform/dates/bank-holidays.england-and-wales.json) from the government's
 * published file, https://www.gov.uk/bank-holidays.json (its england-and-wales division).
 *
 *   npm run bank-holidays:refresh                      fetch, merge, write, report
 *   npm run bank-holidays:refresh -- --dry-run         report only
 *   npm run bank-holidays:refresh -- --from <file|url> a copy of the published file instead
 *
 * The published file covers only recent years, so this merges rather than replaces:
 * from the first to the last date the file lists, its events are taken as they are
 * (a moved or one-off holiday replaces the regular one); years it no longer lists are
 * kept. It reports what it added, changed and removed, and refuses a result with a
 * year that looks incomplete (fewer than eight holidays, or none at Christmas).
 * After a refresh, run the tests (api/test/bank-holidays.test.ts checks the list) and
 * commit the data file.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PUBLISHED_URL = 'https://www.gov.uk/bank-holidays.json';
export const DIVISION = 'england-and-wales';
export const DATA_FILE = fileURLToPath(new URL('../../api/src/platform/dates/bank-holidays.england-and-wales.json', import.meta.url));

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The published file's events for England and Wales, checked; throws saying what is wrong. */
export function publishedEvents(json) {
  const division = json?.[DIVISION];
  if (!division || division.division !== DIVISION || !Array.isArray(division.events)) {
    throw new Error(`The published file has no "${DIVISION}" division with a list of events: is it ${PUBLISHED_URL}?`);
  }
  if (!division.events.length) throw new Error(`The published file lists no ${DIVISION} bank holidays.`);
  return division.events.map((e, i) => {
    const problem =
      typeof e?.date !== 'string' || !ISO_DATE.test(e.date) || new Date(`${e.date}T00:00:00Z`).toISOString().slice(0, 10) !== e.date
        ? 'a date as YYYY-MM-DD'
        : typeof e.title !== 'string' || !e.title.trim()
          ? 'a title'
          : typeof e.notes !== 'string'
            ? 'notes (a string, perhaps empty)'
            : typeof e.bunting !== 'boolean'
              ? 'bunting (true or false)'
              : null;
    if (problem) throw new Error(`Event ${i} of the published ${DIVISION} list has no ${problem}: ${JSON.stringify(e).slice(0, 200)}`);
    return { title: e.title, date: e.date, notes: e.notes, bunting: e.bunting };
  });
}

const year = (date) => Number(date.slice(0, 4));
const same = (a, b) => a.title === b.title && a.notes === b.notes && a.bunting === b.bunting;

/** Years, grouped into ranges that share a source. */
function provenanceRanges(byYear) {
  const ranges = [];
  for (const y of [...byYear.keys()].sort((a, b) => a - b)) {
    const last = ranges.at(-1);
    if (last && last.to === y - 1 && last.source === byYear.get(y)) last.to = y;
    else ranges.push({ from: y, to: y, source: byYear.get(y) });
  }
  return ranges;
}

/**
 * Merges the published events into the data (pure: returns a new data object and a
 * report). `retrievedOn` is the date the published file was fetched, "YYYY-MM-DD".
 */
export function mergeBankHolidays(data, published, { retrievedOn, source = PUBLISHED_URL }) {
  const sorted = [...published].sort((a, b) => a.date.localeCompare(b.date));
  const dates = sorted.map((e) => e.date);
  const duplicate = dates.find((d, i) => dates.indexOf(d) !== i);
  if (duplicate) throw new Error(`The published list has two events on ${duplicate}: not merged.`);
  const first = dates[0];
  const last = dates.at(-1);
  const current = [...data.events].sort((a, b) => a.date.localeCompare(b.date));
  const inSpan = (e) => e.date >= first && e.date <= last;
  const currentByDate = new Map(current.filter(inSpan).map((e) => [e.date, e]));
  const publishedByDate = new Map(sorted.map((e) => [e.date, e]));

  const report = { first, last, added: [], changed: [], removed: [], kept: [] };
  for (const e of sorted) {
    const was = currentByDate.get(e.date);
    if (!was) report.added.push(e);
    else if (!same(was, e)) report.changed.push({ was, now: e });
  }
  for (const e of currentByDate.values()) if (!publishedByDate.has(e.date)) report.removed.push(e);
  const kept = current.filter((e) => !inSpan(e));
  report.kept = [...new Set(kept.map((e) => year(e.date)))].sort((a, b) => a - b);

  const events = [...kept, ...sorted].sort((a, b) => a.date.localeCompare(b.date)).map(({ title, date, notes, bunting }) => ({ title, date, notes, bunting }));

  // Every year from the first to the last must be whole: the API treats a listed year as complete.
  const byYear = new Map();
  for (const e of events) byYear.set(year(e.date), [...(byYear.get(year(e.date)) ?? []), e]);
  for (let y = year(events[0].date); y <= year(events.at(-1).date); y += 1) {
    const days = byYear.get(y) ?? [];
    if (days.length < 8 || !days.some((e) => e.date >= `${y}-12-25`)) {
      throw new Error(
        `After merging, ${y} has ${days.length} bank holidays${days.some((e) => e.date >= `${y}-12-25`) ? '' : ' and none at Christmas'}: it looks incomplete, so nothing was written. Check the published file.`,
      );
    }
  }

  const sourceByYear = new Map();
  for (const range of data.provenance ?? []) for (let y = range.from; y <= range.to; y += 1) sourceByYear.set(y, range.source);
  for (const y of new Set(sorted.map((e) => year(e.date)))) sourceByYear.set(y, `${source}, ${DIVISION}, as published on ${retrievedOn}.`);
  for (const y of byYear.keys()) if (!sourceByYear.has(y)) sourceByYear.set(y, 'unknown');

  return {
    data: { ...data, source, retrievedOn, provenance: provenanceRanges(new Map([...sourceByYear].filter(([y]) => byYear.has(y)))), events },
    report,
  };
}

/** The report in words, one line each. */
export function describeReport(report) {
  const one = (e) => `${e.date} ${e.title}${e.notes ? ` (${e.notes})` : ''}`;
  const lines = [`Published list: ${report.first} to ${report.last}.`];
  lines.push(report.added.length ? `Added ${report.added.length}:` : 'Added none.', ...report.added.map((e) => `  + ${one(e)}`));
  lines.push(
    report.changed.length ? `Changed ${report.changed.length}:` : 'Changed none.',
    ...report.changed.map(
      ({ was, now }) =>
        `  ~ ${now.date}: ${JSON.stringify({ title: was.title, notes: was.notes, bunting: was.bunting })} → ${JSON.stringify({ title: now.title, notes: now.notes, bunting: now.bunting })}`,
    ),
  );
  lines.push(
    report.removed.length ? `Removed ${report.removed.length} (no longer published; a moved holiday shows here and under Added):` : 'Removed none.',
    ...report.removed.map((e) => `  - ${one(e)}`),
  );
  if (report.kept.length) {
    const ranges = [];
    for (const y of report.kept) {
      const last = ranges.at(-1);
      if (last && last[1] === y - 1) last[1] = y;
      else ranges.push([y, y]);
    }
    lines.push(`Kept as they were (not in the published file): ${ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ')}.`);
  }
  return lines;
}

async function readPublished(from) {
  if (/^https?:\/\//.test(from)) {
    const response = await fetch(from, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`${from} answered ${response.status} ${response.statusText}.`);
    return response.json();
  }
  return JSON.parse(await readFile(from, 'utf8'));
}

async function main(argv) {
  const dryRun = argv.includes('--dry-run');
  const fromIndex = argv.indexOf('--from');
  const from = fromIndex >= 0 ? argv[fromIndex + 1] : PUBLISHED_URL;
  if (!from) throw new Error('--from needs a file or a URL.');
  const data = JSON.parse(await readFile(DATA_FILE, 'utf8'));
  const published = publishedEvents(await readPublished(from));
  const retrievedOn = new Date().toISOString().slice(0, 10);
  const { data: merged, report } = mergeBankHolidays(data, published, { retrievedOn });
  for (const line of describeReport(report)) console.log(line);
  const years = merged.events.map((e) => year(e.date));
  console.log(`The list now covers ${Math.min(...years)} to ${Math.max(...years)} (${merged.events.length} bank holidays).`);
  if (dryRun) {
    console.log('Dry run: nothing written.');
    return;
  }
  await writeFile(DATA_FILE, `${JSON.stringify(merged, null, 2)}\n`);
  console.log(`Written: ${path.relative(process.cwd(), DATA_FILE)}. Run the tests, then commit it.`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`bank-holidays:refresh: ${error.message}`);
    process.exitCode = 1;
  });
}
