-- A council system following visits (docs/api.md, "Following changes") as a service: visits(changedSince), read view in order of change (visits/visit.queries.ts changedVisitViews)
-- 1 statement, in the order sent

with ids as (
  select x.id,
    x.updated_at,
    to_char(x.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as changed_at
  from visit x
  where x.updated_at > :instant
  order by x.updated_at, x.id
  limit 101)
select (
    select count(*)::int
    from visit x
    where x.updated_at > :instant) as total,
  ids.changed_at as changed_at,
  json_build_object(
    'id', v."id",
    'updated_at', v."updated_at",
    'type', v."type",
    'status', v."status",
    'starts_at', v."starts_at"
  ) as visit,
  (
    select json_build_object(
        'id', s."id",
        'urn', s."urn"
      )
    from school s
    where s.id = v.school_id) as school
from (
  select 1) one
left join (ids
  join visit v on v.id = ids.id) on true
order by ids.updated_at, ids.id;
