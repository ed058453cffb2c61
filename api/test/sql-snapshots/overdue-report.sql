-- TeamOverview's overdueNotes (addin/src/teams/teams.documents.ts, the Team tab) as a manager: read view (notes/overdue-notes.queries.ts)
-- 2 statements, in the order sent

select *
from partner
where email = :email and active = true;

select v.school_id,
  json_build_object(
    'id', n."id",
    'status', n."status",
    'draft_due_on', n."draft_due_on",
    'circulation_due_on', n."circulation_due_on",
    'revision', n."revision"
  ) as note,
  json_build_object(
    'id', v."id",
    'starts_at', v."starts_at"
  ) as visit,
  (
    select json_build_object(
        'id', s."id",
        'name', s."name"
      )
    from school s
    where s.id = v.school_id) as school,
  json_build_object(
    'id', a."id",
    'name', a."name"
  ) as partner
from note_of_visit n
join visit v on v.id = n.visit_id
join partner a on a.id = n.author_id
where n.id in (
  select n.id
  from note_of_visit n
  join visit v on v.id = n.visit_id
  where n.status <> 'circulated' and n.revision = 1 and ((n.status = 'draft' and n.draft_due_on < :date) or n.circulation_due_on < :date))
order by n.circulation_due_on, n.id;
