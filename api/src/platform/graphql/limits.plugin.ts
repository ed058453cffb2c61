import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext } from '@apollo/server';
import {
  execute,
  getNullableType,
  isListType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { AppError, ErrorCode } from '../errors.js';
import type { CostBudget } from '../limits/cost-budget.js';
import { tooManyRequests, type RateLimiter } from '../limits/rate-limiter.js';
import { queryCostOf, recordQueryCost, type QueryCost } from '../limits/query-cost.js';
import type { GraphQLContext } from './context.js';
import { DateTimeScalar } from './scalars.js';

/** Limits on one GraphQL request, chosen so the add-ins' and reports' real queries fit well inside. */
export const QUERY_LIMITS = {
  maxDepth: 12,
  /** The standard introspection query (graphql-js getIntrospectionQuery, as GraphiQL sends it) is 15 deep. */
  maxIntrospectionDepth: 16,
  maxAliases: 30,
  /** Roughly: fields fetched, with each connection's fields counted `first` times. */
  maxCost: 25_000,
  maxTokens: 5_000,
};

const refused = (message: string) => new AppError(ErrorCode.BAD_USER_INPUT, message, { http: { status: 400 } });

const rateLimited = (message: string, wait: number) =>
  new AppError(ErrorCode.RATE_LIMITED, message, { http: { status: 429, headers: new HeaderMap([['retry-after', String(wait)]]) } });

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

function depthAndAliases(document: DocumentNode): { depth: number; introspectionDepth: number; aliases: number } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  let aliases = 0;
  let introspectionDepth = 0;
  const walk = (set: SelectionSetNode | undefined, depth: number, seen: Set<string>): number => {
    if (!set) return depth;
    let deepest = depth;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases += 1;
        const below = walk(selection.selectionSet, depth + 1, seen);
        // Introspection has its own limit: the standard introspection query (GraphiQL's) nests type
        // references 15 deep, past the limit for data; with that one the explorer could not load the schema.
        if (INTROSPECTION_ROOTS.has(selection.name.value)) introspectionDepth = Math.max(introspectionDepth, below);
        else deepest = Math.max(deepest, below);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, walk(selection.selectionSet, depth, seen));
      } else {
        const name = selection.name.value;
        if (seen.has(name)) continue; // a fragment cycle is a validation error; don't loop on it
        deepest = Math.max(deepest, walk(fragments.get(name)?.selectionSet, depth, new Set([...seen, name])));
      }
    }
    return deepest;
  };
  let depth = 0;
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION) depth = Math.max(depth, walk(def.selectionSet, 0, new Set()));
  }
  return { depth, introspectionDepth, aliases };
}

/** A connection's fields cost `first` times their children; a plain list ten times. */
const pageEstimator: ComplexityEstimator = ({ args, childComplexity, field, type }) => {
  // Introspection is answered from the schema in memory and bounded by its own depth limit: it costs
  // nothing here (counted as data, GraphiQL's schema request came to twice the limit).
  if (field.name.startsWith('__') || type.name.startsWith('__')) return 0;
  // Asking what a request costs and what is left costs nothing: a client may always look.
  if (field.name === 'rateLimit' && type.name === 'Query') return 0;
  if (typeof args.first === 'number') return 1 + args.first * Math.max(1, childComplexity);
  // `nodes`/`edges` are counted by their connection's `first`; other lists are short (agenda, judgements).
  if (isListType(getNullableType(field.type)) && !['nodes', 'edges'].includes(field.name)) return 1 + 10 * childComplexity;
  return undefined;
};

/**
 * What the limits found for a parsed document. Apollo keeps parsed documents in its
 * document store and hands the same object to every request with the same text, so
 * the depth and alias count (the document's alone) and the cost (the document's,
 * the operation's and the variables') are worked out once rather than on every
 * request: a pure function of the request's text, no answer and nothing about
 * who asks. At most COSTS_PER_DOCUMENT costs per document are kept.
 */
const COSTS_PER_DOCUMENT = 64;
const MAX_CACHED_KEY_LENGTH = 2048;
const analysed = new WeakMap<DocumentNode, { depth: number; introspectionDepth: number; aliases: number; costs: Map<string, number | null> }>();

const points = (n: number) => n.toLocaleString('en-GB');

/** Whether the operation asks `rateLimit(dryRun: true)` at its root: then nothing else in it is executed. */
function isDryRun(operation: OperationDefinitionNode, variables: Record<string, unknown>): boolean {
  if (operation.operation !== 'query') return false;
  return operation.selectionSet.selections.some(
    (selection) =>
      selection.kind === Kind.FIELD &&
      selection.name.value === 'rateLimit' &&
      selection.arguments?.some(
        (arg) =>
          arg.name.value === 'dryRun' &&
          ((arg.value.kind === Kind.BOOLEAN && arg.value.value) || (arg.value.kind === Kind.VARIABLE && variables[arg.value.name.value] === true)),
      ),
  );
}

/** The operation with its root reduced to its `rateLimit` fields (fragments kept for their selections), for a dry run. */
function onlyRateLimit(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  const reduced: OperationDefinitionNode = {
    ...operation,
    selectionSet: {
      ...operation.selectionSet,
      selections: operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && s.name.value === 'rateLimit'),
    },
  };
  return { ...document, definitions: document.definitions.map((def) => (def === operation ? reduced : def)) };
}

