import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import ipaddr from 'ipaddr.js';
import { Webhook } from 'standardwebhooks';
import type { BodyCipher } from '../mail/body-cipher.js';
import type { Em, Orm } from '../platform/db/orm.js';
import type { Logger } from '../platform/logger.js';
import { WebhookDeliveryStatus } from './webhook.enums.js';
import { addressRefusal, guardedLookup, type WebhookUrlPolicy } from './webhook-url.rules.js';

/**
 * Sends the deliveries that are due, as the outbox sends mail: each is claimed in a short transaction
 * (FOR UPDATE SKIP LOCKED, a lease, the attempt counted), so two instances never send one delivery at
 * once; sent with no transaction open; its attempt recorded, and the delivery delivered, retried later
 * (the configured waits) or FAILED, in a second one. A sender that dies mid-call leaves its lease to
 * lapse and the delivery is sent again: at least once, with the same webhook-id for the receiver to
 * recognise. Signed as Standard Webhooks say, by their reference library.
 */
export interface SenderDeps {
  orm: Orm;
  cipher: BodyCipher;
  urlPolicy: WebhookUrlPolicy;
  timeoutMs: number;
  /** Seconds before each retry; attempts = its length + 1. */
  retrySeconds: number[];
  logger: Logger;
}

const BATCH = 50;
/** Deliveries sent at once by one instance. */
const CONCURRENCY = 8;
const USER_AGENT = 'school-visits-webhooks/1';

interface Claimed {
  id: string;
  subscription_id: string;
  webhook_id: string;
  payload: string;
  attempt_count: number;
  url: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
}

const dueWhere = `d.status = 'pending' and d.next_attempt_at <= ? and (d.lease_until is null or d.lease_until < ?)`;

async function claim(deps: SenderDeps, id: string, now: Date): Promise<Claimed | null> {
  return (deps.orm.em.fork() as Em).transactional(async (tx) => {
    const [row] = await tx.execute<{ id: string }[]>(
      `select d.id from webhook_delivery d join webhook_subscription s on s.id = d.subscription_id
        where d.id = ? and s.active and ${dueWhere} for update of d skip locked`,
      [id, now, now],
    );
    if (!row) return null;
    const [claimed] = await tx.execute<Claimed[]>(
      `update webhook_delivery d set lease_until = ?, attempt_count = d.attempt_count + 1, updated_at = now()
         from webhook_subscription s
        where d.id = ? and s.id = d.subscription_id
        returning d.id, d.subscription_id, d.webhook_id, d.payload, d.attempt_count, s.url, s.secret_sealed, s.previous_secret_sealed, s.previous_secret_expires_at`,
      [new Date(now.getTime() + deps.timeoutMs + 60_000), id],
    );
    return claimed ?? null;
  });
}

interface Outcome {
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

/** One POST, no redirect followed, the answer's body read and dropped. */
function post(deps: SenderDeps, url: URL, headers: Record<string, string>, body: string): Promise<Outcome> {
  const started = performance.now();
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const done = (httpStatus: number | null, error: string | null) =>
      resolve({ httpStatus, error: error?.slice(0, 300) ?? null, durationMs: Math.round(performance.now() - started) });
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': USER_AGENT },
        lookup: guardedLookup(deps.urlPolicy) as never,
        signal: AbortSignal.timeout(deps.timeoutMs),
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        res.on('end', () => done(status, ok ? null : `HTTP ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}`));
        res.on('error', () => done(status, ok ? null : `HTTP ${status}`));
      },
    );
    req.on('error', (error: Error & { code?: string }) =>
      done(
        null,
        error.name === 'AbortError' || error.name === 'TimeoutError'
          ? `no answer within ${deps.timeoutMs} ms`
          : error.code
            ? `${error.code}: ${error.message}`
            : error.message,
      ),
    );
    req.end(body);
  });
}

