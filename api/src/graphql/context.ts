import type { AccessPolicy } from '../auth/access-policy.js';
import type { Principal } from '../auth/principal.js';
import type { Em } from '../db/orm.js';
import type { Logger } from '../logger.js';
import type { SchoolSideDeps } from '../school-side/school-side.js';
import type { RequestLoaders } from './loaders.js';

/** What every resolver receives: who is asking, what they may see, and request-scoped tools. */
export interface GraphQLContext {
  em: Em;
  logger: Logger;
  requestId: string;
  principal: Principal;
  access: AccessPolicy;
  loaders: RequestLoaders;
  schoolSide: SchoolSideDeps;
}
