import type { Em } from '../db/orm.js';
import type { Logger } from '../logger.js';

/** What every resolver receives: a request-scoped entity manager, logger and id. */
export interface GraphQLContext {
  em: Em;
  logger: Logger;
  requestId: string;
}
