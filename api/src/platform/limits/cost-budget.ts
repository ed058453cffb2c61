import { SharedCounter, type CounterStore } from './counter-store.js';
import type { RateLimiter } from './rate-limiter.js';

export interface BudgetState {
  limit: number;
  /** Points left in the window after this request (never below 0). */
  remaining: number;
  /** When the window ends and the budget is whole again (ms since the epoch). */
  resetAt: number;
}

/**
 * Query-cost points per client (a person or a service) per minute, counted in the shared store:
 * a client spends its budget however many instances answer it. A request refused for want of
 * points spends none (the points are given back), so what is left is what a client may still ask.
 */
export class CostBudget {
  private readonly counter: SharedCounter;

  constructor(store: CounterStore, perMinute: number, now?: () => number) {
    this.counter = new SharedCounter(store, 'query-cost', perMinute, 60_000, now);
  }

  get limit(): number {
    return this.counter.limit;
  }

  /** What is left, spending nothing (a dry run, introspection, a refused request). */
  async peek(key: string): Promise<BudgetState> {
    return this.state(await this.counter.add(key, 0));
  }

  /** Spends `cost` if the budget has it; otherwise spends nothing and says how long to wait. */
  async spend(key: string, cost: number): Promise<BudgetState & { allowed: boolean; retryAfterSeconds: number }> {
    if (cost <= 0) return { ...(await this.peek(key)), allowed: true, retryAfterSeconds: 0 };
    const counted = await this.counter.add(key, cost);
    if (counted.count <= counted.limit) return { ...this.state(counted), allowed: true, retryAfterSeconds: 0 };
    const back = await this.counter.add(key, -cost);
    return { ...this.state(back), allowed: false, retryAfterSeconds: this.counter.secondsUntil(counted.resetAt) };
  }

  /**
   * Counts a request against `requests` and spends `cost` (0: only reads what is left), in one
   * round trip to the store. When either is over, the cost is given back: a refused request spends
   * no points (it still counts as a request).
   */
  async countRequest(
    key: string,
    cost: number,
    requests: RateLimiter,
  ): Promise<{ requestRetryAfterSeconds: number; budget: BudgetState & { allowed: boolean; retryAfterSeconds: number } }> {
    const amount = Math.max(0, cost);
    const [counted, request] = await this.counter.addWith(key, amount, [{ counter: requests.counter, key, amount: 1 }]);
    const requestRetryAfterSeconds = requests.judge(request!).retryAfterSeconds;
    const allowed = counted!.count <= counted!.limit || amount === 0;
    if (amount > 0 && (!allowed || requestRetryAfterSeconds > 0)) {
      const back = await this.counter.add(key, -amount);
      return {
        requestRetryAfterSeconds,
        budget: { ...this.state(back), allowed, retryAfterSeconds: allowed ? 0 : this.counter.secondsUntil(counted!.resetAt) },
      };
    }
    return { requestRetryAfterSeconds, budget: { ...this.state(counted!), allowed, retryAfterSeconds: 0 } };
  }

  private state({ count, limit, resetAt }: { count: number; limit: number; resetAt: number }): BudgetState {
    return { limit, remaining: Math.max(0, limit - count), resetAt };
  }
}
