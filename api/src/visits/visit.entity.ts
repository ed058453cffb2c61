import { Collection, DecimalType, type Ref } from '@mikro-orm/core';
import { Check, Embedded, Entity, Enum, Index, ManyToOne, OneToMany, OneToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../platform/db/base.entity.js';
import { NoteOfVisit } from '../notes/note-of-visit.entity.js';
import { Partner } from '../partners/partner.entity.js';
import { School } from '../schools/school.entity.js';
import { AppointmentLink } from './appointment-link.embeddable.js';
import { AgendaItem } from './agenda-item.entity.js';
import { VisitAttendee } from './visit-attendee.entity.js';
import { VisitStatus, VisitType } from './visit.enums.js';

@ObjectType({ simpleResolvers: true, description: 'A visit by a partner to a school.' })
@Entity({ tableName: 'visit' })
// A school's visits latest first, ids from the index alone: a partner's page is the top of each of their schools (visit.queries.ts).
@Index({ properties: ['school', 'startsAt', 'id'] })
@Index({ properties: ['leadPartner', 'startsAt'] })
// The schools a partner led visits to, from the index alone (AccessPolicy.visibleSchoolIds).
@Index({ properties: ['leadPartner', 'school'] })
// A school's visit ids from the index alone (from schools to notes, e.g. overdue notes of an authority).
@Index({ properties: ['school', 'id'] })
@Index({ properties: ['startsAt'] })
// In order of change, from the index alone: lists with changedSince (platform/pagination/change-order.ts).
@Index({ properties: ['updatedAt', 'id'] })
@Check({ name: 'visit_ends_after_start', expression: 'ends_at > starts_at' })
// One visit per appointment, whoever books it and however often: what makes bookVisit idempotent under races.
@Unique({
  name: 'visit_appointment_ical_uid_unique',
  expression: 'create unique index "visit_appointment_ical_uid_unique" on "visit" ("appointment_ical_uid") where "appointment_ical_uid" is not null',
})
@Unique({
  name: 'visit_appointment_event_id_unique',
  expression: 'create unique index "visit_appointment_event_id_unique" on "visit" ("appointment_event_id") where "appointment_event_id" is not null',
})
@Unique({
  name: 'visit_appointment_item_id_unique',
  expression: 'create unique index "visit_appointment_item_id_unique" on "visit" ("appointment_item_id") where "appointment_item_id" is not null',
})
export class Visit extends BaseEntity {
  @ManyToOne(() => School, { ref: true, deleteRule: 'restrict' })
  school!: Ref<School>;

  @ManyToOne(() => Partner, { ref: true, deleteRule: 'restrict' })
  leadPartner!: Ref<Partner>;

  @Field(() => VisitType)
  @Enum({ items: () => VisitType })
  type!: VisitType;

  @Field(() => VisitStatus)
  @Enum({ items: () => VisitStatus })
  status: VisitStatus = VisitStatus.BOOKED;

  @Field(() => Date, { description: 'Start, returned in Europe/London time.' })
  @Property({ type: 'timestamptz' })
  startsAt!: Date;

  @Field(() => Date, { description: 'End, returned in Europe/London time.' })
  @Property({ type: 'timestamptz' })
  endsAt!: Date;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', nullable: true })
  location?: string | null;

  @Field(() => AppointmentLink, { nullable: true })
  @Embedded(() => AppointmentLink, { nullable: true, prefix: 'appointment_' })
  appointment?: AppointmentLink | null;

  @Field(() => Float, { description: 'Days spent in school, counted against the allocation.' })
  @Property({ type: new DecimalType('number'), precision: 4, scale: 2 })
  inSchoolDays: number = 0;

  @Field(() => Float, { description: 'Days of preparation and writing, counted against the allocation.' })
  @Property({ type: new DecimalType('number'), precision: 4, scale: 2 })
  outOfSchoolDays: number = 0;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  cancellationReason?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  cancelledAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  completedAt?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'When the appointment was cancelled or deleted in Outlook while this visit had a note of visit started: the visit was kept (nothing is lost) and its partner must cancel it or book it again.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  appointmentCancelledAt?: Date | null;

  @Field(() => Int, { description: 'Incremented on every change; send it back to prove an edit is not stale.' })
  @Property({ version: true })
  version!: number;

  @OneToMany(() => AgendaItem, (item) => item.visit, { orderBy: { position: 'asc' } })
  agendaItems = new Collection<AgendaItem>(this);

  @OneToMany(() => VisitAttendee, (attendee) => attendee.visit, { orderBy: { position: 'asc' } })
  attendees = new Collection<VisitAttendee>(this);

  @OneToOne(() => NoteOfVisit, (note) => note.visit, { ref: true, nullable: true })
  note?: Ref<NoteOfVisit> | null;
}
