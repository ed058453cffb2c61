import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { AppConfig } from './config.js';
import { requestForLog } from './http/request-log.js';

export type { Logger };

/** The service's logger; JSON lines on standard output, or to `destination` (tests read their lines). */
export function createLogger(config: Pick<AppConfig, 'logLevel' | 'env'>, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level: config.logLevel,
    base: { service: 'school-visits-api' },
    // A request, a response or an error in a line is written as its useful parts, a request without its secrets (http/request-log.ts).
    serializers: { req: requestForLog, res: pino.stdSerializers.res, err: pino.stdSerializers.err },
    // Never let a bearer token or cookie reach the log store.
    redact: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
  };
  return destination ? pino(options, destination) : pino(options);
}
