import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import express from 'express';
import { runAs } from '../platform/audit/audit-context.js';
import type { Clock } from '../platform/clock.js';
import type { SignIn } from '../platform/auth/authenticate.js';
import { lazyEm, type Em, type ReadDb } from '../platform/db/orm.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { AppRequestContext, type ModuleServices } from './request-context.js';
import { answerRequestError } from '../platform/http/request-error.js';

/** Serves a request already given its id and logger (request-log.ts). */
export type GraphQLEndpoint = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const MAX_BODY = '1mb';

/**
 * POST and GET /graphql on Node's own request and response: sign-in, the JSON
 * body, the audit context, then Apollo. Express routed, parsed and answered the
 * same steps before; on the benchmark's full note its router, request and response
 * wrappers and URL parsing were a tenth of the server's time, for a route that
 * needs none of them. The steps, their order and their answers are unchanged.
 */
export function graphqlEndpoint(deps: {
  apollo: ApolloServer<GraphQLContext>;
  signIn: SignIn;
  db: ReadDb;
  newEm: () => Em;
  services: ModuleServices;
  clock: Clock;
}): GraphQLEndpoint {
  // body-parser's JSON reader, as Express used it (size limit, charsets, gzip, strict JSON).
  const readJson = express.json({ limit: MAX_BODY });
  const readBody = (req: IncomingMessage, res: ServerResponse) =>
    new Promise<unknown>((resolve, reject) =>
      readJson(req as express.Request, res as express.Response, (error?: unknown) => (error ? reject(error) : resolve((req as { body?: unknown }).body))),
    );

  return async (req, res) => {
    try {
      // Who is calling is settled before the body is even read. The request's entity manager is
      // forked when first needed (sign-in's partner entity, a resolver), often never.
      const em = lazyEm(deps.newEm);
      const principal = await deps.signIn(req, res, em);
      if (!principal) return;
      const body = await readBody(req, res);
      const requestId = req.id;
      const httpGraphQLRequest: HTTPGraphQLRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        headers: headerMapOf(req),
        search: searchOf(req.url ?? ''),
        body,
      };
      // Around the whole execution, so every flush inside is audited as this principal.
      const answer = await runAs({ actor: principal.auditName, requestId }, () =>
        deps.apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest,
          context: async () => new AppRequestContext(deps.db, em, principal, req.log, requestId, deps.clock, deps.services),
        }),
      );
      for (const [name, value] of answer.headers) res.setHeader(name, value);
      res.statusCode = answer.status ?? 200;
      if (answer.body.kind === 'complete') {
        res.setHeader('content-length', Buffer.byteLength(answer.body.string));
        res.end(answer.body.string);
        return;
      }
      for await (const chunk of answer.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      answerRequestError(error, req, res);
    }
  };
}

function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** The query string with its "?", as url.parse gives it (Apollo reads GET requests' operations from it). */
function searchOf(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return '';
  const hash = url.indexOf('#', start);
  return hash < 0 ? url.slice(start) : url.slice(start, hash);
}

/** The one path served without Express; anything else reaching /graphql (a trailing slash, other case) still goes through it. */
export const isGraphQLPath = (url: string | undefined): boolean => url === '/graphql' || (url?.startsWith('/graphql?') ?? false);
