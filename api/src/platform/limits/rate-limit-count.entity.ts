import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * A key's count in one window (postgres-counter-store.ts): requests or query-cost points. Written
 * and read only by statements; mapped so the schema check knows the table. The key is hashed
 * (counter-store.ts) and a row lives two windows at most.
 */
@Entity({ tableName: 'rate_limit_count' })
export class RateLimitCount {
  @PrimaryKey({ type: 'string', length: 64 })
  key!: string;

  @PrimaryKey({ type: 'timestamptz' })
  windowStart!: Date;

  @Property({ type: 'integer' })
  count!: number;
}
