import { TZDate } from '@date-fns/tz';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import copyStreams from 'pg-copy-streams';
import { createRandom } from './prng.mjs';

/**
 * The national data set: 150 authorities, 22,000 schools, their partners and ten
 * years of visits (about a million), with a note of visit for each past one
 * (judgements, findings, recommendations, reviews of the previous note's
 * recommendations, distribution). Rows are written in time order, a term at a time,
 * through COPY: the generator builds text, PostgreSQL does the rest.
 *
 * Bump GENERATOR_VERSION whenever the shape of the data changes: an older data set
 * is then regenerated instead of reused.
 */
export const GENERATOR_VERSION = 1;
export const AUTHORITIES = 150;
export const SCHOOLS = 22_000;
export const PARTNERS_PER_AUTHORITY = 9;
const FIRST_LA = 201;
const FIRST_YEAR = 2016; // academic years 2016-17 .. the current one
const SEED = 20_261_122;

export const partnerEmail = (la, n) => `partner.${la}.${n}@bench.example`;
export const managerEmail = (la) => `manager.${la}@bench.example`;

const DAY = 86_400_000;
const TERMS = [
  // season, visit type, first month/day, last month/day (dates within the academic year)
  { type: 'autumn', from: [8, 8], to: [11, 15], yearOffset: 0 },
  { type: 'spring', from: [0, 8], to: [2, 27], yearOffset: 1 },
  { type: 'summer', from: [3, 20], to: [6, 14], yearOffset: 1 },
];
const EXTRA_TYPES = ['joint_evaluation', 'inspection_feedback', 'other', 'round_table'];
const AREAS = ['achievement', 'quality_of_teaching', 'leadership_and_management', 'behaviour_and_safety', 'overall_effectiveness'];
const BASES = ['reported', 'observed', 'reported_and_observed'];
const AGENDA = {
  autumn: [
    "Review of the school's data",
    "Progress against last year's targets",
    'Setting targets for Key Stage 2 and 4',
    'Priorities in the improvement plan',
    'Support for the year',
    'Agreeing the note of visit',
  ],
  spring: ['Self-evaluation: quality of teaching', 'Learning walk with the headteacher', 'Work scrutiny', "Pupils' views", 'Agreeing the note of visit'],
  summer: ['Leadership and capacity to improve', "Governors' annual report", 'Review of recommendations', 'Plans for next year', 'Agreeing the note of visit'],
  headteacher_performance_management: ["Review of last year's objectives", 'Evidence from the school', 'New objectives', 'Feedback form for governors'],
  joint_evaluation: ['Joint lesson observations', 'Feedback to teachers', 'Moderating judgements', 'Agreeing the note of visit'],
  inspection_feedback: ['The inspection report', 'Areas for improvement', 'Post-inspection plan', 'Agreeing the note of visit'],
  other: ['Purpose of the visit', 'Discussion with the headteacher', 'Next steps'],
  round_table: [
    'Welcome and purpose',
    'Progress since the last meeting',
    'Data review',
    'Quality of teaching',
    'Leadership',
    'Support from the council',
    'Actions and next meeting',
  ],
  familiarisation: ['Introductions', 'Tour of the school', "The school's context and data", 'Agreeing how we will work'],
};
const OWNER_ROLES = ['partner', 'headteacher', 'governors', 'school', 'council', 'all'];
const REC_OWNERS = ['Headteacher', 'Deputy headteacher', 'Chair of governors', 'Mathematics subject leader', 'English subject leader', 'SENCO'];
const REC_ACTIONS = [
  'Raise attainment in mathematics at Key Stage 2 through daily arithmetic practice',
  'Improve the consistency of marking and feedback across year groups',
  'Sharpen the school improvement plan so each priority has a measurable success criterion',
  'Increase attendance of disadvantaged pupils through first-day calling',
  "Develop middle leaders' monitoring of teaching in their subjects",
  "Strengthen governors' challenge on the progress of pupils with SEND",
];
const PHASES = ['primary', 'primary', 'primary', 'primary', 'secondary', 'special', 'nursery', 'all_through', 'pru'];
const SCHOOL_TYPES = ['maintained', 'maintained', 'academy_converter', 'sponsored_academy', 'free_school'];
const RISK = ['A4', 'B3', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E2', 'F1', null, null];
const NAMES = ['Oak', 'Ash', 'Willow', 'Meadow', 'Hill', 'Brook', 'Castle', 'Church', 'Green', 'Park', 'Valley', 'Field', 'Forest', 'River', 'Bridge'];
const KINDS = {
  primary: 'Primary School',
  secondary: 'Academy',
  special: 'Special School',
  nursery: 'Nursery School',
  all_through: 'All-through School',
  pru: 'Pupil Referral Unit',
};
const FIRST = ['Alex', 'Sam', 'Jo', 'Chris', 'Pat', 'Robin', 'Jamie', 'Morgan', 'Taylor', 'Jordan', 'Casey', 'Drew'];
const LAST = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Evans', 'Thomas', 'Roberts', 'Walker', 'Wright', 'Hughes'];

/** COPY text format: tab-separated, \N for null. Our generated texts hold no tabs, newlines or backslashes. */
const line = (values) => `${values.map((v) => (v === null || v === undefined ? '\\N' : v instanceof Date ? v.toISOString() : String(v))).join('\t')}\n`;
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);
const londonInstant = (y, m, d, h, min) => new TZDate(y, m, d, h, min, 'Europe/London').getTime();

