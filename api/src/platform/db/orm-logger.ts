import type { Logger as OrmLogger, LogContext, LoggerNamespace } from '@mikro-orm/core';
import type { Logger } from '../logger.js';
import { redactLinksInText } from '../http/secret-urls.js';

export type QueryListener = (sql: string) => void;

/** Routes MikroORM's logging into pino, and lets tests observe every SQL statement. */
export class PinoOrmLogger implements OrmLogger {
  constructor(
    private readonly pino: Logger,
    private readonly onQuery?: QueryListener,
  ) {}

  private write(level: 'debug' | 'warn' | 'error', namespace: string, message: string, context?: LogContext): void {
    this.pino[level]({ namespace, ...(context?.took !== undefined ? { took: context.took } : {}) }, message);
  }

  log(namespace: LoggerNamespace | string, message: string, context?: LogContext): void {
    this.write('debug', namespace, message, context);
  }

  error(namespace: LoggerNamespace | string, message: string, context?: LogContext): void {
    this.write('error', namespace, message, context);
  }

  warn(namespace: LoggerNamespace | string, message: string, context?: LogContext): void {
    this.write('warn', namespace, message, context);
  }

  /** Whether every statement's text is read (a test counting them, or trace logging), not only slow ones. */
  wantsStatements(): boolean {
    return !!this.onQuery || this.pino.isLevelEnabled('trace');
  }

  logQuery(context: LogContext): void {
    if (context.query) this.onQuery?.(context.query);
    if (context.namespace === 'slow-query') {
      // A statement's parameters are inlined: an email queued with a school's link would put the link in the log.
      this.pino.warn({ namespace: 'slow-query', took: context.took, sql: redactLinksInText(context.query ?? '') }, 'slow SQL statement');
    } else if (this.pino.isLevelEnabled('trace')) {
      this.pino.trace({ namespace: 'query', took: context.took, sql: redactLinksInText(context.query ?? '') }, 'SQL');
    }
  }

  setDebugMode(): void {}

  isEnabled(): boolean {
    return true;
  }
}
