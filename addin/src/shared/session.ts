import { createApiClient, type ApiClient } from './api/api-client.js';
import { loadFrontEndConfig, type FrontEndConfig } from './app-config.js';
import { DevTokenProvider } from './auth/dev-token-provider.js';
import { naaTokenProvider } from './auth/naa-token-provider.js';
import type { TokenProvider } from './auth/token-provider.js';

/** Everything a front end needs to talk to the API as the signed-in person. */
export interface Session {
  config: FrontEndConfig;
  tokens: TokenProvider;
  api: ApiClient;
}

export function sessionFor(config: FrontEndConfig): Session {
  const tokens = config.signIn.kind === 'development' ? new DevTokenProvider() : naaTokenProvider(config.signIn);
  return { config, tokens, api: createApiClient(config.apiUrl, tokens) };
}

export async function startSession(): Promise<Session> {
  return sessionFor(await loadFrontEndConfig());
}
