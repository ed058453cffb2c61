import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../src/platform/config.js';
import { bookedVisits } from './support/booked-visits.js';
import { startTestApp } from './support/test-app.js';
import { testClock } from './support/test-clock.js';

/**
 * Every mutation of notes and visits, sent malformed and out-of-range values in every argument and
 * every input field (found by introspecting the running server, so a new mutation or field is
 * covered without touching this file): no answer is INTERNAL_SERVER_ERROR or an HTTP 500, and a
 * call answered with an error has written nothing.
 *
 * Each call changes ONE place of an otherwise sensible call on real records (a draft note, a booked
 * visit...), so it gets past the lookups to the place being tried. A call with an odd but valid value
 * may succeed (and write); a call answered with an error must not have written. That is checked on a
 * fingerprint of every table (rows, latest updated_at, sum of versions) taken after each call that
 * ran; a call GraphQL refused before anything ran is checked with the next one that ran. Values
 * GraphQL's types cannot carry (a date in year 0211 or 9999, 30 February, an unknown enum value...)
 * must be refused.
 */

// ---------------------------------------------------------------- the schema, as the server says

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface InputValue {
  name: string;
  type: TypeRef;
  defaultValue: string | null;
}
interface FieldDef {
  name: string;
  args: InputValue[];
  type: TypeRef;
}
interface FullType {
  kind: string;
  name: string;
  fields: FieldDef[] | null;
  inputFields: InputValue[] | null;
  enumValues: { name: string }[] | null;
}

// every call counts against the per-person rate limit: lifted here, as this is one person sending a thousand requests
const t = await startTestApp({ config: { auth: { rateLimitPerMinute: 10_000_000 } as AppConfig['auth'] } });
afterAll(() => t.stop());

const INTROSPECTION = `query {
  __schema {
    mutationType { name }
    types { kind name fields { name args { name defaultValue type { ...T } } type { ...T } } inputFields { name defaultValue type { ...T } } enumValues { name } }
  }
}
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`;

const introspected = await t.gql<{ __schema: { mutationType: { name: string }; types: FullType[] } }>(INTROSPECTION);
if (introspected.errors) throw new Error(`introspection failed: ${JSON.stringify(introspected.errors)}`);
const types = new Map(introspected.data!.__schema.types.map((type) => [type.name, type]));
const mutationFields = types.get(introspected.data!.__schema.mutationType.name)!.fields!;

const named = (type: TypeRef): TypeRef => (type.ofType ? named(type.ofType) : type);
const printType = (type: TypeRef): string =>
  type.kind === 'NON_NULL' ? `${printType(type.ofType!)}!` : type.kind === 'LIST' ? `[${printType(type.ofType!)}]` : type.name!;

/** The types of notes and visits: these two, and every object type that holds one of them. */
const ROOTS = new Set(['NoteOfVisit', 'Visit']);
const domainTypes = new Set(ROOTS);
for (const type of types.values()) {
  if (type.kind === 'OBJECT' && !type.name.startsWith('__') && type.name !== 'Query' && type.fields?.some((f) => ROOTS.has(named(f.type).name!)))
    domainTypes.add(type.name);
}
/** Input types reached from an argument, through nested input objects. */
function inputTypesOf(arg: InputValue, seen = new Set<string>()): Set<string> {
  const type = types.get(named(arg.type).name!)!;
  if (type.kind !== 'INPUT_OBJECT' || seen.has(type.name)) return seen;
  seen.add(type.name);
  for (const field of type.inputFields!) inputTypesOf(field, seen);
  return seen;
}
const returnsDomain = (m: FieldDef) => domainTypes.has(named(m.type).name!);
const domainInputs = new Set(mutationFields.filter(returnsDomain).flatMap((m) => m.args.flatMap((a) => [...inputTypesOf(a)])));
/** A mutation of notes and visits: it answers with one of their types, takes one of their inputs, or names a note or visit. */
const MUTATIONS = mutationFields.filter(
  (m) => returnsDomain(m) || m.args.some((a) => [...inputTypesOf(a)].some((i) => domainInputs.has(i)) || /^(visitId|noteId)$/.test(a.name)),
);
console.log(`mutations of notes and visits (${MUTATIONS.length}): ${MUTATIONS.map((m) => m.name).join(', ')}`);

