import type { RetentionKind, RetentionPeriod } from '../platform/retention-config.js';

/**
 * The retention schedule's rules: for each kind of record, the instant its retention
 * counts from (its trigger, as SQL over the kind's table) and which records of it are
 * held back. The periods come from configuration (platform/retention-config.ts); the
 * README ("Retention and rights") cites where the default periods come from.
 *
 * A record goes with everything that only exists as part of it (a note with its
 * judgements, findings, recommendations, targets, revisions, headteacher responses and
 * recipients; a visit with its agenda, attendees, links and school section), and with
 * its own audit trail: audit rows repeat what the record said, so keeping them would
 * keep the record.
 */
export interface RetentionRule {
  kind: RetentionKind;
  /** The table the kind's records live in. */
  table: string;
  /** What the period counts from, in words (the disposal log and the README say it). */
  trigger: string;
  /** SQL choosing the ids past retention: `?` 1 is the cutoff (timestamptz), `?` 2 the batch size. Locks what it chooses, skipping rows another run holds. */
  selectDue: string;
  /**
   * Children deleted with the record, in order: rows whose `column` holds one of the records' ids,
   * or, with `parents`, one of the ids that SQL selects (its `?` is the records' ids, a uuid[]).
   */
  children: { table: string; column: string; parents?: string }[];
}

