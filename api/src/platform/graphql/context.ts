import { AccessPolicy, type AccessOptions } from '../auth/access-policy.js';
import type { Principal } from '../auth/principal.js';
import type { Clock } from '../clock.js';
import type { Em, ReadDb } from '../db/orm.js';
import type { Logger } from '../logger.js';
import { RequestLoaders } from './request-loaders.js';

/**
 * What every resolver receives: who is asking, what they may see, and request-scoped tools.
 * A module that needs more (the note workflow's email, the school's links) declares its own
 * context extending this one (notes/notes.context.ts, school-side/school-side.ts), and the
 * application provides it (app/request-context.ts).
 */
export interface GraphQLContext {
  /** The request's own entity manager (identity map, unit of work). */
  em: Em;
  /** For read statements and read views: the connection and metadata, no identity map. */
  db: ReadDb;
  logger: Logger;
  requestId: string;
  principal: Principal;
  access: AccessPolicy;
  /** Each module's batch loaders, made for this request when first used (request-loaders.ts). */
  loaders: RequestLoaders;
  /** The business clock: resolvers pass `clock.now()` to services for every "today" or "now" a rule reads. */
  clock: Clock;
}

/**
 * One request's context. The entity manager and the batch loaders are made when a
 * resolver first asks for them: a request answered from read views alone (a note
 * in full, a page of visits) needs neither.
 */
export class RequestContext implements GraphQLContext {
  readonly access: AccessPolicy;
  private requestLoaders?: RequestLoaders;

  constructor(
    readonly db: ReadDb,
    private readonly requestEm: () => Em,
    readonly principal: Principal,
    readonly logger: Logger,
    readonly requestId: string,
    readonly clock: Clock,
    accessOptions: AccessOptions = {},
  ) {
    this.access = new AccessPolicy(principal, db, clock, accessOptions);
  }

  get em(): Em {
    return this.requestEm();
  }

  get loaders(): RequestLoaders {
    return (this.requestLoaders ??= new RequestLoaders(() => this.em));
  }
}
