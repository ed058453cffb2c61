import http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import express, { type ErrorRequestHandler } from 'express';
import type { GraphQLSchema } from 'graphql';
import { runAs } from '../platform/audit/audit-context.js';
import { authenticate, signInWith } from '../platform/auth/authenticate.js';
import type { Principal } from '../platform/auth/principal.js';
import { createPartnerLookup } from '../partners/partner-lookup.js';
import { RateLimiter } from '../platform/limits/rate-limiter.js';
import { CostBudget } from '../platform/limits/cost-budget.js';
import type { CounterStore } from '../platform/limits/counter-store.js';
import type { TokenVerifier } from '../platform/auth/token-verifier.js';
import type { Clock } from '../platform/clock.js';
import type { AppConfig } from '../platform/config.js';
import { isDatabaseReachable, lazyEm, readDb, requestEm, type Em, type Orm } from '../platform/db/orm.js';
import { createFormatError, isUnexpectedError } from '../platform/errors.js';
import { exportsRouter } from './downloads.router.js';
import { schemaSdlRouter } from './schema-sdl.router.js';
import { refuseIntrospection } from '../platform/graphql/introspection.js';
import { schoolSideRouter } from '../school-side/school-side.router.js';
import { AppRequestContext, type ModuleServices } from './request-context.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { answerRequestError } from '../platform/http/request-error.js';
import { QUERY_LIMITS, queryLimits } from '../platform/graphql/limits.plugin.js';
import { serviceFieldAllowList } from '../platform/graphql/service-fields.plugin.js';
import { SERVICE_FIELDS } from './service-fields.js';
import { rejectNulCharacters } from '../platform/graphql/reject-nul.plugin.js';
import { serviceUnavailableStatus } from '../platform/graphql/service-unavailable.plugin.js';
import type { Logger } from '../platform/logger.js';
import { devSignInRouter } from '../partners/dev-sign-in.router.js';
import { onlyFromThisMachine } from '../platform/http/loopback.js';
import type { DevIssuer } from '../platform/auth/dev-issuer.js';
import { frontEndRouter } from './front-end.router.js';
import { requestLogging } from '../platform/http/request-log.js';
import { graphNotificationsRouter } from '../outlook-sync/notifications.router.js';
import type { CalendarSync } from '../outlook-sync/calendar-sync.js';

export interface ServerDeps {
  config: AppConfig;
  logger: Logger;
  orm: Orm;
  schema: GraphQLSchema;
  verify: TokenVerifier;
  services: ModuleServices;
  /** Present in development only: signs tokens for the front ends' development sign-in. */
  devIssuer: DevIssuer | null;
  /** The business clock (clock.ts). */
  clock: Clock;
  /** Outlook calendar sync (issue 21): its Graph notification routes are served when it is on. */
  calendarSync?: CalendarSync | null;
  /** Where request rates and query-cost budgets are counted, shared by every instance (platform/limits). */
  counters: CounterStore;
}

export interface RunningServer {
  url: string;
  httpServer: http.Server;
  stop(): Promise<void>;
}

/** Logs errors the vocabulary does not explain (bugs) with the request they came from. */
const logUnexpectedErrors: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue }) {
        for (const error of errors) {
          if (isUnexpectedError(error)) {
            contextValue.logger.error({ err: error.originalError ?? error, path: error.path }, 'unexpected error in GraphQL request');
          }
        }
      },
    };
  },
};

