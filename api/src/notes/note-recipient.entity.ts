import { DeferMode, type Ref } from '@mikro-orm/core';
import { Entity, Enum, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { RecipientRole } from './note.enums.js';
import { NoteOfVisit } from './note-of-visit.entity.js';

@ObjectType({ simpleResolvers: true, description: "A person on a note's distribution list." })
@Entity({ tableName: 'note_recipient' })
// Checked at commit, so a save can reorder the items in place.
@Unique({ properties: ['note', 'position'], deferMode: DeferMode.INITIALLY_DEFERRED })
export class NoteRecipient extends BaseEntity {
  @ManyToOne(() => NoteOfVisit, { ref: true, deleteRule: 'cascade' })
  note!: Ref<NoteOfVisit>;

  @Field(() => Int)
  @Property({ type: 'smallint' })
  position!: number;

  @Field(() => RecipientRole)
  @Enum({ items: () => RecipientRole })
  role!: RecipientRole;

  @Field()
  @Property()
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  email?: string | null;
}
