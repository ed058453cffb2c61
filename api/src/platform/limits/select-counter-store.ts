import type { AppConfig } from '../config.js';
import type { ReadDb } from '../db/orm.js';
import type { Logger } from '../logger.js';
import type { CounterStore } from './counter-store.js';
import { MemoryCounterStore } from './memory-counter-store.js';
import { PostgresCounterStore } from './postgres-counter-store.js';
import { RedisCounterStore } from './redis-counter-store.js';
import { ResilientCounterStore } from './resilient-counter-store.js';

/**
 * Where the limits count: Redis when REDIS_URL is set; otherwise the PostgreSQL database every
 * instance shares; on the embedded database, this process (the only one that can open it).
 */
export async function selectCounterStore(config: Pick<AppConfig, 'database' | 'limits'>, db: ReadDb, logger: Logger): Promise<CounterStore> {
  if (config.limits.redisUrl) return new ResilientCounterStore(await RedisCounterStore.start(config.limits.redisUrl, logger), logger);
  if (config.database.kind === 'postgresql') return new ResilientCounterStore(new PostgresCounterStore(db, logger), logger);
  return new MemoryCounterStore();
}
