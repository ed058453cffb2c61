/** The API's error vocabulary (api/src/errors.ts), plus what can go wrong before the API answers. */
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

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    /** The input field the error is about, when the API says. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** What to tell a person, for any error: the API's own words where they are meant for people. */
export function describeError(error: unknown): { title: string; detail: string; code: ApiErrorCode } {
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