// ---------------------------------------------------------------- real records to aim at

const db = t.app.orm.em.getConnection();
const sql = async <T = Record<string, any>>(query: string, params: unknown[] = []) => (await db.execute(query, params)) as T[];
const manager = (await sql(`select id from partner where role = 'manager' and active order by name limit 1`))[0]!.id as string;
const tableOf = (typeName: string) => typeName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const tables = new Set(
  (await sql<{ t: string }>(`select table_name as t from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`)).map(
    (r) => r.t,
  ),
);
const columns = new Map<string, Set<string>>();
for (const { t: table, c } of await sql<{ t: string; c: string }>(
  `select table_name as t, column_name as c from information_schema.columns where table_schema = current_schema()`,
)) {
  columns.set(table, (columns.get(table) ?? new Set()).add(c));
}

/** The note state each workflow step starts from; a note mutation not listed here gets a draft. */
const NOTE_STATUS: Record<string, string[]> = {
  recordHeadteacherResponse: ['shared'],
  moderateNote: ['disputed'],
  circulateNote: ['agreed', 'moderated'],
  correctNote: ['circulated'],
};

interface Target {
  id: string;
  version?: number;
  /** The visit's school, for a booking. */
  schoolId?: string;
}

/** A record the mutation acts on, chosen afresh for every call (an earlier call may have moved it on). */
async function targetOf(mutation: FieldDef): Promise<Target | null> {
  const returns = named(mutation.type).name!;
  if (returns === 'NoteOfVisit' && mutation.args.some((a) => a.name === 'id')) {
    const statuses = NOTE_STATUS[mutation.name] ?? ['draft'];
    const [note] = await sql(
      `select id, version from note_of_visit where status in (${statuses.map(() => '?').join(', ')}) order by updated_at desc, id limit 1`,
      statuses,
    );
    return note ? { id: note.id, version: note.version } : null;
  }
  if (returns === 'Visit' || mutation.args.some((a) => a.name === 'visitId')) {
    // completing and starting a note want a visit that has taken place; the others one still to come
    const past = /^(complete|startNote|sendSchoolSection)/.test(mutation.name);
    const [visit] = await sql(
      `select v.id, v.version, v.school_id from visit v where v.status = 'booked' and v.starts_at ${past ? '<' : '>'} ? and v.type <> 'round_table'
        and (not ? or not exists (select 1 from note_of_visit n where n.visit_id = v.id)) order by v.starts_at ${past ? 'desc' : 'asc'}, v.id limit 1`,
      [testClock.now(), mutation.name === 'startNote'],
    );
    const fallback = visit ?? (await sql(`select id, version, school_id from visit where status = 'completed' order by starts_at desc limit 1`))[0];
    return fallback ? { id: fallback.id, version: fallback.version, schoolId: fallback.school_id } : null;
  }
  const table = tableOf(returns);
  if (!tables.has(table)) return null;
  if (mutation.args.some((a) => a.name === 'id')) {
    const [row] = await sql(`select * from "${table}" order by 1 desc limit 1`);
    return row ? { id: row.id, version: row.version } : null;
  }
  // found by its other arguments, e.g. an agenda template by its visit type: the row their sensible values name
  const keys = mutation.args.filter((a) => types.get(named(a.type).name!)!.kind === 'ENUM' && columns.get(table)?.has(tableOf(a.name)));
  if (!keys.length) return null;
  const [row] = await sql(
    `select * from "${table}" where ${keys.map((k) => `${tableOf(k.name)}::text = ?`).join(' and ')} limit 1`,
    keys.map((k) => types.get(named(k.type).name!)!.enumValues![0]!.name.toLowerCase()),
  );
  return row ? { id: row.id, version: row.version } : null;
}

