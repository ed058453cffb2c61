import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../db/base.entity.js';
import { Visit } from '../visits/visit.entity.js';

export enum EmailStatus {
  QUEUED = 'queued',
  SENT = 'sent',
  FAILED = 'failed',
}
registerEnumType(EmailStatus, { name: 'EmailStatus', description: 'QUEUED (waiting or retrying), SENT, FAILED (gave up; can be retried).' });

/**
 * An email the API composed, kept in the database before it is handed to the
 * mail transport (an outbox): written in the same transaction as the change that
 * caused it, so no message is lost if the transport is down, and retried.
 */
@ObjectType({ description: 'An email sent (or to be sent) about a visit.' })
@Entity({ tableName: 'outbound_email' })
@Index({ properties: ['status', 'nextAttemptAt'] })
export class OutboundEmail extends BaseEntity {
  @ManyToOne(() => Visit, { ref: true, nullable: true, deleteRule: 'set null', index: true })
  visit?: Ref<Visit> | null;

  @Field()
  @Property()
  toAddress!: string;

  @Field()
  @Property()
  subject!: string;

  /** The message body; not a field: it holds the link, which is the recipient's secret. */
  @Property({ type: 'text' })
  body!: string;

  @Field(() => EmailStatus)
  @Enum({ items: () => EmailStatus })
  status: EmailStatus = EmailStatus.QUEUED;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  attempts: number = 0;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' })
  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  sentAt?: Date | null;
}
