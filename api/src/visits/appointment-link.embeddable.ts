import { Embeddable, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';

/**
 * The Outlook appointment a visit was booked from. The iCal UID is shared by every
 * attendee's copy; the item id is the organiser's and changes if the item moves.
 */
@ObjectType({ description: 'The calendar appointment linked to a visit.' })
@Embeddable()
export class AppointmentLink {
  @Field(() => String, { nullable: true, description: "Exchange item id of the organiser's appointment." })
  @Property({ type: 'string', length: 512, nullable: true })
  itemId?: string | null;

  @Field(() => String, { nullable: true, description: 'iCalendar UID, the same in every attendee’s copy.' })
  @Property({ type: 'string', length: 512, nullable: true })
  icalUid?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  organiserEmail?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Microsoft Graph's immutable id of the organiser's event (or of this occurrence), found by calendar sync: it survives the item moving between folders.",
  })
  @Property({ type: 'string', length: 512, nullable: true })
  eventId?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'When the visit is one occurrence of a recurring appointment: the series (Office.js `seriesId`, Graph `seriesMasterId`). Each booked occurrence is its own visit.',
  })
  @Property({ type: 'string', length: 512, nullable: true })
  seriesMasterId?: string | null;
}
