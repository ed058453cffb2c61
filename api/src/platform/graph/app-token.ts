import { readFile } from 'node:fs/promises';
import { ConfidentialClientApplication, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import type { GraphSettings } from './graph-config.js';

/** An app-only access token for Microsoft Graph (client credentials), cached and renewed by MSAL. */
export interface AppTokenSource {
  token(): Promise<string>;
}

const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/**
 * MSAL refuses any authority that is not https. A stand-in on loopback (tests, development:
 * graph-config.ts allows plain http nowhere else, and never in production) is therefore named to
 * MSAL as https and reached over http by this network module. Everything else goes as asked.
 */
function fetchNetworkModule(plainHttpOrigin: string | null): INetworkModule {
  const target = (url: string) => {
    if (!plainHttpOrigin) return url;
    const secure = plainHttpOrigin.replace(/^http:/, 'https:');
    return url.startsWith(secure) ? plainHttpOrigin + url.slice(secure.length) : url;
  };
  const send = async <T>(method: string, url: string, options: NetworkRequestOptions = {}, timeoutMs?: number): Promise<NetworkResponse<T>> => {
    const res = await fetch(target(url), {
      method,
      headers: options.headers,
      body: options.body,
      signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { error: 'invalid_response', error_description: `the token service answered ${res.status} without JSON` };
    }
    return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: body as T };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

async function credentialOf(settings: GraphSettings) {
  if (settings.credential.kind === 'secret') return { clientSecret: settings.credential.secret };
  // One PEM file with the private key (and usually the certificate): what Entra's certificate upload pairs with.
  const pem = await readFile(settings.credential.path, 'utf8');
  const thumbprint = settings.credential.thumbprint.toLowerCase();
  const certificate = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
  return {
    clientCertificate: {
      ...(thumbprint.length === 64 ? { thumbprintSha256: thumbprint } : { thumbprint }),
      privateKey: pem,
      ...(certificate ? { x5c: certificate } : {}),
    },
  };
}

/** The identity platform's v2.0 endpoints under an authority (https://host/tenant). */
const entraEndpoints = (authority: string) => ({
  token_endpoint: `${authority}/oauth2/v2.0/token`,
  authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
  end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
  jwks_uri: `${authority}/discovery/v2.0/keys`,
  issuer: `${authority}/v2.0`,
});

const plainHttpGraph = (settings: GraphSettings) => new URL(settings.graphBaseUrl).protocol === 'http:';

export async function createAppTokenSource(settings: GraphSettings): Promise<AppTokenSource> {
  const host = new URL(settings.authorityHost);
  const plainHttp = host.protocol === 'http:';
  const authority = `https://${host.host}/${settings.tenantId}`;
  const custom = settings.authorityHost !== DEFAULT_AUTHORITY_HOST;
  const app = new ConfidentialClientApplication({
    auth: {
      clientId: settings.clientId,
      authority,
      ...(await credentialOf(settings)),
      // Another host (a national cloud, a stand-in) is trusted as named rather than checked against Microsoft's
      // list, and its endpoints are the identity platform's usual ones (MSAL would otherwise take them from its
      // openid-configuration, which a stand-in on http can only give as http, and MSAL refuses).
      ...(custom ? { knownAuthorities: [host.host], authorityMetadata: JSON.stringify(entraEndpoints(authority)) } : {}),
    },
    system: { networkClient: fetchNetworkModule(plainHttp ? host.origin : null) },
  });
  // Graph's resource id: the Graph root (national clouds have their own); a loopback stand-in stands in for the global one.
  const scopes = [plainHttpGraph(settings) ? 'https://graph.microsoft.com/.default' : `${settings.graphBaseUrl}/.default`];
  return {
    async token() {
      const result = await app.acquireTokenByClientCredential({ scopes });
      if (!result?.accessToken) throw new Error('the token service gave no access token for Microsoft Graph');
      return result.accessToken;
    },
  };
}
