import { Link, Spinner, Text } from '@fluentui/react-components';
import type { ApiClient } from '../shared/api/api-client.js';
import { enumWords, formatDate, formatDateTime, isoDay, isoDayTime, noteStatusLabel, sentence, visitTypeLabel } from '../shared/format.js';
import type { SchoolRecordsQuery as SchoolRecordsResult } from '../shared/graphql/generated/graphql.js';
import { GRADE_LABELS, PROGRESS_LABELS, type Progress } from '../shared/note-editor/note-model.js';
import { DataTable, type Column } from '../shared/ui/DataTable.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { useAsync } from '../shared/ui/use-async.js';
import { JudgementChart, JudgementTable } from './JudgementChart.js';
import { RiskCategorySection } from './RiskCategorySection.js';
import { routeHref } from './router.js';
import { SchoolDetailsQuery, SchoolRecordsQuery } from './team-views.documents.js';
import { allSchoolVisits, type SchoolVisitRow } from './visit-pages.js';

type Records = NonNullable<SchoolRecordsResult['school']>;
type SchoolRecommendation = Records['recommendations'][number];

const capital = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);
const days = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/0$/, ''));
const progressWords = (p: string | null | undefined) => (p ? (PROGRESS_LABELS[p as Progress] ?? capital(enumWords(p))) : 'Not yet reviewed');

/** A school's page (#/schools/<id>): its details, visits, judgements over time as a chart, and recommendations with their progress. */
export function SchoolPage({ api, schoolId, academicYear, manager }: { api: ApiClient; schoolId: string; academicYear: string; manager: boolean }) {
  const details = useAsync(() => api.request(SchoolDetailsQuery, { id: schoolId }), [api, schoolId]);
  if (details.status === 'loading') return <Spinner label="Loading the school…" />;
  if (details.status === 'failed') return <ErrorMessage error={details.error} onRetry={details.reload} />;
  const school = details.value.school!;
  const ofsted = school.lastOfstedGrade
    ? `${GRADE_LABELS[String(school.lastOfstedGrade)]}${school.lastOfstedDate ? `, ${formatDate(school.lastOfstedDate)}` : ''}`
    : 'None recorded';
  return (
    <article className="sv-stack sv-school-page" aria-labelledby="school-title" data-testid="school-page">
      <h2 id="school-title">{school.name}</h2>
      <dl className="sv-facts">
        <div>
          <dt>DfE number</dt>
          <dd>{school.dfeNumber}</dd>
        </div>
        <div>
          <dt>URN</dt>
          <dd>{school.urn}</dd>
        </div>
        <div>
          <dt>Phase and type</dt>
          <dd>
            {capital(enumWords(school.phase))}, {school.establishmentTypeName ?? enumWords(school.type)}
          </dd>
        </div>
        {school.status !== 'OPEN' && (
          <div>
            <dt>Status</dt>
            <dd>{capital(enumWords(school.status))}</dd>
          </div>
        )}
        {school.district && (
          <div>
            <dt>District</dt>
            <dd>{school.district}</dd>
          </div>
        )}
        {school.address?.oneLine && (
          <div>
            <dt>Address</dt>
            <dd>{school.address.oneLine}</dd>
          </div>
        )}
        {school.headteacher?.name && (
          <div>
            <dt>Headteacher</dt>
            <dd>{school.headteacher.name}</dd>
          </div>
        )}
        {school.chairOfGovernors?.name && (
          <div>
            <dt>Chair of governors</dt>
            <dd>{school.chairOfGovernors.name}</dd>
          </div>
        )}
        <div>
          <dt>Last Ofsted inspection</dt>
          <dd>{ofsted}</dd>
        </div>
      </dl>
      {manager && <RiskCategorySection api={api} schoolId={schoolId} schoolName={school.name} />}
      <SchoolRecords api={api} schoolId={schoolId} schoolName={school.name} academicYear={academicYear} />
    </article>
  );
}

