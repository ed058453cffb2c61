import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode, HTTP_STATUS } from '../errors.js';

/** Seconds a client (or a load balancer) should wait before trying again. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * A GraphQL answer that failed only because the database could not serve it
 * (down, restarting, a statement or lock timeout) is a 503 with Retry-After, as
 * sign-in already answers: clients and load balancers see "try again shortly",
 * not a success. An answer with any other error keeps Apollo's status.
 */
export const serviceUnavailableStatus: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const errors = response.body.singleResult.errors ?? [];
        if (!errors.length || !errors.every((e) => e.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) return;
        response.http.status = HTTP_STATUS.SERVICE_UNAVAILABLE;
        response.http.headers.set('retry-after', String(RETRY_AFTER_SECONDS));
      },
    };
  },
};
