import { Migration } from '@mikro-orm/migrations';

export class Migration20261122211148_initial extends Migration {
  override name = 'Migration20261122211148_initial';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "agenda_template" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "visit_type" text not null, "name" varchar(255) not null, "description" text not null, "fixed" boolean not null default false, "items" jsonb not null, "source" text null, "version" int not null default 1, primary key ("id"));`,
    );
    this.addSql(`alter table "agenda_template" add constraint "agenda_template_visit_type_unique" unique ("visit_type");`);

    this.addSql(
      `create table "audit_event" ("id" bigserial primary key, "occurred_at" timestamptz not null, "actor" varchar(255) not null, "request_id" varchar(64) null, "action" varchar(16) not null, "entity_type" varchar(64) not null, "entity_id" varchar(64) not null, "changes" jsonb null);`,
    );
    this.addSql(`create index "audit_event_occurred_at_index" on "audit_event" ("occurred_at");`);
    this.addSql(`create index "audit_event_entity_type_entity_id_occurred_at_index" on "audit_event" ("entity_type", "entity_id", "occurred_at");`);

    this.addSql(
      `create table "partner" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(255) not null, "email" varchar(255) not null, "role" text not null default 'partner', "employer" varchar(255) null, "mentor_id" uuid null, "active" boolean not null default true, primary key ("id"));`,
    );
    this.addSql(`alter table "partner" add constraint "partner_email_unique" unique ("email");`);

    this.addSql(
      `create table "school" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "urn" int not null, "la_code" smallint not null, "establishment_number" smallint not null, "name" varchar(255) not null, "phase" text not null, "type" text not null, "establishment_type_name" varchar(255) null, "district" varchar(255) null, "address_line1" varchar(255) null, "address_line2" varchar(255) null, "address_town" varchar(255) null, "address_county" varchar(255) null, "address_postcode" varchar(255) null, "headteacher_name" varchar(255) null, "headteacher_email" varchar(255) null, "chair_of_governors_name" varchar(255) null, "chair_of_governors_email" varchar(255) null, "last_ofsted_grade" smallint null, "last_ofsted_date" date null, "status" text not null default 'open', "opened_on" date null, "closed_on" date null, "current_risk_category" text null, primary key ("id"));`,
    );
    this.addSql(`alter table "school" add constraint "school_urn_unique" unique ("urn");`);
    this.addSql(`create index "school_name_index" on "school" ("name");`);
    this.addSql(`create index "school_current_risk_category_index" on "school" ("current_risk_category");`);
    this.addSql(`create index "school_la_code_establishment_number_index" on "school" ("la_code", "establishment_number");`);

    this.addSql(
      `create table "risk_category_assessment" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "school_id" uuid not null, "category" text not null, "effective_from" date not null, "rationale" text not null, "assessed_by_id" uuid not null, primary key ("id"));`,
    );
    this.addSql(`create index "risk_category_assessment_assessed_by_id_index" on "risk_category_assessment" ("assessed_by_id");`);
    this.addSql(`create index "risk_category_assessment_school_id_effective_from_index" on "risk_category_assessment" ("school_id", "effective_from");`);

    this.addSql(
      `create table "allocation" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "partner_id" uuid not null, "school_id" uuid not null, "academic_year" varchar(7) not null, "days" numeric(4,1) not null, "reason" varchar(255) null, primary key ("id"));`,
    );
    this.addSql(`create index "allocation_partner_id_index" on "allocation" ("partner_id");`);
    this.addSql(
      `alter table "allocation" add constraint "allocation_school_id_partner_id_academic_year_unique" unique ("school_id", "partner_id", "academic_year");`,
    );

    this.addSql(
      `create table "school_succession" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "predecessor_id" uuid not null, "successor_id" uuid not null, "kind" text not null, "effective_on" date null, "sponsor" varchar(255) null, primary key ("id"));`,
    );
    this.addSql(`create index "school_succession_successor_id_index" on "school_succession" ("successor_id");`);
    this.addSql(
      `alter table "school_succession" add constraint "school_succession_predecessor_id_successor_id_unique" unique ("predecessor_id", "successor_id");`,
    );

    this.addSql(
      `create table "term_calendar" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "academic_year" varchar(7) not null, "terms" jsonb not null, "holidays" jsonb not null, "version" int not null default 1, primary key ("id"));`,
    );
    this.addSql(`alter table "term_calendar" add constraint "term_calendar_academic_year_unique" unique ("academic_year");`);

    this.addSql(
      `create table "visit" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "school_id" uuid not null, "lead_partner_id" uuid not null, "type" text not null, "status" text not null default 'booked', "starts_at" timestamptz not null, "ends_at" timestamptz not null, "location" varchar(255) null, "appointment_item_id" varchar(512) null, "appointment_ical_uid" varchar(512) null, "appointment_organiser_email" varchar(255) null, "in_school_days" numeric(4,2) not null default 0, "out_of_school_days" numeric(4,2) not null default 0, "cancellation_reason" text null, "cancelled_at" timestamptz null, "completed_at" timestamptz null, "version" int not null default 1, primary key ("id"));`,
    );
    this.addSql(`create index "visit_starts_at_index" on "visit" ("starts_at");`);
    this.addSql(`create index "visit_lead_partner_id_starts_at_index" on "visit" ("lead_partner_id", "starts_at");`);
    this.addSql(`create index "visit_school_id_starts_at_index" on "visit" ("school_id", "starts_at");`);

    this.addSql(
      `create table "note_of_visit" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "visit_id" uuid not null, "author_id" uuid not null, "status" text not null default 'draft', "version" int not null default 1, "purpose" text null, "summary" text null, "draft_due_on" date not null, "circulation_due_on" date not null, "shared_at" timestamptz null, "headteacher_agreed" boolean null, "headteacher_comment" text null, "headteacher_responded_at" timestamptz null, "moderation_decision" text null, "moderation_comment" text null, "moderated_by_id" uuid null, "moderated_at" timestamptz null, "circulated_at" timestamptz null, "recommendation_limit_override_reason" text null, "recommendation_limit_overridden_by_id" uuid null, primary key ("id"));`,
    );
    this.addSql(`alter table "note_of_visit" add constraint "note_of_visit_visit_id_unique" unique ("visit_id");`);
    this.addSql(`create index "note_of_visit_author_id_index" on "note_of_visit" ("author_id");`);
    this.addSql(`create index "note_of_visit_status_circulation_due_on_index" on "note_of_visit" ("status", "circulation_due_on");`);
    this.addSql(`create index "note_of_visit_status_draft_due_on_index" on "note_of_visit" ("status", "draft_due_on");`);

    this.addSql(
      `create table "recommendation" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "note_id" uuid not null, "position" smallint not null, "action" text not null, "success_measure" text not null, "owner_role" varchar(255) not null, "owner_initials" varchar(12) null, "due_on" date not null, "status" text not null default 'open', primary key ("id"));`,
    );
    this.addSql(`alter table "recommendation" add constraint "recommendation_note_id_position_unique" unique ("note_id", "position");`);

    this.addSql(
      `create table "recommendation_review" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "note_id" uuid not null, "recommendation_id" uuid not null, "progress" text null, "comment" text null, primary key ("id"));`,
    );
    this.addSql(`create index "recommendation_review_recommendation_id_index" on "recommendation_review" ("recommendation_id");`);
    this.addSql(
      `alter table "recommendation_review" add constraint "recommendation_review_note_id_recommendation_id_unique" unique ("note_id", "recommendation_id");`,
    );

    this.addSql(
      `create table "note_target" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "note_id" uuid not null, "position" smallint not null, "key_stage" varchar(8) not null, "measure" text not null, "year" smallint not null, "value" numeric(6,2) not null, primary key ("id"));`,
    );
    this.addSql(`alter table "note_target" add constraint "note_target_note_id_position_unique" unique ("note_id", "position");`);

    this.addSql(
      `create table "note_recipient" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "note_id" uuid not null, "position" smallint not null, "role" text not null, "name" varchar(255) not null, "email" varchar(255) null, primary key ("id"));`,
    );
    this.addSql(`alter table "note_recipient" add constraint "note_recipient_note_id_position_unique" unique ("note_id", "position");`);

    this.addSql(
      `create table "judgement" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "note_id" uuid not null, "area" text not null, "school_grade" smallint null, "partner_grade" smallint null, "insufficient_evidence" boolean not null default false, "evidence_basis" text null, "disagreement_reason" text null, "commentary" text null, primary key ("id"));`,
    );
    this.addSql(`alter table "judgement" add constraint "judgement_note_id_area_unique" unique ("note_id", "area");`);

    this.addSql(
      `create table "finding" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "note_id" uuid not null, "position" smallint not null, "area" text null, "text" text not null, "evidence_basis" text not null, primary key ("id"));`,
    );
    this.addSql(`alter table "finding" add constraint "finding_note_id_position_unique" unique ("note_id", "position");`);

    this.addSql(
      `create table "agenda_item" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "visit_id" uuid not null, "position" smallint not null, "title" varchar(200) not null, "detail" text null, "owner_role" text not null, "minutes" smallint null, primary key ("id"));`,
    );
    this.addSql(`alter table "agenda_item" add constraint "agenda_item_visit_id_position_unique" unique ("visit_id", "position");`);

    this.addSql(
      `create table "visit_attendee" ("id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "visit_id" uuid not null, "position" smallint not null, "name" varchar(255) not null, "email" varchar(255) null, "role" text not null, "partner_id" uuid null, primary key ("id"));`,
    );
    this.addSql(`create index "visit_attendee_partner_id_index" on "visit_attendee" ("partner_id");`);
    this.addSql(`alter table "visit_attendee" add constraint "visit_attendee_visit_id_position_unique" unique ("visit_id", "position");`);

    this.addSql(
      `alter table "agenda_template" add constraint "agenda_template_visit_type_check" check ("visit_type" in ('familiarisation', 'autumn', 'spring', 'summer', 'headteacher_performance_management', 'round_table', 'joint_evaluation', 'inspection_feedback', 'other'));`,
    );

    this.addSql(`alter table "partner" add constraint "partner_mentor_id_foreign" foreign key ("mentor_id") references "partner" ("id") on delete set null;`);
    this.addSql(`alter table "partner" add constraint "partner_role_check" check ("role" in ('partner', 'manager'));`);

    this.addSql(`alter table "school" add constraint "school_last_ofsted_grade_range" check (last_ofsted_grade >= 1 and last_ofsted_grade <= 4);`);
    this.addSql(
      `alter table "school" add constraint "school_phase_check" check ("phase" in ('nursery', 'primary', 'middle', 'secondary', 'all_through', 'special', 'pru', 'sixteen_plus'));`,
    );
    this.addSql(
      `alter table "school" add constraint "school_type_check" check ("type" in ('maintained', 'academy_converter', 'sponsored_academy', 'free_school', 'other'));`,
    );
    this.addSql(
      `alter table "school" add constraint "school_status_check" check ("status" in ('open', 'open_proposed_to_close', 'proposed_to_open', 'closed'));`,
    );
    this.addSql(
      `alter table "school" add constraint "school_current_risk_category_check" check ("current_risk_category" in ('A4', 'B3', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'F1'));`,
    );

    this.addSql(
      `alter table "risk_category_assessment" add constraint "risk_category_assessment_school_id_foreign" foreign key ("school_id") references "school" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "risk_category_assessment" add constraint "risk_category_assessment_assessed_by_id_foreign" foreign key ("assessed_by_id") references "partner" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "risk_category_assessment" add constraint "risk_category_assessment_category_check" check ("category" in ('A4', 'B3', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'F1'));`,
    );

    this.addSql(
      `alter table "allocation" add constraint "allocation_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "allocation" add constraint "allocation_school_id_foreign" foreign key ("school_id") references "school" ("id") on delete restrict;`,
    );

    this.addSql(
      `alter table "school_succession" add constraint "school_succession_predecessor_id_foreign" foreign key ("predecessor_id") references "school" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "school_succession" add constraint "school_succession_successor_id_foreign" foreign key ("successor_id") references "school" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "school_succession" add constraint "school_succession_kind_check" check ("kind" in ('academy_conversion', 'amalgamation', 'merger', 'split', 'other'));`,
    );

    this.addSql(`alter table "visit" add constraint "visit_school_id_foreign" foreign key ("school_id") references "school" ("id") on delete restrict;`);
    this.addSql(
      `alter table "visit" add constraint "visit_lead_partner_id_foreign" foreign key ("lead_partner_id") references "partner" ("id") on delete restrict;`,
    );
    this.addSql(`alter table "visit" add constraint "visit_ends_after_start" check (ends_at > starts_at);`);
    this.addSql(
      `alter table "visit" add constraint "visit_type_check" check ("type" in ('familiarisation', 'autumn', 'spring', 'summer', 'headteacher_performance_management', 'round_table', 'joint_evaluation', 'inspection_feedback', 'other'));`,
    );
    this.addSql(`alter table "visit" add constraint "visit_status_check" check ("status" in ('booked', 'completed', 'cancelled'));`);

    this.addSql(
      `alter table "note_of_visit" add constraint "note_of_visit_visit_id_foreign" foreign key ("visit_id") references "visit" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "note_of_visit" add constraint "note_of_visit_author_id_foreign" foreign key ("author_id") references "partner" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "note_of_visit" add constraint "note_of_visit_moderated_by_id_foreign" foreign key ("moderated_by_id") references "partner" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "note_of_visit" add constraint "note_of_visit_recommendation_limit_overridden_by_id_foreign" foreign key ("recommendation_limit_overridden_by_id") references "partner" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "note_of_visit" add constraint "note_of_visit_status_check" check ("status" in ('draft', 'shared', 'agreed', 'disputed', 'moderated', 'circulated'));`,
    );
    this.addSql(
      `alter table "note_of_visit" add constraint "note_of_visit_moderation_decision_check" check ("moderation_decision" in ('uphold_partner', 'uphold_school', 'amended'));`,
    );

    this.addSql(
      `alter table "recommendation" add constraint "recommendation_note_id_foreign" foreign key ("note_id") references "note_of_visit" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "recommendation" add constraint "recommendation_status_check" check ("status" in ('open', 'achieved', 'not_achieved', 'superseded'));`,
    );

    this.addSql(
      `alter table "recommendation_review" add constraint "recommendation_review_note_id_foreign" foreign key ("note_id") references "note_of_visit" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "recommendation_review" add constraint "recommendation_review_recommendation_id_foreign" foreign key ("recommendation_id") references "recommendation" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "recommendation_review" add constraint "recommendation_review_progress_check" check ("progress" in ('not_started', 'in_progress', 'achieved', 'not_achieved', 'superseded'));`,
    );

    this.addSql(
      `alter table "note_target" add constraint "note_target_note_id_foreign" foreign key ("note_id") references "note_of_visit" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "note_recipient" add constraint "note_recipient_note_id_foreign" foreign key ("note_id") references "note_of_visit" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "note_recipient" add constraint "note_recipient_role_check" check ("role" in ('headteacher', 'chair_of_governors', 'council', 'other'));`,
    );

    this.addSql(
      `alter table "judgement" add constraint "judgement_note_id_foreign" foreign key ("note_id") references "note_of_visit" ("id") on delete cascade;`,
    );
    this.addSql(`alter table "judgement" add constraint "judgement_partner_grade_range" check (partner_grade >= 1 and partner_grade <= 4);`);
    this.addSql(`alter table "judgement" add constraint "judgement_school_grade_range" check (school_grade >= 1 and school_grade <= 4);`);
    this.addSql(
      `alter table "judgement" add constraint "judgement_area_check" check ("area" in ('achievement', 'quality_of_teaching', 'leadership_and_management', 'behaviour_and_safety', 'overall_effectiveness'));`,
    );
    this.addSql(
      `alter table "judgement" add constraint "judgement_evidence_basis_check" check ("evidence_basis" in ('reported', 'observed', 'reported_and_observed'));`,
    );

    this.addSql(`alter table "finding" add constraint "finding_note_id_foreign" foreign key ("note_id") references "note_of_visit" ("id") on delete cascade;`);
    this.addSql(
      `alter table "finding" add constraint "finding_area_check" check ("area" in ('achievement', 'quality_of_teaching', 'leadership_and_management', 'behaviour_and_safety', 'overall_effectiveness'));`,
    );
    this.addSql(
      `alter table "finding" add constraint "finding_evidence_basis_check" check ("evidence_basis" in ('reported', 'observed', 'reported_and_observed'));`,
    );

    this.addSql(
      `alter table "agenda_item" add constraint "agenda_item_visit_id_foreign" foreign key ("visit_id") references "visit" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "agenda_item" add constraint "agenda_item_owner_role_check" check ("owner_role" in ('partner', 'headteacher', 'governors', 'school', 'council', 'all'));`,
    );

    this.addSql(
      `alter table "visit_attendee" add constraint "visit_attendee_visit_id_foreign" foreign key ("visit_id") references "visit" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "visit_attendee" add constraint "visit_attendee_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "visit_attendee" add constraint "visit_attendee_role_check" check ("role" in ('partner', 'headteacher', 'chair_of_governors', 'governor', 'school_staff', 'council_officer', 'other'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "partner" drop constraint "partner_mentor_id_foreign";`);
    this.addSql(`alter table "risk_category_assessment" drop constraint "risk_category_assessment_assessed_by_id_foreign";`);
    this.addSql(`alter table "allocation" drop constraint "allocation_partner_id_foreign";`);
    this.addSql(`alter table "visit" drop constraint "visit_lead_partner_id_foreign";`);
    this.addSql(`alter table "note_of_visit" drop constraint "note_of_visit_author_id_foreign";`);
    this.addSql(`alter table "note_of_visit" drop constraint "note_of_visit_moderated_by_id_foreign";`);
    this.addSql(`alter table "note_of_visit" drop constraint "note_of_visit_recommendation_limit_overridden_by_id_foreign";`);
    this.addSql(`alter table "visit_attendee" drop constraint "visit_attendee_partner_id_foreign";`);
    this.addSql(`alter table "risk_category_assessment" drop constraint "risk_category_assessment_school_id_foreign";`);
    this.addSql(`alter table "allocation" drop constraint "allocation_school_id_foreign";`);
    this.addSql(`alter table "school_succession" drop constraint "school_succession_predecessor_id_foreign";`);
    this.addSql(`alter table "school_succession" drop constraint "school_succession_successor_id_foreign";`);
    this.addSql(`alter table "visit" drop constraint "visit_school_id_foreign";`);
    this.addSql(`alter table "note_of_visit" drop constraint "note_of_visit_visit_id_foreign";`);
    this.addSql(`alter table "agenda_item" drop constraint "agenda_item_visit_id_foreign";`);
    this.addSql(`alter table "visit_attendee" drop constraint "visit_attendee_visit_id_foreign";`);
    this.addSql(`alter table "recommendation" drop constraint "recommendation_note_id_foreign";`);
    this.addSql(`alter table "recommendation_review" drop constraint "recommendation_review_note_id_foreign";`);
    this.addSql(`alter table "note_target" drop constraint "note_target_note_id_foreign";`);
    this.addSql(`alter table "note_recipient" drop constraint "note_recipient_note_id_foreign";`);
    this.addSql(`alter table "judgement" drop constraint "judgement_note_id_foreign";`);
    this.addSql(`alter table "finding" drop constraint "finding_note_id_foreign";`);
    this.addSql(`alter table "recommendation_review" drop constraint "recommendation_review_recommendation_id_foreign";`);

    this.addSql(`drop table if exists "agenda_template" cascade;`);
    this.addSql(`drop table if exists "audit_event" cascade;`);
    this.addSql(`drop table if exists "partner" cascade;`);
    this.addSql(`drop table if exists "school" cascade;`);
    this.addSql(`drop table if exists "risk_category_assessment" cascade;`);
    this.addSql(`drop table if exists "allocation" cascade;`);
    this.addSql(`drop table if exists "school_succession" cascade;`);
    this.addSql(`drop table if exists "term_calendar" cascade;`);
    this.addSql(`drop table if exists "visit" cascade;`);
    this.addSql(`drop table if exists "note_of_visit" cascade;`);
    this.addSql(`drop table if exists "recommendation" cascade;`);
    this.addSql(`drop table if exists "recommendation_review" cascade;`);
    this.addSql(`drop table if exists "note_target" cascade;`);
    this.addSql(`drop table if exists "note_recipient" cascade;`);
    this.addSql(`drop table if exists "judgement" cascade;`);
    this.addSql(`drop table if exists "finding" cascade;`);
    this.addSql(`drop table if exists "agenda_item" cascade;`);
    this.addSql(`drop table if exists "visit_attendee" cascade;`);
  }
}
