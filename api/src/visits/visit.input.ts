import { ArrayMaxSize, IsEmail, IsOptional, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { AgendaOwnerRole, AttendeeRole, VisitType } from './visit.enums.js';

@InputType({ description: 'The Outlook appointment a visit is booked from: at least one of itemId and icalUid.' })
export class AppointmentInput {
  @Field(() => String, { nullable: true, description: "Exchange item id of the organiser's appointment (after saveAsync)." })
  @IsOptional()
  @Length(1, 512)
  itemId?: string | null;

  @Field(() => String, { nullable: true, description: 'iCalendar UID, when known: the same in every attendee’s copy.' })
  @IsOptional()
  @Length(1, 512)
  icalUid?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail({}, { message: "the organiser's email must be an email address" })
  @MaxLength(254)
  organiserEmail?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'When booking one occurrence of a recurring appointment: the series id (Office.js `item.seriesId`). Each occurrence booked is its own visit.',
  })
  @IsOptional()
  @Length(1, 512)
  seriesMasterId?: string | null;
}

@InputType()
export class AttendeeInput {
  @Field()
  @Length(1, 200, { message: 'an attendee name must be 1 to 200 characters' })
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsEmail({}, { message: 'an attendee email must be an email address' })
  @MaxLength(254)
  email?: string | null;

  @Field(() => AttendeeRole)
  role!: AttendeeRole;

  @Field(() => ID, { nullable: true, description: 'When the attendee is one of the council’s partners.' })
  partnerId?: string | null;
}

@InputType()
export class AgendaItemInput {
  @Field()
  @Length(1, 200, { message: 'an agenda item title must be 1 to 200 characters' })
  title!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(4000, { message: 'an agenda item detail must be at most 4000 characters' })
  detail?: string | null;

  @Field(() => AgendaOwnerRole)
  ownerRole!: AgendaOwnerRole;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(0)
  @Max(600, { message: 'an agenda item lasts at most 600 minutes' })
  minutes?: number | null;
}

@InputType({ description: 'A visit booked from a calendar appointment.' })
export class BookVisitInput {
  @Field(() => ID)
  schoolId!: string;

  @Field(() => VisitType)
  type!: VisitType;

  @Field(() => Date)
  startsAt!: Date;

  @Field(() => Date)
  endsAt!: Date;

  @Field(() => String, { nullable: true, description: "Defaults to the school's address." })
  @IsOptional()
  @MaxLength(300)
  location?: string | null;

  @Field(() => [AttendeeInput], { nullable: true, description: 'Replaces the attendees when given.' })
  @IsOptional()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  attendees?: AttendeeInput[] | null;

  @Field(() => AppointmentInput, { nullable: true, description: 'Booking again with the same appointment updates the same visit.' })
  @IsOptional()
  @ValidateNested()
  appointment?: AppointmentInput | null;

  @Field({ defaultValue: true, description: "Start a new visit's agenda from its type's template." })
  useAgendaTemplate: boolean = true;

  @Field(() => ID, { nullable: true, description: 'The partner leading the visit; only managers book for someone else. Defaults to you.' })
  leadPartnerId?: string | null;

  @Field(() => Float, { nullable: true, description: 'Defaults to 1 for four hours or more, else 0.5.' })
  @IsOptional()
  @Min(0)
  @Max(5)
  inSchoolDays?: number | null;

  @Field(() => Float, { nullable: true, description: 'Defaults to 0.5 (0.25 for headteacher performance management).' })
  @IsOptional()
  @Min(0)
  @Max(5)
  outOfSchoolDays?: number | null;
}
