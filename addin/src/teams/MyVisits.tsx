import { Badge, Field, Link, Select, Spinner, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../shared/api/api-client.js';
import { formatDate, formatDateTime, isoDay, isoDayTime, noteStatusLabel, visitTypeLabel } from '../shared/format.js';
import type { MyVisitsQuery as MyVisitsResult, TeamsMeQuery } from '../shared/graphql/generated/graphql.js';
import { DataTable, type Column } from '../shared/ui/DataTable.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { useAsync } from '../shared/ui/use-async.js';
import { addDays, londonMidnight, londonToday } from './dates.js';
import { routeHref } from './router.js';
import { MyVisitsQuery } from './teams.documents.js';

type Visit = MyVisitsResult['visits']['nodes'][number];
type Me = NonNullable<TeamsMeQuery['me']>;
type Term = NonNullable<TeamsMeQuery['termCalendar']>['terms'][number];

/** Late: the note is overdue, or no note was started and its draft date has passed. */
export function isLate(v: Visit, today: string): boolean {
  if (!v.expectsNote || v.status === 'CANCELLED') return false;
  if (v.note) return v.note.overdue;
  return !!v.noteDraftDueOn && v.noteDraftDueOn < today;
}

/** Late ones first (most overdue first), then upcoming (soonest first), then recent (latest first). */
export function orderVisits(visits: Visit[], today: string, now = Date.now()): Visit[] {
  const rank = (v: Visit) => (isLate(v, today) ? 0 : new Date(v.startsAt).getTime() >= now ? 1 : 2);
  const due = (v: Visit) => v.note?.draftDueOn ?? v.noteDraftDueOn ?? '';
  return [...visits].sort((a, b) => {
    const r = rank(a) - rank(b);
    if (r) return r;
    if (rank(a) === 0) return due(a).localeCompare(due(b));
    const t = new Date(a.startsAt).getTime() - new Date(b.startsAt).getTime();
    return rank(a) === 1 ? t : -t;
  });
}

export function MyVisits({ api, me, terms }: { api: ApiClient; me: Me; terms: Term[] }) {
  const today = londonToday();
  const [schoolId, setSchoolId] = useState('');
  const [term, setTerm] = useState('');
  const chosenTerm = terms.find((t) => t.name === term);
  const from = chosenTerm ? londonMidnight(chosenTerm.startsOn) : londonMidnight(addDays(today, -120));
  const to = chosenTerm ? londonMidnight(addDays(chosenTerm.endsOn, 1)) : londonMidnight(addDays(today, 90));
  const state = useAsync(
    () => api.request(MyVisitsQuery, { filter: { partnerId: me.id, schoolId: schoolId || undefined, from, to } }).then((r) => r.visits),
    [api, me.id, schoolId, from, to],
  );
  const schools = [...new Map(me.allocations.map((a) => [a.school.id, a.school])).values()].sort((a, b) => a.name.localeCompare(b.name));

  return (
    <section className="sv-stack" aria-labelledby="my-visits-title">
      <h2 id="my-visits-title">My visits</h2>
      <Link href={routeHref({ tab: 'calendar', partnerId: me.id, day: null })}>My term as a calendar</Link>
      <div className="sv-row" role="search" aria-label="Filter visits">
        <Field label="School">
          <Select value={schoolId} onChange={(_e, d) => setSchoolId(d.value)} data-testid="filter-school">
            <option value="">All my schools</option>
            {schools.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Term">
          <Select value={term} onChange={(_e, d) => setTerm(d.value)} data-testid="filter-term">
            <option value="">Recent and upcoming</option>
            {terms.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name} ({formatDate(t.startsOn)} to {formatDate(t.endsOn)})
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {state.status === 'loading' && <Spinner label="Loading your visits…" />}
      {state.status === 'failed' && <ErrorMessage error={state.error} onRetry={state.reload} />}
      {state.status === 'ready' && <VisitTable visits={orderVisits(state.value.nodes, today)} today={today} />}
    </section>
  );
}

function VisitTable({ visits, today }: { visits: Visit[]; today: string }) {
  const noteWords = (v: Visit) => (!v.expectsNote ? 'No note (feedback form)' : `${noteStatusLabel(v.note?.status)}${isLate(v, today) ? ' (late)' : ''}`);
  const draftDue = (v: Visit) => v.note?.draftDueOn ?? v.noteDraftDueOn ?? null;
  const circulationDue = (v: Visit) => v.note?.circulationDueOn ?? v.noteCirculationDueOn ?? null;
  const columns: Column<Visit>[] = [
    { id: 'when', header: 'When', text: (v) => formatDateTime(v.startsAt), sortValue: (v) => v.startsAt, csv: (v) => isoDayTime(v.startsAt) },
    {
      id: 'school',
      header: 'School',
      text: (v) => v.school.name,
      cell: (v) => <Link href={routeHref({ tab: 'school', schoolId: v.school.id })}>{v.school.name}</Link>,
      choices: true,
    },
    {
      id: 'type',
      header: 'Visit',
      text: (v) => `${visitTypeLabel(v.type)}${v.status === 'CANCELLED' ? ' (cancelled)' : ''}`,
      choices: (v) => visitTypeLabel(v.type),
    },
    {
      id: 'note',
      header: 'Note',
      text: noteWords,
      cell: (v) => {
        const late = isLate(v, today);
        const past = new Date(v.startsAt).getTime() < Date.now();
        return !v.expectsNote ? (
          <Text size={200}>No note (feedback form)</Text>
        ) : (
          <span className="sv-row">
            <Badge appearance="tint" color={late ? 'danger' : v.note?.status === 'CIRCULATED' ? 'success' : 'informative'}>
              {noteStatusLabel(v.note?.status)}
              {late ? ' (late)' : ''}
            </Badge>
            {(v.note || (past && v.status !== 'CANCELLED')) && (
              <Link
                href={routeHref({ tab: 'notes', visitId: v.id })}
                aria-label={`${v.note ? 'Open' : 'Write'} the note: ${v.school.name}, ${formatDate(v.startsAt)}`}
              >
                {v.note ? 'Open' : 'Write'}
              </Link>
            )}
          </span>
        );
      },
      choices: (v) => (v.expectsNote ? noteStatusLabel(v.note?.status) : 'No note'),
    },
    {
      id: 'draft',
      header: 'Draft due',
      text: (v) => (draftDue(v) ? formatDate(draftDue(v)!) : '-'),
      sortValue: draftDue,
      csv: (v) => (draftDue(v) ? isoDay(draftDue(v)!) : ''),
    },
    {
      id: 'circulation',
      header: 'Circulation due',
      text: (v) => (circulationDue(v) ? formatDate(circulationDue(v)!) : '-'),
      sortValue: circulationDue,
      csv: (v) => (circulationDue(v) ? isoDay(circulationDue(v)!) : ''),
    },
  ];
  return (
    <DataTable
      caption="Your visits, late notes first"
      name="my visits"
      columns={columns}
      rows={visits}
      rowKey={(v) => v.id}
      rowProps={(v) => ({ 'data-visit-id': v.id, 'data-late': isLate(v, today) || undefined })}
      emptyText="No visits in this period."
      testId="visits-table"
    />
  );
}
