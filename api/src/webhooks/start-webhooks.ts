import { runAs } from '../platform/audit/audit-context.js';
import type { Clock } from '../platform/clock.js';
import type { Em, Orm } from '../platform/db/orm.js';
import { consumeEvents } from '../platform/events/event-consumer.js';
import type { ServiceFieldPolicy } from '../platform/graphql/service-fields.plugin.js';
import type { JobQueue } from '../platform/jobs/job-queue.js';
import type { Logger } from '../platform/logger.js';
import type { WebhooksConfig } from '../platform/webhooks-config.js';
import { makeDeliveries } from './webhook-deliveries.js';
import { sendDue, type SendSummary, type SenderDeps } from './webhook-sender.js';
import type { WebhooksDeps } from './webhooks.context.js';

export interface WebhooksRun extends SendSummary {
  /** Domain events handled (deliveries made for those subscribers want). */
  events: number;
}

export interface Webhooks {
  /** One turn: new events into deliveries, then what is due sent. Safe anywhere, any number of times at once. */
  runOnce(now?: Date): Promise<WebhooksRun>;
}

const SCHEDULE = 'webhooks.run';
const TABLES = { claim: 'webhook_event_claim', cursor: 'webhook_cursor' };

/**
 * Webhooks composed (app.ts): a turn every WEBHOOKS_INTERVAL_SECONDS on one instance (the job queue's
 * `every`). Each step is safe to run twice or on two instances at once: an event is claimed once
 * (its deliveries made in the claim's transaction), a delivery is sent under its own claim.
 */
export async function startWebhooks(options: {
  config: WebhooksConfig;
  orm: Orm;
  jobs: JobQueue;
  clock: Clock;
  logger: Logger;
  deps: WebhooksDeps;
  /** Which fields a service may read (app/service-fields.ts): what payloads keep for each subscriber's grants. */
  policy: ServiceFieldPolicy;
}): Promise<Webhooks | null> {
  const { config, orm, jobs, clock, policy } = options;
  if (!config.enabled) return null;
  const logger = options.logger.child({ component: 'webhooks' });
  const sender: SenderDeps = {
    orm,
    cipher: options.deps.cipher,
    urlPolicy: options.deps.urlPolicy,
    timeoutMs: config.timeoutMs,
    retrySeconds: config.retrySeconds,
    logger,
  };

  const runOnce = (at?: Date) =>
    runAs({ actor: 'system:webhooks' }, async (): Promise<WebhooksRun> => {
      const time = () => at ?? clock.now();
      // The oldest event an active subscription wants: nothing older is read (none at all without a subscriber).
      const [floor] = await (orm.em.fork() as Em).execute<{ from: string | null }[]>(
        `select min(from_event_id)::text as "from" from webhook_subscription where active`,
      );
      const events =
        floor?.from == null
          ? 0
          : await consumeEvents(orm, TABLES, (tx, e) => makeDeliveries(tx, policy, e, time()).then(() => undefined), { floor: floor.from });
      const sent = await sendDue(sender, time);
      const run = { events, ...sent };
      if (sent.delivered || sent.retrying || sent.failed) logger.info(run, 'webhooks sent');
      return run;
    });

  await jobs.every(
    SCHEDULE,
    config.intervalSeconds,
    async () => {
      await runOnce();
    },
    { firstAfterSeconds: config.intervalSeconds },
  );
  logger.info({ intervalSeconds: config.intervalSeconds, retries: config.retrySeconds.length }, 'webhooks on');
  return { runOnce };
}