/** The recommendations a draft note carries in for review (a review names one of them). */
async function carriedRecommendation(noteId: string | undefined): Promise<string | null> {
  const [row] = noteId ? await sql(`select recommendation_id from recommendation_review where note_id = ? limit 1`, [noteId]) : [];
  if (row) return row.recommendation_id;
  const [any] = await sql(`select id from recommendation limit 1`);
  return any?.id ?? null;
}

// ---------------------------------------------------------------- sensible values, then bad ones

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
/** The suite clock's year: the sensible dates are later than the demo county's. */
const YEAR = Number(testClock.now().toISOString().slice(0, 4));

interface Context {
  mutation: FieldDef;
  target: Target | null;
  recommendationId: string | null;
  /** A run-unique text, so an appointment booked by one call is not the next call's. */
  unique: string;
}

const STRINGS: [RegExp, (c: Context) => string][] = [
  [/email/i, () => 'someone@school.example'],
  [/^ownerInitials$/, () => 'J.S.'],
  [/^keyStage$/, () => 'KS2'],
  [/^academicYear$/, () => `${YEAR + 1}-${String((YEAR + 2) % 100).padStart(2, '0')}`],
  [/^ownerRole$/, () => 'Headteacher'],
  [/^(itemId|icalUid)$/, (c) => `inputs-${c.unique}`],
  [/^name$/, () => 'Head Teacher'],
];

function scalarBase(typeName: string, name: string, c: Context): unknown {
  switch (typeName) {
    case 'ID':
      if (name === 'id' || name === 'visitId') return c.target?.id ?? UNKNOWN_ID;
      if (name === 'schoolId') return c.target?.schoolId ?? UNKNOWN_ID;
      if (/partnerId$/i.test(name)) return manager;
      if (name === 'recommendationId') return c.recommendationId ?? UNKNOWN_ID;
      return UNKNOWN_ID;
    case 'String':
      return STRINGS.find(([pattern]) => pattern.test(name))?.[1](c) ?? 'Checked during the visit.';
    case 'Int':
      if (name === 'expectedVersion') return c.target?.version ?? 1;
      if (name === 'year') return YEAR + 1;
      if (/Grade$/.test(name)) return 2;
      if (name === 'minutes') return 30;
      return 1;
    case 'Float':
      return name === 'value' ? 50 : 1;
    case 'Boolean':
      return name === 'agreed';
    case 'Date':
      return `${YEAR + 2}-06-28`;
    case 'DateTime':
      // an early-morning visit well after the demo county's: no overlap with its visits
      return name === 'endsAt' ? `${YEAR + 3}-03-11T07:00:00+00:00` : `${YEAR + 3}-03-11T05:00:00+00:00`;
    default:
      return 'x';
  }
}

/** A sensible value for a place: optional item ids and lists of ids left out, one item in other lists. */
function baseValue(type: TypeRef, name: string, c: Context): unknown {
  if (type.kind === 'NON_NULL') return baseValue(type.ofType!, name, c);
  if (type.kind === 'LIST') return named(type).name === 'ID' ? [] : [baseValue(type.ofType!, name, c)];
  const full = types.get(type.name!)!;
  if (full.kind === 'ENUM') return full.enumValues![0]!.name;
  if (full.kind === 'INPUT_OBJECT') {
    const value: Record<string, unknown> = {};
    for (const field of full.inputFields!) {
      if (field.name === 'id' && field.type.kind !== 'NON_NULL') continue; // a new item
      value[field.name] = baseValue(field.type, field.name, c);
    }
    return value;
  }
  return scalarBase(full.name, name, c);
}

interface Bad {
  value: unknown;
  /** Refused by GraphQL's own type checks before anything runs (so it cannot share a request). */
  coercion: boolean;
  label: string;
  /** A date given to every date-and-time of the same input (a visit's start and end both in year 0211), at their own times of day. */
  day?: string;
}

const bad = (label: string, value: unknown, coercion: boolean): Bad => ({ label, value, coercion });
const DATE_YEARS = ['0211-01-01', '1899-12-31', '3000-01-01', '9999-12-31'];

