import type { Clock } from '../platform/clock.js';
import type { CalendarSyncConfig } from '../platform/config.js';
import type { Orm } from '../platform/db/orm.js';
import { createAppTokenSource } from '../platform/graph/app-token.js';
import { createGraphApi } from '../platform/graph/graph-client.js';
import type { JobQueue } from '../platform/jobs/job-queue.js';
import type { Logger } from '../platform/logger.js';
import type { SigningKeys } from '../platform/signing-keys.js';
import type { CalendarVisits } from './calendar-change.js';
import { createCalendarSync, type CalendarSync } from './calendar-sync.js';
import { createClientStates } from './client-state.js';
import { createGraphCalendar } from './graph-calendar.js';

export interface StartCalendarSyncOptions {
  config: CalendarSyncConfig;
  orm: Orm;
  jobs: JobQueue;
  logger: Logger;
  clock: Clock;
  signingKeys: SigningKeys;
  visits: CalendarVisits;
}

/** Calendar sync composed: MSAL's app token, the Graph client, the calendar calls, the jobs. Its workers start with `start(baseUrl)`. */
export async function startCalendarSync({ config, orm, jobs, logger, clock, signingKeys, visits }: StartCalendarSyncOptions): Promise<CalendarSync> {
  const tokens = await createAppTokenSource(config.graph);
  const graph = createGraphCalendar(createGraphApi(config.graph, tokens));
  logger.info({ mode: config.mode, intervalSeconds: config.intervalSeconds, tenantId: config.graph.tenantId }, 'calendar sync on');
  return createCalendarSync({ orm, jobs, graph, visits, clientStates: createClientStates(signingKeys), config, logger, clock });
}
