import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * One change to one record: who, when, what. Written in the same transaction as
 * the change itself (see audit.subscriber.ts), never updated.
 */
@Entity({ tableName: 'audit_event' })
@Index({ properties: ['entityType', 'entityId', 'occurredAt'] })
export class AuditEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'timestamptz' })
  @Index()
  occurredAt: Date = new Date();

  /** "partner:<id>", "service:<name>", "system:<task>" */
  @Property()
  actor!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  requestId?: string | null;

  /** create | update | delete */
  @Property({ length: 16 })
  action!: string;

  @Property({ length: 64 })
  entityType!: string;

  @Property({ length: 64 })
  entityId!: string;

  /** Changed fields with their new values (for create: all of them; for delete: none). */
  @Property({ type: 'json', nullable: true })
  changes?: Record<string, unknown> | null;
}
