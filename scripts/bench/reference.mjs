import http from 'node:http';
import pg from 'pg';
import { headingOrderSql } from '../../api/dist/src/notes/note.enums.js';
import { DateTimeScalar } from '../../api/dist/src/platform/graphql/scalars.js';

/**
 * The reference: what the hardware allows for scenarios 1 and 2. A plain HTTP
 * handler that checks the same bearer token, sends ONE SQL statement (PostgreSQL
 * does the joins and gathers the children as JSON; a named prepared statement, so
 * each connection plans it once, as the API's read views are) and answers with
 * JSON.stringify — no GraphQL, no ORM. Its answers must equal the API's (the
 * benchmark checks), so it does the same work, only without the layers.
 *
 * It serves exactly the two requests the benchmark sends, told apart by their
 * operation name; anything else is a 400.
 */

// The API's own formatting of an instant (Europe/London with its offset), called directly: the same
// result, and the reference should not be slower than its floor (date-fns with a time-zone lookup per
// value was a fifth of its time in scenario 1).
const london = (value) => (value === null ? null : DateTimeScalar.serialize(value instanceof Date ? value : new Date(value)));
const upper = (value) => (value === null ? null : value.toUpperCase());
const dfeNumber = (la, est) => `${la}/${String(est).padStart(4, '0')}`;
const dateOf = (value) => (value === null ? null : value instanceof Date ? value.toISOString().slice(0, 10) : value);

// A partner's visits: the caller, the schools they may see (as AccessPolicy.visibleSchoolIds),
// the page (one row more than asked, to know whether there is a next page) and the total.
// The page is the latest few of each visible school, merged (a lateral top-N read from the
// index (school_id, starts_at, id) alone), then only those rows fetched: PostgreSQL 15 cannot
// merge per-school index order for an IN list, so "school_id in (...) order by starts_at
// limit n" walks every school's visits (or all visits backwards) instead.
// The benchmark asks as a partner; a manager (who sees every school) is refused here.
const PARTNER_VISITS = `
with me as (select id from partner where email = $1 and active and role = 'partner'),
visible as (
  select school_id from allocation where partner_id = (select id from me)
  union select school_id from visit where lead_partner_id = (select id from me)
  union select v.school_id from visit_attendee a join visit v on v.id = a.visit_id where a.partner_id = (select id from me)
),
page as (
  select v.id, v.starts_at, v.type, v.status, v.school_id
  from (select t.id from visible cross join lateral (
          select x.id, x.starts_at from visit x where x.school_id = visible.school_id order by x.starts_at desc, x.id desc limit $2) t
        order by t.starts_at desc, t.id desc limit $2) ids
  join visit v on v.id = ids.id
)
select (select count(*)::int from visible join visit v on v.school_id = visible.school_id) as total,
  (select count(*)::int from me) as known,
  p.id, p.starts_at, p.type, p.status, s.name, s.la_code, s.establishment_number, n.status as note_status,
  (select coalesce(json_agg(json_build_object('position', a.position, 'title', a.title) order by a.position), '[]') from agenda_item a where a.visit_id = p.id) as agenda
from (select 1) one left join page p on true
left join school s on s.id = p.school_id
left join note_of_visit n on n.visit_id = p.id
order by p.starts_at desc, p.id desc`;

// One note with everything in it; managers only here (the benchmark reads as one).
const FULL_NOTE = `
select n.id, n.status, n.version, n.purpose, n.summary, n.draft_due_on::text, n.circulation_due_on::text, n.shared_at, n.circulated_at,
  v.starts_at, v.type, s.name as school_name, s.la_code, s.establishment_number, a.name as author_name,
  (select coalesce(json_agg(json_build_object('area', j.area, 'schoolGrade', j.school_grade, 'partnerGrade', j.partner_grade, 'insufficientEvidence', j.insufficient_evidence,
     'evidenceBasis', j.evidence_basis, 'disagreementReason', j.disagreement_reason, 'commentary', j.commentary) order by ${headingOrderSql('j.area')}), '[]') from judgement j where j.note_id = n.id) as judgements,
  (select coalesce(json_agg(json_build_object('position', f.position, 'area', f.area, 'text', f.text, 'evidenceBasis', f.evidence_basis) order by f.position), '[]') from finding f where f.note_id = n.id) as findings,
  (select coalesce(json_agg(json_build_object('position', r.position, 'action', r.action, 'successMeasure', r.success_measure, 'ownerRole', r.owner_role,
     'ownerInitials', r.owner_initials, 'dueOn', r.due_on, 'status', r.status) order by r.position), '[]') from recommendation r where r.note_id = n.id) as recommendations,
  (select coalesce(json_agg(json_build_object('progress', rr.progress, 'comment', rr.comment, 'action', rc.action, 'dueOn', rc.due_on, 'status', rc.status) order by rr.created_at, rr.id), '[]')
     from recommendation_review rr join recommendation rc on rc.id = rr.recommendation_id where rr.note_id = n.id) as reviews,
  (select coalesce(json_agg(json_build_object('position', d.position, 'role', d.role, 'name', d.name) order by d.position), '[]') from note_recipient d where d.note_id = n.id) as distribution
from note_of_visit n join visit v on v.id = n.visit_id join school s on s.id = v.school_id join partner a on a.id = n.author_id
where n.id = $2 and exists (select 1 from partner m where m.email = $1 and m.active and m.role = 'manager')`;

