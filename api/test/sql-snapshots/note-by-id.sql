-- NoteById (addin/src/shared/note-editor/note-documents.ts, the note editor's autosave) as a partner: the ORM's path today (NoteFields asks for revisions, responses, docxUrl)
-- 6 statements, in the order sent

select *
from partner
where email = :email and active = true;

select "n0".*,
  "v1"."id" as "v1__id",
  "v1"."created_at" as "v1__created_at",
  "v1"."updated_at" as "v1__updated_at",
  "v1"."school_id" as "v1__school_id",
  "v1"."lead_partner_id" as "v1__lead_partner_id",
  "v1"."type" as "v1__type",
  "v1"."status" as "v1__status",
  "v1"."starts_at" as "v1__starts_at",
  "v1"."ends_at" as "v1__ends_at",
  "v1"."location" as "v1__location",
  "v1"."appointment_item_id" as "v1__appointment_item_id",
  "v1"."appointment_ical_uid" as "v1__appointment_ical_uid",
  "v1"."appointment_organiser_email" as "v1__appointment_organiser_email",
  "v1"."in_school_days" as "v1__in_school_days",
  "v1"."out_of_school_days" as "v1__out_of_school_days",
  "v1"."cancellation_reason" as "v1__cancellation_reason",
  "v1"."cancelled_at" as "v1__cancelled_at",
  "v1"."completed_at" as "v1__completed_at",
  "v1"."version" as "v1__version",
  "s2"."id" as "s2__id",
  "s2"."created_at" as "s2__created_at",
  "s2"."updated_at" as "s2__updated_at",
  "s2"."urn" as "s2__urn",
  "s2"."la_code" as "s2__la_code",
  "s2"."establishment_number" as "s2__establishment_number",
  "s2"."name" as "s2__name",
  "s2"."phase" as "s2__phase",
  "s2"."type" as "s2__type",
  "s2"."establishment_type_name" as "s2__establishment_type_name",
  "s2"."district" as "s2__district",
  "s2"."address_line1" as "s2__address_line1",
  "s2"."address_line2" as "s2__address_line2",
  "s2"."address_town" as "s2__address_town",
  "s2"."address_county" as "s2__address_county",
  "s2"."address_postcode" as "s2__address_postcode",
  "s2"."headteacher_name" as "s2__headteacher_name",
  "s2"."headteacher_email" as "s2__headteacher_email",
  "s2"."chair_of_governors_name" as "s2__chair_of_governors_name",
  "s2"."chair_of_governors_email" as "s2__chair_of_governors_email",
  "s2"."last_ofsted_grade" as "s2__last_ofsted_grade",
  "s2"."last_ofsted_date" as "s2__last_ofsted_date",
  "s2"."status" as "s2__status",
  "s2"."opened_on" as "s2__opened_on",
  "s2"."closed_on" as "s2__closed_on",
  "s2"."current_risk_category" as "s2__current_risk_category",
  "a3"."id" as "a3__id",
  "a3"."created_at" as "a3__created_at",
  "a3"."updated_at" as "a3__updated_at",
  "a3"."name" as "a3__name",
  "a3"."email" as "a3__email",
  "a3"."role" as "a3__role",
  "a3"."employer" as "a3__employer",
  "a3"."mentor_id" as "a3__mentor_id",
  "a3"."active" as "a3__active"
from "note_of_visit" as "n0"
inner join "visit" as "v1" on "n0"."visit_id" = "v1"."id"
inner join "school" as "s2" on "v1"."school_id" = "s2"."id"
inner join "partner" as "a3" on "n0"."author_id" = "a3"."id"
where "n0"."id" = :id
limit 1;

select school_id
from allocation
where partner_id = :id
union
select school_id
from visit
where lead_partner_id = :id
union
select v.school_id
from visit_attendee a
join visit v on v.id = a.visit_id
where a.partner_id = :id;

select (
    select coalesce(json_agg(c order by c.area), '[]')
    from "judgement" c
    where c.note_id = :id) as "judgements",
  (
    select coalesce(json_agg(c order by c.position), '[]')
    from "finding" c
    where c.note_id = :id) as "findings",
  (
    select coalesce(json_agg(c order by c.position), '[]')
    from "recommendation" c
    where c.note_id = :id) as "recommendations",
  (
    select coalesce(json_agg(c order by c.created_at, c.id), '[]')
    from "recommendation_review" c
    where c.note_id = :id) as "reviews",
  (
    select coalesce(json_agg(c order by c.position), '[]')
    from "note_target" c
    where c.note_id = :id) as "targets",
  (
    select coalesce(json_agg(c order by c.position), '[]')
    from "note_recipient" c
    where c.note_id = :id) as "distribution",
  (
    select coalesce(json_agg(c), '[]')
    from recommendation c
    where c.id in (
      select recommendation_id
      from recommendation_review
      where note_id = :id)) as "reviewed";

select "n0".*
from "note_revision" as "n0"
where "n0"."note_id" in (:id)
order by "n0"."revision" asc;

select "h0".*
from "headteacher_response" as "h0"
where "h0"."note_id" in (:id)
order by "h0"."responded_at" asc, "h0"."id" asc;