async function record(deps: SenderDeps, d: Claimed, outcome: Outcome, now: Date): Promise<WebhookDeliveryStatus | null> {
  return (deps.orm.em.fork() as Em).transactional(async (tx) => {
    // Still this attempt's claim (a replay or another run since has not taken it over).
    const [row] = await tx.execute<{ id: string }[]>(`select id from webhook_delivery where id = ? and status = 'pending' and attempt_count = ? for update`, [
      d.id,
      d.attempt_count,
    ]);
    if (!row) return null;
    await tx.execute(
      `insert into webhook_attempt (id, created_at, updated_at, delivery_id, attempted_at, http_status, duration_ms, error) values (gen_random_uuid(), now(), now(), ?, ?, ?, ?, ?)`,
      [d.id, now, outcome.httpStatus, outcome.durationMs, outcome.error],
    );
    const wait = deps.retrySeconds[d.attempt_count - 1];
    const status = !outcome.error ? WebhookDeliveryStatus.DELIVERED : wait === undefined ? WebhookDeliveryStatus.FAILED : WebhookDeliveryStatus.PENDING;
    await tx.execute(`update webhook_delivery set status = ?, delivered_at = ?, next_attempt_at = ?, lease_until = null, updated_at = now() where id = ?`, [
      status,
      status === WebhookDeliveryStatus.DELIVERED ? now : null,
      status === WebhookDeliveryStatus.PENDING ? new Date(now.getTime() + wait! * 1000) : null,
      d.id,
    ]);
    return status;
  });
}

export interface SendSummary {
  delivered: number;
  retrying: number;
  failed: number;
}

/**
 * Sends what is due at `time()`: each subscriber's deliveries in order, several subscribers at once; a
 * backlog past a thousand waits for the next turn. A subscriber that fails once in a turn is not tried
 * again in it: its other deliveries wait for their next turn, so one endpoint that hangs until the
 * timeout holds up no other.
 */
export async function sendDue(deps: SenderDeps, time: () => Date): Promise<SendSummary> {
  const tally: SendSummary = { delivered: 0, retrying: 0, failed: 0 };
  const failing = new Set<string>();
  for (let batch = 0; batch < 20; batch++) {
    const now = time();
    const due = await (deps.orm.em.fork() as Em).execute<{ id: string; subscription_id: string }[]>(
      `select d.id, d.subscription_id from webhook_delivery d where ${dueWhere}
          ${failing.size ? `and d.subscription_id not in (${[...failing].map(() => '?').join(', ')})` : ''}
        order by d.next_attempt_at, d.id limit ${BATCH}`,
      [now, now, ...failing],
    );
    // One subscriber's deliveries in order, one at a time; several subscribers at once.
    const bySubscriber = new Map<string, string[]>();
    for (const d of due) bySubscriber.set(d.subscription_id, [...(bySubscriber.get(d.subscription_id) ?? []), d.id]);
    const queue = [...bySubscriber.values()];
    const worker = async () => {
      for (let ids = queue.shift(); ids; ids = queue.shift()) for (const id of ids) if (!(await sendOne(id))) break;
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (due.length < BATCH) break;
  }
  return tally;

  /** False when the subscriber did not accept it (its other deliveries wait for their next turn). */
  async function sendOne(id: string): Promise<boolean> {
    const d = await claim(deps, id, time());
    if (!d) return true;
    // The signature's timestamp is the real time: receivers check it against theirs (a replay guard), whatever the business clock says.
    const signedAt = new Date();
    // After a rotation, a signature by the previous secret too until its day is out (Standard Webhooks: space-separated signatures).
    const previous =
      d.previous_secret_sealed && d.previous_secret_expires_at && new Date(d.previous_secret_expires_at) > time() ? d.previous_secret_sealed : null;
    const sign = (sealed: string) => new Webhook(deps.cipher.open(sealed)).sign(d.webhook_id, signedAt, d.payload);
    const headers = {
      'webhook-id': d.webhook_id,
      'webhook-timestamp': String(Math.floor(signedAt.getTime() / 1000)),
      'webhook-signature': [d.secret_sealed, ...(previous ? [previous] : [])].map(sign).join(' '),
    };
    const url = new URL(d.url);
    // A name is checked as it resolves (guardedLookup); an address written in the URL never goes through a lookup, so here.
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    const refused = ipaddr.isValid(literal) ? addressRefusal(literal, deps.urlPolicy) : null;
    const outcome = refused ? { httpStatus: null, error: `refused: ${refused}`, durationMs: 0 } : await post(deps, url, headers, d.payload);
    const status = await record(deps, d, outcome, time());
    if (status === WebhookDeliveryStatus.DELIVERED) tally.delivered += 1;
    else if (status === WebhookDeliveryStatus.FAILED) tally.failed += 1;
    else if (status) tally.retrying += 1;
    if (outcome.error) failing.add(d.subscription_id);
    // The subscription and the outcome, never the address (it may carry the subscriber's own token) nor the secret.
    if (outcome.error)
      deps.logger.warn(
        { subscriptionId: d.subscription_id, deliveryId: d.id, attempt: d.attempt_count, reason: outcome.error, status },
        'webhook not accepted',
      );
    return !outcome.error;
  }
}
