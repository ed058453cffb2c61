import type { Ref } from '@mikro-orm/core';
import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { NoteOfVisit } from './note-of-visit.entity.js';

/**
 * A circulated note exactly as it went out. Written at circulation and never
 * changed: a correction reopens the note as the next revision and this one stays.
 */
@ObjectType({ description: 'A note of visit as it was circulated (read-only).' })
@Entity({ tableName: 'note_revision' })
@Unique({ properties: ['note', 'revision'] })
export class NoteRevision extends BaseEntity {
  @ManyToOne(() => NoteOfVisit, { ref: true, deleteRule: 'restrict' })
  note!: Ref<NoteOfVisit>;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  revision!: number;

  @Field(() => Date)
  @Property({ type: 'timestamptz' })
  circulatedAt!: Date;

  @Field({ description: 'Who circulated it ("partner:<id>").' })
  @Property()
  circulatedBy!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Why this revision was made: the reason the circulated note before it was reopened (empty for the first).',
  })
  @Property({ type: 'text', nullable: true })
  correctionReason?: string | null;

  @Field(() => GraphQLJSONObject, { description: 'The whole note as circulated: text, judgements, findings, reviews, recommendations, targets, distribution.' })
  @Property({ type: 'json' })
  content!: Record<string, unknown>;
}