/** What the school's records say; a partner without access to them is told why, under the details anyone may read. */
function SchoolRecords({ api, schoolId, schoolName, academicYear }: { api: ApiClient; schoolId: string; schoolName: string; academicYear: string }) {
  const state = useAsync(
    () => Promise.all([api.request(SchoolRecordsQuery, { id: schoolId, academicYear }), allSchoolVisits(api, schoolId)]),
    [api, schoolId, academicYear],
  );
  if (state.status === 'loading') return <Spinner label="Loading the school’s visits and notes…" />;
  if (state.status === 'failed') return <ErrorMessage error={state.error} onRetry={state.reload} />;
  const [{ school }, visits] = state.value;
  const records = school!;
  return (
    <>
      {records.allocations.length > 0 && (
        <section className="sv-stack" aria-labelledby="school-allocations">
          <h3 id="school-allocations">Partners this year ({academicYear})</h3>
          <ul className="sv-list">
            {records.allocations.map((a) => (
              <li key={a.id}>
                <Link href={routeHref({ tab: 'calendar', partnerId: a.partner.id, day: null })}>{a.partner.name}</Link>: {days(a.daysSpent)} of {days(a.days)}{' '}
                days used, {a.daysRemaining < 0 ? `${days(-a.daysRemaining)} over` : `${days(a.daysRemaining)} left`}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section className="sv-stack" aria-labelledby="school-judgements">
        <h3 id="school-judgements">Judgements over time</h3>
        <JudgementChart history={records.judgementHistory} schoolName={schoolName} />
        <JudgementTable history={records.judgementHistory} schoolName={schoolName} />
      </section>
      <section className="sv-stack" aria-labelledby="school-recommendations">
        <h3 id="school-recommendations">Recommendations and their progress</h3>
        <RecommendationsTable recommendations={records.recommendations} schoolName={schoolName} />
      </section>
      <section className="sv-stack" aria-labelledby="school-visits">
        <h3 id="school-visits">Visits</h3>
        <SchoolVisitsTable visits={visits} schoolName={schoolName} />
      </section>
    </>
  );
}

function SchoolVisitsTable({ visits, schoolName }: { visits: SchoolVisitRow[]; schoolName: string }) {
  const columns: Column<SchoolVisitRow>[] = [
    { id: 'when', header: 'When', rowHeader: true, text: (v) => formatDateTime(v.startsAt), sortValue: (v) => v.startsAt, csv: (v) => isoDayTime(v.startsAt) },
    {
      id: 'type',
      header: 'Visit',
      text: (v) => `${visitTypeLabel(v.type)}${v.status === 'CANCELLED' ? ' (cancelled)' : ''}`,
      choices: (v) => visitTypeLabel(v.type),
    },
    { id: 'status', header: 'Status', text: (v) => capital(enumWords(v.status)), choices: true },
    {
      id: 'partner',
      header: 'Lead partner',
      text: (v) => v.leadPartner.name,
      cell: (v) => <Link href={routeHref({ tab: 'calendar', partnerId: v.leadPartner.id, day: isoDay(v.startsAt) })}>{v.leadPartner.name}</Link>,
      choices: true,
    },
    {
      id: 'note',
      header: 'Note of visit',
      text: (v) => (!v.expectsNote ? 'No note (feedback form)' : `${noteStatusLabel(v.note?.status)}${v.note?.overdue ? ' (late)' : ''}`),
      cell: (v) =>
        !v.expectsNote ? (
          'No note (feedback form)'
        ) : v.note ? (
          <Link
            href={routeHref({ tab: 'notes', visitId: v.id })}
            aria-label={`${noteStatusLabel(v.note.status)}${v.note.overdue ? ' (late)' : ''}: the note of ${formatDate(v.startsAt)}`}
          >
            {noteStatusLabel(v.note.status)}
            {v.note.overdue ? ' (late)' : ''}
          </Link>
        ) : (
          noteStatusLabel(null)
        ),
      choices: (v) => (v.expectsNote ? noteStatusLabel(v.note?.status) : 'No note'),
    },
  ];
  return (
    <DataTable
      caption={`Visits to ${schoolName}, latest first`}
      name={`visits to ${schoolName}`}
      columns={columns}
      rows={visits}
      rowKey={(v) => v.id}
      rowProps={(v) => ({ 'data-visit-id': v.id })}
      initialSort={{ column: 'when', direction: 'descending' }}
      emptyText="No visit to this school is recorded."
      testId="school-visits"
    />
  );
}

const reviewWords = (r: SchoolRecommendation['reviews'][number]) =>
  `${formatDate(r.visitDate)}: ${progressWords(r.progress).toLowerCase()}${r.noteStatus !== 'CIRCULATED' ? ' (note not yet circulated)' : ''}${r.comment ? `. ${sentence(r.comment)}` : ''}`;

function RecommendationsTable({ recommendations, schoolName }: { recommendations: SchoolRecommendation[]; schoolName: string }) {
  const columns: Column<SchoolRecommendation>[] = [
    {
      id: 'made',
      header: 'Made at the visit of',
      text: (r) => `${formatDate(r.visitDate)}${r.noteStatus !== 'CIRCULATED' ? ` (${noteStatusLabel(r.noteStatus).toLowerCase()} note)` : ''}`,
      cell: (r) => (
        <>
          <Link href={routeHref({ tab: 'notes', visitId: r.visitId })}>{formatDate(r.visitDate)}</Link>
          {r.noteStatus !== 'CIRCULATED' && <Text size={200}> ({noteStatusLabel(r.noteStatus).toLowerCase()} note)</Text>}
        </>
      ),
      sortValue: (r) => `${r.visitDate}-${String(r.position).padStart(2, '0')}`,
      csv: (r) => isoDay(r.visitDate),
    },
    {
      id: 'action',
      header: 'Recommendation',
      rowHeader: true,
      text: (r) => r.action,
      cell: (r) => (
        <div className="sv-stack sv-tight">
          <span>{r.action}</span>
          <Text size={200}>Success measure: {r.successMeasure}</Text>
        </div>
      ),
      sortValue: false,
    },
    { id: 'owner', header: 'Owner', text: (r) => `${r.ownerRole}${r.ownerInitials ? ` (${r.ownerInitials})` : ''}`, choices: (r) => r.ownerRole },
    { id: 'due', header: 'Due by', text: (r) => formatDate(r.dueOn), sortValue: (r) => r.dueOn, csv: (r) => isoDay(r.dueOn) },
    { id: 'status', header: 'Status', text: (r) => capital(enumWords(r.status)), choices: true },
    {
      id: 'progress',
      header: 'Progress at later visits',
      text: (r) => (r.reviews.length ? r.reviews.map(reviewWords).join('; ') : 'Not yet reviewed'),
      cell: (r) =>
        r.reviews.length ? (
          <ul className="sv-list">
            {r.reviews.map((review) => (
              <li key={review.noteId}>{reviewWords(review)}</li>
            ))}
          </ul>
        ) : (
          'Not yet reviewed'
        ),
      sortValue: (r) => r.reviews.at(-1)?.progress ?? null,
      choices: (r) => progressWords(r.reviews.at(-1)?.progress),
    },
  ];
  return (
    <DataTable
      caption={`Recommendations made to ${schoolName}, latest visit first, with their progress at later visits`}
      name={`recommendations for ${schoolName}`}
      columns={columns}
      rows={recommendations}
      rowKey={(r) => r.id}
      rowProps={(r) => ({ 'data-recommendation-id': r.id })}
      emptyText="No note of visit of this school has made a recommendation yet."
      testId="school-recommendations"
    />
  );
}