export const RETENTION_RULES: RetentionRule[] = [
  {
    kind: 'notes',
    table: 'note_of_visit',
    trigger: 'first circulated (or the visit, if never circulated)',
    selectDue: `select n.id from note_of_visit n join visit v on v.id = n.visit_id
      where coalesce(n.first_circulated_at, v.starts_at) < ?
      order by coalesce(n.first_circulated_at, v.starts_at), n.id limit ? for update of n skip locked`,
    children: [
      { table: 'recommendation_review', column: 'note_id' },
      // A later note's review of this note's recommendations goes with them: it is about a recommendation no longer held.
      // (Held back instead, each school's chain of notes, each reviewing the one before, would all wait for the latest.)
      { table: 'recommendation_review', column: 'recommendation_id', parents: 'select r.id from recommendation r where r.note_id = any(?)' },
      { table: 'note_revision', column: 'note_id' },
      { table: 'headteacher_response', column: 'note_id' },
      { table: 'judgement', column: 'note_id' },
      { table: 'finding', column: 'note_id' },
      { table: 'note_target', column: 'note_id' },
      { table: 'note_recipient', column: 'note_id' },
      { table: 'recommendation', column: 'note_id' },
      { table: 'access_link', column: 'note_id' },
      // Quality assurance about the note: its mentor's comments, and its evaluation and place in a sample.
      { table: 'mentor_comment', column: 'note_id' },
      { table: 'note_evaluation', column: 'note_id' },
      { table: 'note_sample_member', column: 'note_id' },
    ],
  },
  {
    kind: 'visits',
    table: 'visit',
    trigger: 'the visit ended (visits whose note is kept stay with it)',
    selectDue: `select v.id from visit v where v.ends_at < ? and not exists (select 1 from note_of_visit n where n.visit_id = v.id)
      order by v.ends_at, v.id limit ? for update of v skip locked`,
    children: [
      { table: 'school_section', column: 'visit_id' },
      { table: 'agenda_item', column: 'visit_id' },
      { table: 'visit_attendee', column: 'visit_id' },
      { table: 'access_link', column: 'visit_id' },
      // usually gone before (five years from the visit), unless the periods were set otherwise
      { table: 'shadowing', column: 'visit_id' },
    ],
  },
  {
    kind: 'schoolSections',
    table: 'school_section',
    trigger: 'submitted by the school',
    selectDue: `select s.id from school_section s where s.submitted_at < ? order by s.submitted_at, s.id limit ? for update of s skip locked`,
    children: [],
  },
  {
    kind: 'accessLinks',
    table: 'access_link',
    trigger: 'the link stopped working (expired or revoked, whichever came first)',
    selectDue: `select l.id from access_link l where least(l.expires_at, coalesce(l.revoked_at, l.expires_at)) < ?
      order by l.expires_at, l.id limit ? for update of l skip locked`,
    children: [],
  },
  {
    kind: 'outboundEmails',
    table: 'outbound_email',
    // Only mail that is finished with: a queued or sending email is still to go.
    trigger: 'sent (or given up as failed)',
    selectDue: `select e.id from outbound_email e where e.status in ('sent', 'failed') and coalesce(e.sent_at, e.updated_at) < ?
      order by coalesce(e.sent_at, e.updated_at), e.id limit ? for update of e skip locked`,
    children: [],
  },
  {
    kind: 'auditEvents',
    table: 'audit_event',
    trigger: 'the change was made',
    selectDue: `select a.id from audit_event a where a.occurred_at < ? order by a.occurred_at, a.id limit ? for update of a skip locked`,
    children: [],
  },
  {
    kind: 'allocations',
    table: 'allocation',
    // The academic year "2026-27" ends on 31 August 2027.
    trigger: 'the end of the academic year allocated',
    selectDue: `select a.id from allocation a where make_date(left(a.academic_year, 4)::int + 1, 8, 31)::timestamptz < ?
      order by a.academic_year, a.id limit ? for update of a skip locked`,
    children: [],
  },
  {
    // Quality assurance of a partner's work is their appraisal's evidence (seed 004 section 19).
    kind: 'shadowings',
    table: 'shadowing',
    trigger: 'the shadowed visit',
    selectDue: `select s.id from shadowing s join visit v on v.id = s.visit_id where v.starts_at < ?
      order by v.starts_at, s.id limit ? for update of s skip locked`,
    children: [],
  },
  {
    kind: 'headteacherFeedback',
    table: 'headteacher_feedback',
    trigger: 'received from the headteacher',
    selectDue: `select f.id from headteacher_feedback f where f.received_at < ? order by f.received_at, f.id limit ? for update of f skip locked`,
    children: [],
  },
  {
    kind: 'notifications',
    table: 'notification',
    // One still waiting for the Teams feed is not finished with.
    trigger: 'sent (in Teams or by email)',
    selectDue: `select n.id from notification n where n.status <> 'pending' and coalesce(n.sent_at, n.updated_at) < ?
      order by coalesce(n.sent_at, n.updated_at), n.id limit ? for update of n skip locked`,
    children: [],
  },
  {
    // A webhook's delivery keeps its payload for replay; long after its retries (hours) it goes, attempts and all.
    kind: 'webhookDeliveries',
    table: 'webhook_delivery',
    trigger: 'the event it carried happened',
    selectDue: `select d.id from webhook_delivery d where d.occurred_at < ? order by d.occurred_at, d.id limit ? for update of d skip locked`,
    children: [{ table: 'webhook_attempt', column: 'delivery_id' }],
  },
];

/** "6 years", "30 days": as PostgreSQL reads an interval, and as the log and the README say it. */
export const periodText = ({ amount, unit }: RetentionPeriod): string => `${amount} ${amount === 1 ? unit.slice(0, -1) : unit}`;

/** The schedule entry in words, e.g. "notes: first circulated (or the visit, if never circulated) + 6 years". */
export const ruleText = (rule: RetentionRule, period: RetentionPeriod): string => `${rule.kind}: ${rule.trigger} + ${periodText(period)}`;

/** The instant before which a trigger is past retention: `now` less the period, in calendar terms (6 years back from 29 February is 28 February). */
export function cutoffOf(now: Date, { amount, unit }: RetentionPeriod): Date {
  const d = new Date(now.getTime());
  if (unit === 'days' || unit === 'weeks') return new Date(d.getTime() - amount * (unit === 'weeks' ? 7 : 1) * 86_400_000);
  const months = unit === 'years' ? amount * 12 : amount;
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}
