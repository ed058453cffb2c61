import { Entity, Index, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';

/**
 * One batch of records of one kind disposed of under the retention schedule: what kind,
 * how many, the rule applied, when, by which run. It names no record and no person: the
 * disposed ids survive only as a digest (SHA-256 of the sorted ids), enough to answer
 * "was this record disposed of?" for someone who still holds its id, and nothing more.
 * Written in the transaction that deletes the batch, so a batch and its entry exist together.
 */
@ObjectType({ description: 'Records of one kind disposed of in one batch under the retention schedule. It holds no personal data.' })
@Entity({ tableName: 'disposal_log' })
@Index({ properties: ['disposedAt'] })
export class DisposalLog extends BaseEntity {
  @Field({ description: 'The run this batch belongs to (one run disposes of every kind due).' })
  @Property({ type: 'uuid' })
  runId!: string;

  @Field({ description: 'The table the records were in, e.g. note_of_visit, audit_event.' })
  @Property({ length: 64 })
  recordKind!: string;

  @Field({ description: 'The schedule entry applied, e.g. "notes: first circulated (or the visit, if never) + 6 years".' })
  @Property({ length: 300 })
  rule!: string;

  @Field(() => Int)
  @Property()
  count!: number;

  @Field({ description: 'SHA-256 (hex) of the disposed ids, sorted and joined by newlines.' })
  @Property({ length: 64 })
  idsDigest!: string;

  @Field({ description: 'Records whose trigger fell before this instant were past retention.' })
  @Property({ type: 'timestamptz' })
  cutoff!: Date;

  @Field({ description: 'When the batch was disposed of (the business clock).' })
  @Property({ type: 'timestamptz' })
  disposedAt!: Date;

  @Field({ description: 'Who ran it: "system:retention" for the scheduled job, or the manager who asked.' })
  @Property({ length: 100 })
  runBy!: string;
}
