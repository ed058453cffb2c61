/** The API's error vocabulary (api/src/platform/errors.ts), plus what can go wrong before the API answers. */
export type ApiErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'SIGN_IN'
  | 'OFFLINE'
  | 'INTERNAL_SERVER_ERROR';

/** A GraphQL error's extensions as the API sends them (api/src/platform/errors.ts); all optional. */
export interface ApiErrorExtensions {
  code?: string;
  /** The input the error is about, as a dotted path: "summary", "recommendations.2.dueOn". */
  field?: string;
  /** Every input at fault (class-validator's errors): one entry per field, with its problems. */
  fields?: { field: string; problems: string[] }[];
  /** The names rule: the phrase taken for a person's name. */
  phrase?: string;
  /** A share refused for ungraded headings: which ones. */
  areas?: string[];
  [key: string]: unknown;
}

export class ApiError extends Error {
  readonly extensions: ApiErrorExtensions;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** The input field the error is about, when the API says (normalised: "judgements.0.disagreementReason"). */
    readonly field?: string,
    extensions: ApiErrorExtensions = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.extensions = extensions;
  }
}

/**
 * An input path as the form names it: the API's own ("judgements.0.disagreementReason"),
 * or the older form ("input.judgements[0].disagreementReason") said the same way.
 */
export function normaliseField(field: string | undefined | null): string | undefined {
  if (!field) return undefined;
  return (
    field
      .replace(/^input\.?/, '')
      .replace(/\[(\d+)\]/g, '.$1')
      .replace(/^\./, '') || undefined
  );
}

/** What to tell a person, for any error: the API's own words where they are meant for people. */
export function describeError(error: unknown): { title: string; detail: string; code: ApiErrorCode } {
  // A step refused on this device (not by the API) says why in words meant for people.
  if (error instanceof UserFacingError)
    return { code: error.cause === undefined ? 'BAD_USER_INPUT' : describeError(error.cause).code, title: error.title, detail: error.message };
  const e = error instanceof ApiError ? error : new ApiError('INTERNAL_SERVER_ERROR', String((error as Error)?.message ?? error));
  switch (e.code) {
    case 'OFFLINE':
      return { code: e.code, title: 'Can’t reach the school visits service', detail: 'Check your connection and try again. Nothing was changed.' };
    case 'SERVICE_UNAVAILABLE':
      return { code: e.code, title: 'The service is busy or restarting', detail: 'Try again in a minute. Nothing was changed.' };
    case 'UNAUTHENTICATED':
      return { code: e.code, title: 'Your sign-in has expired', detail: 'Sign in again to carry on.' };
    case 'SIGN_IN':
      return { code: e.code, title: 'Sign-in didn’t work', detail: e.message };
    case 'FORBIDDEN':
      return { code: e.code, title: 'You don’t have permission', detail: e.message };
    case 'NOT_FOUND':
      return { code: e.code, title: 'Not found', detail: e.message };
    case 'CONFLICT':
      return { code: e.code, title: 'Someone else changed this', detail: e.message };
    case 'RATE_LIMITED':
      return { code: e.code, title: 'Too many requests', detail: 'Wait a moment and try again.' };
    case 'BAD_USER_INPUT':
      return { code: e.code, title: 'Please check this', detail: e.message };
    default:
      return { code: e.code, title: 'Something went wrong', detail: 'Try again; if it keeps happening, tell the school improvement team.' };
  }
}

/** A step this device refuses before asking the API (e.g. sharing a note that could not be saved), with its reason. */
export class UserFacingError extends Error {
  constructor(
    readonly title: string,
    message: string,
    /** What refused it underneath (the API's error), for whoever places its fields. */
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'UserFacingError';
  }
}
