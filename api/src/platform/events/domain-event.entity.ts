import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * Something that happened to the record that people or other systems may need to hear about
 * (a note shared, a headteacher's answer, a school's section completed), written in the same
 * transaction as the change itself: an event exists exactly when its change was committed.
 * Consumers (notifications; later the council's webhooks) read the table in id order and keep
 * their own note of what they have handled, so one event reaches each consumer once.
 * It holds ids and kinds, never personal data: the consumer reads the record for the words.
 */
@Entity({ tableName: 'domain_event' })
@Index({ name: 'domain_event_kind_index', properties: ['kind', 'occurredAt'] })
export class DomainEvent {
  /** A sequence: consumers keep the last id they handled. */
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'string', length: 48 })
  kind!: string;

  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  /** Who caused it, as the audit names them (`partner:<id>`, `link:<id>`, `system:calendar-sync`). */
  @Property({ type: 'string', length: 80 })
  actor!: string;

  @Property({ type: 'uuid', nullable: true })
  schoolId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  visitId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  noteId?: string | null;

  /** The partner the event is about (the note's author, the partner given feedback), when not the note's. */
  @Property({ type: 'uuid', nullable: true })
  partnerId?: string | null;

  /** Kind-specific ids and flags (never names, emails or free text). */
  @Property({ type: 'json', nullable: true })
  data?: Record<string, string | number | boolean | null> | null;
}
