import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { RequestHandler } from 'express';

// Headers a reverse proxy adds: a request relayed by one came from elsewhere, whatever its socket says
// (a proxy on the same machine connects from 127.0.0.1).
const RELAYED_BY = ['forwarded', 'x-forwarded-for', 'x-real-ip', 'via'];

/**
 * Whether a request comes straight from this machine: its peer is a loopback address and no proxy
 * relayed it. The development sign-in answers only such requests unless DEV_ALLOW_REMOTE=on.
 */
export function isLoopbackRequest(req: IncomingMessage): boolean {
  if (RELAYED_BY.some((h) => req.headers[h] !== undefined)) return false;
  const address = req.socket.remoteAddress ?? '';
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/**
 * The development sign-in hands anyone a manager's token: from another machine it does not exist
 * (404, as in production) unless configuration explicitly allows it.
 */
export function onlyFromThisMachine(allowRemote: boolean): RequestHandler {
  return (req, res, next) => {
    if (allowRemote || isLoopbackRequest(req)) return next();
    res.status(404).type('text').send('Not found');
  };
}