/** Malformed and out-of-range values for a place of this type. */
function badValues(type: TypeRef, name: string, c: Context): Bad[] {
  const required = type.kind === 'NON_NULL';
  const inner = required ? type.ofType! : type;
  const out: Bad[] = [bad('null', null, required)];
  if (inner.kind === 'LIST') {
    const item = baseValue(inner.ofType!, name, c);
    out.push(
      bad('an empty list', [], false),
      bad(
        'a list of 1000',
        Array.from({ length: 1000 }, () => (named(inner).name === 'ID' ? randomUUID() : item)),
        false,
      ),
      bad('a list holding null', [null], inner.ofType!.kind === 'NON_NULL'),
      bad('an object for a list', { nope: 1 }, true),
    );
    if (named(inner).name === 'ID') out.push(bad('ids that are not UUIDs', ['not-a-uuid', ''], false), bad('unknown ids', [UNKNOWN_ID], false));
    if (named(inner).name === 'String') out.push(bad('a huge phrase', ['x'.repeat(100_000)], false), bad('empty phrases', ['', ' '], false));
    return out;
  }
  const full = types.get(inner.name!)!;
  if (full.kind === 'ENUM')
    return [...out, bad('an unknown value', 'NOT_A_VALUE', true), bad('a number', 7, true), bad('lower case', full.enumValues![0]!.name.toLowerCase(), true)];
  if (full.kind === 'INPUT_OBJECT') {
    return [
      ...out,
      bad(
        'an empty object',
        {},
        full.inputFields!.some((f) => f.type.kind === 'NON_NULL'),
      ),
      bad('an unknown field', { nope: 1 }, true),
      bad('a string', 'x', true),
    ];
  }
  switch (full.name) {
    case 'ID':
      return [
        ...out,
        bad('not a UUID', 'not-a-uuid', false),
        bad('empty', '', false),
        bad('an unknown UUID', UNKNOWN_ID, false),
        bad('an SQL fragment', "1' OR '1'='1", false),
        bad('10,000 characters', 'x'.repeat(10_000), false),
        bad('a number', 12345, false),
        bad('an object', { id: 1 }, true),
      ];
    case 'String':
      return [
        ...out,
        bad('empty', '', false),
        bad('blank', '   ', false),
        bad('100,000 characters', 'x'.repeat(100_000), false),
        bad('NaN', 'NaN', false),
        bad('a date string', '0211-01-01', false),
        bad('an SQL fragment', "'; drop table visit; --", false),
        bad('a number', 42, true),
        bad('a list', ['a'], true),
      ];
    case 'Int':
      return [
        ...out,
        bad('-1', -1, false),
        bad('0', 0, false),
        bad('211', 211, false),
        bad('1899', 1899, false),
        bad('3000', 3000, false),
        bad('9999', 9999, false),
        bad('the largest Int', 2_147_483_647, false),
        bad('the smallest Int', -2_147_483_648, false),
        bad('beyond 32 bits', 2 ** 40, true),
        bad('a fraction', 1.5, true),
        bad('a NaN-like string', 'NaN', true),
      ];
    case 'Float':
      return [
        ...out,
        bad('-1', -1, false),
        bad('1e308', 1e308, false),
        bad('-1e308', -1e308, false),
        bad('a tiny fraction', 1e-9, false),
        bad('a million', 1e6, false),
        bad('a NaN-like string', 'NaN', true),
        bad('Infinity as a string', 'Infinity', true),
      ];
    case 'Boolean':
      return [...out, bad('a string', 'yes', true), bad('a number', 1, true)];
    case 'Date':
      return [
        ...out,
        ...DATE_YEARS.map((d) => bad(d, d, true)),
        bad('30 February', '2027-02-30', true),
        bad('month 13', '2027-13-01', true),
        bad('a British date', '15/03/2027', true),
        bad('an instant', '2027-03-15T00:00:00Z', true),
        bad('empty', '', true),
        bad('a number', 20270315, true),
      ];
    case 'DateTime':
      return [
        ...out,
        ...DATE_YEARS.map((d) => bad(`${d}T07:00`, `${d}T07:00:00+00:00`, true)),
        ...DATE_YEARS.map((d) => ({ ...bad(`${d}, start and end alike`, `${d}T07:00:00+00:00`, true), day: d })),
        bad('30 February', '2027-02-30T09:00:00+00:00', true),
        bad('no offset', '2027-06-15T09:30:00', true),
        bad('a date only', '2027-06-15', true),
        bad('an expanded year', '+010000-01-01T00:00:00Z', true),
        bad('empty', '', true),
        bad('milliseconds', 1_700_000_000_000, true),
      ];
    default:
      return [...out, bad('an object', { x: 1 }, true)];
  }
}