/** Answers a dry run: the `rateLimit` fields alone are executed; the rest of the operation is not. */
async function dryRunResponse({ schema, document, operation, request, contextValue }: GraphQLRequestContext<GraphQLContext>) {
  const result = await execute({
    schema,
    document: onlyRateLimit(document!, operation!),
    contextValue,
    variableValues: request.variables,
    operationName: request.operationName,
  });
  return {
    http: { status: undefined, headers: new HeaderMap() },
    body: {
      kind: 'single' as const,
      singleResult: {
        data: result.data,
        ...(result.errors && {
          errors: result.errors.map((e) => ({ message: e.message, path: e.path, extensions: { code: e.extensions.code ?? ErrorCode.BAD_USER_INPUT } })),
        }),
      },
    },
  };
}

/**
 * Refuses over-deep, alias-flooded or too costly requests, and unsupported operation types, before
 * they run; counts each request against its client's request rate and spends its cost from the
 * client's budget, in one round trip to the shared store (refused with 429 when either is spent);
 * answers a dry run without executing it; and puts the cost on every answer. Sign-in leaves the
 * request's count to this plugin for /graphql: a request refused before its cost is known (not
 * valid GraphQL, too deep) is counted as it is answered.
 */
export function queryLimits(schema: GraphQLSchema, budget: CostBudget, requests: RateLimiter): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      let dryRun = false;
      let counted = false;
      return {
        async didResolveOperation({ request, document, operation, contextValue }) {
          if (!operation) return;
          // graphql-js only finds out at execution time that there is no such root type.
          if (!schema.getRootType(operation.operation)) {
            throw refused(`This API has no ${operation.operation} operations.`);
          }
          let known = analysed.get(document);
          if (!known) analysed.set(document, (known = { ...depthAndAliases(document), costs: new Map() }));
          const { depth, introspectionDepth, aliases } = known;
          if (depth > QUERY_LIMITS.maxDepth) {
            throw refused(`The query is nested ${depth} levels deep; the limit is ${QUERY_LIMITS.maxDepth}.`);
          }
          if (introspectionDepth > QUERY_LIMITS.maxIntrospectionDepth) {
            throw refused(`The introspection query is nested ${introspectionDepth} levels deep; the limit is ${QUERY_LIMITS.maxIntrospectionDepth}.`);
          }
          if (aliases > QUERY_LIMITS.maxAliases) {
            throw refused(`The query uses ${aliases} aliases; the limit is ${QUERY_LIMITS.maxAliases}.`);
          }
          const key = `${request.operationName ?? ''}\u0000${JSON.stringify(request.variables ?? {})}`;
          let cost = known.costs.get(key);
          if (cost === undefined) {
            try {
              cost = getComplexity({
                schema,
                query: document,
                operationName: request.operationName ?? undefined,
                variables: request.variables ?? {},
                estimators: [pageEstimator, simpleEstimator({ defaultComplexity: 1 })],
              });
            } catch {
              // Variables that do not fit their types: execution reports that as BAD_USER_INPUT.
              cost = null;
            }
            // Large variables (a whole note being saved) are worked out each time: keeping
            // 64 of those per document could hold tens of megabytes for no gain.
            if (key.length <= MAX_CACHED_KEY_LENGTH) {
              if (known.costs.size >= COSTS_PER_DOCUMENT) known.costs.delete(known.costs.keys().next().value!);
              known.costs.set(key, cost);
            }
          }
          const client = contextValue.principal.auditName;
          if (cost === null) {
            counted = true;
            const wait = await requests.take(client);
            if (wait) throw rateLimited(tooManyRequests(requests.perMinute, wait), wait);
            return;
          }
          const requested = cost;
          const report = (state: { limit: number; remaining: number; resetAt: number }): QueryCost => {
            const answer = {
              requestedQueryCost: requested,
              maximumQueryCost: QUERY_LIMITS.maxCost,
              // the API's own form of an instant (Europe/London with its offset), as rateLimit.resetAt answers it
              budget: { limit: state.limit, remaining: state.remaining, resetAt: DateTimeScalar.serialize(new Date(state.resetAt)) },
            };
            recordQueryCost(contextValue, answer);
            return answer;
          };
          // A dry run is answered even for a request too costly to run: it is how a client sizes its pages.
          dryRun = isDryRun(operation, request.variables ?? {});
          // Introspection costs nothing, a dry run spends nothing, a refused request neither: they only read what is left.
          const spends = !dryRun && cost > 0 && cost <= QUERY_LIMITS.maxCost;
          counted = true;
          const { requestRetryAfterSeconds: tooMany, budget: spent } = await budget.countRequest(client, spends ? cost : 0, requests);
          const answer = report(spent);
          if (tooMany) throw rateLimited(tooManyRequests(requests.perMinute, tooMany), tooMany);
          if (dryRun || cost === 0) return;
          if (cost > QUERY_LIMITS.maxCost) {
            throw refused(
              `The query would cost ${points(cost)} (roughly, fields times page sizes); the limit is ${points(QUERY_LIMITS.maxCost)}. Ask for smaller pages or fewer fields.`,
            );
          }
          if (!spent.allowed) {
            const wait = spent.retryAfterSeconds;
            throw rateLimited(
              `This query would cost ${points(cost)} points; ${points(spent.remaining)} of your ${points(spent.limit)} points a minute are left, ` +
                `until ${answer.budget.resetAt} (in ${wait} second${wait === 1 ? '' : 's'}). Wait, or ask for smaller pages or fewer fields.`,
              wait,
            );
          }
        },
        async responseForOperation(requestContext) {
          return dryRun ? dryRunResponse(requestContext) : null;
        },
        async willSendResponse({ response, contextValue }) {
          // Refused before its cost was known (not valid GraphQL, too deep): still a request.
          if (!counted) await requests.take(contextValue.principal.auditName);
          const cost = queryCostOf(contextValue);
          if (cost && response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost };
          }
        },
      };
    },
  };
}
