import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { NoteOfVisit } from '../notes/note-of-visit.entity.js';
import { Visit } from '../visits/visit.entity.js';

export enum AccessLinkPurpose {
  SCHOOL_SECTION = 'school_section',
  HEADTEACHER_RESPONSE = 'headteacher_response',
  /** The headteacher's feedback on their partner (quality assurance): the visit is the partner's latest there, an anchor only. */
  PARTNER_FEEDBACK = 'partner_feedback',
}
registerEnumType(AccessLinkPurpose, { name: 'AccessLinkPurpose', description: 'The one thing a link to the school lets its holder do.' });

/**
 * A link that lets someone at the school do one thing for one visit without an
 * account. The token in the link is the record's id, its key version and a random
 * secret (link-signer.ts); the record keeps only a keyed hash of the secret, so a
 * copy of the database opens nothing. The record can expire or be revoked, and
 * stops when its visit or note moves past what it serves (links.rules.ts).
 */
@ObjectType({ description: 'A single-purpose link sent to the school (no account needed).' })
@Entity({ tableName: 'access_link' })
@Index({ properties: ['visit', 'purpose'] })
export class AccessLink extends BaseEntity {
  @ManyToOne(() => Visit, { ref: true, deleteRule: 'cascade' })
  visit!: Ref<Visit>;

  @ManyToOne(() => NoteOfVisit, { ref: true, nullable: true, deleteRule: 'cascade' })
  note?: Ref<NoteOfVisit> | null;

  @Field(() => AccessLinkPurpose)
  @Enum({ items: () => AccessLinkPurpose })
  purpose!: AccessLinkPurpose;

  @Field({ description: 'Who it was sent to.' })
  @Property()
  recipientEmail!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  recipientName?: string | null;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the school last opened it.' })
  @Property({ type: 'timestamptz', nullable: true })
  lastOpenedAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the school submitted its answer through it.' })
  @Property({ type: 'timestamptz', nullable: true })
  usedAt?: Date | null;

  /** HMAC-SHA256 of the link's secret under the signing key of `keyVersion`; never the secret itself. Null only for links issued before hashed secrets (checked by their old signature until they expire). */
  @Property({ type: 'string', length: 64, nullable: true, hidden: true })
  secretHash?: string | null;

  /** Which link-signing key hashed the secret (platform/signing-keys.ts). */
  @Property({ type: 'smallint', nullable: true })
  keyVersion?: number | null;

  @Field({ description: 'Who sent it ("partner:<id>").' })
  @Property()
  createdBy!: string;
}