export async function startServer(
  { config, logger, orm, schema, verify, services, devIssuer, clock, calendarSync, counters }: ServerDeps,
  port = config.port,
): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  // Express would hash every response body for an ETag, and no client of this API revalidates its answers.
  app.set('etag', false);
  // req.ip (the school pages' rate limit per address) believes X-Forwarded-For only from proxies named in TRUST_PROXY.
  if (config.trustProxy !== false) app.set('trust proxy', config.trustProxy);
  const logRequest = requestLogging(logger, { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' });
  // Once stopping, every answer closes its connection: a keep-alive client would otherwise keep
  // sending on it and hold the drain open until the grace period (12 s in the soak, not 0.1 s).
  let stopping = false;
  const httpServer = http.createServer((req, res) => {
    if (stopping) res.setHeader('connection', 'close');
    app(req, res);
  });
  app.use((req, res, next) => {
    logRequest(req, res);
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (stopping) {
      res.status(503).json({ status: 'stopping' });
      return;
    }
    const ready = await isDatabaseReachable(orm);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'database unreachable' });
  });

  // Development only (config.ts): the simulated hosts and the sign-in that hands out tokens, for this machine alone.
  if (devIssuer) app.use('/dev', onlyFromThisMachine(config.auth.devIssuer?.allowRemote ?? false));
  app.use(frontEndRouter(config, { devPages: !!devIssuer }));
  if (devIssuer) app.use(devSignInRouter(devIssuer, () => requestEm(orm)));
  if (config.graphiql) app.get('/', (_req, res) => res.redirect('/graphiql'));

  // One count of requests per principal, whichever door: /graphql counts it with the query's cost (one round trip).
  const requests = new RateLimiter(counters, 'requests', config.auth.rateLimitPerMinute);
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError: createFormatError({ hideSuggestions: config.env === 'production' }),
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    // A request carrying a bearer token cannot come from a plain cross-site form or link: browsers
    // preflight the Authorization header, and this API grants no CORS. So it counts as the
    // "preflighted" signal CSRF prevention wants, and plain GET queries work for API clients.
    csrfPrevention: { requestHeaders: ['authorization', 'x-apollo-operation-name', 'apollo-require-preflight'] },
    // Introspection answers outside production (the tools' standard query, for any signed-in caller);
    // in production our rule refuses it, pointing to GET /schema.graphql (Apollo's own rule would
    // tell the caller to reconfigure the server).
    introspection: true,
    validationRules: config.env === 'production' ? [refuseIntrospection] : [],
    // main.ts owns SIGTERM/SIGINT. Apollo's own handler would call stop() a second time, and a second
    // stop() waits on a barrier Apollo 5.5.1 resolves only when stopping fails: the shutdown hung
    // there, the pool and outbox were never closed, and the process only ended when the idle pool
    // timed out (~10 s, exit 0 by accident) or never, with the embedded database (found by the soak).
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // We set no cache hints; left on, Apollo wraps every field's resolver to compute them
      // (a measurable share of a 50-visit page in the benchmark, for nothing).
      ApolloServerPluginCacheControlDisabled(),
      rejectNulCharacters,
      serviceUnavailableStatus,
      queryLimits(schema, new CostBudget(counters, config.limits.queryCostBudgetPerMinute), requests),
      // services read only the fields the council's allow-list gives them (issue 20)
      serviceFieldAllowList(SERVICE_FIELDS),
      logUnexpectedErrors,
    ],
  });
  await apollo.start();

  const newEm = () => requestEm(orm);
  const db = readDb(orm);
  const signInDeps = { verify, db, newEm, findPartner: createPartnerLookup(config.auth.signInCacheSeconds), logger };
  const signIn = signInWith({ ...signInDeps, limiter: requests });
  const signInForGraphql = signInWith({ ...signInDeps, limiter: null });
  app.use(exportsRouter({ authenticate: authenticate(signIn), newEm, clock, access: services.access, schema }));
  app.use(schemaSdlRouter({ authenticate: authenticate(signIn), schema }));
  // Microsoft Graph's calendar notifications: no sign-in, each proves itself by its subscription's clientState.
  if (calendarSync?.mode === 'push') app.use(graphNotificationsRouter(calendarSync, logger));
  // The school's pages: no sign-in, the signed link is the key.
  app.use(schoolSideRouter(services.schoolSide, newEm, config.schoolSide, counters));
  // POST and GET /graphql: who is calling is settled before the body is read; then the JSON body, the
  // audit context (around the whole execution, so every flush inside is audited as this principal),
  // and Apollo's Express integration. The request's entity manager is forked when first needed
  // (sign-in's partner entity, a resolver), often never.
  app.use(
    '/graphql',
    async (req, res, next) => {
      try {
        const em = lazyEm(newEm);
        const principal = await signInForGraphql(req, res, em);
        if (!principal) return;
        res.locals.principal = principal;
        res.locals.em = em;
        next();
      } catch (error) {
        next(error);
      }
    },
    express.json({ limit: '1mb' }),
    (req, res, next) => runAs({ actor: (res.locals.principal as Principal).auditName, requestId: req.id }, () => next()),
    expressMiddleware(apollo, {
      context: async ({ req, res }) =>
        new AppRequestContext(db, res.locals.em as () => Em, res.locals.principal as Principal, req.log, req.id, clock, services),
    }),
  );
  app.use(((err, req, res, _next) => answerRequestError(err, req, res)) satisfies ErrorRequestHandler);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, config.host, () => resolve());
  });
  const address = httpServer.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://${config.host}:${actualPort}`,
    httpServer,
    stop: async () => {
      // First a short while still listening, answering with Connection: close and /readyz 503: calls
      // already on their way (sent, not yet read) are answered rather than cut off, and a load
      // balancer sees the instance leave. Closing at once reset 6 of 8 such calls in the soak.
      stopping = true;
      if (config.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
      await apollo.stop();
    },
  };
}