/** A date n weekdays after an instant (bank holidays are not worth modelling here). */
function addWorkingDays(ms, n) {
  let t = ms;
  while (n > 0) {
    t += DAY;
    const dow = new Date(t).getUTCDay();
    if (dow !== 0 && dow !== 6) n -= 1;
  }
  return t;
}

/** Rows for each table, in foreign-key order, kept for one term and then copied. */
const TABLES = {
  visit: [
    'id',
    'created_at',
    'updated_at',
    'school_id',
    'lead_partner_id',
    'type',
    'status',
    'starts_at',
    'ends_at',
    'location',
    'in_school_days',
    'out_of_school_days',
    'cancellation_reason',
    'cancelled_at',
    'completed_at',
    'version',
  ],
  agenda_item: ['id', 'created_at', 'updated_at', 'visit_id', 'position', 'title', 'detail', 'owner_role', 'minutes'],
  note_of_visit: [
    'id',
    'created_at',
    'updated_at',
    'visit_id',
    'author_id',
    'status',
    'version',
    'purpose',
    'summary',
    'draft_due_on',
    'circulation_due_on',
    'shared_at',
    'headteacher_agreed',
    'headteacher_responded_at',
    'circulated_at',
    'revision',
  ],
  judgement: [
    'id',
    'created_at',
    'updated_at',
    'note_id',
    'area',
    'school_grade',
    'partner_grade',
    'insufficient_evidence',
    'evidence_basis',
    'disagreement_reason',
    'commentary',
  ],
  finding: ['id', 'created_at', 'updated_at', 'note_id', 'position', 'area', 'text', 'evidence_basis'],
  recommendation: ['id', 'created_at', 'updated_at', 'note_id', 'position', 'action', 'success_measure', 'owner_role', 'owner_initials', 'due_on', 'status'],
  recommendation_review: ['id', 'created_at', 'updated_at', 'note_id', 'recommendation_id', 'progress', 'comment'],
  note_recipient: ['id', 'created_at', 'updated_at', 'note_id', 'position', 'role', 'name', 'email'],
};

async function copyRows(client, table, columns, lines) {
  if (!lines.length) return;
  const stream = client.query(copyStreams.from(`copy "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) from stdin`));
  // Chunks of a few thousand lines keep the stream busy without one huge string.
  async function* chunks() {
    for (let i = 0; i < lines.length; i += 5000) yield lines.slice(i, i + 5000).join('');
  }
  await pipeline(Readable.from(chunks()), stream);
}

function people(rnd) {
  return `${rnd.pick(FIRST)} ${rnd.pick(LAST)}`;
}

/**
 * Writes the data set through `client` (a connected pg.Client on a migrated, empty
 * database). `now` fixes which visits are past (completed, with notes) and which
 * are booked. Reports progress through `log`.
 */
