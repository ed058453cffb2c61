import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** The council's time zone: every instant is presented as a local time there. */
export const COUNCIL_TIME_ZONE = 'Europe/London';

const localDate = LocalDateResolver.toConfig();

// Dates that have passed graphql-scalars' check. A decade of visits has a few thousand distinct dates
// and a full note repeats them, so each is checked once rather than every time one is written out
// (the check, a regular expression and a Date, was a thirtieth of the server's time on a full note).
const checkedDates = new Set<string>();
const MAX_CHECKED_DATES = 50_000;

function serializeDate(value: unknown): string {
  if (typeof value === 'string' && checkedDates.has(value)) return value;
  const date = localDate.serialize(value) as string;
  if (checkedDates.size >= MAX_CHECKED_DATES) checkedDates.clear();
  if (typeof value === 'string' && value === date) checkedDates.add(date);
  return date;
}

/** A calendar date, "YYYY-MM-DD", kept as a string so no time zone can shift it. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date in ISO 8601 form, "YYYY-MM-DD" (no time, no time zone).',
  serialize: serializeDate,
  parseValue: (value) => localDate.parseValue(value) as string,
  parseLiteral: (ast: ValueNode) => localDate.parseLiteral(ast, null) as string,
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
  // The same result as the date-fns line above, without a time-zone lookup per value: a page of
  // visits formats hundreds of instants, and this was a tenth of the server's time in the benchmark.
  let bounds = summerTime.get(year);
  if (!bounds) summerTime.set(year, (bounds = [lastSundayAt1Utc(year, 2), lastSundayAt1Utc(year, 9)]));
  const summer = ms >= bounds[0] && ms < bounds[1];
  const local = new Date(ms + (summer ? 3_600_000 : 0));
  return `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${summer ? '+01:00' : '+00:00'}`;
}

/**
 * An instant. Accepted as RFC 3339 with an offset; returned with Europe/London's
 * offset of that day, e.g. "2026-06-15T09:30:00+01:00".
 */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'An instant in RFC 3339 form with an offset. Returned in Europe/London local time with its offset, e.g. "2026-06-15T09:30:00+01:00".',
  serialize(value) {
    const date = value instanceof Date ? value : (dateTime.parseValue?.(value) as Date);
    if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
      throw new GraphQLError('DateTime cannot represent an invalid date.');
    }
    return toLondonIso(date);
  },
  parseValue: (value) => dateTime.parseValue!(value) as Date,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('DateTime must be a string such as "2026-06-15T09:30:00+01:00".', { nodes: ast });
    }
    return dateTime.parseLiteral!(ast, null) as Date;
  },
  extensions: { codegenScalarType: 'string', jsonSchema: { type: 'string', format: 'date-time' } },
});
