import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
// Relations to visits and notes, modules above mail: an entity may name another module's entity (ARCHITECTURE.md).
import { NoteOfVisit } from '../notes/note-of-visit.entity.js';
import { NoteRecipient } from '../notes/note-recipient.entity.js';
import { NoteRevision } from '../notes/note-revision.entity.js';
import { Visit } from '../visits/visit.entity.js';
import { RecipientRole } from './recipient-role.js';

export enum EmailStatus {
  QUEUED = 'queued',
  /** Claimed by a sender and being handed to the mail server; `nextAttemptAt` is when the claim lapses. */
  SENDING = 'sending',
  SENT = 'sent',
  FAILED = 'failed',
}
registerEnumType(EmailStatus, {
  name: 'EmailStatus',
  description:
    'QUEUED (waiting or retrying), SENDING (being handed to the mail server now; should that never report back, tried again at nextAttemptAt), SENT, FAILED (gave up after the last attempt; can be retried).',
});

/**
 * A file to attach, described rather than stored: the outbox has it made at send
 * time by the renderer the app is composed with (app.ts), so no document (and no
 * secret) is kept in the outbox. `kind` says which renderer; `id` what to render.
 */
export interface EmailAttachmentRef {
  kind: string;
  id: string;
  filename: string;
}

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

  /** A circulated note's delivery: the note, the revision circulated and the distribution entry it went to. */
  @ManyToOne(() => NoteOfVisit, { ref: true, nullable: true, deleteRule: 'set null', index: true })
  note?: Ref<NoteOfVisit> | null;

  @ManyToOne(() => NoteRevision, { ref: true, nullable: true, deleteRule: 'set null' })
  noteRevision?: Ref<NoteRevision> | null;

  /** Empty once the entry leaves the list (a correction); the role and name below stay. */
  @ManyToOne(() => NoteRecipient, { ref: true, nullable: true, deleteRule: 'set null' })
  noteRecipient?: Ref<NoteRecipient> | null;

  @Field(() => RecipientRole, { nullable: true, description: "For a circulated note: the recipient's place on its distribution list." })
  @Enum({ items: () => RecipientRole, nullable: true })
  recipientRole?: RecipientRole | null;

  @Field(() => String, { nullable: true, description: "The recipient's name, when known." })
  @Property({ type: 'string', nullable: true })
  toName?: string | null;

  @Field()
  @Property()
  toAddress!: string;

  @Field()
  @Property()
  subject!: string;

  /**
   * The message body, encrypted (body-cipher.ts) while it waits, and dropped once sent: it may
   * hold a school's link, which is the recipient's secret. Not a field. Recipient, subject and
   * sentAt stay, to show that the email went.
   */
  @Property({ type: 'text', nullable: true, lazy: true, hidden: true })
  body?: string | null;

  /** What to attach, made when the message is sent (see EmailAttachmentRef). */
  @Property({ type: 'json', nullable: true })
  attachment?: EmailAttachmentRef | null;

  @Field(() => String, { nullable: true, description: 'The name of the file attached (made when the email is sent).' })
  get attachmentName(): string | null {
    return this.attachment?.filename ?? null;
  }

  @Field(() => EmailStatus)
  @Enum({ items: () => EmailStatus })
  status: EmailStatus = EmailStatus.QUEUED;

  /** Counted when an attempt starts (the claim), so a send that never reports back still counts. */
  @Field(() => Int, { description: 'Attempts made to send it, counting one under way.' })
  @Property({ type: 'smallint' })
  attempts: number = 0;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' })
  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  /** QUEUED: when the retry is due (none: at once). SENDING: when the claim (lease) lapses and the message is due again. */
  @Field(() => Date, {
    nullable: true,
    description: 'When it is tried again: after a failed attempt, the retry; while SENDING, should this send never report back.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  nextAttemptAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  sentAt?: Date | null;
}
