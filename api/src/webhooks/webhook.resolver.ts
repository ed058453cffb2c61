import { Arg, Args, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Em } from '../platform/db/orm.js';
import { badInput, notFound } from '../platform/errors.js';
import { isUuid } from '../platform/graphql/lookup.js';
import { rowsByParent } from '../platform/graphql/request-loaders.js';
import { connectionType, PageArgs, paginate } from '../platform/pagination/connection.js';
import { assertMayManage, ownerFilter } from './webhook.access.js';
import { WebhookDeliveryStatus } from './webhook.enums.js';
import { RegisterWebhookInput, UpdateWebhookInput } from './webhook.input.js';
import { deleteWebhook, registerWebhook, replayDeliveries, rotateWebhookSecret, updateWebhook, type WithSecret } from './webhook.service.js';
import { WebhookAttempt, WebhookDelivery } from './webhook-delivery.entity.js';
import { WebhookSubscription } from './webhook-subscription.entity.js';
import type { WebhooksContext } from './webhooks.context.js';

@ObjectType({ description: 'A webhook as registered (or its secret rotated), with its signing secret: shown this once, never again.' })
class WebhookRegistration implements WithSecret {
  @Field(() => WebhookSubscription)
  subscription!: WebhookSubscription;

  @Field({ description: 'The signing secret ("whsec_..."), Standard Webhooks\' form: keep it where the receiver can read it; it is not shown again.' })
  secret!: string;
}

const WebhookDeliveryConnection = connectionType(WebhookDelivery, 'WebhookDelivery');
const attemptsOf = rowsByParent(WebhookAttempt, 'delivery');
const registration = (r: WithSecret) => Object.assign(new WebhookRegistration(), r);
const checkUuid = (id: string, field: string) => {
  if (!isUuid(id)) throw badInput(`"${id}" is not an id.`, field);
  return id;
};

/**
 * Webhooks (issue 23): managers see and manage all; a council system (a service) its own — the one
 * thing a service may change (app/service-fields.ts); partners none.
 */
@Resolver(() => WebhookDelivery)
export class WebhookResolver {
  @Query(() => [WebhookSubscription], { description: "Webhook subscriptions: a manager's view of all, a service's of its own." })
  webhookSubscriptions(@Ctx() { access, em }: WebhooksContext): Promise<WebhookSubscription[]> {
    const owner = ownerFilter(access);
    return em.find(WebhookSubscription, owner === null ? {} : { owner }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  @Query(() => WebhookDeliveryConnection, { description: "A subscription's deliveries, newest event first, with their attempts." })
  async webhookDeliveries(
    @Arg('subscriptionId', () => ID) subscriptionId: string,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true }) status: WebhookDeliveryStatus | null,
    @Args() page: PageArgs,
    @Ctx() { access, em }: WebhooksContext,
  ) {
    checkUuid(subscriptionId, 'subscriptionId');
    assertMayManage(access, await em.findOne(WebhookSubscription, { id: subscriptionId }), subscriptionId);
    return paginate(em, WebhookDelivery, { subscription: subscriptionId, ...(status ? { status } : {}) }, { occurredAt: 'desc', id: 'desc' }, page);
  }

  @FieldResolver(() => [WebhookAttempt], { description: 'Every attempt, oldest first (a replay adds to them).' })
  async attempts(@Root() delivery: WebhookDelivery, @Ctx() { loaders }: WebhooksContext): Promise<WebhookAttempt[]> {
    return (await loaders.get(attemptsOf).load(delivery.id)).reverse();
  }

  @FieldResolver(() => ID)
  subscriptionId(@Root() delivery: WebhookDelivery): string {
    return delivery.subscription.id;
  }

  @Mutation(() => WebhookRegistration, {
    description:
      'Registers an https endpoint for events, signed with a new secret (shown once in the answer). A service registers its own; a manager on behalf of a council system. Audited.',
  })
  async registerWebhook(@Arg('input') input: RegisterWebhookInput, @Ctx() { access, em, webhooks }: WebhooksContext): Promise<WebhookRegistration> {
    return registration(await registerWebhook(em, access, webhooks, input));
  }

  @Mutation(() => WebhookSubscription, { description: 'Changes a webhook (address, events, description, grants, paused or not). Audited.' })
  updateWebhook(@Arg('input') input: UpdateWebhookInput, @Ctx() { access, em, webhooks }: WebhooksContext): Promise<WebhookSubscription> {
    return updateWebhook(em, access, webhooks, input);
  }

  @Mutation(() => WebhookRegistration, {
    description:
      'Replaces the signing secret; the new one is shown once in the answer and signs every delivery from now, beside the previous one for a day (previousSecretExpiresAt). Audited.',
  })
  async rotateWebhookSecret(@Arg('id', () => ID) id: string, @Ctx() { access, em, webhooks, clock }: WebhooksContext): Promise<WebhookRegistration> {
    return registration(await rotateWebhookSecret(em, access, webhooks, id, clock.now()));
  }

  @Mutation(() => ID, { description: 'Deletes a webhook and its deliveries. Audited.' })
  deleteWebhook(@Arg('id', () => ID) id: string, @Ctx() { access, em }: WebhooksContext): Promise<string> {
    return deleteWebhook(em, access, id);
  }

  @Mutation(() => Int, {
    description: 'Sends again every delivery of events since this instant, as they were first sent (same body, same webhook-id); returns how many. Audited.',
  })
  async replayWebhookDeliveries(
    @Arg('subscriptionId', () => ID) subscriptionId: string,
    @Arg('since', () => Date) since: Date,
    @Ctx() { access, em, clock }: WebhooksContext,
  ): Promise<number> {
    return (await replayDeliveries(em, access, { subscriptionId: checkUuid(subscriptionId, 'subscriptionId'), since }, clock.now())).length;
  }

  @Mutation(() => WebhookDelivery, { description: 'Sends one delivery again, as it was first sent (same body, same webhook-id). Audited.' })
  async replayWebhookDelivery(@Arg('id', () => ID) id: string, @Ctx() { access, em, clock }: WebhooksContext): Promise<WebhookDelivery> {
    const only = ownerFilter(access);
    const delivery = await (em.fork() as Em).findOne(WebhookDelivery, { id: checkUuid(id, 'id') }, { populate: ['subscription'] });
    // Another's delivery is, to a service, one that does not exist.
    if (!delivery || (only !== null && delivery.subscription.getEntity().owner !== only)) throw notFound('WebhookDelivery', id);
    const [replayed] = await replayDeliveries(em, access, { subscriptionId: delivery.subscription.id, deliveryId: id }, clock.now());
    if (!replayed) throw notFound('WebhookDelivery', id);
    return replayed;
  }
}
