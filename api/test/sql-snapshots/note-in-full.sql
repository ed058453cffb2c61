-- A note in full (scripts/bench/queries.mjs FULL_NOTE, the benchmark's) as a partner: read view (notes/note.queries.ts)
-- 3 statements, in the order sent

select *
from partner
where email = :email and active = true;

select v.school_id,
  json_build_object(
    'id', n."id",
    'status', n."status",
    'version', n."version",
    'purpose', n."purpose",
    'summary', n."summary",
    'draft_due_on', n."draft_due_on",
    'circulation_due_on', n."circulation_due_on",
    'shared_at', n."shared_at",
    'circulated_at', n."circulated_at"
  ) as note,
  json_build_object(
    'id', v."id",
    'type', v."type",
    'starts_at', v."starts_at"
  ) as visit,
  (
    select json_build_object(
        'id', s."id",
        'la_code', s."la_code",
        'establishment_number', s."establishment_number",
        'name', s."name"
      )
    from school s
    where s.id = v.school_id) as school,
  (
    select json_build_object(
        'id', a."id",
        'name', a."name"
      )
    from partner a
    where a.id = n.author_id) as author,
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
            'commentary', c."commentary"
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
            'role', c."role",
            'name', c."name"
          ) order by c.position), '[]')
    from "note_recipient" c
    where c.note_id = n.id) as "distribution"
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