/** A place in the arguments: ["input", "recommendations", 0, "dueOn"]. */
type Path = (string | number)[];

/** Every place of a mutation's arguments, with its type: each argument, each input field, inside the first item of each list. */
function placesOf(mutation: FieldDef): { path: Path; type: TypeRef; name: string }[] {
  const places: { path: Path; type: TypeRef; name: string }[] = [];
  const walk = (path: Path, type: TypeRef, name: string, seen: Set<string>) => {
    places.push({ path, type, name });
    const inner = type.kind === 'NON_NULL' ? type.ofType! : type;
    const list = inner.kind === 'LIST';
    const full = types.get(named(inner).name!)!;
    if (full.kind !== 'INPUT_OBJECT' || seen.has(full.name)) return;
    const within = list ? [...path, 0] : path;
    for (const field of full.inputFields!) walk([...within, field.name], field.type, field.name, new Set([...seen, full.name]));
  };
  for (const arg of mutation.args) walk([arg.name], arg.type, arg.name, new Set());
  return places;
}

function withValue(args: Record<string, unknown>, path: Path, value: unknown): Record<string, unknown> {
  const copy = structuredClone(args);
  let at: any = copy;
  for (const key of path.slice(0, -1)) {
    if (at[key] === undefined || at[key] === null) at[key] = typeof key === 'number' ? [] : {};
    if (Array.isArray(at[key]) && at[key].length === 0) at[key].push({});
    at = at[key];
  }
  at[path.at(-1)!] = value;
  return copy;
}

function valueAt(args: Record<string, unknown>, place: string): unknown {
  let at: any = args;
  for (const key of place.split('.')) at = at?.[/^\d+$/.test(key) ? Number(key) : key];
  return at;
}

// ---------------------------------------------------------------- what is asked back

/** The scalar fields of the answer, and one level of the lists and objects within (a visit's warnings, a note's judgements). */
function selectionOf(typeName: string, depth = 0): string {
  const type = types.get(typeName)!;
  const parts: string[] = ['__typename'];
  for (const field of type.fields ?? []) {
    if (field.args.some((a) => a.type.kind === 'NON_NULL')) continue;
    const inner = types.get(named(field.type).name!)!;
    if (inner.kind === 'SCALAR' || inner.kind === 'ENUM') parts.push(field.name);
    else if (inner.kind === 'OBJECT' && depth === 0) parts.push(`${field.name} { ${selectionOf(inner.name, 1)} }`);
  }
  return parts.join(' ');
}

// ---------------------------------------------------------------- sending, and checking

interface Call {
  mutation: FieldDef;
  place: string;
  label: string;
  args: Record<string, unknown>;
}
interface Outcome {
  call: Call;
  status: number;
  errors: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  /** The request's mutations ran (it has data): its errors come from them, not from GraphQL's checks. */
  requestRan: boolean;
}

const cols = await sql<{ t: string; u: boolean; v: boolean }>(
  `select table_name as t, bool_or(column_name = 'updated_at') as u, bool_or(column_name = 'version') as v
     from information_schema.columns where table_schema = current_schema() and table_name in (${[...tables].map(() => '?').join(', ')}) group by 1 order by 1`,
  [...tables],
);
const FINGERPRINT = cols
  .map(
    (c) =>
      `select '${c.t}' as t, count(*)::int as n, ${c.u ? 'max(updated_at)::text' : 'null::text'} as u, ${c.v ? 'sum(version)::bigint::text' : 'null::text'} as v from "${c.t}"`,
  )
  .join(' union all ');
