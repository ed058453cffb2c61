import { createClient } from 'redis';
import type { Logger } from '../logger.js';
import type { CounterStore, CountEntry } from './counter-store.js';

const CONNECT_TIMEOUT_MS = 2_000;

const connect = (url: string) =>
  createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 6), 5_000) },
  });
type Client = ReturnType<typeof connect>;

/**
 * Counts in Redis (REDIS_URL): INCRBY and PEXPIRE in one MULTI, so a window's key disappears by
 * itself a window after it ends. node-redis (the `redis` package) is the client Redis itself
 * maintains and recommends for new work; it is typed and promise-based throughout.
 * Commands are not queued while the connection is down: they fail at once and the caller counts
 * in memory meanwhile (resilient-counter-store.ts), rather than waiting for Redis to come back.
 */
export class RedisCounterStore implements CounterStore {
  readonly kind = 'redis';

  private constructor(
    private readonly client: Client,
    private readonly prefix: string,
  ) {}

  static async start(url: string, logger: Logger, prefix = 'school-visits:limits:'): Promise<RedisCounterStore> {
    let down = false;
    const client = connect(url);
    // Without a listener an 'error' event ends the process. Said once per outage, not per retry.
    client.on('error', (error: unknown) => {
      if (down) return;
      down = true;
      logger.warn({ err: error }, 'the rate-limit store (Redis) cannot be reached; retrying in the background');
    });
    client.on('ready', () => {
      if (down) logger.info('the rate-limit store (Redis) is reachable again');
      down = false;
    });
    // Waited for at most the connect timeout: the first requests count in Redis when it is up, and
    // the server still starts while Redis is down (counting in memory until it is up).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([client.connect().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, CONNECT_TIMEOUT_MS)))]);
    clearTimeout(timer);
    return new RedisCounterStore(client, prefix);
  }

  async add(key: string, amount: number, windowStart: number, windowMs: number): Promise<number> {
    const name = `${this.prefix}${key}:${windowStart}`;
    if (amount === 0) return Number((await this.client.get(name)) ?? 0);
    return (await this.addMany([{ key, amount }], windowStart, windowMs))[0]!;
  }

  async addMany(entries: readonly CountEntry[], windowStart: number, windowMs: number): Promise<number[]> {
    const multi = this.client.multi();
    for (const { key, amount } of entries) {
      const name = `${this.prefix}${key}:${windowStart}`;
      multi.incrBy(name, amount).pExpire(name, 2 * windowMs);
    }
    const replies = await multi.exec();
    return entries.map((_, i) => Number(replies[2 * i]));
  }

  async close(): Promise<void> {
    // A client still trying to reach Redis would wait for it to answer before quitting: dropped instead.
    if (this.client.isReady) await this.client.close();
    else if (this.client.isOpen) this.client.destroy();
  }
}
