import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { businessDateOf } from '../platform/dates/today.js';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { fromView, type ViewRoot } from '../platform/graphql/read-views.js';
import { Partner } from '../partners/partner.entity.js';
import { Visit } from '../visits/visit.entity.js';
import { Finding } from './finding.entity.js';
import { Judgement } from './judgement.entity.js';
import { NoteOfVisit } from './note-of-visit.entity.js';
import { byHeadingOrder } from './note.enums.js';
import { isLate } from './late-note.rules.js';
import { NoteRecipient } from './note-recipient.entity.js';
import { NoteTarget } from './note-target.entity.js';
import { RecommendationReview } from './recommendation-review.entity.js';
import { Recommendation } from './recommendation.entity.js';

@Resolver(() => NoteOfVisit)
export class NoteOfVisitResolver {
  @FieldResolver(() => Visit)
  visit(@Root() note: ViewRoot<NoteOfVisit>) {
    return fromView(note, 'visit', () => note.visit.load());
  }

  @FieldResolver(() => Partner)
  author(@Root() note: ViewRoot<NoteOfVisit>) {
    return fromView(note, 'author', () => note.author.load());
  }

  @FieldResolver(() => Partner, { nullable: true })
  moderatedBy(@Root() note: NoteOfVisit) {
    return note.moderatedBy?.load() ?? null;
  }

  @FieldResolver(() => [Judgement])
  judgements(@Root() note: ViewRoot<NoteOfVisit>) {
    return fromView(note, 'judgements', async () => [...(await note.judgements.load()).getItems()].sort(byHeadingOrder));
  }

  @FieldResolver(() => [Finding])
  findings(@Root() note: ViewRoot<NoteOfVisit>) {
    return fromView(note, 'findings', async () => (await note.findings.load()).getItems());
  }

  @FieldResolver(() => [Recommendation])
  recommendations(@Root() note: ViewRoot<NoteOfVisit>) {
    return fromView(note, 'recommendations', async () => (await note.recommendations.load()).getItems());
  }

  @FieldResolver(() => [RecommendationReview], { description: 'Reviews of recommendations carried from the previous note.' })
  reviews(@Root() note: ViewRoot<NoteOfVisit>) {
    return fromView(note, 'reviews', async () => (await note.reviews.load()).getItems());
  }

  @FieldResolver(() => [NoteTarget])
  targets(@Root() note: ViewRoot<NoteOfVisit>) {
    return fromView(note, 'targets', async () => (await note.targets.load()).getItems());
  }

  @FieldResolver(() => [NoteRecipient], { description: 'Who receives the circulated note.' })
  distribution(@Root() note: ViewRoot<NoteOfVisit>) {
    return fromView(note, 'distribution', async () => (await note.distribution.load()).getItems());
  }

  @FieldResolver(() => Boolean, { description: 'The draft or the circulation is past its due date.' })
  overdue(@Root() note: ViewRoot<NoteOfVisit>, @Ctx() { clock }: GraphQLContext) {
    return isLate(note, businessDateOf(clock.now()));
  }
}

@Resolver(() => RecommendationReview)
export class RecommendationReviewResolver {
  @FieldResolver(() => Recommendation, { description: 'The recommendation under review, from an earlier note.' })
  recommendation(@Root() review: ViewRoot<RecommendationReview>) {
    return fromView(review, 'recommendation', () => review.recommendation.load());
  }
}
