import { Button, Field, Select, Spinner, Text, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../shared/api/api-client.js';
import { describeError } from '../shared/api/api-error.js';
import { formatDate, formatDateTime, visitTypeLabel } from '../shared/format.js';
import type { ShadowingDueQuery as ShadowingDueResult, ShadowingsQuery as ShadowingsResult, TeamsMeQuery } from '../shared/graphql/generated/graphql.js';
import { DataTable, type Column } from '../shared/ui/DataTable.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { useAsync } from '../shared/ui/use-async.js';
import {
  GiveShadowingFeedbackMutation,
  HeadteacherFeedbackQuery,
  PartnerSchoolsQuery,
  RequestHeadteacherFeedbackMutation,
  ShadowableVisitsQuery,
  ShadowingDueQuery,
  ShadowingsQuery,
  ShadowVisitMutation,
} from './shadowing.documents.js';

type Me = NonNullable<TeamsMeQuery['me']>;
type Shadowing = ShadowingsResult['shadowings'][number];

/** Where a shadowing stands, in words (ShadowingState). */
const STATE_WORDS: Record<string, string> = {
  BOOKED: 'Visit to come',
  FEEDBACK_DUE: 'Feedback due',
  FEEDBACK_LATE: 'Feedback late',
  GIVEN_ON_TIME: 'Feedback given on time',
  GIVEN_LATE: 'Feedback given late',
  CANCELLED: 'Cancelled with its visit',
};
const RATING_WORDS: Record<number, string> = { 1: 'Excellent', 2: 'Good', 3: 'Needs improvement', 4: 'Poor' };
const rating = (r: number | null) => (r ? `${RATING_WORDS[r]} (${r})` : 'Cannot say');

/** The written feedback form for one shadowing: the shadower's, or a senior adviser's on their behalf. */
function GiveFeedback({ api, shadowing, onGiven }: { api: ApiClient; shadowing: Shadowing; onGiven: () => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const give = async () => {
    if (!text.trim()) return setError('Write the feedback first.');
    setBusy(true);
    setError(null);
    try {
      await api.request(GiveShadowingFeedbackMutation, { id: shadowing.id, feedback: text, expectedVersion: shadowing.version });
      onGiven();
    } catch (e) {
      setError(describeError(e).detail);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="sv-stack">
      <Field label={`Written feedback for ${shadowing.shadowedPartner.name}`} validationMessage={error ?? undefined} validationState={error ? 'error' : 'none'}>
        <Textarea value={text} onChange={(_, d) => setText(d.value)} resize="vertical" />
      </Field>
      <div>
        <Button appearance="primary" onClick={give} disabled={busy}>
          Give feedback
        </Button>
      </div>
    </div>
  );
}

function ShadowingList({ api, me, rows, title, id, onChange }: { api: ApiClient; me: Me; rows: Shadowing[]; title: string; id: string; onChange: () => void }) {
  return (
    <section className="sv-stack" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? (
        <Text>None.</Text>
      ) : (
        <ul className="sv-list" data-testid={id}>
          {rows.map((s) => {
            const canGive = (me.role === 'MANAGER' || s.shadower.id === me.id) && (s.state === 'FEEDBACK_DUE' || s.state === 'FEEDBACK_LATE');
            return (
              <li key={s.id}>
                <article className="sv-stack" aria-labelledby={`shadowing-${s.id}`}>
                  <h3 id={`shadowing-${s.id}`}>
                    {s.visit.school.name}, {formatDate(s.visit.startsAt)}
                  </h3>
                  <Text>
                    {s.shadowedPartner.name}, shadowed by {s.shadower.name}. Written feedback due by {formatDate(s.feedbackDueOn)}.{' '}
                    <strong className={s.late ? 'sv-late' : undefined}>{STATE_WORDS[s.state] ?? s.state}</strong>
                    {s.feedbackGivenAt ? ` (given ${formatDate(s.feedbackGivenAt)})` : ''}.
                  </Text>
                  {s.feedback && (
                    <figure className="sv-ht-words">
                      <figcaption className="sv-ht-words-label">Written feedback</figcaption>
                      <blockquote>{s.feedback}</blockquote>
                    </figure>
                  )}
                  {canGive && <GiveFeedback api={api} shadowing={s} onGiven={onChange} />}
                </article>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** For a senior adviser: ask a school's headteacher for feedback on its partner, and read what came back. */
function HeadteacherFeedbackPanel({ api, academicYear }: { api: ApiClient; academicYear: string }) {
  const people = useAsync(() => api.request(PartnerSchoolsQuery, { academicYear }), [api, academicYear]);
  const [partnerId, setPartnerId] = useState('');
  const [schoolId, setSchoolId] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const feedback = useAsync(
    () => (partnerId ? api.request(HeadteacherFeedbackQuery, { partnerId }).then((r) => r.headteacherFeedback) : Promise.resolve([])),
    [api, partnerId],
  );
  if (people.status === 'loading') return <Spinner label="Loading partners…" />;
  if (people.status === 'failed') return <ErrorMessage error={people.error} onRetry={people.reload} />;
  const partners = people.value.partners.nodes.filter((p) => p.role === 'PARTNER');
  const schools = partners.find((p) => p.id === partnerId)?.allocations.map((a) => a.school) ?? [];
  const request = async () => {
    setOutcome(null);
    try {
      const link = (await api.request(RequestHeadteacherFeedbackMutation, { schoolId, partnerId })).requestHeadteacherFeedback;
      setOutcome({ ok: true, text: `Sent to ${link.recipientEmail}; the link works until ${formatDate(link.expiresAt)}.` });
    } catch (e) {
      setOutcome({ ok: false, text: describeError(e).detail });
    }
  };
  return (
    <section className="sv-stack" aria-labelledby="ht-feedback">
      <h2 id="ht-feedback">Headteachers’ feedback on partners</h2>
      <Field label="Partner the feedback is about">
        <Select
          value={partnerId}
          onChange={(_, d) => {
            setPartnerId(d.value);
            setSchoolId('');
            setOutcome(null);
          }}
        >
          <option value="">Choose a partner</option>
          {partners.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </Select>
      </Field>
      {partnerId && (
        <>
          <Field label="School (allocated this year)" hint="The headteacher is emailed a link to a short pro forma.">
            <Select value={schoolId} onChange={(_, d) => setSchoolId(d.value)}>
              <option value="">Choose a school</option>
              {schools.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </Select>
          </Field>
          <div>
            <Button appearance="primary" disabled={!schoolId} onClick={request}>
              Request headteacher feedback
            </Button>
          </div>
          <div role="status">{outcome && <Text className={outcome.ok ? undefined : 'sv-late'}>{outcome.text}</Text>}</div>
          <h3>Feedback received</h3>
          {feedback.status === 'loading' && <Spinner label="Loading feedback…" />}
          {feedback.status === 'failed' && <ErrorMessage error={feedback.error} onRetry={feedback.reload} />}
          {feedback.status === 'ready' &&
            (feedback.value.length === 0 ? (
              <Text>None yet.</Text>
            ) : (
              <ul className="sv-list" data-testid="headteacher-feedback">
                {feedback.value.map((f) => (
                  <li key={f.id}>
                    <Text>
                      {f.school.name}, {formatDate(f.receivedAt)}, from {f.respondent}.
                    </Text>
                    <dl className="sv-ht-headings">
                      <dt>Challenge and support</dt>
                      <dd>{rating(f.challengeAndSupport)}</dd>
                      <dt>Knowledge of the school</dt>
                      <dd>{rating(f.knowledgeOfSchool)}</dd>
                      <dt>Quality of the notes of visit</dt>
                      <dd>{rating(f.qualityOfNotes)}</dd>
                      <dt>Communication</dt>
                      <dd>{rating(f.communication)}</dd>
                      {f.comments && (
                        <>
                          <dt>Comments</dt>
                          <dd>{f.comments}</dd>
                        </>
                      )}
                    </dl>
                  </li>
                ))}
              </ul>
            ))}
        </>
      )}
    </section>
  );
}

/** For a senior adviser: book a shadowing of one of a partner's booked visits to come; the shadower joins its attendees. */
function BookShadowing({ api, academicYear, onBooked }: { api: ApiClient; academicYear: string; onBooked: () => void }) {
  const people = useAsync(() => api.request(PartnerSchoolsQuery, { academicYear }), [api, academicYear]);
  const [leadId, setLeadId] = useState('');
  const [visitId, setVisitId] = useState('');
  const [shadowerId, setShadowerId] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  // Read once when the partner is chosen: booked visits from now on (the API's clock decides what is past).
  const [from] = useState(() => new Date().toISOString());
  const visits = useAsync(
    () =>
      leadId
        ? api.request(ShadowableVisitsQuery, { filter: { partnerId: leadId, from, status: ['BOOKED'] } }).then((r) => r.visits.nodes)
        : Promise.resolve([]),
    [api, leadId, from],
  );
  if (people.status === 'loading') return <Spinner label="Loading partners…" />;
  if (people.status === 'failed') return <ErrorMessage error={people.error} onRetry={people.reload} />;
  const everyone = people.value.partners.nodes;
  const book = async () => {
    setOutcome(null);
    try {
      const booked = (await api.request(ShadowVisitMutation, { visitId, shadowerId })).shadowVisit;
      setOutcome({ ok: true, text: `Booked: written feedback due by ${formatDate(booked.feedbackDueOn)}.` });
      onBooked();
    } catch (e) {
      setOutcome({ ok: false, text: describeError(e).detail });
    }
  };
  return (
    <section className="sv-stack" aria-labelledby="book-shadowing">
      <h2 id="book-shadowing">Book a shadowing</h2>
      <Field label="Partner to shadow">
        <Select
          value={leadId}
          onChange={(_, d) => {
            setLeadId(d.value);
            setVisitId('');
            setOutcome(null);
          }}
        >
          <option value="">Choose a partner</option>
          {everyone
            .filter((p) => p.role === 'PARTNER')
            .map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
        </Select>
      </Field>
      {leadId && visits.status === 'loading' && <Spinner label="Loading their visits…" />}
      {leadId && visits.status === 'failed' && <ErrorMessage error={visits.error} onRetry={visits.reload} />}
      {leadId && visits.status === 'ready' && (
        <>
          <Field label="Their visit" hint={visits.value.length ? undefined : 'They have no booked visit to come.'}>
            <Select value={visitId} onChange={(_, d) => setVisitId(d.value)}>
              <option value="">Choose a visit</option>
              {visits.value.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.school.name}, {formatDateTime(v.startsAt)} ({visitTypeLabel(v.type)})
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Shadowed by">
            <Select value={shadowerId} onChange={(_, d) => setShadowerId(d.value)}>
              <option value="">Choose who shadows</option>
              {everyone
                .filter((p) => p.id !== leadId)
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
            </Select>
          </Field>
          <div>
            <Button appearance="primary" disabled={!visitId || !shadowerId} onClick={book}>
              Book shadowing
            </Button>
          </div>
        </>
      )}
      <div role="status">{outcome && <Text>{outcome.text}</Text>}</div>
    </section>
  );
}

type DueRow = ShadowingDueResult['shadowingDue'][number];

const dayColumn = (id: string, header: string, value: (r: DueRow) => string | null | undefined, none: string): Column<DueRow> => ({
  id,
  header,
  text: (r) => {
    const day = value(r);
    return day ? formatDate(day) : none;
  },
  sortValue: (r) => value(r) ?? null,
  csv: (r) => value(r) ?? '',
});

const DUE_COLUMNS: Column<DueRow>[] = [
  { id: 'partner', header: 'Partner', rowHeader: true, text: (r) => r.partner.name },
  dayColumn('last', 'Last shadowed', (r) => r.lastShadowedOn, 'Never'),
  {
    ...dayColumn('next', 'Next due by', (r) => r.nextDueBy, ''),
    text: (r) => `${formatDate(r.nextDueBy)}${r.overdue ? ' (due now)' : ''}`,
    cell: (r) => (
      <>
        {formatDate(r.nextDueBy)}
        {r.overdue ? <strong className="sv-late"> (due now)</strong> : null}
      </>
    ),
  },
  dayColumn('booked', 'Next booked', (r) => r.nextBookedOn, 'None'),
  {
    id: 'outstanding',
    header: 'Feedback outstanding',
    text: (r) => String(r.feedbackOutstanding),
    sortValue: (r) => r.feedbackOutstanding,
    csv: (r) => r.feedbackOutstanding,
  },
  { id: 'late', header: 'Feedback late', text: (r) => String(r.feedbackLate), sortValue: (r) => r.feedbackLate, csv: (r) => r.feedbackLate },
];

/** The report of who is due to be shadowed (the handbook: every partner every two years). */
function ShadowingDueTable({ api }: { api: ApiClient }) {
  const state = useAsync(() => api.request(ShadowingDueQuery, {}), [api]);
  if (state.status === 'loading') return <Spinner label="Loading shadowing due…" />;
  if (state.status === 'failed') return <ErrorMessage error={state.error} onRetry={state.reload} />;
  return (
    <section className="sv-stack" aria-labelledby="shadowing-due">
      <h2 id="shadowing-due">Shadowing due</h2>
      <DataTable
        caption="When each partner was last shadowed and is next due"
        name="shadowing due"
        columns={DUE_COLUMNS}
        rows={state.value.shadowingDue}
        rowKey={(r) => r.partner.id}
        emptyText="No active partner."
        testId="shadowing-due"
      />
    </section>
  );
}

/**
 * Quality assurance in Teams: for a senior adviser, shadowing due, every shadowing (giving late or
 * due feedback) and headteachers' feedback; for a partner, the feedback on their shadowed visits
 * and the visits they shadow.
 */
export function ShadowingTab({ api, me, academicYear }: { api: ApiClient; me: Me; academicYear: string }) {
  const manager = me.role === 'MANAGER';
  const state = useAsync(() => api.request(ShadowingsQuery, {}).then((r) => r.shadowings), [api]);
  const list =
    state.status === 'loading' ? (
      <Spinner label="Loading shadowings…" />
    ) : state.status === 'failed' ? (
      <ErrorMessage error={state.error} onRetry={state.reload} />
    ) : manager ? (
      <ShadowingList api={api} me={me} rows={state.value} title="Shadowings" id="shadowings" onChange={state.reload} />
    ) : (
      <>
        <ShadowingList
          api={api}
          me={me}
          rows={state.value.filter((s) => s.shadowedPartner.id === me.id)}
          title="Feedback on your shadowed visits"
          id="shadowed"
          onChange={state.reload}
        />
        <ShadowingList
          api={api}
          me={me}
          rows={state.value.filter((s) => s.shadower.id === me.id)}
          title="Visits you shadow"
          id="shadowing"
          onChange={state.reload}
        />
      </>
    );
  return (
    <div className="sv-stack">
      {manager && <ShadowingDueTable api={api} />}
      {manager && <BookShadowing api={api} academicYear={academicYear} onBooked={state.reload} />}
      {list}
      {manager && <HeadteacherFeedbackPanel api={api} academicYear={academicYear} />}
    </div>
  );
}
