import type { IPublicClientApplication } from '@azure/msal-browser';
import { SignInError, type SignedInAccount, type TokenProvider } from './token-provider.js';

/**
 * Nested app authentication: Outlook or Teams brokers the sign-in for the pane,
 * through MSAL's nestable client. MSAL is loaded on first use so the development
 * build (and a pane that is only looked at) does not pay for it.
 */
export class NaaTokenProvider implements TokenProvider {
  private app: Promise<IPublicClientApplication> | null = null;
  private signedIn: SignedInAccount | null = null;

  constructor(
    private readonly clientId: string,
    private readonly apiScope: string,
  ) {}

  private client(): Promise<IPublicClientApplication> {
    this.app ??= import('@azure/msal-browser').then(({ createNestablePublicClientApplication }) =>
      createNestablePublicClientApplication({ auth: { clientId: this.clientId, authority: 'https://login.microsoftonline.com/common' } }),
    );
    return this.app;
  }

  async getToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    const app = await this.client();
    const request = { scopes: [this.apiScope], forceRefresh: options.forceRefresh ?? false };
    try {
      const result = await app.acquireTokenSilent({ ...request, account: app.getActiveAccount() ?? undefined });
      this.remember(result.account);
      return result.accessToken;
    } catch {
      // Silent sign-in needs consent or a fresh sign-in: the host shows its own prompt.
      try {
        const result = await app.acquireTokenPopup(request);
        this.remember(result.account);
        return result.accessToken;
      } catch (error) {
        throw new SignInError('Sign-in did not complete. Try again, or ask IT to check the add-in has been approved.', error);
      }
    }
  }

  private remember(account: { name?: string; username: string } | null): void {
    if (account) this.signedIn = { name: account.name ?? account.username, email: account.username };
  }

  account(): SignedInAccount | null {
    return this.signedIn;
  }
}

export function naaTokenProvider(config: { clientId: string | null; apiScope: string }): TokenProvider {
  if (!config.clientId) {
    return {
      getToken: () => Promise.reject(new SignInError('Sign-in is not set up on this server yet (ADDIN_CLIENT_ID): ask IT.')),
      account: () => null,
    };
  }
  return new NaaTokenProvider(config.clientId, config.apiScope);
}