export async function generate(client, { now = Date.now(), log = () => {} } = {}) {
  const rnd = createRandom(SEED);
  const counts = {};
  const created = new Date(Date.UTC(FIRST_YEAR, 7, 1));

  // Partners and managers: nine partners and a manager per authority.
  const partners = [];
  const partnerLines = [];
  for (let a = 0; a < AUTHORITIES; a++) {
    const la = FIRST_LA + a;
    const mgr = { id: rnd.uuid(), email: managerEmail(la) };
    partnerLines.push(line([mgr.id, created, created, `Manager ${la} ${people(rnd)}`, mgr.email, 'manager', `Council ${la}`, null, true]));
    const ofLa = [];
    for (let n = 1; n <= PARTNERS_PER_AUTHORITY; n++) {
      const p = { id: rnd.uuid(), email: partnerEmail(la, n) };
      partnerLines.push(line([p.id, created, created, `${people(rnd)} (${la}.${n})`, p.email, 'partner', `Council ${la}`, mgr.id, true]));
      ofLa.push(p);
    }
    partners.push(ofLa);
  }
  await copyRows(client, 'partner', ['id', 'created_at', 'updated_at', 'name', 'email', 'role', 'employer', 'mentor_id', 'active'], partnerLines);
  counts.partner = partnerLines.length;

  // Schools, spread evenly over the authorities.
  const schools = [];
  const schoolLines = [];
  for (let i = 0; i < SCHOOLS; i++) {
    const a = i % AUTHORITIES;
    const la = FIRST_LA + a;
    const indexInLa = Math.floor(i / AUTHORITIES);
    const phase = rnd.pick(PHASES);
    const head = people(rnd);
    const chair = people(rnd);
    const s = { id: rnd.uuid(), la, a, indexInLa, head, chair, risk: rnd.pick(RISK), grade: rnd.int(1, 4) };
    const name = `${rnd.pick(NAMES)} ${rnd.pick(NAMES)} ${KINDS[phase]} ${la}-${indexInLa + 1}`;
    schoolLines.push(
      line([
        s.id,
        created,
        created,
        100_000 + i,
        la,
        2000 + indexInLa,
        name,
        phase,
        rnd.pick(SCHOOL_TYPES),
        null,
        `District ${(indexInLa % 7) + 1}`,
        `${indexInLa + 1} School Lane`,
        null,
        `Town ${la}`,
        null,
        `AB${la % 100} ${indexInLa % 10}CD`,
        head,
        `head.${i}@school.example`,
        chair,
        `chair.${i}@school.example`,
        s.grade,
        `${2013 + rnd.int(0, 10)}-0${rnd.int(1, 9)}-1${rnd.int(0, 9)}`,
        'open',
        null,
        null,
        s.risk,
      ]),
    );
    schools.push(s);
  }
  await copyRows(
    client,
    'school',
    [
      'id',
      'created_at',
      'updated_at',
      'urn',
      'la_code',
      'establishment_number',
      'name',
      'phase',
      'type',
      'establishment_type_name',
      'district',
      'address_line1',
      'address_line2',
      'address_town',
      'address_county',
      'address_postcode',
      'headteacher_name',
      'headteacher_email',
      'chair_of_governors_name',
      'chair_of_governors_email',
      'last_ofsted_grade',
      'last_ofsted_date',
      'status',
      'opened_on',
      'closed_on',
      'current_risk_category',
    ],
    schoolLines,
  );
  counts.school = schoolLines.length;

  // A school keeps its partner for four years, then the authority rotates them.
  const partnerOf = (s, yearIndex) => partners[s.a][(s.indexInLa + Math.floor(yearIndex / 4)) % PARTNERS_PER_AUTHORITY];

  const currentYear = new Date(now).getUTCMonth() >= 8 ? new Date(now).getUTCFullYear() : new Date(now).getUTCFullYear() - 1;
  const allocationLines = [];
  for (let y = FIRST_YEAR; y <= currentYear; y++) {
    for (const s of schools) {
      const yi = y - FIRST_YEAR;
      const at = Date.UTC(y, 6, 1);
      allocationLines.push(
        line([
          rnd.uuidAt(at),
          new Date(at),
          new Date(at),
          partnerOf(s, yi).id,
          s.id,
          `${y}-${String((y + 1) % 100).padStart(2, '0')}`,
          yi % 4 === 0 ? 6 : 5,
          null,
        ]),
      );
    }
  }
  await copyRows(client, 'allocation', ['id', 'created_at', 'updated_at', 'partner_id', 'school_id', 'academic_year', 'days', 'reason'], allocationLines);
  counts.allocation = allocationLines.length;

  const lastRecommendations = new Map(); // school id -> [{ id, status }] of its latest note
  for (const t of Object.keys(TABLES)) counts[t] = 0;
  const started = Date.now();
  for (let y = FIRST_YEAR; y <= currentYear; y++) {
    const yi = y - FIRST_YEAR;
    for (const term of TERMS) {
      const rows = Object.fromEntries(Object.keys(TABLES).map((t) => [t, []]));
      const visits = [];
      for (const s of schools) {
        const partner = partnerOf(s, yi);
        const types = [yi % 4 === 0 && term.type === 'autumn' ? 'familiarisation' : term.type];
        if (term.type === 'autumn') types.push('headteacher_performance_management');
        if (rnd.chance(0.5)) types.push(s.risk === 'A4' ? 'round_table' : rnd.pick(EXTRA_TYPES));
        for (const type of types) {
          const year = y + term.yearOffset;
          const from = Date.UTC(year, term.from[0], term.from[1]);
          const to = Date.UTC(year, term.to[0], term.to[1]);
          let day = from + rnd.int(0, Math.round((to - from) / DAY)) * DAY;
          const dow = new Date(day).getUTCDay();
          if (dow === 0) day += DAY;
          if (dow === 6) day += 2 * DAY;
          const d = new Date(day);
          const startsAt = londonInstant(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), rnd.int(8, 13), rnd.pick([0, 30]));
          visits.push({ s, partner, type, startsAt });
        }
      }
      visits.sort((a, b) => a.startsAt - b.startsAt);
      for (const v of visits) {
        if (v.startsAt > now + 60 * DAY) continue; // bookings run a few weeks ahead, not a whole year
        const past = v.startsAt < now;
        const cancelled = past && rnd.chance(0.04);
        const bookedAt = v.startsAt - rnd.int(14, 60) * DAY;
        const status = !past ? 'booked' : cancelled ? 'cancelled' : 'completed';
        const endsAt = v.startsAt + (v.type === 'round_table' ? 150 : rnd.pick([120, 180, 240])) * 60_000;
        const visitId = rnd.uuidAt(bookedAt);
        const completedAt = status === 'completed' ? endsAt : null;
        const updated = completedAt ?? (cancelled ? v.startsAt - DAY : bookedAt);
        rows.visit.push(
          line([
            visitId,
            new Date(bookedAt),
            new Date(updated),
            v.s.id,
            v.partner.id,
            v.type,
            status,
            new Date(v.startsAt),
            new Date(endsAt),
            'At the school',
            v.type === 'headteacher_performance_management' ? 0.5 : 1,
            0.5,
            cancelled ? 'The school asked to move the visit' : null,
            cancelled ? new Date(v.startsAt - DAY) : null,
            completedAt ? new Date(completedAt) : null,
            status === 'booked' ? 1 : 2,
          ]),
        );
        AGENDA[v.type].forEach((title, i) =>
          rows.agenda_item.push(
            line([
              rnd.uuidAt(bookedAt),
              new Date(bookedAt),
              new Date(bookedAt),
              visitId,
              i + 1,
              title,
              null,
              i === 0 ? 'partner' : rnd.pick(OWNER_ROLES),
              rnd.pick([15, 20, 30, 45]),
            ]),
          ),
        );
        if (status !== 'completed' || v.type === 'headteacher_performance_management') continue;

        // The note: late notes are rare once a visit is a month old; recent ones are in every state.
        const noteAt = endsAt + 3_600_000;
        const draftDue = addWorkingDays(v.startsAt, 5);
        const circulationDue = addWorkingDays(v.startsAt, 10);
        const age = (now - v.startsAt) / DAY;
        let noteStatus;
        if (age > 30) noteStatus = rnd.chance(0.004) ? rnd.pick(['draft', 'shared', 'disputed']) : 'circulated';
        else if (age < 5) noteStatus = rnd.chance(0.7) ? 'draft' : 'shared';
        else noteStatus = rnd.pick(['draft', 'shared', 'agreed', 'disputed', 'circulated', 'circulated']);
        const sharedAt = noteStatus === 'draft' ? null : Math.min(now - 3_600_000, draftDue - rnd.int(0, 3) * DAY);
        const responded = ['agreed', 'disputed', 'circulated'].includes(noteStatus) ? Math.min(now - 1_800_000, sharedAt + rnd.int(1, 3) * DAY) : null;
        const circulatedAt = noteStatus === 'circulated' ? Math.min(now - 60_000, circulationDue - rnd.int(-1, 3) * DAY) : null;
        const noteId = rnd.uuidAt(noteAt);
        const noteUpdated = circulatedAt ?? responded ?? sharedAt ?? noteAt;
        rows.note_of_visit.push(
          line([
            noteId,
            new Date(noteAt),
            new Date(noteUpdated),
            visitId,
            v.partner.id,
            noteStatus,
            rnd.int(2, 6),
            `A ${v.type.replaceAll('_', ' ')} visit: the agreed agenda, with evidence from the school and observation.`,
            'The school has a clear view of its strengths and knows what it must improve; leaders act on advice.',
            isoDate(draftDue),
            isoDate(circulationDue),
            sharedAt ? new Date(sharedAt) : null,
            responded ? noteStatus !== 'disputed' : null,
            responded ? new Date(responded) : null,
            circulatedAt ? new Date(circulatedAt) : null,
            1,
          ]),
        );
        const base = Math.min(4, Math.max(1, v.s.grade + rnd.int(-1, 1)));
        for (const area of AREAS) {
          const schoolGrade = Math.min(4, Math.max(1, base + rnd.int(-1, 0)));
          const partnerGrade = rnd.chance(0.8) ? schoolGrade : Math.min(4, schoolGrade + 1);
          rows.judgement.push(
            line([
              rnd.uuidAt(noteAt),
              new Date(noteAt),
              new Date(noteAt),
              noteId,
              area,
              schoolGrade,
              partnerGrade,
              'f',
              rnd.pick(BASES),
              partnerGrade !== schoolGrade ? "Observed teaching did not yet match the school's own evaluation." : null,
              "Evidence from lesson visits and the school's data.",
            ]),
          );
        }
        for (let i = 1; i <= 2; i++) {
          rows.finding.push(
            line([
              rnd.uuidAt(noteAt),
              new Date(noteAt),
              new Date(noteAt),
              noteId,
              i,
              rnd.pick(AREAS),
              i === 1 ? 'Most pupils make good progress in reading.' : 'A minority of lessons lack challenge for the most able.',
              rnd.pick(BASES),
            ]),
          );
        }
        // Reviews of the recommendations carried from the school's previous note.
        for (const rec of lastRecommendations.get(v.s.id) ?? []) {
          rows.recommendation_review.push(
            line([
              rnd.uuidAt(noteAt),
              new Date(noteAt),
              new Date(noteAt),
              noteId,
              rec.id,
              rec.status === 'open' ? 'in_progress' : rec.status,
              'Reviewed with the headteacher against the success measure.',
            ]),
          );
        }
        const recs = [];
        const recCount = rnd.int(2, 4);
        const recent = age < 120;
        for (let i = 1; i <= recCount; i++) {
          const rec = { id: rnd.uuidAt(noteAt), status: recent ? 'open' : rnd.pick(['achieved', 'achieved', 'achieved', 'not_achieved', 'superseded']) };
          rows.recommendation.push(
            line([
              rec.id,
              new Date(noteAt),
              new Date(noteAt),
              noteId,
              i,
              rnd.pick(REC_ACTIONS),
              "Measured at the next visit against the school's tracking data.",
              rnd.pick(REC_OWNERS),
              null,
              isoDate(v.startsAt + rnd.int(60, 120) * DAY),
              rec.status,
            ]),
          );
          recs.push(rec);
        }
        lastRecommendations.set(v.s.id, recs);
        rows.note_recipient.push(line([rnd.uuidAt(noteAt), new Date(noteAt), new Date(noteAt), noteId, 1, 'headteacher', v.s.head, null]));
        rows.note_recipient.push(line([rnd.uuidAt(noteAt), new Date(noteAt), new Date(noteAt), noteId, 2, 'chair_of_governors', v.s.chair, null]));
      }
      for (const [table, columns] of Object.entries(TABLES)) {
        await copyRows(client, table, columns, rows[table]);
        counts[table] += rows[table].length;
      }
      log(
        `  ${y}-${String((y + 1) % 100).padStart(2, '0')} ${term.type.padEnd(6)}: ${counts.visit.toLocaleString('en-GB')} visits so far (${Math.round((Date.now() - started) / 1000)} s)`,
      );
    }
  }
  return counts;
}
