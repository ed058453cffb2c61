import type { Em } from '../src/platform/db/orm.js';
import type { Ledger, NoteAck } from './soak-load.js';

/**
 * After the run, straight from the database: every acknowledged write is there,
 * nothing is half-written, and the version check held across servers.
 *
 * - a booking acknowledged → exactly one visit for its appointment, the one the
 *   server named, with its whole template agenda;
 * - a note save acknowledged → its audit row (same transaction as the save, found
 *   by the request id the driver sent); no two acknowledged saves of a note got
 *   the same version (that would be a lost update); the note as it stands is one
 *   save whole: its summary's mark and every finding's mark agree, and as many
 *   findings as that save sent; if no later save committed, it is the last one
 *   acknowledged.
 */
export interface Verification {
  bookingsAcknowledged: number;
  bookingsVerified: number;
  noteSavesAcknowledged: number;
  noteSavesVerified: number;
  notesChecked: number;
  problems: string[];
}

export async function verifyLedger(em: Em, ledger: Ledger, runId: string): Promise<Verification> {
  const problems: string[] = [];
  const q = <T = Record<string, any>>(sql: string, params: unknown[] = []) => em.getConnection().execute<T[]>(sql, params);

  // Bookings.
  const [template] = await q<{ n: number }>(`select jsonb_array_length(items)::int as n from agenda_template where visit_type = 'spring'`);
  const agendaLength = template?.n ?? 0;
  const visits = await q<{ id: string; uid: string; agenda: number }>(
    `select v.id, v.appointment_ical_uid as uid, (select count(*)::int from agenda_item a where a.visit_id = v.id) as agenda
       from visit v where v.appointment_ical_uid like ?`,
    [`${runId}-%`],
  );
  const byUid = new Map<string, { id: string; agenda: number }[]>();
  for (const v of visits) byUid.set(v.uid, [...(byUid.get(v.uid) ?? []), v]);
  let bookingsVerified = 0;
  for (const ack of ledger.bookings) {
    const found = byUid.get(ack.icalUid) ?? [];
    if (found.length !== 1) problems.push(`booking ${ack.icalUid} (request ${ack.requestId}): ${found.length} visits`);
    else if (found[0]!.id !== ack.visitId) problems.push(`booking ${ack.icalUid}: visit ${found[0]!.id}, acknowledged as ${ack.visitId}`);
    else bookingsVerified++;
  }
  for (const [uid, found] of byUid) {
    if (uid.includes('-setup-')) continue; // the set-up's past visits carry notes, not the template agenda check
    for (const v of found)
      if (v.agenda !== agendaLength) problems.push(`visit ${v.id} (${uid}) has ${v.agenda} agenda items, not ${agendaLength}: half-written`);
  }

  // Note saves: the audit row written in the save's own transaction.
  const audited = new Set(
    (
      await q<{ request_id: string }>(
        `select distinct request_id from audit_event where entity_type = 'NoteOfVisit' and action = 'update' and request_id like 'soak-%'`,
      )
    ).map((r) => r.request_id),
  );
  let noteSavesVerified = 0;
  const acksByNote = new Map<string, NoteAck[]>();
  for (const ack of ledger.noteAcks) {
    acksByNote.set(ack.noteId, [...(acksByNote.get(ack.noteId) ?? []), ack]);
    if (audited.has(ack.requestId)) noteSavesVerified++;
    else problems.push(`note save ${ack.mark} (request ${ack.requestId}) acknowledged but not in the database`);
  }
  const noteIds = [...new Set([...ledger.noteAttempts.values()].map((a) => a.noteId))];
  for (const noteId of noteIds) {
    const acks = acksByNote.get(noteId) ?? [];
    const versions = acks.map((a) => a.version);
    if (new Set(versions).size !== versions.length) problems.push(`note ${noteId}: two acknowledged saves got the same version (a lost update)`);
    const [note] = await q<{ version: number; summary: string | null }>(`select version, summary from note_of_visit where id = ?`, [noteId]);
    if (!note) {
      problems.push(`note ${noteId} is missing`);
      continue;
    }
    const findings = await q<{ text: string }>(`select text from finding where note_id = ? order by position`, [noteId]);
    const mark = /Soak summary (\S+)/.exec(note.summary ?? '')?.[1];
    const last = acks.reduce<NoteAck | null>((best, a) => (!best || a.version > best.version ? a : best), null);
    if (last && note.version < last.version) problems.push(`note ${noteId}: version ${note.version}, but a save was acknowledged at ${last.version}`);
    if (last && note.version === last.version && mark !== last.mark)
      problems.push(`note ${noteId}: holds ${mark}, but the last acknowledged save was ${last.mark}`);
    if (!mark) {
      if (acks.length) problems.push(`note ${noteId}: acknowledged saves, but its summary is "${note.summary}"`);
      continue;
    }
    const attempt = ledger.noteAttempts.get(mark);
    if (!attempt) problems.push(`note ${noteId}: summary from a save never sent (${mark})`);
    else if (findings.length !== attempt.findings || findings.some((f) => !f.text.endsWith(` of ${mark}`))) {
      problems.push(`note ${noteId}: half-written: summary of ${mark} with findings [${findings.map((f) => f.text).join(' | ')}]`);
    }
  }
  return {
    bookingsAcknowledged: ledger.bookings.length,
    bookingsVerified,
    noteSavesAcknowledged: ledger.noteAcks.length,
    noteSavesVerified,
    notesChecked: noteIds.length,
    problems,
  };
}
