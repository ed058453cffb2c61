-- A council system reading what went (docs/api.md, "Following changes") as a service: tombstones (platform/events/tombstones.ts)
-- 1 statement, in the order sent

with page as (
  select e.id,
    e.occurred_at,
    case when (e.kind = 'school.register_changed' and e.data->>'closed' = 'true' and e.school_id is not null) then 0 when (e.kind = 'visit.cancelled' and e.visit_id is not null) then 1 when (e.kind = 'record.disposed' and e.data->>'record' = 'visit' and e.visit_id is not null) then 2 when (e.kind = 'record.disposed' and e.data->>'record' = 'note' and e.note_id is not null) then 3 end as source,
    e.school_id as id0,
    e.visit_id as id1,
    e.visit_id as id2,
    e.note_id as id3
  from domain_event e
  where e.occurred_at > :instant and ((e.kind = 'school.register_changed' and e.data->>'closed' = 'true' and e.school_id is not null) or (e.kind = 'visit.cancelled' and e.visit_id is not null) or (e.kind = 'record.disposed' and e.data->>'record' = 'visit' and e.visit_id is not null) or (e.kind = 'record.disposed' and e.data->>'record' = 'note' and e.note_id is not null))
  order by e.id
  limit 101)
select (
    select count(*)::int
    from domain_event e
    where e.occurred_at > :instant and ((e.kind = 'school.register_changed' and e.data->>'closed' = 'true' and e.school_id is not null) or (e.kind = 'visit.cancelled' and e.visit_id is not null) or (e.kind = 'record.disposed' and e.data->>'record' = 'visit' and e.visit_id is not null) or (e.kind = 'record.disposed' and e.data->>'record' = 'note' and e.note_id is not null))) as total,
  page.*
from (
  select 1) one
left join page on true
order by page.id;
