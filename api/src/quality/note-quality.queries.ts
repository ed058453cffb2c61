import type { AccessPolicy } from '../platform/auth/access-policy.js';
import type { Em } from '../platform/db/orm.js';
import { academicYearBounds, checkAcademicYear } from '../platform/dates/academic-year.js';
import { Partner } from '../partners/partner.entity.js';
import { PartnerRole } from '../partners/partner.enums.js';
import { NoteEvaluation } from './note-evaluation.entity.js';
import { NoteSample } from './note-sample.entity.js';

export function noteSamples(em: Em, access: AccessPolicy, academicYear: string): Promise<NoteSample[]> {
  access.assertManager('see the samples of notes');
  return em.find(NoteSample, { academicYear: checkAcademicYear(academicYear) }, { orderBy: { drawnAt: 'desc', id: 'desc' } });
}

/** A partner's feedback: theirs to read, and managers'. Newest first. */
export function evaluationsOf(em: Em, partnerId: string): Promise<NoteEvaluation[]> {
  return em.find(NoteEvaluation, { partner: partnerId }, { orderBy: { givenAt: 'desc', id: 'desc' } });
}

export interface PartnerNoteQualityRow {
  partner: Partner;
  notesCirculated: number;
  notesSampled: number;
  evaluationsGiven: number;
  lastFeedbackAt: Date | null;
}

const REPORT_SQL = `select p.id,
  (select count(*) from note_of_visit n join visit v on v.id = n.visit_id
     where n.author_id = p.id and (n.status = 'circulated' or n.first_circulated_at is not null) and v.starts_at >= ? and v.starts_at < ?)::int as circulated,
  (select count(distinct m.note_id) from note_sample_member m join note_sample s on s.id = m.sample_id where m.partner_id = p.id and s.academic_year = ?)::int as sampled,
  (select count(*) from note_evaluation e where e.partner_id = p.id and e.given_at >= ? and e.given_at < ?)::int as given,
  (select max(e.given_at) from note_evaluation e where e.partner_id = p.id) as last_feedback
  from partner p where p.active and p.role = ? order by p.name, p.id`;

/**
 * Per active partner: notes circulated in the academic year (visits in it), notes sampled in the
 * year's samples, evaluations given in the year, and the last feedback ever given. The handbook:
 * every partner gets feedback on their notes at least once a year.
 */
export async function noteQualityReport(em: Em, access: AccessPolicy, academicYear: string): Promise<PartnerNoteQualityRow[]> {
  access.assertManager('see the quality report');
  const year = checkAcademicYear(academicYear);
  const { from, to } = academicYearBounds(year);
  const rows = await em.execute<{ id: string; circulated: number; sampled: number; given: number; last_feedback: string | Date | null }[]>(REPORT_SQL, [
    from,
    to,
    year,
    from,
    to,
    PartnerRole.PARTNER,
  ]);
  const partners = new Map((await em.find(Partner, { id: { $in: rows.map((r) => r.id) } })).map((p) => [p.id, p]));
  return rows.map((r) => ({
    partner: partners.get(r.id)!,
    notesCirculated: Number(r.circulated),
    notesSampled: Number(r.sampled),
    evaluationsGiven: Number(r.given),
    lastFeedbackAt: r.last_feedback ? new Date(r.last_feedback) : null,
  }));
}
