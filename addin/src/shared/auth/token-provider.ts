/**
 * Where the front ends get a bearer token for the API. In Outlook and Teams it is
 * nested app authentication (MSAL); in development, the server's development
 * issuer. The rest of the code only ever sees this interface.
 */
export interface TokenProvider {
  /** A current access token; `forceRefresh` after the API said the last one was refused. */
  getToken(options?: { forceRefresh?: boolean }): Promise<string>;
  /** Who is signed in, for display; null before the first token. */
  account(): SignedInAccount | null;
}

export interface SignedInAccount {
  name: string;
  email: string;
}

/** Sign-in failed in a way the user can act on (not configured, cancelled, consent needed). */
export class SignInError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'SignInError';
  }
}
