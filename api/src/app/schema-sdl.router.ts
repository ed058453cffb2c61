import { createHash } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import type { GraphQLSchema } from 'graphql';
import { SDL_PATH } from '../platform/graphql/introspection.js';
import { printApiSchema } from './schema.js';

/**
 * GET /schema.graphql: the running server's schema as SDL, printed by the printer of
 * `npm run schema:emit`, so it is byte for byte schema/schema.graphql of the release that serves
 * it. For any signed-in caller, people and services (the same sign-in as /graphql): it is the
 * contract of docs/api.md, and where production has introspection off, the way tools get it.
 */
export function schemaSdlRouter(deps: { authenticate: RequestHandler; schema: GraphQLSchema }): Router {
  const sdl = printApiSchema(deps.schema);
  const etag = `"${createHash('sha256').update(sdl).digest('base64url')}"`;
  const router = express.Router();
  router.get(SDL_PATH, deps.authenticate, (req, res) => {
    // Private: it takes a token. No-cache: a client may keep it, but asks again (If-None-Match) each
    // time, so a deploy that adds a field is seen at once.
    res.set({ ETag: etag, 'Cache-Control': 'private, no-cache', Vary: 'Authorization' });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.type('text/plain; charset=utf-8').send(sdl);
  });
  return router;
}
