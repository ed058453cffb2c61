import { Arg, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../platform/graphql/context.js';
import { NotificationChannel, NotificationKind } from './notification.enums.js';
import { myPreferences, setPreference } from './notification-preference.service.js';

@ObjectType({ description: 'How the person signed in is told of one kind of thing.' })
export class NotificationPreferenceView {
  @Field(() => NotificationKind)
  kind!: NotificationKind;

  @Field(() => NotificationChannel, { description: 'Their choice, or the default (TEAMS; EMAIL for the weekly digest).' })
  channel!: NotificationChannel;

  @Field({ description: 'What the kind is, in words for the settings page.' })
  label!: string;

  @Field({ description: 'False while the default applies.' })
  chosen!: boolean;
}

@Resolver()
export class NotificationPreferenceResolver {
  @Query(() => [NotificationPreferenceView], {
    description: 'How the person signed in is told of each kind of thing (partners and senior advisers), every kind listed.',
  })
  myNotificationPreferences(@Ctx() { em, access }: GraphQLContext) {
    return myPreferences(em, access);
  }

  @Mutation(() => [NotificationPreferenceView], {
    description:
      'Chooses how the person signed in is told of one kind: TEAMS (the activity feed, by email when it cannot reach them), EMAIL or NONE. The weekly digest is EMAIL (on) or NONE (off).',
  })
  setNotificationPreference(
    @Arg('kind', () => NotificationKind) kind: NotificationKind,
    @Arg('channel', () => NotificationChannel) channel: NotificationChannel,
    @Ctx() { em, access }: GraphQLContext,
  ) {
    return setPreference(em, access, kind, channel);
  }
}
