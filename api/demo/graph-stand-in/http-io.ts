import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Reading requests and writing answers the way Graph writes them. */

export const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  if (!text.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw Object.assign(new Error('Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'), {
    status: 400,
    code: 'BadRequest',
  });
}

/** Graph's request-id / client-request-id headers, set on every answer. */
export function requestIds(req: IncomingMessage, res: ServerResponse): { requestId: string; clientRequestId: string } {
  const requestId = randomUUID();
  const header = req.headers['client-request-id'];
  const clientRequestId = (Array.isArray(header) ? header[0] : header) || requestId;
  res.setHeader('request-id', requestId);
  res.setHeader('client-request-id', clientRequestId);
  return { requestId, clientRequestId };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = GRAPH_JSON): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Graph's error body (learn.microsoft.com/graph/errors): `{ error: { code, message, innerError } }`,
 * innerError carrying the date and the request ids.
 */
export function graphErrorBody(code: string, message: string, ids: { requestId: string; clientRequestId: string }, at: Date): unknown {
  return {
    error: {
      code,
      message,
      innerError: { date: at.toISOString().slice(0, 19), 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId },
    },
  };
}

/** The value of a `Prefer` preference (`odata.maxpagesize=5`, `outlook.timezone="GMT Standard Time"`, `IdType="ImmutableId"`). */
export function preference(req: IncomingMessage, name: string): string | undefined {
  const raw = req.headers.prefer;
  const values = (Array.isArray(raw) ? raw : raw ? [raw] : []).flatMap((v) => v.split(','));
  for (const value of values) {
    const match = /^\s*([^=\s]+)\s*=\s*(?:"([^"]*)"|([^\s;]*))/.exec(value);
    if (match && match[1]!.toLowerCase() === name.toLowerCase()) return match[2] ?? match[3];
  }
  return undefined;
}
