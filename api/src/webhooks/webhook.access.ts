import type { AccessPolicy } from '../platform/auth/access-policy.js';
import { isManager, ServiceRole, type Principal } from '../platform/auth/principal.js';
import { forbidden, notFound } from '../platform/errors.js';
import { WebhookGrant } from './webhook.enums.js';
import type { WebhookSubscription } from './webhook-subscription.entity.js';

/**
 * Who manages webhooks: a senior adviser (manager) every subscription; a council system (a service)
 * only its own, named by its client id; a partner none. Another's subscription is, to a service,
 * one that does not exist.
 */
export function webhookOwner(principal: Principal): string {
  if (principal.kind === 'service') return `service:${principal.clientId ?? principal.name}`;
  if (isManager(principal)) return `partner:${principal.partnerId}`;
  throw forbidden('Only a senior adviser (manager) or a council system signed in as itself can manage webhooks.');
}

/** The owner a list is narrowed to: null for a manager (all). */
export function ownerFilter(access: AccessPolicy): string | null {
  const owner = webhookOwner(access.principal);
  return access.principal.kind === 'service' ? owner : null;
}

export function assertMayManage(access: AccessPolicy, subscription: WebhookSubscription | null, id: string): WebhookSubscription {
  const only = ownerFilter(access);
  if (!subscription || (only !== null && subscription.owner !== only)) throw notFound('WebhookSubscription', id);
  return subscription;
}

/** The grants a service's token carries (never more can be given to its subscription). */
export function tokenGrants(principal: Principal): WebhookGrant[] | null {
  if (principal.kind !== 'service') return null;
  return Object.values(WebhookGrant).filter((grant) => principal.roles.has(grant) && principal.roles.has(ServiceRole.READ));
}
