import { ChangeSetType, type EventSubscriber, type FlushEventArgs } from '@mikro-orm/core';
import { AuditEvent } from './audit-event.entity.js';
import { currentActor } from './audit-context.js';
import { DomainEvent } from '../events/domain-event.entity.js';

const ACTIONS: Partial<Record<ChangeSetType, string>> = {
  [ChangeSetType.CREATE]: 'create',
  [ChangeSetType.UPDATE]: 'update',
  [ChangeSetType.DELETE]: 'delete',
};

/**
 * Writes an audit event for every inserted, updated or deleted record, inside the
 * same flush (so the same transaction): a change without its audit row cannot exist.
 */
export class AuditSubscriber implements EventSubscriber {
  onFlush({ em, uow }: FlushEventArgs): void {
    const { actor, requestId } = currentActor();
    for (const changeSet of uow.getChangeSets()) {
      const action = ACTIONS[changeSet.type];
      // A domain event tells of a change that is audited itself: auditing the telling would say it twice.
      if (!action || changeSet.meta.class === AuditEvent || changeSet.meta.class === DomainEvent) continue;
      const event = em.create(AuditEvent, {
        occurredAt: new Date(),
        actor,
        requestId: requestId ?? null,
        action,
        entityType: changeSet.meta.className,
        entityId: changeSet.getSerializedPrimaryKey() ?? '',
        changes: changeSet.type === ChangeSetType.DELETE ? null : toJson(withoutHidden(changeSet.payload, changeSet.meta.properties)),
      });
      uow.computeChangeSet(event);
    }
  }
}

/**
 * A property marked `hidden` (an email's body, a link's secret hash) is a secret or is not kept:
 * the audit says it changed, never what it holds, or it would outlive the record it audits.
 */
function withoutHidden(payload: object, properties: Record<string, { hidden?: boolean }>): object {
  const hidden = Object.keys(payload).filter((key) => properties[key]?.hidden);
  return hidden.length ? { ...payload, ...Object.fromEntries(hidden.map((key) => [key, '(not recorded)'])) } : payload;
}

function toJson(payload: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(payload, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)));
}
