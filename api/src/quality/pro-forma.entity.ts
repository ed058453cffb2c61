import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';

@ObjectType({ description: 'One thing a note of visit is evaluated on.' })
export class ProFormaCriterion {
  @Field({ description: 'Stable key, e.g. "evaluative".' })
  key!: string;

  @Field()
  label!: string;

  @Field({ description: 'What the evaluator looks for.' })
  guidance!: string;
}

@ObjectType({ description: 'A point of the scale each criterion is scored on.' })
export class ProFormaScaleLevel {
  @Field(() => Int)
  score!: number;

  @Field()
  label!: string;
}

/**
 * The council's pro forma for evaluating sampled notes of visit (seed 004 section 19: "the LA has
 * devised a pro forma to support the evaluation of NOV"). Never edited in place: a manager's
 * change saves a new pro forma and makes it the active one, and every evaluation keeps a copy of
 * the criteria and scale it was given on (NoteEvaluation), so a change alters no evaluation given.
 * Until a manager saves one, the handbook's default (quality/pro-forma.defaults.ts) is used.
 */
@ObjectType({ description: 'The pro forma sampled notes are evaluated on: ordered criteria, each scored on one scale.' })
@Entity({ tableName: 'quality_pro_forma' })
export class QualityProForma extends BaseEntity {
  @Field()
  @Property()
  name!: string;

  @Field({ description: 'The one used for new evaluations.' })
  @Property()
  active: boolean = true;

  @Field(() => [ProFormaCriterion])
  @Property({ type: 'json' })
  criteria: ProFormaCriterion[] = [];

  @Field(() => [ProFormaScaleLevel], { description: 'Lowest score first.' })
  @Property({ type: 'json' })
  scale: ProFormaScaleLevel[] = [];
}
