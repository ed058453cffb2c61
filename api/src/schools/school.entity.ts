import { Collection } from '@mikro-orm/core';
import { Check, Embedded, Entity, Enum, Index, OneToMany, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { DateScalar } from '../platform/graphql/scalars.js';
import { Allocation } from '../partners/allocation.entity.js';
import { Address } from './address.embeddable.js';
import { Contact } from './contact.embeddable.js';
import { RiskCategoryAssessment } from './risk-category-assessment.entity.js';
import { SchoolSuccession } from './school-succession.entity.js';
import { RiskCategory, SchoolPhase, SchoolStatus, SchoolType } from './school.enums.js';

@ObjectType({ simpleResolvers: true, description: 'An establishment in the national register (Get Information About Schools).' })
@Entity({ tableName: 'school' })
@Index({ properties: ['laCode', 'establishmentNumber'] })
// In order of change, from the index alone: lists with changedSince (platform/pagination/change-order.ts).
@Index({ properties: ['updatedAt', 'id'] })
@Check({ name: 'school_last_ofsted_grade_range', expression: 'last_ofsted_grade >= 1 and last_ofsted_grade <= 4' })
export class School extends BaseEntity {
  @Field(() => Int, { description: 'Unique reference number in the national register.' })
  @Property({ type: 'integer' })
  @Unique()
  urn!: number;

  @Field(() => Int, { description: 'Local authority code, e.g. 926.' })
  @Property({ type: 'smallint' })
  laCode!: number;

  @Field(() => Int, { description: 'Establishment number within the local authority, e.g. 4006.' })
  @Property({ type: 'smallint' })
  establishmentNumber!: number;

  /** The GraphQL field is SchoolResolver.dfeNumber: type-graphql rebuilds a root that is not an instance for a getter field. */
  get dfeNumber(): string {
    return `${this.laCode}/${String(this.establishmentNumber).padStart(4, '0')}`;
  }

  @Field()
  @Property()
  @Index()
  name!: string;

  @Field(() => SchoolPhase)
  @Enum({ items: () => SchoolPhase })
  phase!: SchoolPhase;

  @Field(() => SchoolType)
  @Enum({ items: () => SchoolType })
  type!: SchoolType;

  @Field(() => String, { nullable: true, description: 'Type of establishment as the national register names it.' })
  @Property({ type: 'string', nullable: true })
  establishmentTypeName?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  district?: string | null;

  @Field(() => Address, { nullable: true })
  @Embedded(() => Address, { nullable: true, prefix: 'address_' })
  address?: Address | null;

  @Field(() => Contact, { nullable: true })
  @Embedded(() => Contact, { nullable: true, prefix: 'headteacher_' })
  headteacher?: Contact | null;

  @Field(() => Contact, { nullable: true })
  @Embedded(() => Contact, { nullable: true, prefix: 'chair_of_governors_' })
  chairOfGovernors?: Contact | null;

  @Field(() => Int, { nullable: true, description: 'Last Ofsted overall grade: 1 outstanding, 2 good, 3 requires improvement, 4 inadequate.' })
  @Property({ type: 'smallint', nullable: true })
  lastOfstedGrade?: number | null;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  lastOfstedDate?: string | null;

  @Field(() => SchoolStatus)
  @Enum({ items: () => SchoolStatus })
  status: SchoolStatus = SchoolStatus.OPEN;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  openedOn?: string | null;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  closedOn?: string | null;

  /**
   * The category of the latest assessment, kept beside the school so lists can be
   * filtered by it; written only by the service that records assessments.
   * Not a GraphQL field here: it is confidential and resolved with its checks.
   */
  @Enum({ items: () => RiskCategory, nullable: true })
  @Index()
  currentRiskCategory?: RiskCategory | null;

  /** Links to the establishments this one replaced. */
  @OneToMany(() => SchoolSuccession, (link) => link.successor)
  predecessorLinks = new Collection<SchoolSuccession>(this);

  /** Links to the establishments that replaced this one. */
  @OneToMany(() => SchoolSuccession, (link) => link.predecessor)
  successorLinks = new Collection<SchoolSuccession>(this);

  @OneToMany(() => RiskCategoryAssessment, (a) => a.school, { orderBy: { effectiveFrom: 'desc', createdAt: 'desc' } })
  riskAssessments = new Collection<RiskCategoryAssessment>(this);

  @OneToMany(() => Allocation, (a) => a.school)
  allocations = new Collection<Allocation>(this);
}
