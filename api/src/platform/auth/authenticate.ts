import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { lazyEm, type Em, type ReadDb } from '../db/orm.js';
import { classifyError, ErrorCode, HTTP_STATUS } from '../errors.js';
import { sendJson } from '../http/send-json.js';
import { RETRY_AFTER_SECONDS } from '../graphql/service-unavailable.plugin.js';
import type { Logger } from '../logger.js';
import { PERSON_SCOPE, ServiceRole, type PersonLookup, type Principal } from './principal.js';
import { tooManyRequests, type RateLimiter } from '../limits/rate-limiter.js';
import { TokenRejected, type TokenVerifier, type VerifiedClaims } from './token-verifier.js';

class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly logReason?: string,
  ) {
    super(message);
  }
}

const NOT_SIGNED_IN = 'Sign in first: send a valid Microsoft Entra ID access token for this API as "Authorization: Bearer <token>".';

async function principalFrom(claims: VerifiedClaims, db: ReadDb, em: () => Em, findPartner: PersonLookup): Promise<Principal> {
  if (claims.scp !== undefined) {
    if (!String(claims.scp).split(' ').includes(PERSON_SCOPE)) {
      throw new Refusal(ErrorCode.UNAUTHENTICATED, NOT_SIGNED_IN, `token lacks the ${PERSON_SCOPE} scope`);
    }
    const email = (claims.preferred_username ?? claims.upn ?? claims.email)?.toLowerCase();
    const found = email ? await findPartner(db, email, em) : null;
    if (!found) {
      throw new Refusal(ErrorCode.FORBIDDEN, `${email ?? 'This account'} is not registered as a partner or manager. Ask a senior adviser to add you.`);
    }
    let partner: object | undefined;
    return {
      kind: 'person',
      partnerId: found.id,
      role: found.role,
      auditName: `partner:${found.id}`,
      get partner() {
        return (partner ??= found.toEntity());
      },
    };
  }
  const roles = new Set(Array.isArray(claims.roles) ? claims.roles.map(String) : []);
  if (roles.size === 0) throw new Refusal(ErrorCode.UNAUTHENTICATED, NOT_SIGNED_IN, 'token has neither scopes nor app roles');
  const name = String(claims.app_displayname ?? claims.azp ?? claims.sub ?? 'unknown service').slice(0, 100);
  if (!roles.has(ServiceRole.READ)) {
    throw new Refusal(ErrorCode.FORBIDDEN, `The service "${name}" has not been granted the ${ServiceRole.READ} app role.`);
  }
  const clientId = String(claims.azp ?? claims.appid ?? claims.sub ?? name).slice(0, 100);
  return { kind: 'service', name, roles, auditName: `service:${name}`, clientId };
}

function refuse(res: ServerResponse, refusal: Refusal): void {
  if (refusal.code === ErrorCode.UNAUTHENTICATED) res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
  sendJson(res, HTTP_STATUS[refusal.code], { errors: [{ message: refusal.message, extensions: { code: refusal.code } }] });
}

export interface SignInDeps {
  verify: TokenVerifier;
  /** For the partner lookup's statement (the root entity manager will do). */
  db: ReadDb;
  newEm: () => Em;
  findPartner: PersonLookup;
  /** Requests per principal; null when the caller counts them itself (/graphql: with the query's cost, limits.plugin.ts). */
  limiter: RateLimiter | null;
  logger: Logger;
}

/**
 * Who is calling, before anything else reads the request: a verified bearer token,
 * mapped to a partner (people) or a service (app roles); then the per-principal rate
 * limit. A refusal is answered here (401, 403, 429, 503) and gives null; anything
 * unexpected is thrown, for the caller's own 500 handling. Works on Node's own
 * request and response, so /graphql needs no framework in front of it. Given the
 * request's entity manager (made when first needed), the partner is one of its
 * entities.
 */
export type SignIn = (req: IncomingMessage, res: ServerResponse, requestEm?: () => Em) => Promise<Principal | null>;

export function signInWith(deps: SignInDeps): SignIn {
  return async (req, res, requestEm) => {
    const log = req.log ?? deps.logger;
    try {
      const header = req.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim()) : null;
      if (!match) throw new Refusal(ErrorCode.UNAUTHENTICATED, NOT_SIGNED_IN, header ? 'malformed Authorization header' : 'no token');
      let claims: VerifiedClaims;
      try {
        claims = await deps.verify(match[1]!);
      } catch (error) {
        if (error instanceof TokenRejected) throw new Refusal(ErrorCode.UNAUTHENTICATED, NOT_SIGNED_IN, error.message);
        log.error({ err: error }, 'could not verify a token: signing keys unavailable');
        throw new Refusal(ErrorCode.SERVICE_UNAVAILABLE, 'Sign-in cannot be checked at the moment (signing keys unavailable). Try again shortly.');
      }
      const principal = await principalFrom(claims, deps.db, requestEm ?? lazyEm(deps.newEm), deps.findPartner);
      const wait = deps.limiter ? await deps.limiter.take(principal.auditName) : 0;
      if (wait > 0) {
        res.setHeader('Retry-After', String(wait));
        throw new Refusal(ErrorCode.RATE_LIMITED, tooManyRequests(deps.limiter!.perMinute, wait));
      }
      return principal;
    } catch (error) {
      const known = error instanceof Refusal ? null : classifyError(error);
      if (known?.code === ErrorCode.SERVICE_UNAVAILABLE) {
        log.warn({ err: error }, 'request refused: database unavailable');
        res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
        refuse(res, new Refusal(known.code, known.message));
        return null;
      }
      if (!(error instanceof Refusal)) throw error;
      if (error.logReason) log.info({ reason: error.logReason }, 'request refused: not authenticated');
      refuse(res, error);
      return null;
    }
  };
}

/** The same sign-in as Express middleware: the principal is left in `res.locals.principal`. */
export function authenticate(signIn: SignIn): RequestHandler {
  return async (req, res, next) => {
    let principal: Principal | null;
    try {
      principal = await signIn(req, res);
    } catch (error) {
      return next(error);
    }
    if (!principal) return;
    res.locals.principal = principal;
    next();
  };
}
