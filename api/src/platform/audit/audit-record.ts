import { currentActor } from './audit-context.js';
import { AuditEvent } from './audit-event.entity.js';

/**
 * An audit row written by hand (beside the flushes the audit subscriber records), as the current
 * actor of `runAs` or the request: persist it in the transaction of the change it records.
 */
export function auditRecord(fields: { action: string; entityType: string; entityId: string; changes: Record<string, unknown>; occurredAt?: Date }): AuditEvent {
  const { actor, requestId } = currentActor();
  return Object.assign(new AuditEvent(), { occurredAt: new Date(), actor, requestId: requestId ?? null, ...fields });
}
