import type { AccessOptions } from '../platform/auth/access-policy.js';
import type { NoteWorkflowDeps, NotesContext } from '../notes/notes.context.js';
import type { Principal } from '../platform/auth/principal.js';
import type { Clock } from '../platform/clock.js';
import type { Em, ReadDb } from '../platform/db/orm.js';
import { RequestContext } from '../platform/graphql/context.js';
import type { Logger } from '../platform/logger.js';
import type { SchoolSideContext, SchoolSideDeps } from '../school-side/school-side.js';
import type { RecordsContext, RecordsDeps } from '../records/records.context.js';
import type { WebhooksContext, WebhooksDeps } from '../webhooks/webhooks.context.js';

/** What the modules' resolvers need beyond the platform's context, built once at start-up (app.ts). */
export interface ModuleServices {
  schoolSide: SchoolSideDeps;
  notes: NoteWorkflowDeps;
  records: RecordsDeps;
  /** The council's access settings (config.access): the same for GraphQL and the downloads. */
  access: AccessOptions;
  webhooks: WebhooksDeps;
}

/** One request's context, with every module's services: the context each module's resolvers declare. */
export class AppRequestContext extends RequestContext implements NotesContext, SchoolSideContext, RecordsContext, WebhooksContext {
  readonly schoolSide: SchoolSideDeps;
  readonly notes: NoteWorkflowDeps;
  readonly records: RecordsDeps;
  readonly webhooks: WebhooksDeps;

  constructor(db: ReadDb, requestEm: () => Em, principal: Principal, logger: Logger, requestId: string, clock: Clock, services: ModuleServices) {
    super(db, requestEm, principal, logger, requestId, clock, services.access);
    this.schoolSide = services.schoolSide;
    this.notes = services.notes;
    this.records = services.records;
    this.webhooks = services.webhooks;
  }
}
