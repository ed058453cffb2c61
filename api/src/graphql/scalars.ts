import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

/** The council's time zone: every instant is presented as a local time there. */
export const COUNCIL_TIME_ZONE = 'Europe/London';

const localDate = LocalDateResolver.toConfig();

/** A calendar date, "YYYY-MM-DD", kept as a string so no time zone can shift it. */
export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'A calendar date in ISO 8601 form, "YYYY-MM-DD" (no time, no time zone).',
  serialize: (value) => localDate.serialize(value) as string,
  parseValue: (value) => localDate.parseValue(value) as string,
  parseLiteral: (ast: ValueNode) => localDate.parseLiteral(ast, null) as string,
  extensions: { codegenScalarType: 'string', jsonSchema: { type: 'string', format: 'date' } },
});

const dateTime = DateTimeResolver.toConfig();

function toLondonIso(date: Date): string {
  // xxx, not XXX: "+00:00" in winter rather than "Z", so every value has the same shape.
  return format(new TZDate(date.getTime(), COUNCIL_TIME_ZONE), "yyyy-MM-dd'T'HH:mm:ssxxx");
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
