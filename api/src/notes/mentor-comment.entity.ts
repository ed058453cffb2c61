import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { Partner } from '../partners/partner.entity.js';
import { MentorCommentKind } from './mentor-review.rules.js';
import { NoteOfVisit } from './note-of-visit.entity.js';

/**
 * One comment of a mentor on a new partner's first note (seed 004 section 19: "mentor to review
 * the first SIP NOV and provide developmental feedback"). A row of its own, never changed: the
 * partner's saves of the note cannot reach it, so the trail of feedback stays as it was given.
 */
@ObjectType({ description: "A mentor's developmental feedback on a new partner's first note, kept as given." })
@Entity({ tableName: 'mentor_comment' })
export class MentorComment extends BaseEntity {
  @ManyToOne(() => NoteOfVisit, { ref: true, deleteRule: 'cascade', index: true })
  note!: Ref<NoteOfVisit>;

  /** The mentor (or manager) who wrote it. */
  @ManyToOne(() => Partner, { ref: true, deleteRule: 'restrict' })
  author!: Ref<Partner>;

  @Field(() => MentorCommentKind, { description: 'Handed back to revise, or given with the release.' })
  @Enum({ items: () => MentorCommentKind })
  kind!: MentorCommentKind;

  @Field()
  @Property({ type: 'text' })
  comment!: string;
}
