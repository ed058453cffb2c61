import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import type { Logger } from '../logger.js';
import { requestIdOf } from './request-id.js';
import { redactUrl } from './secret-urls.js';

declare module 'node:http' {
  interface IncomingMessage {
    /** Set by requestLogging for every request: the caller's x-request-id when safe to log, otherwise a new one. */
    id: string;
    /** Set by requestLogging: the service's logger, bound to this request's id. */
    log: Logger;
  }
}

/**
 * One line per request when it ends: method, URL, headers (the logger redacts the
 * secrets), status and time; a 5xx at error level, a request the client gave up on
 * as aborted. `req.log` binds the request id only, so a resolver's lines join the
 * request's line by id.
 *
 * This replaces pino-http, which binds the whole request to a child logger the
 * moment a request arrives, serialising and redacting it on every request whether
 * or not anything is then logged, which showed in the benchmark's profile of small reads.
 */
export function requestLogging(logger: Logger, options: { ignore: (req: IncomingMessage) => boolean }) {
  return (req: IncomingMessage, res: ServerResponse): IncomingMessage => {
    req.id = requestIdOf(req);
    res.setHeader('x-request-id', req.id);
    req.log = logger.child({ reqId: req.id });
    if (options.ignore(req)) return req;
    const started = performance.now();
    const ended = () => {
      res.off('finish', ended);
      res.off('close', ended);
      const line = { req, res, responseTime: Math.round(performance.now() - started) };
      if (res.statusCode >= 500) req.log.error(line, 'request errored');
      else req.log.info(line, !req.readableAborted && res.writableEnded ? 'request completed' : 'request aborted');
    };
    res.on('finish', ended);
    res.on('close', ended);
    return req;
  };
}

/**
 * A request as its log line shows it: pino's standard parts, with the URL and the headers
 * that repeat a URL (Referer, Origin) cleared of secrets (secret-urls.ts: a school's link is
 * its key), and without the route parameters and parsed query, which would repeat them.
 */
export function requestForLog(req: IncomingMessage): Record<string, unknown> {
  const line = { ...pino.stdSerializers.req(req) } as Record<string, unknown> & { url?: string; headers?: Record<string, unknown> };
  delete line.params;
  delete line.query;
  if (typeof line.url === 'string') line.url = redactUrl(line.url);
  if (line.headers) {
    const headers = { ...line.headers };
    for (const name of ['referer', 'origin']) if (typeof headers[name] === 'string') headers[name] = redactUrl(headers[name]);
    line.headers = headers;
  }
  return line;
}
