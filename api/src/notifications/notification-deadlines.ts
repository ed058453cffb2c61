import { loadWorkingCalendar } from '../calendar/council-closure-days.js';
import { LATE_SQL, lateSteps } from '../notes/late-note.rules.js';
import { NoteStatus } from '../notes/note.enums.js';
import { businessDateOf } from '../platform/dates/today.js';
import type { Em, Orm } from '../platform/db/orm.js';
import { NotificationKind } from './notification.enums.js';
import { notificationWords } from './notification.rules.js';
import { dayInWords, tell, visitInWords, type TellDeps } from './notification-record.js';

/**
 * The time-based notifications, found by the scheduled run on the business clock: a draft due on the next
 * working day (told on a working day, so a Monday deadline is told on Friday), a draft late, a note late for
 * circulation (the late rule of notes/late-note.rules.ts, in SQL and step by step). Keyed by note and
 * deadline: a deadline moved (a closure day, the visit moved) is a new deadline, told again.
 */
interface NoteRow {
  id: string;
  visit_id: string;
  status: NoteStatus;
  revision: number;
  draft_due_on: string;
  circulation_due_on: string;
  type: string;
  starts_at: Date;
  school: string;
  author_id: string;
  email: string;
  name: string;
}

export async function tellDeadlines(orm: Orm, deps: TellDeps, now: Date): Promise<number> {
  const em = orm.em.fork() as Em;
  const today = businessDateOf(now);
  const calendar = await loadWorkingCalendar(em);
  const tomorrow = calendar.isWorkingDay(today) ? calendar.addWorkingDays(today, 1) : null;
  const rows = await em.execute<NoteRow[]>(
    `select n.id, n.visit_id, n.status, n.revision, to_char(n.draft_due_on, 'YYYY-MM-DD') as draft_due_on,
            to_char(n.circulation_due_on, 'YYYY-MM-DD') as circulation_due_on, v.type, v.starts_at, s.name as school,
            a.id as author_id, a.email, a.name
       from note_of_visit n join visit v on v.id = n.visit_id join school s on s.id = v.school_id join partner a on a.id = n.author_id
      where a.active and v.status <> 'cancelled'
        and ((n.status = 'draft' and n.revision = 1 and n.draft_due_on = ?) or (${LATE_SQL}))
      order by n.id`,
    [tomorrow ?? '0001-01-01', today, today],
  );
  let told = 0;
  for (const n of rows) {
    const visit = visitInWords(n.type, n.school, new Date(n.starts_at));
    const late = lateSteps({ status: n.status, revision: n.revision, draftDueOn: n.draft_due_on, circulationDueOn: n.circulation_due_on }, today);
    const due: { kind: NotificationKind; dueOn: string }[] = [];
    if (n.status === NoteStatus.DRAFT && n.draft_due_on === tomorrow) due.push({ kind: NotificationKind.DRAFT_DUE_TOMORROW, dueOn: n.draft_due_on });
    if (late.draft) due.push({ kind: NotificationKind.DRAFT_LATE, dueOn: n.draft_due_on });
    if (late.circulation) due.push({ kind: NotificationKind.CIRCULATION_LATE, dueOn: n.circulation_due_on });
    if (!due.length) continue;
    await (orm.em.fork() as Em).transactional(async (tx) => {
      for (const d of due) {
        const words = notificationWords(d.kind as never, { school: n.school, visit, dueOn: dayInWords(d.dueOn) });
        const recipient = { id: n.author_id, email: n.email, name: n.name };
        if (await tell(tx, deps, { key: `${d.kind}:${n.id}:${d.dueOn}`, kind: d.kind, recipient, words, noteId: n.id, visitId: n.visit_id }, now)) told += 1;
      }
      await tx.flush();
    });
  }
  return told;
}
