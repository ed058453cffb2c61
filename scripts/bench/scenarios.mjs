import { AUTHORITIES, managerEmail, partnerEmail } from './generate.mjs';

/**
 * The five scenarios: what is asked (queries.mjs), by whom, and which rows of the
 * data set they use (chosen by rule, so every run on the same data set asks the same things).
 */

export { FULL_NOTE, OVERDUE_REPORT, PARTNER_VISITS, TYPENAME, UPDATE_NOTE } from './queries.mjs';

/** The authority whose partner, manager and report the scenarios use: one in the middle. */
export const BENCH_LA = 201 + Math.floor(AUTHORITIES / 2);

/** Picks the rows the scenarios need from the data set. */
export async function pickSubjects(client, connections) {
  const partner = partnerEmail(BENCH_LA, 1);
  const manager = managerEmail(BENCH_LA);
  // A recent circulated note of the authority with the most carried recommendations: the fullest note.
  const { rows: notes } = await client.query(
    `select n.id from note_of_visit n join visit v on v.id = n.visit_id join school s on s.id = v.school_id
     where s.la_code = $1 and n.status = 'circulated' and v.starts_at > now() - interval '400 days'
     order by (select count(*) from recommendation_review r where r.note_id = n.id) desc, (select count(*) from recommendation r where r.note_id = n.id) desc, n.id
     limit 1`,
    [BENCH_LA],
  );
  // Drafts to edit, one per connection, from another authority so the other scenarios' answers stay put.
  const { rows: drafts } = await client.query(
    `select n.id, n.version from note_of_visit n join visit v on v.id = n.visit_id join school s on s.id = v.school_id
     where s.la_code = $1 and n.status = 'draft' order by n.id limit $2`,
    [BENCH_LA + 1, connections],
  );
  if (!notes.length || drafts.length < connections) throw new Error('The data set lacks the notes the scenarios need: regenerate it (--regenerate).');
  // Each load signs in as its own person: the rate limit counts per person per minute, and at the
  // highest limit the configuration takes (100,000) one person's notes, edits and floor requests
  // together could reach it within a minute.
  return { partner, manager, editor: managerEmail(BENCH_LA + 1), floor: managerEmail(BENCH_LA + 2), noteId: notes[0].id, drafts };
}
