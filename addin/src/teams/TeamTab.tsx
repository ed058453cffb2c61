import { Link, Spinner, Text } from '@fluentui/react-components';
import type { ApiClient } from '../shared/api/api-client.js';
import { formatDate, isoDay, noteStatusLabel, sentence } from '../shared/format.js';
import type { TeamOverviewQuery as TeamResult, TeamsMeQuery } from '../shared/graphql/generated/graphql.js';
import { AREA_LABELS, AREAS, type Area } from '../shared/note-editor/note-model.js';
import { DataTable, type Column } from '../shared/ui/DataTable.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { useAsync } from '../shared/ui/use-async.js';
import { londonToday } from './dates.js';
import { routeHref } from './router.js';
import { TeamQuery } from './teams.documents.js';

type Me = NonNullable<TeamsMeQuery['me']>;

type Disputed = TeamResult['disputedNotes'][number];
const grade = (g: number | null | undefined) => (g ? String(g) : 'not graded');

/** What the headteacher disputes, in their words, beside the partner's grades and reasons: the manager never moderates blind. */
function DisputeDetail({ note }: { note: Disputed }) {
  const headings = [...note.judgements]
    .filter((j) => j.headteacherComment || j.disagreementReason)
    .sort((a, b) => AREAS.indexOf(a.area as Area) - AREAS.indexOf(b.area as Area));
  const latest = note.responses?.at(-1);
  return (
    <div className="sv-stack sv-dispute" data-testid="dispute-detail">
      <Text size={200}>
        Disputed{note.headteacherRespondedAt ? ` on ${formatDate(note.headteacherRespondedAt)}` : ''}.
        {latest?.recordedVia === 'MANAGER' ? ` Recorded by a senior adviser on the headteacher's behalf. Why: ${sentence(latest.reason ?? 'not given')}` : ''}
      </Text>
      {note.headteacherComment && (
        <figure className="sv-ht-words">
          <figcaption className="sv-ht-words-label">The headteacher's overall comment (their words)</figcaption>
          <blockquote>{note.headteacherComment}</blockquote>
        </figure>
      )}
      {headings.length > 0 && (
        <dl className="sv-ht-headings">
          {headings.map((j) => (
            <div key={j.area}>
              <dt>
                {areaLabel(j.area)}: school {grade(j.schoolGrade)}, partner {j.insufficientEvidence ? 'insufficient evidence' : grade(j.partnerGrade)}
              </dt>
              {j.disagreementReason && <dd>The partner's reason: {j.disagreementReason}</dd>}
              {j.headteacherComment && (
                <dd>
                  The headteacher's comment (their words): <q>{j.headteacherComment}</q>
                </dd>
              )}
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

const areaLabel = (area: string) => AREA_LABELS[area as Area] ?? area;

const days = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, ''));

/** The Team tab, for senior advisers: late notes by partner, disputed notes to moderate, allocation days by school. */
export function TeamTab({ api, me, academicYear }: { api: ApiClient; me: Me; academicYear: string }) {
  const manager = me.role === 'MANAGER';
  const state = useAsync(() => (manager ? api.request(TeamQuery, { academicYear }) : Promise.resolve(null)), [api, manager, academicYear]);
  if (!manager) {
    return (
      <section className="sv-stack" aria-labelledby="team-title">
        <h2 id="team-title">Team</h2>
        <Text>This tab is for senior advisers (managers): late notes, disputed notes to moderate and allocation days across the team.</Text>
      </section>
    );
  }
  if (state.status === 'loading') return <Spinner label="Loading the team’s notes…" />;
  if (state.status === 'failed') return <ErrorMessage error={state.error} onRetry={state.reload} />;
  const team = state.value!;
  const allocations = [...team.allocationUsageReport].sort(
    (a, b) => a.school.name.localeCompare(b.school.name) || a.partner.name.localeCompare(b.partner.name),
  );
  const lateNotes = team.overdueNotes.flatMap((row) => row.notes.map((note) => ({ partner: row.partner, note })));
  return (
    <div className="sv-stack">
      <section className="sv-stack" aria-labelledby="team-late">
        <h2 id="team-late">Late notes by partner</h2>
        {lateNotes.length === 0 ? <Text>No note is late.</Text> : <LateNotesTable rows={lateNotes} today={londonToday()} />}
      </section>
      <section className="sv-stack" aria-labelledby="team-disputed">
        <h2 id="team-disputed">Disputed notes to moderate</h2>
        {team.disputedNotes.length === 0 ? (
          <Text>No note is waiting for moderation.</Text>
        ) : (
          <ul className="sv-list sv-disputed" data-testid="disputed-notes">
            {team.disputedNotes.map((n) => (
              <li key={n.id} data-note-id={n.id}>
                <article className="sv-stack" aria-labelledby={`disputed-${n.id}`}>
                  <Link id={`disputed-${n.id}`} href={routeHref({ tab: 'notes', visitId: n.visit.id })}>
                    {n.visit.school.name}, {formatDate(n.visit.startsAt)} ({n.author.name}): open to moderate
                  </Link>
                  <Link href={routeHref({ tab: 'school', schoolId: n.visit.school.id })}>The school’s page: {n.visit.school.name}</Link>
                  <DisputeDetail note={n} />
                </article>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="sv-stack" aria-labelledby="team-allocations">
        <h2 id="team-allocations">Allocation days, {academicYear}</h2>
        <AllocationsTable rows={allocations} academicYear={academicYear} />
      </section>
    </div>
  );
}

type LateRow = { partner: TeamResult['overdueNotes'][number]['partner']; note: TeamResult['overdueNotes'][number]['notes'][number] };

/** What is late about a note (late-note.rules.ts): a draft not shared by its date, or a note not circulated by its date. */
const lateness = (n: LateRow['note'], today: string) => (n.status === 'DRAFT' && n.draftDueOn < today ? 'Draft' : 'Circulation');

/** One row per late note, most overdue first as the report gives them; filter by partner to see one partner's. */
function LateNotesTable({ rows, today }: { rows: LateRow[]; today: string }) {
  const columns: Column<LateRow>[] = [
    {
      id: 'partner',
      header: 'Partner',
      rowHeader: true,
      text: (r) => r.partner.name,
      cell: (r) => (
        <Link href={routeHref({ tab: 'calendar', partnerId: r.partner.id, day: null })} aria-label={`${r.partner.name}: their term as a calendar`}>
          {r.partner.name}
        </Link>
      ),
      choices: true,
    },
    {
      id: 'school',
      header: 'School',
      text: (r) => r.note.visit.school.name,
      cell: (r) => <Link href={routeHref({ tab: 'school', schoolId: r.note.visit.school.id })}>{r.note.visit.school.name}</Link>,
    },
    {
      id: 'visit',
      header: 'Visit',
      text: (r) => formatDate(r.note.visit.startsAt),
      cell: (r) => (
        <Link
          href={routeHref({ tab: 'notes', visitId: r.note.visit.id })}
          aria-label={`Open the note: ${r.note.visit.school.name}, ${formatDate(r.note.visit.startsAt)}`}
        >
          {formatDate(r.note.visit.startsAt)}
        </Link>
      ),
      sortValue: (r) => r.note.visit.startsAt,
      csv: (r) => isoDay(r.note.visit.startsAt),
    },
    { id: 'status', header: 'Note', text: (r) => noteStatusLabel(r.note.status), choices: true },
    { id: 'late', header: 'Late', text: (r) => lateness(r.note, today), choices: true },
    { id: 'draft', header: 'Draft due', text: (r) => formatDate(r.note.draftDueOn), sortValue: (r) => r.note.draftDueOn, csv: (r) => r.note.draftDueOn },
    {
      id: 'circulation',
      header: 'Circulation due',
      text: (r) => formatDate(r.note.circulationDueOn),
      sortValue: (r) => r.note.circulationDueOn,
      csv: (r) => r.note.circulationDueOn,
    },
  ];
  return (
    <DataTable
      caption="Late notes: drafts not shared and notes not circulated by their dates, most overdue first"
      name="late notes"
      columns={columns}
      rows={rows}
      rowKey={(r) => r.note.id}
      rowProps={(r) => ({ 'data-note-id': r.note.id, 'data-partner-id': r.partner.id })}
      emptyText="No note is late."
      testId="late-notes"
    />
  );
}

type AllocationRow = TeamResult['allocationUsageReport'][number];

function AllocationsTable({ rows, academicYear }: { rows: AllocationRow[]; academicYear: string }) {
  const columns: Column<AllocationRow>[] = [
    {
      id: 'school',
      header: 'School',
      rowHeader: true,
      text: (a) => a.school.name,
      cell: (a) => <Link href={routeHref({ tab: 'school', schoolId: a.school.id })}>{a.school.name}</Link>,
    },
    {
      id: 'partner',
      header: 'Partner',
      text: (a) => a.partner.name,
      cell: (a) => (
        <Link href={routeHref({ tab: 'calendar', partnerId: a.partner.id, day: null })} aria-label={`${a.partner.name}: their term as a calendar`}>
          {a.partner.name}
        </Link>
      ),
      choices: true,
    },
    { id: 'days', header: 'Allocated', text: (a) => days(a.days), sortValue: (a) => a.days, csv: (a) => a.days },
    { id: 'used', header: 'Used', text: (a) => days(a.daysSpent), sortValue: (a) => a.daysSpent, csv: (a) => a.daysSpent },
    {
      id: 'remaining',
      header: 'Remaining',
      text: (a) => (a.daysRemaining < 0 ? `${days(a.daysRemaining)} (over)` : days(a.daysRemaining)),
      sortValue: (a) => a.daysRemaining,
      csv: (a) => a.daysRemaining,
    },
  ];
  return (
    <DataTable
      caption={`Days allocated, used and remaining per school, ${academicYear}`}
      name={`allocation days ${academicYear}`}
      columns={columns}
      rows={rows}
      rowKey={(a) => a.id}
      rowProps={(a) => ({ 'data-over': a.daysRemaining < 0 || undefined, 'data-allocation-id': a.id })}
      emptyText={`No school has an allocation for ${academicYear}.`}
      testId="allocations"
    />
  );
}
