import { pino, type Logger } from 'pino';
import type { AppConfig } from './config.js';

export type { Logger };

export function createLogger(config: Pick<AppConfig, 'logLevel' | 'env'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'school-visits-api' },
    // A request, a response or an error in a line is written as its useful parts (http/request-log.ts).
    serializers: { req: pino.stdSerializers.req, res: pino.stdSerializers.res, err: pino.stdSerializers.err },
    // Never let a bearer token or cookie reach the log store.
    redact: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
  });
}
