-- MyVisits (addin/src/teams/teams.documents.ts, the Teams app's "My visits") as a partner: read view (visits/visit.queries.ts)
-- 4 statements, in the order sent

select *
from partner
where email = :email and active = true;

select id
from partner
where id = :id;

with scope as (
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
  where a.partner_id = :id and v.status = 'completed' and v.starts_at <= :instant
  union
  select ov.school_id
  from visit ov
  where (ov.lead_partner_id = :id or exists (
      select 1
      from visit_attendee own
      where own.visit_id = ov.id and own.partner_id = :id))), ids as (
  select t.id,
    t.starts_at
  from scope
  cross join lateral (
    select x.id,
      x.starts_at
    from visit x
    where x.school_id = scope.school_id and (x.school_id in (
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
        where a.partner_id = :id and v.status = 'completed' and v.starts_at <= :instant) or (x.lead_partner_id = :id or exists (
          select 1
          from visit_attendee own
          where own.visit_id = x.id and own.partner_id = :id))) and x.lead_partner_id = :id and x.starts_at >= :instant and x.starts_at < :instant
    order by x.starts_at desc, x.id desc
    limit 101) t
  order by t.starts_at desc, t.id desc
  limit 101)
select (
    select count(*)::int
    from scope
    join visit x on x.school_id = scope.school_id
    where (x.school_id in (
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
        where a.partner_id = :id and v.status = 'completed' and v.starts_at <= :instant) or (x.lead_partner_id = :id or exists (
          select 1
          from visit_attendee own
          where own.visit_id = x.id and own.partner_id = :id))) and x.lead_partner_id = :id and x.starts_at >= :instant and x.starts_at < :instant) as total,
  json_build_object(
    'id', v."id",
    'type', v."type",
    'status', v."status",
    'starts_at', v."starts_at"
  ) as visit,
  (
    select json_build_object(
        'id', s."id",
        'name', s."name"
      )
    from school s
    where s.id = v.school_id) as school,
  (
    select json_build_object(
        'id', n."id",
        'status', n."status",
        'draft_due_on', n."draft_due_on",
        'circulation_due_on', n."circulation_due_on",
        'revision', n."revision"
      )
    from note_of_visit n
    where n.visit_id = v.id) as note
from (
  select 1) one
left join (ids
  join visit v on v.id = ids.id) on true
order by ids.starts_at desc, ids.id desc;

select to_char(date, 'YYYY-MM-DD') as date,
  reason
from council_closure_day
order by date;
