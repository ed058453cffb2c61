import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  ConnectionException,
  CursorError,
  DriverException,
  NotFoundError,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { ArgumentValidationError } from 'type-graphql';

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

export const badInput = (message: string, field?: string) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, field ? { field } : {});

export const notFound = (typeName: string, id: string) =>
  new AppError(ErrorCode.NOT_FOUND, `No ${typeName} with id "${id}" exists, or it has been removed.`, {
    typeName,
    id,
  });

export const forbidden = (message: string) => new AppError(ErrorCode.FORBIDDEN, message);

export const unauthenticated = (message = 'Sign in first: send a valid bearer token in the Authorization header.') =>
  new AppError(ErrorCode.UNAUTHENTICATED, message);

export const conflict = (message: string, extensions: Record<string, unknown> = {}) =>
  new AppError(ErrorCode.CONFLICT, message, extensions);

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
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);
/** Statement timeout and lock timeout: the statement was cancelled and its transaction rolled back. */
const TIMEOUT_CODES = new Set(['57014', '55P03']);

function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = String((error as { code?: unknown }).code ?? '');
  // "not queryable": node-postgres refusing a client whose connection broke earlier (seen in the soak
  // when PostgreSQL restarted under load: the next statement on that client, often the COMMIT).
  return (
    CONNECTION_CODES.has(code) ||
    /Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Client has encountered a connection error and is not queryable/i.test(error.message)
  );
}

const INTERNAL_MESSAGE =
  'Something went wrong on our side. Nothing was changed. If it happens again, report it with the x-request-id of the response.';

/** Classifies an error thrown anywhere below a resolver into the vocabulary. */
export function classifyError(error: unknown): { code: ErrorCode; message: string; extensions?: Record<string, unknown> } | null {
  if (error instanceof AppError) {
    const { code, ...rest } = error.extensions as { code: ErrorCode };
    return { code, message: error.message, extensions: rest };
  }
  if (error instanceof ArgumentValidationError) {
    const fields = error.extensions.validationErrors?.map((v) => ({
      field: v.property,
      problems: Object.values(v.constraints ?? {}),
    }));
    const summary = fields?.flatMap((f) => f.problems).join('; ');
    return {
      code: ErrorCode.BAD_USER_INPUT,
      message: summary ? `Invalid input: ${summary}.` : 'Invalid input.',
      extensions: { fields },
    };
  }
  if (error instanceof OptimisticLockError) {
    return {
      code: ErrorCode.CONFLICT,
      message: 'Someone else changed this record since you loaded it. Reload it, reapply your change and save again.',
    };
  }
  if (error instanceof UniqueConstraintViolationException) {
    return { code: ErrorCode.CONFLICT, message: 'That would duplicate an existing record.' };
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
  return null;
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
    return {
      message: formatted.message,
      locations: formatted.locations,
      extensions: { code: ErrorCode.BAD_USER_INPUT, reason: code },
    };
  }
  return { message: INTERNAL_MESSAGE, path: formatted.path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/** True when the error is one the vocabulary does not explain, i.e. a bug to log. */
export function isUnexpectedError(raw: unknown): boolean {
  const original = unwrapResolverError(raw);
  if (classifyError(original)) return false;
  if (original instanceof GraphQLError) {
    const code = original.extensions?.code;
    return !(typeof code === 'string' && REQUEST_ERROR_CODES.has(code)) && !!original.originalError;
  }
  return true;
}
