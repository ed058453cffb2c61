import type { GraphQLContext } from '../platform/graphql/context.js';
import type { RetentionConfig } from '../platform/retention-config.js';
import type { DisposalJob } from './disposal.job.js';

/** What the records module's resolvers need, built once at start-up (app/app.ts). */
export interface RecordsDeps {
  retention: RetentionConfig;
  disposal: DisposalJob;
}

export interface RecordsContext extends GraphQLContext {
  records: RecordsDeps;
}
