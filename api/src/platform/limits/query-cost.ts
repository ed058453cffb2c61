/**
 * What a request costs and what is left of its client's budget, as every answer carries it in
 * `extensions.cost` (docs/api.md, Limits) and `Query.rateLimit` reads it. Kept per request
 * (the GraphQL context object) by the limits plugin, before anything is executed.
 */
export interface QueryCost {
  requestedQueryCost: number;
  maximumQueryCost: number;
  budget: { limit: number; remaining: number; resetAt: string };
}

const costs = new WeakMap<object, QueryCost>();

export const recordQueryCost = (context: object, cost: QueryCost): void => void costs.set(context, cost);

export const queryCostOf = (context: object): QueryCost | undefined => costs.get(context);
