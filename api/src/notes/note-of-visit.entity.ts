import { Collection, type Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, OneToMany, OneToOne, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { DateScalar } from '../platform/graphql/scalars.js';
import { Partner } from '../partners/partner.entity.js';
import { Visit } from '../visits/visit.entity.js';
import { Finding } from './finding.entity.js';
import { HeadteacherResponse } from './headteacher-response.entity.js';
import { Judgement } from './judgement.entity.js';
import { ModerationDecision, NoteStatus } from './note.enums.js';
import { NoteRecipient } from './note-recipient.entity.js';
import { NoteRevision } from './note-revision.entity.js';
import { NoteTarget } from './note-target.entity.js';
import { Recommendation } from './recommendation.entity.js';
import { RecommendationReview } from './recommendation-review.entity.js';

/**
 * The formal record of a visit (seed 004 section 9). People appear in its body by
 * role and initials only; the distribution list is the one place names belong.
 */
@ObjectType({ simpleResolvers: true, description: 'The note of visit: the formal, evaluative record of a visit.' })
@Entity({ tableName: 'note_of_visit' })
@Index({ properties: ['status', 'draftDueOn'] })
@Index({ properties: ['status', 'circulationDueOn'] })
// Notes not yet circulated (a few in a thousand), with what the lateness rule and the overdue reports
// read (id, author, revision): an authority's late notes from the index alone.
@Index({
  name: 'note_of_visit_open_visit_id_revision_index',
  expression: `create index "note_of_visit_open_visit_id_revision_index" on "note_of_visit" ("visit_id") include ("id", "author_id", "status", "draft_due_on", "circulation_due_on", "revision") where "status" <> 'circulated'`,
})
export class NoteOfVisit extends BaseEntity {
  @OneToOne(() => Visit, { ref: true, owner: true, unique: true, deleteRule: 'restrict' })
  visit!: Ref<Visit>;

  @ManyToOne(() => Partner, { ref: true, deleteRule: 'restrict', index: true })
  author!: Ref<Partner>;

  @Field(() => NoteStatus)
  @Enum({ items: () => NoteStatus })
  status: NoteStatus = NoteStatus.DRAFT;

  @Field(() => Int, { description: 'Incremented on every change; updates must send the version they started from.' })
  @Property({ version: true })
  version!: number;

  @Field(() => String, { nullable: true, description: 'Purpose and context of the visit.' })
  @Property({ type: 'text', nullable: true })
  purpose?: string | null;

  @Field(() => String, { nullable: true, description: 'Overall evaluation.' })
  @Property({ type: 'text', nullable: true })
  summary?: string | null;

  @Field(() => DateScalar, { description: 'The draft is due with the headteacher by this date (5 working days after the visit).' })
  @Property({ type: 'date' })
  draftDueOn!: string;

  @Field(() => DateScalar, { description: 'The agreed note is due to be circulated by this date (10 working days after the visit).' })
  @Property({ type: 'date' })
  circulationDueOn!: string;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  sharedAt?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the draft first went to the headteacher; a correction does not change it (the 5-day deadline is judged on it).',
  })
  @Property({ type: 'timestamptz', nullable: true })
  firstSharedAt?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'The headteacher agreed (true) or disputed (false); empty until they respond.' })
  @Property({ type: 'boolean', nullable: true })
  headteacherAgreed?: boolean | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  headteacherComment?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  headteacherRespondedAt?: Date | null;

  @Field(() => ModerationDecision, { nullable: true })
  @Enum({ items: () => ModerationDecision, nullable: true })
  moderationDecision?: ModerationDecision | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  moderationComment?: string | null;

  @ManyToOne(() => Partner, { ref: true, nullable: true, deleteRule: 'restrict' })
  moderatedBy?: Ref<Partner> | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  moderatedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  circulatedAt?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the note was first circulated; a correction does not change it (the 10-day deadline and timeliness are judged on it).',
  })
  @Property({ type: 'timestamptz', nullable: true })
  firstCirculatedAt?: Date | null;

  @Field(() => [String], { description: "Phrases the partner confirmed are not people's names (the no-names rule lets them pass)." })
  // A database default as well, for servers of the previous release that insert notes without it.
  @Property({ type: 'json', defaultRaw: `'[]'` })
  confirmedNotNames: string[] = [];

  @Field(() => String, { nullable: true, description: 'Why a manager allowed more than four recommendations.' })
  @Property({ type: 'text', nullable: true })
  recommendationLimitOverrideReason?: string | null;

  @ManyToOne(() => Partner, { ref: true, nullable: true, deleteRule: 'restrict' })
  recommendationLimitOverriddenBy?: Ref<Partner> | null;

  @Field(() => Int, { description: 'Which circulated version this is: 1, then one more for each correction.' })
  @Property({ type: 'smallint', default: 1 })
  revision: number = 1;

  @Field(() => String, { nullable: true, description: 'Why the circulated note was reopened for correction.' })
  @Property({ type: 'text', nullable: true })
  correctionReason?: string | null;

  // Quality assurance (seed 004 section 19): a new partner's first note goes to their mentor
  // before it is shared (notes/mentor-review.rules.ts); exposed as NoteOfVisit.mentorReview.
  /** When the partner last sent it to their mentor; cleared when the mentor hands it back or releases it. */
  @Property({ type: 'timestamptz', nullable: true })
  mentorReviewRequestedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  mentorReleasedAt?: Date | null;

  @ManyToOne(() => Partner, { ref: true, nullable: true, deleteRule: 'restrict' })
  mentorReleasedBy?: Ref<Partner> | null;

  @OneToMany(() => NoteRevision, (r) => r.note, { orderBy: { revision: 'asc' } })
  revisions = new Collection<NoteRevision>(this);

  @OneToMany(() => HeadteacherResponse, (r) => r.note, { orderBy: { respondedAt: 'asc', id: 'asc' } })
  responses = new Collection<HeadteacherResponse>(this);

  @OneToMany(() => Judgement, (j) => j.note, { orderBy: { area: 'asc' } })
  judgements = new Collection<Judgement>(this);

  @OneToMany(() => Finding, (f) => f.note, { orderBy: { position: 'asc' } })
  findings = new Collection<Finding>(this);

  @OneToMany(() => Recommendation, (r) => r.note, { orderBy: { position: 'asc' } })
  recommendations = new Collection<Recommendation>(this);

  @OneToMany(() => RecommendationReview, (r) => r.note, { orderBy: { createdAt: 'asc', id: 'asc' } })
  reviews = new Collection<RecommendationReview>(this);

  @OneToMany(() => NoteTarget, (t) => t.note, { orderBy: { position: 'asc' } })
  targets = new Collection<NoteTarget>(this);

  @OneToMany(() => NoteRecipient, (r) => r.note, { orderBy: { position: 'asc' } })
  distribution = new Collection<NoteRecipient>(this);
}
