-- NoteById (addin/src/shared/note-editor/note-documents.ts, the note editor's autosave) as a partner: read view (notes/note.queries.ts), revisions and responses included
-- 3 statements, in the order sent

select *
from partner
where email = :email and active = true;

select v.school_id,
  json_build_object(
    'id', n."id",
    'updated_at', n."updated_at",
    'status', n."status",
    'version', n."version",
    'purpose', n."purpose",
    'summary', n."summary",
    'draft_due_on', n."draft_due_on",
    'circulation_due_on', n."circulation_due_on",
    'shared_at', n."shared_at",
    'headteacher_agreed', n."headteacher_agreed",
    'headteacher_comment', n."headteacher_comment",
    'headteacher_responded_at', n."headteacher_responded_at",
    'moderation_decision', n."moderation_decision",
    'moderation_comment', n."moderation_comment",
    'moderated_at', n."moderated_at",
    'circulated_at', n."circulated_at",
    'first_circulated_at', n."first_circulated_at",
    'recommendation_limit_override_reason', n."recommendation_limit_override_reason",
    'revision', n."revision",
    'correction_reason', n."correction_reason"
  ) as note,
  v.id as visit_id,
  v.lead_partner_id,
  (
    select coalesce(json_agg(json_build_object(
            'id', c."id",
            'area', c."area",
            'school_grade', c."school_grade",
            'partner_grade', c."partner_grade",
            'insufficient_evidence', c."insufficient_evidence",
            'evidence_basis', c."evidence_basis",
            'disagreement_reason', c."disagreement_reason",
            'commentary', c."commentary",
            'headteacher_comment', c."headteacher_comment"
          ) order by array_position(array['achievement', 'quality_of_teaching', 'leadership_and_management', 'behaviour_and_safety', 'overall_effectiveness']::text[], c.area)), '[]')
    from "judgement" c
    where c.note_id = n.id) as "judgements",
  (
    select coalesce(json_agg(json_build_object(
            'id', c."id",
            'position', c."position",
            'area', c."area",
            'text', c."text",
            'evidence_basis', c."evidence_basis"
          ) order by c.position), '[]')
    from "finding" c
    where c.note_id = n.id) as "findings",
  (
    select coalesce(json_agg(json_build_object(
            'id', c."id",
            'position', c."position",
            'action', c."action",
            'success_measure', c."success_measure",
            'owner_role', c."owner_role",
            'owner_initials', c."owner_initials",
            'due_on', c."due_on",
            'status', c."status"
          ) order by c.position), '[]')
    from "recommendation" c
    where c.note_id = n.id) as "recommendations",
  (
    select coalesce(json_agg(json_build_object(
            'review', json_build_object(
              'id', c."id",
              'progress', c."progress",
              'comment', c."comment"
            ),
            'recommendation', json_build_object(
              'id', r."id",
              'position', r."position",
              'action', r."action",
              'success_measure', r."success_measure",
              'owner_role', r."owner_role",
              'owner_initials', r."owner_initials",
              'due_on', r."due_on",
              'status', r."status"
            )
          ) order by c.created_at, c.id), '[]')
    from "recommendation_review" c
    join recommendation r on r.id = c.recommendation_id
    where c.note_id = n.id) as "reviews",
  (
    select coalesce(json_agg(json_build_object(
            'id', c."id",
            'position', c."position",
            'key_stage', c."key_stage",
            'measure', c."measure",
            'year', c."year",
            'value', c."value"
          ) order by c.position), '[]')
    from "note_target" c
    where c.note_id = n.id) as "targets",
  (
    select coalesce(json_agg(json_build_object(
            'id', c."id",
            'position', c."position",
            'role', c."role",
            'name', c."name",
            'email', c."email"
          ) order by c.position), '[]')
    from "note_recipient" c
    where c.note_id = n.id) as "distribution",
  (
    select coalesce(json_agg(json_build_object(
            'id', c."id",
            'revision', c."revision",
            'agreed', c."agreed",
            'comment', c."comment",
            'judgement_comments', c."judgement_comments",
            'respondent', c."respondent",
            'recorded_via', c."recorded_via",
            'reason', c."reason",
            'responded_at', c."responded_at"
          ) order by c.responded_at, c.id), '[]')
    from "headteacher_response" c
    where c.note_id = n.id) as "responses",
  (
    select coalesce(json_agg(json_build_object(
            'id', c."id",
            'revision', c."revision",
            'circulated_at', c."circulated_at",
            'correction_reason', c."correction_reason"
          ) order by c.revision), '[]')
    from "note_revision" c
    where c.note_id = n.id) as "revisions"
from note_of_visit n
join visit v on v.id = n.visit_id
where n.id = :id;

select school_id
from allocation
where partner_id = :id and academic_year >= :academicYear
union
select school_id
from visit
where lead_partner_id = :id and status = 'completed' and starts_at <= :instant
union
select v.school_id
from visit_attendee a
join visit v on v.id = a.visit_id
where a.partner_id = :id and v.status = 'completed' and v.starts_at <= :instant;
