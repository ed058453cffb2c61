import {
  Button,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Text,
  Textarea,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../shared/api/api-client.js';
import { describeError } from '../shared/api/api-error.js';
import { formatDate, isoDay, visitTypeLabel } from '../shared/format.js';
import type { EvaluationFieldsFragment, QualityManagerQuery as ManagerResult, TeamsMeQuery } from '../shared/graphql/generated/graphql.js';
import { DataTable, type Column } from '../shared/ui/DataTable.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { useAsync } from '../shared/ui/use-async.js';
import { DrawNoteSampleMutation, EvaluateSampledNoteMutation, MyNoteEvaluationsQuery, QualityManagerQuery } from './quality.documents.js';

type Me = NonNullable<TeamsMeQuery['me']>;
type ProForma = ManagerResult['qualityProForma'];
type Member = ManagerResult['noteSamples'][number]['members'][number];

const previousYear = (year: string) => {
  const start = Number(year.slice(0, 4)) - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
};

/**
 * Quality of notes (seed 004 section 19): a senior adviser draws samples of circulated notes,
 * scores them on the pro forma and follows who has had feedback this year; a partner reads the
 * feedback given on their notes.
 */
export function QualityTab({ api, me, academicYear }: { api: ApiClient; me: Me; academicYear: string }) {
  return me.role === 'MANAGER' ? <ManagerQuality api={api} academicYear={academicYear} /> : <MyFeedback api={api} />;
}

function StepError({ error }: { error: unknown }) {
  const { title, detail } = describeError(error);
  return (
    <MessageBar intent="error" layout="multiline" data-testid="quality-error">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle> {detail}
      </MessageBarBody>
    </MessageBar>
  );
}

/** The feedback a partner was given on their notes, newest first. */
function MyFeedback({ api }: { api: ApiClient }) {
  const state = useAsync(() => api.request(MyNoteEvaluationsQuery, {}).then((r) => r.myNoteEvaluations), [api]);
  return (
    <section className="sv-stack" aria-labelledby="my-feedback-title">
      <h2 id="my-feedback-title">Feedback on your notes of visit</h2>
      {state.status === 'loading' && <Spinner label="Loading your feedback…" />}
      {state.status === 'failed' && <ErrorMessage error={state.error} onRetry={state.reload} />}
      {state.status === 'ready' &&
        (state.value.length === 0 ? (
          <Text>No feedback yet: a senior adviser samples notes and gives feedback at least once a year.</Text>
        ) : (
          <ul className="sv-list" data-testid="my-feedback">
            {state.value.map((e) => (
              <li key={e.id}>
                <Evaluation
                  evaluation={e}
                  heading={`${e.note.visit.school.name}: ${visitTypeLabel(e.note.visit.type).toLowerCase()} on ${formatDate(e.note.visit.startsAt)}`}
                />
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}

function Evaluation({ evaluation, heading }: { evaluation: EvaluationFieldsFragment; heading: string }) {
  const top = Math.max(...evaluation.scale.map((l) => l.score));
  return (
    <article className="sv-stack sv-item" aria-label={heading} data-testid="evaluation">
      <h3 className="sv-note-heading">{heading}</h3>
      <Text size={200}>
        Given by {evaluation.givenBy.name} on {formatDate(evaluation.givenAt)}, on the pro forma “{evaluation.proFormaName}”.
      </Text>
      <Text>{evaluation.summary}</Text>
      <dl className="sv-ht-headings">
        {evaluation.scores.map((s) => (
          <div key={s.criterionKey}>
            <dt>{s.criterion}</dt>
            <dd>
              {s.scoreLabel} ({s.score} of {top}){s.comment ? `: ${s.comment}` : ''}
            </dd>
          </div>
        ))}
      </dl>
    </article>
  );
}

function ManagerQuality({ api, academicYear }: { api: ApiClient; academicYear: string }) {
  const [year, setYear] = useState(academicYear);
  const [round, setRound] = useState(0);
  const state = useAsync(() => api.request(QualityManagerQuery, { academicYear: year }), [api, year, round]);
  const [scoring, setScoring] = useState<Member | null>(null);
  return (
    <div className="sv-stack">
      <h2>Quality of notes of visit</h2>
      <Field label="Academic year">
        <Select value={year} onChange={(_e, d) => setYear(d.value)} data-testid="quality-year">
          {[academicYear, previousYear(academicYear), previousYear(previousYear(academicYear))].map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </Select>
      </Field>
      <DrawSample api={api} year={year} onDrawn={() => setRound((n) => n + 1)} />
      {state.status === 'loading' && <Spinner label="Loading samples and the report…" />}
      {state.status === 'failed' && <ErrorMessage error={state.error} onRetry={state.reload} />}
      {state.status === 'ready' && (
        <>
          {scoring && (
            <ScoreNote
              key={scoring.id}
              api={api}
              member={scoring}
              proForma={state.value.qualityProForma}
              onDone={() => {
                setScoring(null);
                setRound((n) => n + 1);
              }}
              onCancel={() => setScoring(null)}
            />
          )}
          <Samples samples={state.value.noteSamples} onScore={setScoring} />
          <Report rows={state.value.noteQualityReport} year={year} />
        </>
      )}
    </div>
  );
}

function DrawSample({ api, year, onDrawn }: { api: ApiClient; year: string; onDrawn: () => void }) {
  const [perPartner, setPerPartner] = useState('1');
  const [seed, setSeed] = useState('');
  const [skip, setSkip] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const draw = async () => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const n = Number(perPartner);
      const drawn = (
        await api.request(DrawNoteSampleMutation, {
          input: { academicYear: year, perPartner: Number.isInteger(n) && n > 0 ? n : 1, seed: seed.trim() || null, skipSampledPartners: skip },
        })
      ).drawNoteSample;
      setDone(`Sample drawn with seed ${drawn.seed}: draw again with the same seed to repeat it.`);
      onDrawn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="sv-stack sv-item" aria-labelledby="draw-title">
      <h3 id="draw-title" className="sv-note-heading">
        Draw a sample of circulated notes
      </h3>
      <Text size={200}>Every partner with a circulated note in {year} gets their share, spread across their visit types.</Text>
      <div className="sv-row">
        <Field label="Notes per partner">
          <Input type="number" min={1} max={20} value={perPartner} onChange={(_e, d) => setPerPartner(d.value)} data-testid="per-partner" />
        </Field>
        <Field label="Seed (optional)" hint="Leave empty for a new draw; give a sample's seed to repeat it.">
          <Input value={seed} onChange={(_e, d) => setSeed(d.value)} data-testid="seed" />
        </Field>
      </div>
      <Checkbox checked={skip} onChange={(_e, d) => setSkip(!!d.checked)} label="Leave out partners already sampled this year" />
      {error !== null && <StepError error={error} />}
      {done && (
        <MessageBar intent="success" data-testid="sample-drawn">
          <MessageBarBody>{done}</MessageBarBody>
        </MessageBar>
      )}
      <div className="sv-row">
        <Button appearance="primary" disabled={busy} onClick={() => void draw()} data-testid="draw-sample">
          {busy ? 'Drawing…' : 'Draw a sample'}
        </Button>
      </div>
    </section>
  );
}

function Samples({ samples, onScore }: { samples: ManagerResult['noteSamples']; onScore: (m: Member) => void }) {
  if (!samples.length) return <Text data-testid="no-samples">No sample drawn for this year yet.</Text>;
  return (
    <section className="sv-stack" aria-labelledby="samples-title">
      <h3 id="samples-title" className="sv-note-heading">
        Samples
      </h3>
      {samples.map((sample) => (
        <div className="sv-table-wrap" key={sample.id}>
          <table className="sv-table" data-testid="sample">
            <caption>
              Drawn {formatDate(sample.drawnAt)} by {sample.drawnBy.name}: {sample.perPartner} per partner, seed {sample.seed}
            </caption>
            <thead>
              <tr>
                <th scope="col">Partner</th>
                <th scope="col">School</th>
                <th scope="col">Visit</th>
                <th scope="col">Feedback</th>
              </tr>
            </thead>
            <tbody>
              {sample.members.map((m) => (
                <tr key={m.id}>
                  <th scope="row">{m.partner.name}</th>
                  <td>{m.note.visit.school.name}</td>
                  <td>
                    {visitTypeLabel(m.visitType)}, {formatDate(m.note.visit.startsAt)}
                  </td>
                  <td>
                    {m.evaluation ? (
                      `Given ${formatDate(m.evaluation.givenAt)}`
                    ) : (
                      <Button size="small" onClick={() => onScore(m)} aria-label={`Score this note: ${m.partner.name}, ${m.note.visit.school.name}`}>
                        Score this note
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

function ScoreNote({
  api,
  member,
  proForma,
  onDone,
  onCancel,
}: {
  api: ApiClient;
  member: Member;
  proForma: ProForma;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [scores, setScores] = useState<Record<string, number>>({});
  const [comments, setComments] = useState<Record<string, string>>({});
  const [summary, setSummary] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const unscored = proForma.criteria.filter((c) => scores[c.key] === undefined);
  const give = async () => {
    setTried(true);
    if (unscored.length || !summary.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await api.request(EvaluateSampledNoteMutation, {
        input: {
          sampleMemberId: member.id,
          summary: summary.trim(),
          scores: proForma.criteria.map((c) => ({ criterion: c.key, score: scores[c.key]!, comment: comments[c.key]?.trim() || null })),
        },
      });
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="sv-stack sv-item" aria-labelledby="score-title" data-testid="score-note">
      <h3 id="score-title" className="sv-note-heading">
        Score the note of {member.partner.name}: {member.note.visit.school.name}, {formatDate(member.note.visit.startsAt)}
      </h3>
      <Text size={200}>On the pro forma “{proForma.name}”. The partner sees your feedback once you give it; it is kept as given.</Text>
      {proForma.criteria.map((c) => (
        <fieldset key={c.key} className="sv-item">
          <legend>{c.label}</legend>
          <Text size={200}>{c.guidance}</Text>
          <Field
            label="Score"
            required
            validationState={tried && scores[c.key] === undefined ? 'error' : 'none'}
            validationMessage={tried && scores[c.key] === undefined ? `Score “${c.label}”.` : undefined}
          >
            <RadioGroup
              layout="horizontal"
              value={scores[c.key] === undefined ? '' : String(scores[c.key])}
              onChange={(_e, d) => setScores((s) => ({ ...s, [c.key]: Number(d.value) }))}
            >
              {proForma.scale.map((l) => (
                <Radio key={l.score} value={String(l.score)} label={`${l.score}: ${l.label}`} />
              ))}
            </RadioGroup>
          </Field>
          <Field label={`Comment on “${c.label}” (optional)`}>
            <Textarea value={comments[c.key] ?? ''} onChange={(_e, d) => setComments((s) => ({ ...s, [c.key]: d.value }))} />
          </Field>
        </fieldset>
      ))}
      <Field
        label="Overall feedback for the partner"
        required
        validationState={tried && !summary.trim() ? 'error' : 'none'}
        validationMessage={tried && !summary.trim() ? 'Write the overall feedback.' : undefined}
      >
        <Textarea value={summary} onChange={(_e, d) => setSummary(d.value)} rows={4} data-testid="evaluation-summary" />
      </Field>
      {error !== null && <StepError error={error} />}
      <div className="sv-row">
        <Button appearance="primary" disabled={busy} onClick={() => void give()} data-testid="give-feedback">
          {busy ? 'Giving…' : 'Give feedback'}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </section>
  );
}

type ReportRow = ManagerResult['noteQualityReport'][number];

const REPORT_COLUMNS: Column<ReportRow>[] = [
  { id: 'partner', header: 'Partner', rowHeader: true, text: (r) => r.partner.name },
  { id: 'circulated', header: 'Notes circulated', text: (r) => String(r.notesCirculated), sortValue: (r) => r.notesCirculated, csv: (r) => r.notesCirculated },
  { id: 'sampled', header: 'Notes sampled', text: (r) => String(r.notesSampled), sortValue: (r) => r.notesSampled, csv: (r) => r.notesSampled },
  { id: 'given', header: 'Feedback given', text: (r) => String(r.evaluationsGiven), sortValue: (r) => r.evaluationsGiven, csv: (r) => r.evaluationsGiven },
  {
    id: 'last',
    header: 'Last feedback',
    text: (r) => (r.lastFeedbackAt ? formatDate(r.lastFeedbackAt) : 'Never'),
    sortValue: (r) => r.lastFeedbackAt ?? null,
    csv: (r) => (r.lastFeedbackAt ? isoDay(r.lastFeedbackAt) : ''),
  },
  { id: 'thisYear', header: 'Feedback this year', text: (r) => (r.feedbackThisYear ? 'Yes' : 'Not yet'), choices: true },
];

function Report({ rows, year }: { rows: ManagerResult['noteQualityReport']; year: string }) {
  return (
    <section className="sv-stack" aria-labelledby="quality-report-title">
      <h3 id="quality-report-title" className="sv-note-heading">
        Feedback on notes by partner, {year}
      </h3>
      <Text size={200}>Every partner should have feedback on the quality of their notes at least once a year.</Text>
      <DataTable
        caption={`Feedback on notes by partner, ${year}`}
        name="feedback on notes"
        columns={REPORT_COLUMNS}
        rows={rows}
        rowKey={(r) => r.partner.id}
        rowProps={(r) => ({ 'data-late': r.feedbackThisYear ? undefined : '' })}
        emptyText="No active partner."
        testId="quality-report"
      />
    </section>
  );
}
