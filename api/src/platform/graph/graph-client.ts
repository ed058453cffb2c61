import { Client, GraphError, HTTPMessageHandler, RetryHandler, RetryHandlerOptions, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import type { AppTokenSource } from './app-token.js';
import type { GraphSettings } from './graph-config.js';

export const GRAPH_VERSION = 'v1.0';

/**
 * Microsoft Graph, as the app (client credentials). The SDK's middleware chain is built here
 * rather than taken whole: the bearer token is added only to requests for the configured Graph
 * root (the SDK's own handler knows https hosts only, so a loopback stand-in would get no token,
 * and nothing else should), then the SDK's RetryHandler (429, 503, 504: it waits for Retry-After
 * and tries again, up to `maxRetries`), then fetch.
 */
export interface GraphApi {
  client: Client;
  /** A link Graph returned (`@odata.nextLink`, `@odata.deltaLink`) as a path for `client.api`. */
  pathOf(link: string): string;
}

class BearerToGraphOnly implements Middleware {
  private next?: Middleware;
  constructor(
    private readonly origin: string,
    private readonly tokens: AppTokenSource,
  ) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    if (new URL(url).origin === this.origin) {
      const headers = new Headers(context.options?.headers as ConstructorParameters<typeof Headers>[0]);
      headers.set('authorization', `Bearer ${await this.tokens.token()}`);
      context.options = { ...context.options, headers: Object.fromEntries(headers.entries()) };
    }
    await this.next!.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

export function createGraphApi(settings: GraphSettings, tokens: AppTokenSource, options: { maxRetries?: number } = {}): GraphApi {
  const auth = new BearerToGraphOnly(new URL(settings.graphBaseUrl).origin, tokens);
  // Three tries within Retry-After (Graph asks for seconds); beyond that the caller's job is queued again later.
  const retry = new RetryHandler(new RetryHandlerOptions(3, options.maxRetries ?? 3));
  const http = new HTTPMessageHandler();
  auth.setNext(retry);
  retry.setNext(http);
  const client = Client.initWithMiddleware({ middleware: auth, baseUrl: settings.graphBaseUrl, defaultVersion: GRAPH_VERSION });
  const root = `${settings.graphBaseUrl}/${GRAPH_VERSION}`;
  return {
    client,
    pathOf(link) {
      if (!link.startsWith(`${root}/`)) throw new Error('Graph returned a link outside its own root');
      return link.slice(root.length);
    },
  };
}

/** The HTTP status of a failed Graph call, or null when it failed before any answer. */
export function graphStatus(error: unknown): number | null {
  return error instanceof GraphError && error.statusCode > 0 ? error.statusCode : null;
}

/** Retry-After of a throttled answer, in seconds (Graph sends seconds); null when absent. */
export function retryAfterSeconds(error: unknown): number | null {
  if (!(error instanceof GraphError)) return null;
  const value = error.headers?.get('retry-after');
  const seconds = value ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null;
}
