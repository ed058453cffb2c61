import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  CheckConstraintViolationException,
  ConnectionException,
  ConstraintViolationException,
  CursorError,
  DriverException,
  ForeignKeyConstraintViolationException,
  NotFoundError,
  NotNullConstraintViolationException,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import type { ValidationError } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';
import { aOrAn, capitalise, columnWords, CONSTRAINTS, dottedField, fieldWords, placeWords, problemWords, tableWords } from './error-words.js';

/**
 * The API's error vocabulary, mapped in this one place. Clients branch on
 * `extensions.code`; the message is for a person and says what to do.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  CONFLICT: 'CONFLICT',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The HTTP status of each code, for answers given outside GraphQL (sign-in, file downloads). */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export const badInput = (message: string, field?: string) => new AppError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});

export const notFound = (typeName: string, id: string) =>
  new AppError(ErrorCode.NOT_FOUND, `No ${typeName} with id "${id}" exists, or it has been removed.`, {
    typeName,
    id,
  });

export const forbidden = (message: string) => new AppError(ErrorCode.FORBIDDEN, message);

export const unauthenticated = (message = 'Sign in first: send a valid bearer token in the Authorization header.') =>
  new AppError(ErrorCode.UNAUTHENTICATED, message);

export const conflict = (message: string, extensions: Record<string, unknown> = {}) => new AppError(ErrorCode.CONFLICT, message, extensions);

/** Apollo's and graphql-js's own codes for a request that could not be understood. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** PostgreSQL and socket codes meaning "the database cannot be reached (now)". */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
]);
/** Statement timeout and lock timeout: the statement was cancelled and its transaction rolled back. */
const TIMEOUT_CODES = new Set(['57014', '55P03']);

function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = String((error as { code?: unknown }).code ?? '');
  // "not queryable": node-postgres refusing a client whose connection broke earlier (seen in the soak
  // when PostgreSQL restarted under load: the next statement on that client, often the COMMIT).
  return (
    CONNECTION_CODES.has(code) ||
    /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Client has encountered a connection error and is not queryable/i.test(
      error.message,
    )
  );
}

const INTERNAL_MESSAGE = 'Something went wrong on our side. Nothing was changed. If it happens again, report it with the x-request-id of the response.';

export interface ClassifiedError {
  code: ErrorCode;
  message: string;
  extensions?: Record<string, unknown>;
  /** Explained to the client, but still a bug to log: a database rule or type caught what the API should have checked first. */
  unexpected?: boolean;
}

/** "A finding is…" → "a finding is…", to follow a place ("Finding 1: a finding is…"); other words keep their capitals ("Outlook"). */
const lowerFirst = (text: string) => text.replace(/^(A|An|The) /, (article) => article.toLowerCase());

/** class-validator's tree of problems as one entry per field: "recommendations.0.ownerInitials". */
function flattenValidation(errors: readonly ValidationError[], parent = ''): { field: string; property: string; messages: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {});
    return [...(own.length ? [{ field, property: e.property, messages: own }] : []), ...flattenValidation(e.children ?? [], field)];
  });
}

/** "Recommendation 1: owner initials are written like "J.S."." — the place, unless the problem already names the field. */
function placed(field: string, property: string, message: string): string {
  const problem = problemWords(property, message);
  const item = placeWords(field, { withLeaf: false });
  const named = problem.toLowerCase().includes(fieldWords(property).toLowerCase());
  const place = named ? item : placeWords(field);
  return place ? `${place}: ${lowerFirst(problem)}` : startOf(property, message);
}

/** A problem starting a message: capitalised, unless the input's own message starts with the argument's name ("first must be at least 1."). */
function startOf(property: string, message: string): string {
  const problem = problemWords(property, message);
  return message.startsWith(`${property} `) && problem.startsWith(`${property} `) && problem.slice(0, -1) === message.replace(/\.$/, '')
    ? problem
    : capitalise(problem);
}

function validationError(error: ArgumentValidationError): ClassifiedError {
  const entries = flattenValidation((error.extensions.validationErrors ?? []) as ValidationError[]);
  const fields = entries.map(({ field, property, messages }) => ({ field: dottedField(field), problems: messages.map((m) => startOf(property, m)) }));
  const sentences = entries.flatMap(({ field, property, messages }) => messages.map((m) => placed(field, property, m)));
  return {
    code: ErrorCode.BAD_USER_INPUT,
    message: sentences.length ? sentences.join(' ') : 'Some of what was sent is not valid: check the form and save again.',
    extensions: { ...(fields[0] ? { field: fields[0].field } : {}), fields },
  };
}

/** Where a driver error came from, as PostgreSQL reports it (PGlite too). */
interface DatabaseErrorFacts {
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  message: string;
}

/**
 * A broken database rule (SQLSTATE class 23), in words a person can act on: by the constraint's name
 * where it is known, else by its kind. By code as well as by the ORM's class: PostgreSQL answers
 * 23001 (restrict_violation) for a row an ON DELETE RESTRICT key still points at, which the ORM
 * leaves a plain DriverException.
 */
