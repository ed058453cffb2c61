import { Link, Spinner, Text } from '@fluentui/react-components';
import type { ApiClient } from '../shared/api/api-client.js';
import { formatDate, formatDateTime, formatTime, isoDay, isoDayTime, noteStatusLabel, visitTypeLabel } from '../shared/format.js';
import type { PartnerTermsQuery as PartnerTermsResult } from '../shared/graphql/generated/graphql.js';
import { DataTable, type Column } from '../shared/ui/DataTable.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { useAsync } from '../shared/ui/use-async.js';
import { academicYearOf, addDays, londonMidnight, londonToday } from './dates.js';
import { routeHref } from './router.js';
import { ClosureDaysQuery, PartnerTermsQuery } from './team-views.documents.js';
import { allVisits, type VisitRow } from './visit-pages.js';

type Calendar = NonNullable<PartnerTermsResult['current']>;
type Range = { name: string; startsOn: string; endsOn: string };
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

/** "2026-27" → "2025-26" (−1) or "2027-28" (+1). */
function shiftYear(academicYear: string, by: number): string {
  const start = Number(academicYear.slice(0, 4)) + by;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}
const weekday = (day: string) => new Date(`${day}T12:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday
const mondayOf = (day: string) => addDays(day, -((weekday(day) + 6) % 7));
const within = (day: string, r: Range) => r.startsOn <= day && day <= r.endsOn;

/** The term to show for a day: the one it falls in, else the next to start, else the last one. */
export function termFor(terms: Range[], day: string): number {
  const inside = terms.findIndex((t) => within(day, t));
  if (inside >= 0) return inside;
  const next = terms.findIndex((t) => t.startsOn > day);
  return next >= 0 ? next : terms.length - 1;
}

/**
 * A partner's term as a calendar (#/partners/<id>/calendar[/<a day in the term>]): the weeks of
 * the term from the term calendar, a column per weekday, each day's visits (time, school, type;
 * a cancelled one struck through and said to be cancelled), holidays and the council's closure
 * days marked in words, and the previous and next term. A table a screen reader walks by week and day.
 */
export function PartnerCalendar({ api, partnerId, day }: { api: ApiClient; partnerId: string; day: string | null }) {
  const today = londonToday();
  const asked = day ?? today;
  const year = academicYearOf(asked);
  const terms = useAsync(
    () => api.request(PartnerTermsQuery, { id: partnerId, before: shiftYear(year, -1), year, after: shiftYear(year, 1) }),
    [api, partnerId, year],
  );
  if (terms.status === 'loading') return <Spinner label="Loading the term calendar…" />;
  if (terms.status === 'failed') return <ErrorMessage error={terms.error} onRetry={terms.reload} />;
  const { partner } = terms.value;
  if (!partner) return <Text>No partner has this id: pick the partner again from the Team tab.</Text>;
  const calendars = [terms.value.before, terms.value.current, terms.value.after].filter((c): c is Calendar => !!c);
  const allTerms = calendars.flatMap((c) => c.terms).sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  const holidays = calendars.flatMap((c) => c.holidays);
  const heading = <h2 id="calendar-title">{partner.name}: visits by term</h2>;
  if (!allTerms.length) {
    return (
      <section className="sv-stack" aria-labelledby="calendar-title">
        {heading}
        <Text>No term calendar is recorded for {year}: a senior adviser records it (term dates and holidays) first.</Text>
      </section>
    );
  }
  const index = termFor(allTerms, asked);
  const term = allTerms[index]!;
  const previous = allTerms[index - 1];
  const next = allTerms[index + 1];
  return (
    <section className="sv-stack" aria-labelledby="calendar-title" data-testid="partner-calendar">
      {heading}
      <nav className="sv-row sv-term-nav" aria-label="Terms">
        {previous ? <Link href={routeHref({ tab: 'calendar', partnerId, day: previous.startsOn })}>Previous term: {previous.name}</Link> : <span />}
        <Text weight="semibold" data-testid="term-name">
          {term.name}: {formatDate(term.startsOn)} to {formatDate(term.endsOn)}
        </Text>
        {next ? <Link href={routeHref({ tab: 'calendar', partnerId, day: next.startsOn })}>Next term: {next.name}</Link> : <span />}
      </nav>
      <TermWeeks key={term.startsOn} api={api} partnerId={partnerId} partnerName={partner.name} term={term} holidays={holidays} today={today} />
    </section>
  );
}

function TermWeeks({
  api,
  partnerId,
  partnerName,
  term,
  holidays,
  today,
}: {
  api: ApiClient;
  partnerId: string;
  partnerName: string;
  term: Range;
  holidays: Range[];
  today: string;
}) {
  const state = useAsync(
    () =>
      Promise.all([
        allVisits(api, { partnerId, from: londonMidnight(term.startsOn), to: londonMidnight(addDays(term.endsOn, 1)) }),
        api.request(ClosureDaysQuery, { from: term.startsOn, to: term.endsOn }),
      ]),
    [api, partnerId, term.startsOn, term.endsOn],
  );
  if (state.status === 'loading') return <Spinner label="Loading the term’s visits…" />;
  if (state.status === 'failed') return <ErrorMessage error={state.error} onRetry={state.reload} />;
  const [visits, { councilClosureDays, bankHolidays }] = state.value;
  const byDay = new Map<string, VisitRow[]>();
  for (const v of [...visits].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
    const d = isoDay(v.startsAt);
    byDay.set(d, [...(byDay.get(d) ?? []), v]);
  }
  const closures = new Map(councilClosureDays.map((c) => [c.date, c.reason]));
  const bank = new Map(bankHolidays.map((b) => [b.date, b.name]));
  const weeks: string[][] = [];
  for (let monday = mondayOf(term.startsOn); monday <= term.endsOn; monday = addDays(monday, 7)) {
    weeks.push([0, 1, 2, 3, 4].map((i) => addDays(monday, i)));
  }
  const weekend = visits.filter((v) => [0, 6].includes(weekday(isoDay(v.startsAt))));

  return (
    <>
      <div className="sv-table-wrap">
        <table className="sv-table sv-calendar" data-testid="term-calendar">
          <caption className="sv-visually-hidden">
            Visits led by {partnerName} in {term.name}, {formatDate(term.startsOn)} to {formatDate(term.endsOn)}, week by week
          </caption>
          <thead>
            <tr>
              <th scope="col">Week</th>
              {WEEKDAYS.map((d) => (
                <th key={d} scope="col">
                  {d}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((week, i) => (
              <tr key={week[0]}>
                <th scope="row">
                  Week {i + 1}
                  <Text size={200} block>
                    from {formatDate(week[0]!).replace(/ \d{4}$/, '')}
                  </Text>
                </th>
                {week.map((d) => (
                  <DayCell
                    key={d}
                    day={d}
                    term={term}
                    holidays={holidays}
                    bankHoliday={bank.get(d)}
                    closure={closures.get(d)}
                    visits={byDay.get(d) ?? []}
                    today={today}
                  />
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {weekend.length > 0 && (
        <Text>
          At a weekend: {weekend.map((v) => `${formatDateTime(v.startsAt)}, ${v.school.name}${v.status === 'CANCELLED' ? ' (cancelled)' : ''}`).join('; ')}.
        </Text>
      )}
      <h3 id="term-visits">The term’s visits as a list</h3>
      <TermVisitsTable visits={visits} partnerName={partnerName} termName={term.name} />
    </>
  );
}

function DayCell({
  day,
  term,
  holidays,
  bankHoliday,
  closure,
  visits,
  today,
}: {
  day: string;
  term: Range;
  holidays: Range[];
  bankHoliday?: string;
  closure?: string;
  visits: VisitRow[];
  today: string;
}) {
  const holiday = holidays.find((h) => within(day, h));
  const outside = !within(day, term);
  // a holiday is named even beside the term (the Easter Friday after a term's last Thursday)
  const kind = holiday ? 'holiday' : bankHoliday ? 'bank-holiday' : outside ? 'outside' : closure ? 'closed' : 'term';
  return (
    <td data-date={day} data-kind={kind} aria-current={day === today ? 'date' : undefined} className={`sv-day sv-day-${kind}`}>
      <span className="sv-day-date">
        {formatDate(day).replace(/ \d{4}$/, '')}
        {day === today && <span className="sv-day-today"> (today)</span>}
      </span>
      {kind === 'holiday' && <span className="sv-day-note">Holiday: {holiday!.name}</span>}
      {kind === 'bank-holiday' && <span className="sv-day-note">Bank holiday: {bankHoliday}</span>}
      {kind === 'outside' && <span className="sv-day-note">Not in this term</span>}
      {kind === 'closed' && <span className="sv-day-note">Council closed: {closure}</span>}
      {visits.length > 0 && (
        <ul className="sv-day-visits">
          {visits.map((v) => {
            const cancelled = v.status === 'CANCELLED';
            const words = (
              <>
                {formatTime(v.startsAt)}–{formatTime(v.endsAt)} <Link href={routeHref({ tab: 'school', schoolId: v.school.id })}>{v.school.name}</Link>,{' '}
                {visitTypeLabel(v.type).toLowerCase()}
              </>
            );
            return (
              <li key={v.id} data-visit-id={v.id} data-cancelled={cancelled || undefined}>
                {cancelled ? (
                  <>
                    <s>{words}</s> <strong>(cancelled)</strong>
                  </>
                ) : (
                  words
                )}
              </li>
            );
          })}
        </ul>
      )}
    </td>
  );
}

function TermVisitsTable({ visits, partnerName, termName }: { visits: VisitRow[]; partnerName: string; termName: string }) {
  const columns: Column<VisitRow>[] = [
    { id: 'when', header: 'When', rowHeader: true, text: (v) => formatDateTime(v.startsAt), sortValue: (v) => v.startsAt, csv: (v) => isoDayTime(v.startsAt) },
    {
      id: 'school',
      header: 'School',
      text: (v) => v.school.name,
      cell: (v) => <Link href={routeHref({ tab: 'school', schoolId: v.school.id })}>{v.school.name}</Link>,
      choices: true,
    },
    { id: 'type', header: 'Visit', text: (v) => visitTypeLabel(v.type), choices: true },
    {
      id: 'status',
      header: 'Status',
      text: (v) =>
        v.status === 'CANCELLED' ? `Cancelled${v.cancellationReason ? `: ${v.cancellationReason}` : ''}` : v.status === 'COMPLETED' ? 'Completed' : 'Booked',
      choices: (v) => (v.status === 'CANCELLED' ? 'Cancelled' : v.status === 'COMPLETED' ? 'Completed' : 'Booked'),
    },
    {
      id: 'note',
      header: 'Note of visit',
      text: (v) => (!v.expectsNote ? 'No note (feedback form)' : `${noteStatusLabel(v.note?.status)}${v.note?.overdue ? ' (late)' : ''}`),
      choices: (v) => (v.expectsNote ? noteStatusLabel(v.note?.status) : 'No note'),
    },
  ];
  return (
    <DataTable
      caption={`Visits led by ${partnerName} in ${termName}`}
      name={`${partnerName} visits ${termName}`}
      columns={columns}
      rows={visits}
      rowKey={(v) => v.id}
      rowProps={(v) => ({ 'data-visit-id': v.id })}
      initialSort={{ column: 'when', direction: 'ascending' }}
      emptyText="No visit is booked in this term."
      testId="term-visits"
    />
  );
}
