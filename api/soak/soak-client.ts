import { randomUUID } from 'node:crypto';

/**
 * One GraphQL call as the soak sees it: the HTTP status, the error codes in the
 * body, or the transport failure when no answer came (server down or killed).
 * Every call carries its own x-request-id, which the server writes into the
 * audit trail, so an acknowledged write can be found in the database afterwards.
 */
export interface Outcome {
  op: string;
  server: string;
  requestId: string;
  startedAt: number;
  ms: number;
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  /** Error codes in the response body (extensions.code), in order. */
  codes: string[];
  /** Set when no response arrived: ECONNREFUSED, ECONNRESET, timeout... */
  transport: string | null;
  data: Record<string, any> | null;
}

export const REQUEST_TIMEOUT_MS = 60_000;

function transportKind(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'CLIENT_TIMEOUT';
  return (cause?.message ?? (error instanceof Error ? error.message : String(error))).slice(0, 60);
}

export async function callGraphql(
  server: { name: string; url: string },
  op: string,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Outcome> {
  const requestId = `soak-${randomUUID()}`;
  const startedAt = Date.now();
  const base = { op, server: server.name, requestId, startedAt };
  try {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let body: { data?: Record<string, any> | null; errors?: { extensions?: { code?: string } }[] } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: recorded as a response without codes (and a violation if it is a 5xx)
    }
    return {
      ...base,
      ms: Date.now() - startedAt,
      status: res.status,
      codes: (body.errors ?? []).map((e) => String(e.extensions?.code ?? 'NO_CODE')),
      transport: null,
      data: body.data ?? null,
    };
  } catch (error) {
    return { ...base, ms: Date.now() - startedAt, status: 0, codes: [], transport: transportKind(error), data: null };
  }
}

/** True when the call succeeded: a 200 with data and no errors. */
export const succeeded = (o: Outcome) => o.status === 200 && o.codes.length === 0 && !!o.data;