async function partnerVisits(pool, email, first) {
  const { rows } = await pool.query({ name: 'reference_partner_visits', text: PARTNER_VISITS, values: [email, first + 1] });
  if (!rows[0]?.known) return { status: 403, body: { errors: [{ message: 'not a partner', extensions: { code: 'FORBIDDEN' } }] } };
  const page = rows.filter((r) => r.id !== null);
  return {
    status: 200,
    body: {
      data: {
        visits: {
          totalCount: rows[0].total,
          pageInfo: { hasNextPage: page.length > first },
          nodes: page.slice(0, first).map((r) => ({
            id: r.id,
            startsAt: london(r.starts_at),
            type: upper(r.type),
            status: upper(r.status),
            school: { name: r.name, dfeNumber: dfeNumber(r.la_code, r.establishment_number) },
            agenda: r.agenda,
            note: r.note_status === null ? null : { status: upper(r.note_status) },
          })),
        },
      },
    },
  };
}

async function fullNote(pool, email, id) {
  const { rows } = await pool.query({ name: 'reference_full_note', text: FULL_NOTE, values: [email, id] });
  const n = rows[0];
  if (!n) return { status: 200, body: { errors: [{ message: 'not found', extensions: { code: 'NOT_FOUND' } }], data: { note: null } } };
  return {
    status: 200,
    body: {
      data: {
        note: {
          id: n.id,
          status: upper(n.status),
          version: n.version,
          purpose: n.purpose,
          summary: n.summary,
          draftDueOn: n.draft_due_on,
          circulationDueOn: n.circulation_due_on,
          sharedAt: london(n.shared_at),
          circulatedAt: london(n.circulated_at),
          visit: {
            startsAt: london(n.starts_at),
            type: upper(n.type),
            school: { name: n.school_name, dfeNumber: dfeNumber(n.la_code, n.establishment_number) },
          },
          author: { name: n.author_name },
          judgements: n.judgements.map((j) => ({ ...j, area: upper(j.area), evidenceBasis: upper(j.evidenceBasis) })),
          findings: n.findings.map((f) => ({ ...f, area: upper(f.area), evidenceBasis: upper(f.evidenceBasis) })),
          recommendations: n.recommendations.map((r) => ({ ...r, dueOn: dateOf(r.dueOn), status: upper(r.status) })),
          reviews: n.reviews.map((r) => ({
            progress: upper(r.progress),
            comment: r.comment,
            recommendation: { action: r.action, dueOn: dateOf(r.dueOn), status: upper(r.status) },
          })),
          distribution: n.distribution.map((d) => ({ ...d, role: upper(d.role) })),
        },
      },
    },
  };
}

/** Starts the reference server on a free port; `verify` is the API's own token verifier. */
export async function startReference({ databaseUrl, poolMax, verify }) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolMax, application_name: 'school-visits-bench-reference' });
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      let out;
      try {
        const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
        const claims = token ? await verify(token).catch(() => null) : null;
        if (!claims) out = { status: 401, body: { errors: [{ message: 'sign in', extensions: { code: 'UNAUTHENTICATED' } }] } };
        else {
          const email = String(claims.preferred_username).toLowerCase();
          const { operationName, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          if (operationName === 'PartnerVisits') out = await partnerVisits(pool, email, variables.first);
          else if (operationName === 'FullNote') out = await fullNote(pool, email, variables.id);
          else out = { status: 400, body: { errors: [{ message: `the reference does not serve ${operationName}` }] } };
        }
      } catch (error) {
        out = { status: 500, body: { errors: [{ message: String(error?.message ?? error) }] } };
      }
      const body = JSON.stringify(out.body);
      res.writeHead(out.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}