function constraintError(error: DriverException): ClassifiedError {
  const { constraint, table, column, message } = error as unknown as DatabaseErrorFacts;
  const code = String(error.code);
  const known = constraint ? CONSTRAINTS[constraint] : undefined;
  if (known) return { code: known.code, message: known.message, extensions: known.field ? { field: known.field } : {} };
  const record = tableWords(table);
  const ownColumn =
    constraint && table && constraint.startsWith(`${table}_`) ? constraint.slice(table.length + 1).replace(/_(foreign|check|unique)$/, '') : undefined;
  if (error instanceof UniqueConstraintViolationException || code === '23505') {
    return {
      code: ErrorCode.CONFLICT,
      message: `That would duplicate ${aOrAn(record)} that already exists: reload to see it, and change it rather than adding another.`,
      unexpected: true,
    };
  }
  if (error instanceof ForeignKeyConstraintViolationException || code === '23503' || code === '23001') {
    // "update or delete on table "a" violates [RESTRICT setting of] foreign key constraint "c" on table "b"": a row still in use
    // (the error's table is b, the one pointing at it)
    const inUse = /on table "([^"]+)" violates (?:RESTRICT setting of )?foreign key constraint "[^"]*" on table "([^"]+)"/.exec(message);
    if (inUse || code === '23001') {
      return {
        code: ErrorCode.CONFLICT,
        message: `This ${inUse ? tableWords(inUse[1]) : 'record'} is still used by ${aOrAn(tableWords(inUse?.[2] ?? table))}, so it cannot be removed: change or remove that first, or keep this one.`,
        unexpected: true,
      };
    }
    return {
      code: ErrorCode.BAD_USER_INPUT,
      message: `The ${columnWords(ownColumn) ?? 'record'} this ${record} refers to does not exist (any more): choose it again.`,
      unexpected: true,
    };
  }
  if (error instanceof NotNullConstraintViolationException || code === '23502') {
    return {
      code: ErrorCode.BAD_USER_INPUT,
      message: `${capitalise(aOrAn(record))} needs its ${columnWords(column) ?? 'required values'}: fill it in and save again.`,
      unexpected: true,
    };
  }
  if (error instanceof CheckConstraintViolationException || code === '23514') {
    return {
      code: ErrorCode.BAD_USER_INPUT,
      message: `The ${columnWords(ownColumn) ?? 'value'} of this ${record} is not one the records allow: correct it and save again.`,
      unexpected: true,
    };
  }
  return { code: ErrorCode.BAD_USER_INPUT, message: 'This change breaks a rule the records keep: check what you entered and save again.', unexpected: true };
}

const RANGE_HINT = 'dates run from 1 January 2000 to 31 December 2100';

/** PostgreSQL's data exceptions (class 22): a value the column cannot hold, which the API should have refused first. */
const DATA_ERRORS: Record<string, string> = {
  '22008': `A date is outside what can be stored (${RANGE_HINT}): check the year.`,
  '22007': `A date is not written as a date (${RANGE_HINT}, e.g. "2027-03-15"): check it.`,
  '22003': 'A number is too large or too small to be stored: check the numbers you entered.',
  '22001': 'A text is longer than its field allows: shorten it and save again.',
  '22P02': 'A value is not written the way its field needs (for example an id that is not an id, or letters in a number): check it and try again.',
  '22021': 'A text contains a character that cannot be stored (such as a NUL byte): remove it and try again.',
  '22P05': 'A text contains a character that cannot be stored: remove it and try again.',
};

/** Classifies an error thrown anywhere below a resolver into the vocabulary. */
export function classifyError(error: unknown): ClassifiedError | null {
  if (error instanceof AppError) {
    const { code, ...rest } = error.extensions as { code: ErrorCode; field?: unknown };
    if (typeof rest.field === 'string') rest.field = dottedField(rest.field);
    return { code, message: error.message, extensions: rest };
  }
  if (error instanceof ArgumentValidationError) return validationError(error);
  if (error instanceof OptimisticLockError) {
    return {
      code: ErrorCode.CONFLICT,
      message: 'Someone else changed this record since you loaded it. Reload it, reapply your change and save again.',
    };
  }
  if (error instanceof ConstraintViolationException || (error instanceof DriverException && String(error.code).startsWith('23'))) {
    return constraintError(error as DriverException);
  }
  if (error instanceof CursorError) {
    return { code: ErrorCode.BAD_USER_INPUT, message: 'The pagination cursor is not valid: use a cursor from pageInfo.' };
  }
  if (error instanceof NotFoundError) {
    return { code: ErrorCode.NOT_FOUND, message: 'The record asked for does not exist.' };
  }
  if (error instanceof ConnectionException || isConnectionFailure(error)) {
    return {
      code: ErrorCode.SERVICE_UNAVAILABLE,
      // The connection may have broken during the COMMIT itself, so "nothing changed" cannot be promised:
      // a client retrying a save reloads first (the version check refuses a save that did get through).
      message: 'The database is unavailable at the moment; try again in a few seconds. If you were saving, reload before you try again.',
    };
  }
  if (error instanceof DriverException && TIMEOUT_CODES.has(String(error.code))) {
    return {
      code: ErrorCode.SERVICE_UNAVAILABLE,
      message: 'The database took too long (the record may be busy with another change). Nothing was changed; try again.',
    };
  }
  if (error instanceof DriverException && String(error.code).startsWith('22')) {
    return {
      code: ErrorCode.BAD_USER_INPUT,
      message: DATA_ERRORS[String(error.code)] ?? 'A value sent cannot be stored as it is: check what you entered and try again.',
      unexpected: true,
    };
  }
  return null;
}

