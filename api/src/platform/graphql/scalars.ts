import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** The council's time zone: every instant is presented as a local time there. */
export const COUNCIL_TIME_ZONE = 'Europe/London';

/**
 * The years a date given to the API may fall in. Anything outside is a typing slip
 * (0211 for 2011, 9999 for "some day") that would otherwise be stored and then
 * trip every rule that works out terms, bank holidays and academic years.
 */
export const EARLIEST_YEAR = 2000;
export const LATEST_YEAR = 2100;
const RANGE_WORDS = `dates run from 1 January ${EARLIEST_YEAR} to 31 December ${LATEST_YEAR}`;
// In winter London keeps GMT, so its new year starts at midnight UTC: these bounds are exact.
const EARLIEST_MS = Date.UTC(EARLIEST_YEAR, 0, 1);
const END_MS = Date.UTC(LATEST_YEAR + 1, 0, 1);

/** True for an instant whose London date the API accepts (2000 to 2100). */
export function isSaneInstant(instant: Date): boolean {
  const ms = instant.getTime();
  return ms >= EARLIEST_MS && ms < END_MS;
}

/** A value as a message may quote it: short, and never a whole pasted document. */
function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Why a client's "YYYY-MM-DD" is refused, or null when it is a date the API accepts. */
function dateProblem(value: unknown): string | null {
  const example = 'write a date as YYYY-MM-DD, e.g. "2027-03-15"';
  if (typeof value !== 'string') return `A date is a string: ${example}.`;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return `${quote(value)} is not a date: ${example}.`;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12) return `${quote(value)} is not a date: the month is written 01 to 12 (${example}).`;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return `${quote(value)} is not a date: ${MONTHS[month - 1]} ${year} has ${daysInMonth} days.`;
  if (year < EARLIEST_YEAR || year > LATEST_YEAR) return `${quote(value)} is not a date this service accepts: ${RANGE_WORDS}. Check the year.`;
  return null;
}

function parseDate(value: unknown, ast?: ValueNode): string {
  const problem = dateProblem(value);
  if (problem) throw new GraphQLError(problem, ast ? { nodes: ast } : undefined);
  return value as string;
}

const localDate = LocalDateResolver.toConfig();

/** How PostgreSQL writes a date its column holds but a "YYYY-MM-DD" cannot: year 10000 on, or BC. */
const STORED_ODD_DATE = /^\d{4,}-\d{2}-\d{2}( BC)?$/;

function serializeDate(value: unknown): string {
  // A date already stored is written out whatever its year (an old row may say 0211 or 9999: the
  // visit's warnings say it needs correcting); only a value that is no date at all is a bug.
  if (typeof value === 'string' && STORED_ODD_DATE.test(value) && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  return localDate.serialize(value) as string;
}

/** A calendar date, "YYYY-MM-DD", kept as a string so no time zone can shift it. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date in ISO 8601 form, "YYYY-MM-DD" (no time, no time zone), from 2000 to 2100.',
  // RFC 3339's full-date is ISO 8601's calendar date YYYY-MM-DD; tools (codegen, Postman) read the
  // link from introspection's specifiedByURL, and RFC 3339 is free to read where ISO 8601 is not.
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339#section-5.6',
  serialize: serializeDate,
  parseValue: (value) => parseDate(value),
  parseLiteral: (ast: ValueNode) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined, ast),
  extensions: { codegenScalarType: 'string', jsonSchema: { type: 'string', format: 'date' } },
});

const dateTime = DateTimeResolver.toConfig();

/** Summer time in the UK since 1996: from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October. */
const summerTime = new Map<number, [number, number]>();
function lastSundayAt1Utc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0, 1));
  return last.getTime() - last.getUTCDay() * 86_400_000;
}
const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

function toLondonIso(date: Date): string {
  const ms = date.getTime();
  const year = date.getUTCFullYear();
  if (year < 1997 || year > 2099) {
    // xxx, not XXX: "+00:00" in winter rather than "Z", so every value has the same shape.
    return format(new TZDate(ms, COUNCIL_TIME_ZONE), "yyyy-MM-dd'T'HH:mm:ssxxx");
  }
  // The same result as the date-fns line above (api/test/scalars.test.ts compares them hour by hour),
  // without a time-zone lookup per value: a page of visits formats hundreds of instants, and
  // date-fns' formatting in a time zone costs far more than everything else they need.
  let bounds = summerTime.get(year);
  if (!bounds) summerTime.set(year, (bounds = [lastSundayAt1Utc(year, 2), lastSundayAt1Utc(year, 9)]));
  const summer = ms >= bounds[0] && ms < bounds[1];
  const local = new Date(ms + (summer ? 3_600_000 : 0));
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${summer ? '+01:00' : '+00:00'}`;
}

const DATE_TIME_EXAMPLE = 'write a date and time with its offset, e.g. "2027-06-15T09:30:00+01:00"';

/** A client's instant, checked: RFC 3339 with an offset, and within the years the API accepts. */
function parseDateTime(value: unknown, ast?: ValueNode): Date {
  const nodes = ast ? { nodes: ast } : undefined;
  if (typeof value !== 'string' && !(value instanceof Date)) throw new GraphQLError(`A date and time is a string: ${DATE_TIME_EXAMPLE}.`, nodes);
  let date: Date;
  try {
    date = dateTime.parseValue!(value) as Date;
  } catch {
    const day = typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})T/.exec(value)?.[1] : undefined;
    const dayProblem = day ? dateProblem(day) : null;
    throw new GraphQLError(
      dayProblem && !dayProblem.includes('accepts')
        ? `${quote(value)} is not a date and time: ${dayProblem.slice(dayProblem.indexOf(': ') + 2)}`
        : `${quote(value)} is not a date and time: ${DATE_TIME_EXAMPLE}.`,
      nodes,
    );
  }
  if (Number.isNaN(date.getTime())) throw new GraphQLError(`${quote(value)} is not a date and time: ${DATE_TIME_EXAMPLE}.`, nodes);
  if (!isSaneInstant(date)) throw new GraphQLError(`${quote(value)} is not a date this service accepts: ${RANGE_WORDS}. Check the year.`, nodes);
  return date;
}

/** An instant in UTC, "+00:00"; years before 0 or after 9999 in ISO 8601's expanded form ("+010000-01-01T…"). */
const utcIso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, '+00:00');

/**
 * An instant. Accepted as RFC 3339 with an offset; returned with Europe/London's
 * offset of that day, e.g. "2026-06-15T09:30:00+01:00".
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'An instant in RFC 3339 form with an offset, from 2000 to 2100. Returned in Europe/London local time with its offset, e.g. "2026-06-15T09:30:00+01:00".',
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339',
  serialize(value) {
    const date = value instanceof Date ? value : (dateTime.parseValue?.(value) as Date);
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
      throw new GraphQLError('DateTime cannot represent an invalid date.');
    }
    // A stored instant is written out whatever its year (an old row may hold one a client could not send
    // today), in UTC: London's time before 1847 was local mean time, an offset RFC 3339 cannot write.
    if (!isSaneInstant(date)) return utcIso(date);
    return toLondonIso(date);
  },
  parseValue: (value) => parseDateTime(value),
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError(`A date and time is a string: ${DATE_TIME_EXAMPLE}.`, { nodes: ast });
    }
    return parseDateTime(ast.value, ast);
  },
  extensions: { codegenScalarType: 'string', jsonSchema: { type: 'string', format: 'date-time' } },
});
