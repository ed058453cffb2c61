import type { BodyCipher } from '../mail/body-cipher.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import type { WebhookUrlPolicy } from './webhook-url.rules.js';

/** What the webhooks resolvers need, built once at start-up (app/app.ts). */
export interface WebhooksDeps {
  /** Seals and opens subscriptions' signing secrets (webhook-secret.ts). */
  cipher: BodyCipher;
  urlPolicy: WebhookUrlPolicy;
}

export interface WebhooksContext extends GraphQLContext {
  webhooks: WebhooksDeps;
}
