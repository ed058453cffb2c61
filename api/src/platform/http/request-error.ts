import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './send-json.js';

/**
 * The answer to a request that failed before GraphQL could answer it: a body that is
 * too large or not JSON (body-parser's errors carry a 4xx status) is the caller's to
 * fix; anything else is ours, logged, and answered without detail.
 */
export function answerRequestError(err: unknown, req: IncomingMessage, res: ServerResponse): void {
  const given = (err as { status?: unknown } | null)?.status;
  const status = typeof given === 'number' && given >= 400 && given < 500 ? given : 500;
  if (status === 500) req.log.error({ err }, 'unexpected error in HTTP request');
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message =
    status === 413 ? 'The request body is larger than 1 MB.' : status === 500 ? 'Something went wrong on our side.' : 'The request body is not valid JSON.';
  sendJson(res, status, { errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_USER_INPUT' } }] });
}
