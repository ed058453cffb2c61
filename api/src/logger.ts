import { pino, type Logger } from 'pino';
import type { AppConfig } from './config.js';

export type { Logger };

export function createLogger(config: Pick<AppConfig, 'logLevel' | 'env'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'school-visits-api' },
    // Never let a bearer token or cookie reach the log store.
    redact: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
  });
}
