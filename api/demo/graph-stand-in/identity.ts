import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson } from './http-io.js';

/**
 * The Microsoft identity platform's part: the tenant's OpenID configuration (what MSAL for
 * Node reads before asking for a token) and the v2.0 token endpoint for the client
 * credentials grant with `scope=https://graph.microsoft.com/.default`. Tokens are opaque
 * here and last an hour, as Entra's app tokens do.
 */
export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';
const TOKEN_LIFETIME_SECONDS = 3599;

export interface AppRegistration {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export class Identity {
  private readonly tokens = new Map<string, number>();

  constructor(private readonly app: AppRegistration) {}

  /** The tenant's openid-configuration, with endpoints on the stand-in at `origin`. */
  openIdConfiguration(origin: string): Record<string, unknown> {
    const tenant = `${origin}/${this.app.tenantId}`;
    return {
      token_endpoint: `${tenant}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${tenant}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${tenant}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${origin}/oidc/userinfo`,
      authorization_endpoint: `${tenant}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${tenant}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${tenant}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'tid', 'ver'],
      kerberos_endpoint: `${tenant}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    };
  }

  /** Answers the identity platform's paths; false when the path is not one of them. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string, origin: string): Promise<boolean> {
    const tenant = this.app.tenantId;
    if (req.method === 'GET' && (path === `/${tenant}/v2.0/.well-known/openid-configuration` || path === `/${tenant}/.well-known/openid-configuration`)) {
      sendJson(res, 200, this.openIdConfiguration(origin), 'application/json; charset=utf-8');
      return true;
    }
    if (req.method === 'GET' && path === `/${tenant}/discovery/v2.0/keys`) {
      sendJson(res, 200, { keys: [] }, 'application/json; charset=utf-8');
      return true;
    }
    if (path === `/${tenant}/oauth2/v2.0/token` && req.method === 'POST') {
      await this.token(req, res, origin);
      return true;
    }
    if (/^\/[^/]+\/(oauth2|v2\.0|\.well-known|discovery)\b/.test(path)) {
      this.refuse(origin, res, 400, 'invalid_tenant', 90002, `AADSTS90002: Tenant '${path.split('/')[1]}' not found.`);
      return true;
    }
    return false;
  }

  private async token(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    const [basicId, basicSecret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':').map(decodeURIComponent) : [];
    const clientId = form.get('client_id') ?? basicId;
    const secret = form.get('client_secret') ?? basicSecret;
    if (form.get('grant_type') !== 'client_credentials') {
      return this.refuse(origin, res, 400, 'unsupported_grant_type', 70003, 'AADSTS70003: The app requested an unsupported grant type.');
    }
    if (clientId !== this.app.clientId) {
      return this.refuse(
        origin,
        res,
        400,
        'unauthorized_client',
        700016,
        `AADSTS700016: Application with identifier '${clientId ?? ''}' was not found in the directory.`,
      );
    }
    if (secret !== this.app.clientSecret) {
      return this.refuse(origin, res, 401, 'invalid_client', 7000215, 'AADSTS7000215: Invalid client secret provided.');
    }
    if (form.get('scope')?.split(' ').includes(GRAPH_DEFAULT_SCOPE) !== true) {
      return this.refuse(
        origin,
        res,
        400,
        'invalid_scope',
        1002012,
        `AADSTS1002012: The provided value for scope ${form.get('scope') ?? ''} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const accessToken = `standin.${randomBytes(32).toString('base64url')}`;
    this.tokens.set(accessToken, Date.now() + TOKEN_LIFETIME_SECONDS * 1000);
    res.setHeader('cache-control', 'no-store, no-cache');
    sendJson(
      res,
      200,
      { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS, ext_expires_in: TOKEN_LIFETIME_SECONDS, access_token: accessToken },
      'application/json; charset=utf-8',
    );
  }

  private refuse(origin: string, res: ServerResponse, status: number, error: string, code: number, description: string): void {
    const traceId = randomUUID();
    sendJson(
      res,
      status,
      {
        error,
        error_description: `${description}\r\nTrace ID: ${traceId}\r\nTimestamp: ${new Date().toISOString()}`,
        error_codes: [code],
        timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
        trace_id: traceId,
        correlation_id: randomUUID(),
        error_uri: `${origin}/error?code=${code}`,
      },
      'application/json; charset=utf-8',
    );
  }

  /** Why Graph would refuse this Authorization header, or undefined when the token is good. */
  refusal(authorization: string | undefined): string | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return 'Access token is empty.';
    const expires = this.tokens.get(match[1]!);
    if (expires === undefined) return 'Access token validation failure. Invalid audience.';
    if (expires < Date.now()) return 'Lifetime validation failed, the token is expired.';
    return undefined;
  }
}