/** Rows, the latest change and the sum of versions of every table: any committed write moves one of them. */
const fingerprint = async () => JSON.stringify(await sql(FINGERPRINT));
/** The tables two fingerprints differ in, for the report. */
const changedTables = (a: string, b: string) => {
  const after = new Map((JSON.parse(b) as { t: string }[]).map((r) => [r.t, JSON.stringify(r)]));
  return (JSON.parse(a) as { t: string }[]).filter((r) => after.get(r.t) !== JSON.stringify(r)).map((r) => `${r.t} ${JSON.stringify(r)} → ${after.get(r.t)}`);
};

/**
 * One call a request: mutations in one request run one after another, and the first that fails stops
 * the rest (its field is non-null, so the whole answer becomes null), so aliases cannot share one.
 */
async function send(call: Call): Promise<Outcome> {
  const args = call.mutation.args.filter((a) => a.name in call.args);
  const returns = types.get(named(call.mutation.type).name!)!;
  const selection = returns.kind === 'OBJECT' ? ` { ${selectionOf(returns.name)} }` : '';
  const query =
    `mutation${args.length ? `(${args.map((a) => `$${a.name}: ${printType(a.type)}`).join(', ')})` : ''} ` +
    `{ ${call.mutation.name}${args.length ? `(${args.map((a) => `${a.name}: $${a.name}`).join(', ')})` : ''}${selection} }`;
  const res = await t.gql(query, Object.fromEntries(args.map((a) => [a.name, call.args[a.name]])));
  return {
    call,
    status: res.status,
    errors: res.errors ?? [],
    // no data at all (not even null): refused by GraphQL's checks before any resolver ran
    requestRan: res.data !== undefined,
  };
}

const describeCall = (c: Call) => `${c.mutation.name} ${c.place} = ${c.label}`;
const describeErrors = (o: Outcome) =>
  o.errors.map((e) => `${e.extensions?.code} at ${JSON.stringify(e.path ?? null)} "${e.message.slice(0, 160)}"`).join(', ');