/** graphql-js's reasons for refusing a value, in words: "Finding 1, text is required: fill it in." */
const COERCION_WORDS: [RegExp, string][] = [
  [/^Expected non-nullable type "[^"]+" not to be null\.$/, 'is required: fill it in.'],
  [/^Field "\w+" of required type "[^"]+" was not provided\.$/, 'is required: fill it in.'],
  [/^Field "\w+" is not defined by type "\w+"\..*$/s, 'is not a field of this form: leave it out.'],
  [/^String cannot represent a non string value.*$/s, 'must be text.'],
  [/^ID cannot represent value.*$/s, 'must be an id, written as text.'],
  [/^Int cannot represent non 32-bit signed integer value.*$/s, 'is too large a number.'],
  [/^Int cannot represent non-integer value.*$/s, 'must be a whole number.'],
  [/^Float cannot represent.*$/s, 'must be a number.'],
  [/^Boolean cannot represent.*$/s, 'must be true or false.'],
  [/^Value ("[^"]*") does not exist in "\w+" enum\..*$/s, 'cannot be $1: choose one of the values the form offers.'],
  [/^Enum "\w+" cannot represent.*$/s, 'must be one of the values the form offers.'],
  [/^Expected type "\w+" to be an object\.$/, 'must be a set of fields (an object).'],
];

/**
 * graphql-js's words for a variable it could not read, e.g. `Variable "$input" got invalid value "3000-01-01"
 * at "input.recommendations[0].dueOn"; "3000-01-01" is not a date this service accepts…`: said again with
 * the place in the form's words and the field's dotted path, without echoing the value (it may be huge).
 */
function variableError(message: string): { message: string; field?: string } {
  const invalid = /^Variable "\$(\w+)" got invalid value /.exec(message);
  if (invalid) {
    const at = / at "([\w.[\]]+)"; /.exec(message);
    const rest = message.slice(message.indexOf('; ', at ? at.index : invalid[0].length) + 2);
    const inner = /^Field "(\w+)" (?:of required type "[^"]+" was not provided|is not defined by type "[^"]+")/.exec(rest);
    // the path starts with the variable's name, which stands for its argument ("input" is left out)
    const field = dottedField([at ? at[1]! : invalid[1]!, ...(inner ? [inner[1]!] : [])].join('.'));
    const place = placeWords(field) || fieldWords(invalid[1]!);
    const words = COERCION_WORDS.find(([pattern]) => pattern.test(rest));
    return { message: words ? `${place} ${rest.replace(words[0], words[1])}` : `${place}: ${lowerFirst(rest)}`, field };
  }
  const missing = /^Variable "\$(\w+)" of (?:required|non-null) type "[^"]+" (?:was not provided|must not be null)\.$/.exec(message);
  if (missing) return { message: `${placeWords(missing[1]!)} is required: send it.`, field: missing[1] };
  return { message };
}

/**
 * Apollo's `formatError`: keeps known errors, maps the framework's request errors
 * to BAD_USER_INPUT, and hides everything else (no stack, no SQL). In production
 * graphql-js's "Did you mean ...?" hints are dropped: they map the schema for a prober.
 */
export function createFormatError({ hideSuggestions }: { hideSuggestions: boolean }) {
  return (formatted: GraphQLFormattedError, raw: unknown): GraphQLFormattedError => {
    const result = formatError(formatted, raw);
    return hideSuggestions ? { ...result, message: result.message.replace(/ ?Did you mean .*\?$/, '') } : result;
  };
}

function formatError(formatted: GraphQLFormattedError, raw: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(raw);
  const known = classifyError(original);
  if (known) {
    return {
      message: known.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { ...known.extensions, code: known.code },
    };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) {
    const { message, field } = variableError(formatted.message);
    return {
      message,
      locations: formatted.locations,
      // a resolver's own BAD_USER_INPUT keeps its path, so a client knows which field (or alias) it is about
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.BAD_USER_INPUT, reason: code, ...(field ? { field } : {}) },
    };
  }
  return { message: INTERNAL_MESSAGE, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/** True when the error is one the vocabulary does not explain, i.e. a bug to log. */
export function isUnexpectedError(raw: unknown): boolean {
  const original = unwrapResolverError(raw);
  const known = classifyError(original);
  if (known) return known.unexpected === true;
  if (original instanceof GraphQLError) {
    const code = original.extensions?.code;
    return !(typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) && !!original.originalError;
  }
  return true;
}