const LEAKS = [/\bselect\s/i, /\binsert into\b/i, /\bupdate\s+"/i, /violates .* constraint/i, /^\s+at\s/m];

interface Report {
  calls: number;
  codes: Map<string, number>;
  succeeded: string[];
  problems: string[];
}

async function tryMutation(mutation: FieldDef): Promise<Report> {
  const report: Report = { calls: 0, codes: new Map(), succeeded: [], problems: [] };
  const context = async (): Promise<Context> => {
    const target = await targetOf(mutation);
    return { mutation, target, recommendationId: await carriedRecommendation(target?.id), unique: randomUUID() };
  };
  const first = await context();
  const places = placesOf(mutation);
  const plan = places.flatMap(({ path, type, name }) => badValues(type, name, first).map((b) => ({ path, b })));
  /** The date-and-time places beside one (a visit's start and end), for a bad value given to them all. */
  const dateTimesBeside = (path: Path) =>
    places.filter((p) => named(p.type).name === 'DateTime' && p.path.length === path.length && p.path.slice(0, -1).join('.') === path.slice(0, -1).join('.'));
  const argsOf = (c: Context, path: Path, b: Bad) => {
    const sensible = base(c);
    let args = withValue(sensible, path, b.value);
    for (const beside of b.day ? dateTimesBeside(path) : []) {
      args = withValue(args, beside.path, `${b.day}${String(valueAt(sensible, beside.path.join('.'))).slice(10)}`);
    }
    return args;
  };
  const base = (c: Context) => Object.fromEntries(mutation.args.map((a) => [a.name, baseValue(a.type, a.name, c)]));

  let baseline = await fingerprint();
  /** Calls refused before anything ran since the baseline was taken: checked with the next one that ran. */
  let unchecked: Call[] = [];
  const checkWrites = async (o: Outcome | null) => {
    const now = await fingerprint();
    const erred = [
      ...unchecked.map((call) => ({ call, errors: 'refused before running' })),
      ...(o?.errors.length ? [{ call: o.call, errors: describeErrors(o) }] : []),
    ];
    if (now !== baseline && erred.length && !(o && !o.errors.length)) {
      report.problems.push(
        `wrote (${changedTables(baseline, now).join(', ')}) though it answered an error: ${erred.map((e) => `${describeCall(e.call)} → ${e.errors}`).join('; ')}`,
      );
    }
    baseline = now;
    unchecked = [];
  };

  let current = first;
  for (const { path, b } of plan) {
    // a sensible call on the records as they are (after a call that succeeded, looked up again: it may have moved one on)
    const call: Call = { mutation, place: path.join('.'), label: b.label, args: argsOf(current, path, b) };
    const o = await send(call);
    report.calls += 1;
    if (o.status >= 500) report.problems.push(`${describeCall(call)}: HTTP ${o.status}`);
    for (const e of o.errors) {
      const code = String(e.extensions?.code);
      report.codes.set(code, (report.codes.get(code) ?? 0) + 1);
      if (code === 'INTERNAL_SERVER_ERROR') report.problems.push(`${describeCall(call)}: INTERNAL_SERVER_ERROR at ${JSON.stringify(e.path)}`);
      if (LEAKS.some((leak) => leak.test(e.message))) report.problems.push(`${describeCall(call)}: leaks "${e.message.slice(0, 200)}"`);
      if (o.requestRan && !e.path) report.problems.push(`${describeCall(call)}: a resolver's error without a path: ${code} "${e.message.slice(0, 160)}"`);
    }
    // the mutation was done (and committed), then a field of its answer failed: the client is told it failed
    const afterwards = o.errors.filter((e) => (e.path?.length ?? 0) > 1);
    if (afterwards.length) report.problems.push(`${describeCall(call)}: done, then ${describeErrors({ ...o, errors: afterwards })}`);
    if (!o.errors.length) {
      report.succeeded.push(describeCall(call));
      // what it set going after its answer (the outbox, kicked, sends the mail it queued) belongs to it, not to the next call
      await new Promise((resolve) => setImmediate(resolve));
      await t.app.outbox.runOnce();
      current = await context();
    }
    if (b.coercion && !o.errors.some((e) => e.extensions?.code === 'BAD_USER_INPUT'))
      report.problems.push(`${describeCall(call)}: not refused as BAD_USER_INPUT (${describeErrors(o) || 'accepted'})`);
    if (o.requestRan) await checkWrites(o);
    else unchecked.push(call);
  }
  if (unchecked.length) await checkWrites(null);
  return report;
}

// ---------------------------------------------------------------- the tests

describe('every mutation of notes and visits, sent malformed and out-of-range values', () => {
  it('sees a write in its fingerprint (so "no write" means something)', async () => {
    const [visit] = await bookedVisits(t, 1);
    const before = await fingerprint();
    const res = await t.gql(`mutation($id: ID!, $v: Int!) { cancelVisit(id: $id, expectedVersion: $v, reason: "Fingerprint check") { status } }`, {
      id: visit!.id,
      v: visit!.version,
    });
    expect(res.errors).toBeUndefined();
    expect(await fingerprint()).not.toBe(before);
  });

  it('finds the mutations of notes and visits in the schema', () => {
    const names = MUTATIONS.map((m) => m.name);
    for (const expected of [
      'bookVisit',
      'rescheduleVisit',
      'cancelVisit',
      'completeVisit',
      'setAgenda',
      'startNote',
      'updateNote',
      'shareNote',
      'circulateNote',
    ]) {
      expect(names).toContain(expected);
    }
  });

  it.each(MUTATIONS.map((m) => [m.name, m] as const))(
    '%s: no INTERNAL_SERVER_ERROR, no HTTP 500, no write with an error',
    { timeout: 120_000 },
    async (_name, mutation) => {
      const report = await tryMutation(mutation);
      console.log(
        `${mutation.name}: ${report.calls} calls; answers ${JSON.stringify(Object.fromEntries(report.codes))}` +
          `${report.succeeded.length ? `; accepted: ${report.succeeded.slice(0, 12).join(' | ')}${report.succeeded.length > 12 ? ` (and ${report.succeeded.length - 12} more)` : ''}` : ''}`,
      );
      expect(report.problems).toEqual([]);
      expect(report.calls).toBeGreaterThan(0);
    },
  );
});
