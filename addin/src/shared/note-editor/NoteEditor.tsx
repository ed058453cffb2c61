import {
  Badge,
  Button,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Radio,
  RadioGroup,
  Select,
  Spinner,
  Text,
  Textarea,
} from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../api/api-client.js';
import { describeError, UserFacingError } from '../api/api-error.js';
import { enumWords, formatDate, formatDateTime, noteStatusLabel, sentence, visitTypeLabel } from '../format.js';
import type { NoteEditorVisitQuery as VisitResult } from '../graphql/generated/graphql.js';
import { ErrorMessage } from '../ui/ErrorMessage.js';
import { useAsync } from '../ui/use-async.js';
import {
  CirculateNoteMutation,
  ModerateNoteMutation,
  NoteEditorVisitQuery,
  RecordResponseMutation,
  ShareNoteMutation,
  StartNoteMutation,
} from './note-documents.js';
import { AREA_LABELS, AREAS, formOf, GRADE_LABELS, textOf, type Area, type NoteData } from './note-model.js';
import { Distribution, Findings, HeadteacherQuote, Judgements, Overview, Recommendations, Reviews, Targets } from './NoteSections.js';
import { focusFirstProblem, mergeProblems, problemsOf, ProblemsContext, screenMessage } from './problems.js';
import { SectionMenu } from './SectionMenu.js';
import { RequestMentorReviewMutation } from './mentor-review.documents.js';
import { MentorReviewBanner, useMentorReview, waitsForMentor, type MentorReviewData } from './MentorReview.js';
import { SECTION_LABELS } from './three-way-merge.js';
import { useNoteAutosave, type NoteAutosave } from './use-note-autosave.js';
import './note-editor.css';

type EditorVisit = NonNullable<VisitResult['visit']>;
type Me = VisitResult['me'];

/**
 * The note of visit for one visit: starts it when the visit has none, then edits it
 * with autosave, and takes it through sharing, the headteacher's response,
 * moderation and circulation. Used by the Teams tab and the Outlook task pane.
 */
export function NoteEditor({ api, visitId }: { api: ApiClient; visitId: string }) {
  const state = useAsync(async () => {
    const { visit, me } = await api.request(NoteEditorVisitQuery, { id: visitId });
    if (!visit) throw new Error('This visit was not found.');
    if (!visit.expectsNote) return { visit, me, note: null };
    if (visit.note) return { visit, me, note: visit.note };
    if (new Date(visit.startsAt).getTime() > Date.now() || visit.status === 'CANCELLED') return { visit, me, note: null };
    const note = (await api.request(StartNoteMutation, { visitId })).startNote;
    return { visit, me, note };
  }, [api, visitId]);

  if (state.status === 'loading') return <Spinner label="Opening the note of visit…" />;
  if (state.status === 'failed') return <ErrorMessage error={state.error} onRetry={state.reload} />;
  const { visit, me, note } = state.value;
  return (
    <article className="sv-stack sv-note" aria-label={`Note of visit: ${visit.school.name}`}>
      <VisitHeading visit={visit} />
      {!visit.expectsNote ? (
        <MessageBar intent="info">
          <MessageBarBody>No note of visit for a headteacher performance-management visit: leave the governors a feedback form instead.</MessageBarBody>
        </MessageBar>
      ) : !note ? (
        <MessageBar intent="info">
          <MessageBarBody>
            {visit.status === 'CANCELLED' ? 'This visit was cancelled: it has no note.' : 'The note can be started once the visit has taken place.'}
          </MessageBarBody>
        </MessageBar>
      ) : (
        <LoadedNote key={note.id} api={api} initial={note} visit={visit} me={me} />
      )}
    </article>
  );
}

function VisitHeading({ visit }: { visit: EditorVisit }) {
  return (
    <header className="sv-stack">
      <Text as="h2" size={500} weight="semibold">
        {visitTypeLabel(visit.type)}: {visit.school.name}
      </Text>
      <Text size={200}>
        {formatDateTime(visit.startsAt)} · DfE {visit.school.dfeNumber}
      </Text>
    </header>
  );
}

/** A partner edits a draft (and amends a disputed note while it waits); a moderating manager also edits a moderated one. */
const editableFor = (status: string, manager: boolean) => status === 'DRAFT' || status === 'DISPUTED' || (manager && status === 'MODERATED');

function LoadedNote({ api, initial, visit, me }: { api: ApiClient; initial: NoteData; visit: EditorVisit; me: Me }) {
  const manager = me?.role === 'MANAGER';
  const autosave = useNoteAutosave(api, initial, (status) => editableFor(status, manager));
  const { note, form, edit } = autosave;
  const editable = editableFor(note.status, manager);
  const readOnly = !editable;
  const visitDate = visit.startsAt.slice(0, 10);
  const root = useRef<HTMLDivElement>(null);
  // A new partner's first note goes to their mentor before it is shared (quality assurance).
  const [reviewRound, setReviewRound] = useState(0);
  const reviewState = useMentorReview(api, note.id, reviewRound);
  const mentorReview = reviewState.status === 'ready' ? reviewState.value : null;

  /** A workflow step's failure (share, circulate, moderate…): its message, and its fields marked. */
  const [stepError, setStepError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  /**
   * Moves focus once the page shows the outcome of an action the person took (never
   * during autosave): to `selector`, or to the first problem, or to the step's error.
   */
  const [focusRequest, setFocusRequest] = useState<{ round: number; selector?: string }>({ round: 0 });
  const requestFocus = useCallback((selector?: string) => setFocusRequest((r) => ({ round: r.round + 1, selector })), []);
  useEffect(() => {
    const container = root.current;
    if (!focusRequest.round || !container) return;
    const wanted = focusRequest.selector ? container.querySelector<HTMLElement>(focusRequest.selector) : null;
    if (wanted) {
      wanted.focus({ preventScroll: true });
      wanted.scrollIntoView({ block: 'center' });
    } else if (!focusFirstProblem(container)) container.querySelector<HTMLElement>('[data-step-error]')?.focus();
  }, [focusRequest]);

  const problems = useMemo(() => {
    const fromSave = autosave.problem ? problemsOf(autosave.problem.error, autosave.problem.sent, form) : new Map();
    const stepCause = stepError instanceof UserFacingError ? stepError.cause : stepError;
    const fromStep = stepError && stepCause !== autosave.problem?.error ? problemsOf(stepCause, null, form) : new Map();
    return mergeProblems(fromSave, fromStep);
  }, [autosave.problem, stepError, form]);

  /** Any failure in words, a refused save's rows numbered as on screen. */
  const describe = useCallback(
    (error: unknown) => {
      const described = describeError(error);
      const saveError = error instanceof UserFacingError ? error.cause : error;
      if (autosave.problem && saveError === autosave.problem.error) {
        const detail = screenMessage(saveError, autosave.problem.sent, form);
        if (detail && described.code === 'BAD_USER_INPUT') return { ...described, detail };
      }
      return described;
    },
    [autosave.problem, form],
  );

  /** Resends the save with extras; on failure the problem is shown beside its field and focused. */
  const saveWith = useCallback(
    async (label: string, extras: Parameters<NoteAutosave['save']>[0], then: string) => {
      setBusy(label);
      try {
        await autosave.save(extras);
        requestFocus(then);
        return true;
      } catch {
        requestFocus();
        return false;
      } finally {
        setBusy(null);
      }
    },
    [autosave, requestFocus],
  );
  // Afterwards, focus goes back to the field (its message gone), or to the permission now shown.
  const confirmNotName = useCallback(
    (phrase: string, control: string) =>
      void saveWith('not-a-name', { notNames: [phrase] }, `[data-control="${CSS.escape(control)}"] :is(textarea, input, select)`),
    [saveWith],
  );
  const allowMore = useCallback(
    (reason: string) => saveWith('allow-more', { allowMoreRecommendationsBecause: reason }, '[data-testid="recommendation-limit-allowed"]'),
    [saveWith],
  );

  return (
    <ProblemsContext.Provider value={{ problems, confirmNotName, busy: !!busy }}>
      <div ref={root} className="sv-stack">
        <StatusBar
          note={note}
          autosave={autosave}
          editable={editable}
          problems={problems.size}
          describe={describe}
          onShowProblem={() => (root.current ? focusFirstProblem(root.current) : false)}
        />
        <SectionMenu />
        <MentorReviewBanner review={mentorReview} manager={manager} />
        <ConflictPanel autosave={autosave} />
        {autosave.notice?.kind === 'restored' && (
          <MessageBar intent="info" data-testid="restored">
            <MessageBarBody>Changes not yet saved were restored from this device.</MessageBarBody>
            <MessageBarActions>
              <Button size="small" onClick={autosave.dismissNotice}>
                OK
              </Button>
            </MessageBarActions>
          </MessageBar>
        )}
        {autosave.notice?.kind === 'merged' && (
          <MessageBar intent="info" data-testid="merged">
            <MessageBarBody>
              Someone else saved this note meanwhile; their changes ({autosave.notice.sections.join(', ') || 'none'}) and yours are both kept.
            </MessageBarBody>
            <MessageBarActions>
              <Button size="small" onClick={autosave.dismissNotice}>
                OK
              </Button>
            </MessageBarActions>
          </MessageBar>
        )}
        {autosave.notice?.kind === 'set-aside' && (
          <MessageBar intent="info" layout="multiline" data-testid="set-aside">
            <MessageBarBody>
              <MessageBarTitle>Your version was set aside, not lost</MessageBarTitle>
              It is kept on this device; copy what you need from it.
              <Textarea className="sv-wide" readOnly aria-label="Your set-aside version" value={autosave.notice.text} rows={4} />
            </MessageBarBody>
            <MessageBarActions>
              <Button size="small" onClick={autosave.dismissNotice}>
                Close
              </Button>
            </MessageBarActions>
          </MessageBar>
        )}
        <CorrectionNotice note={note} />
        <WhereTheNoteIs note={note} manager={manager} />
        <HeadteacherResponses note={note} />
        <Overview form={form} edit={edit} readOnly={readOnly} />
        <Judgements form={form} edit={edit} readOnly={readOnly} note={note} />
        <Findings form={form} edit={edit} readOnly={readOnly} />
        <Reviews form={form} edit={edit} readOnly={readOnly} note={note} />
        <Recommendations form={form} edit={edit} readOnly={readOnly} visitDate={visitDate} note={note} manager={manager} allowMore={allowMore} />
        <Targets form={form} edit={edit} readOnly={readOnly} autumn={visit.type === 'AUTUMN'} />
        <Distribution form={form} edit={edit} readOnly={readOnly} school={visit.school} />
        <Workflow
          api={api}
          autosave={autosave}
          manager={manager}
          error={stepError}
          setError={setStepError}
          requestFocus={requestFocus}
          describe={describe}
          mentorReview={mentorReview}
          onMentorReviewChanged={() => setReviewRound((n) => n + 1)}
        />
      </div>
    </ProblemsContext.Provider>
  );
}

type Describe = (error: unknown) => ReturnType<typeof describeError>;

function StatusBar({
  note,
  autosave,
  editable,
  problems,
  describe,
  onShowProblem,
}: {
  note: NoteData;
  autosave: NoteAutosave;
  editable: boolean;
  problems: number;
  describe: Describe;
  onShowProblem: () => boolean;
}) {
  const s = autosave.state;
  const saveText = !editable
    ? 'Read-only'
    : s.kind === 'saved'
      ? 'Saved'
      : s.kind === 'saving'
        ? 'Saving…'
        : s.kind === 'pending'
          ? 'Unsaved changes'
          : s.kind === 'conflict'
            ? 'Not saved: someone else saved this note'
            : 'Not saved';
  return (
    <div className="sv-stack sv-note-status">
      <div className="sv-row">
        <Badge appearance="tint" color={note.overdue ? 'danger' : 'informative'} data-testid="note-status">
          {noteStatusLabel(note.status)}
          {note.overdue ? ' (late)' : ''}
        </Badge>
        <Text role="status" aria-live="polite" data-testid="save-state" data-state={editable ? s.kind : 'read-only'}>
          {saveText}
        </Text>
      </div>
      <Text size={200}>
        Draft due with the headteacher {formatDate(note.draftDueOn)}; circulation due {formatDate(note.circulationDueOn)}.
      </Text>
      {s.kind === 'error' && (
        <SaveError
          described={describe(s.error)}
          onRetry={() => void autosave.flush().then((saved) => saved || onShowProblem())}
          onShowProblem={problems ? onShowProblem : undefined}
        />
      )}
    </div>
  );
}

/** Why the last save was refused, in the API's words, with a way to the field at fault. */
function SaveError({ described, onRetry, onShowProblem }: { described: ReturnType<typeof describeError>; onRetry: () => void; onShowProblem?: () => boolean }) {
  const { title, detail, code } = described;
  return (
    <MessageBar intent="error" layout="multiline" data-error-code={code} data-testid="save-error">
      <MessageBarBody>
        <MessageBarTitle>Not saved. {title}</MessageBarTitle> {detail}
      </MessageBarBody>
      <MessageBarActions>
        {onShowProblem && (
          <Button size="small" onClick={onShowProblem}>
            Go to the problem
          </Button>
        )}
        <Button size="small" onClick={onRetry}>
          Try again
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}

function ConflictPanel({ autosave }: { autosave: NoteAutosave }) {
  const s = autosave.state;
  if (s.kind !== 'conflict') return null;
  return (
    <section className="sv-conflict" aria-labelledby="conflict-title" data-testid="conflict">
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle id="conflict-title">Someone else saved this note</MessageBarTitle>
          Your changes are not lost. Both of you changed: {s.clashes.map((k) => SECTION_LABELS[k]).join(', ')}. Changes to other sections are already combined.
          Compare, then keep yours (saved over theirs) or use theirs (yours is set aside on this device).
        </MessageBarBody>
      </MessageBar>
      <div className="sv-conflict-versions">
        <Field label="Your version">
          <Textarea readOnly rows={8} value={textOf(autosave.form)} data-testid="conflict-mine" />
        </Field>
        <Field label={`Their version (saved ${formatDateTime(s.theirs.updatedAt)})`}>
          <Textarea readOnly rows={8} value={textOf(formOf(s.theirs))} data-testid="conflict-theirs" />
        </Field>
      </div>
      <div className="sv-row">
        <Button appearance="primary" onClick={autosave.keepMine}>
          Keep mine (save over theirs)
        </Button>
        <Button onClick={autosave.useTheirs}>Use theirs</Button>
      </div>
    </section>
  );
}

/** A circulated note reopened for correction: why, and when the revision before it went out. */
function CorrectionNotice({ note }: { note: NoteData }) {
  if (!note.correctionReason) return null;
  const earlier = [...note.revisions].filter((r) => r.revision < note.revision).sort((a, b) => b.revision - a.revision)[0];
  const first = note.firstCirculatedAt ?? [...note.revisions].sort((a, b) => a.revision - b.revision)[0]?.circulatedAt;
  return (
    <MessageBar intent="info" layout="multiline" data-testid="correction">
      <MessageBarBody>
        <MessageBarTitle>
          {note.status === 'CIRCULATED' ? `Revision ${note.revision}: a correction` : `Reopened for correction (revision ${note.revision})`}
        </MessageBarTitle>{' '}
        Why: {sentence(note.correctionReason)}{' '}
        {earlier && (
          <>
            Revision {earlier.revision} was circulated on {formatDateTime(earlier.circulatedAt)} and is kept as it went out.{' '}
          </>
        )}
        {first && earlier && first !== earlier.circulatedAt && (
          <>The note was first circulated on {formatDateTime(first)}; its deadlines are judged on that. </>
        )}
        {first && earlier && first === earlier.circulatedAt && <>Its deadlines are judged on that first circulation, not on the correction.</>}
      </MessageBarBody>
    </MessageBar>
  );
}

/** What happens next, said to whoever has the note open. */
function WhereTheNoteIs({ note, manager }: { note: NoteData; manager: boolean }) {
  if (note.status === 'SHARED') {
    return (
      <MessageBar intent="info" layout="multiline" data-testid="awaiting-headteacher">
        <MessageBarBody>
          Shared with the headteacher{note.sharedAt ? ` on ${formatDateTime(note.sharedAt)}` : ''}: they answer through the link they were emailed.
          {manager ? ' If they answer another way, record their response on their behalf below.' : ''}
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (note.status === 'DISPUTED') {
    return (
      <MessageBar intent="warning" layout="multiline" data-testid="awaiting-moderation">
        <MessageBarBody>
          <MessageBarTitle>The headteacher disputes this note</MessageBarTitle>{' '}
          {manager
            ? 'It awaits your moderation: read their comments below, then record your decision under “Moderate”.'
            : 'It now awaits moderation by a senior adviser, whose decision is final; it cannot be shared again. Their comments are below; the dispute stays part of the note.'}
        </MessageBarBody>
      </MessageBar>
    );
  }
  return null;
}

type Response = NoteData['responses'][number];

/** The headteacher's answers, oldest first: their words, read-only, with how each reached the record. */
function HeadteacherResponses({ note }: { note: NoteData }) {
  const responses: Response[] = note.responses?.length
    ? note.responses
    : note.headteacherRespondedAt
      ? // A note answered before the trail was kept: its one answer.
        [
          {
            id: 'latest',
            revision: note.revision,
            agreed: !!note.headteacherAgreed,
            comment: note.headteacherComment,
            respondent: null,
            recordedVia: 'LINK',
            reason: null,
            respondedAt: note.headteacherRespondedAt,
            judgementComments: note.judgements.filter((j) => j.headteacherComment).map((j) => ({ area: j.area, comment: j.headteacherComment! })),
          } as Response,
        ]
      : [];
  if (!responses.length) return null;
  return (
    <section className="sv-note-section sv-ht" aria-labelledby="note-headteacher" data-testid="headteacher-responses">
      <h3 id="note-headteacher" className="sv-note-heading" tabIndex={-1}>
        The headteacher's response
      </h3>
      <Text size={200}>In the headteacher's own words. Read-only: it is part of the record and stays in the note.</Text>
      <ol className="sv-ht-list">
        {responses.map((r, i) => (
          <li key={r.id} data-testid="headteacher-response">
            <article aria-label={`Answer ${i + 1} of ${responses.length}`} className="sv-stack">
              <div className="sv-row">
                <Badge appearance="outline" color={r.agreed ? 'success' : 'warning'}>
                  {r.agreed ? 'Agreed' : 'Disputed'}
                </Badge>
                <Text size={200}>
                  {formatDateTime(r.respondedAt)}, on revision {r.revision}
                  {r.respondent ? `, given by ${r.respondent}` : ''}
                </Text>
              </div>
              <Text size={200} data-testid="response-channel">
                {r.recordedVia === 'MANAGER'
                  ? `Recorded by a senior adviser on the headteacher's behalf. Why: ${sentence(r.reason ?? 'not given')}`
                  : "Given through the headteacher's own link."}
              </Text>
              {r.comment && (
                <HeadteacherQuote label="Their overall comment" testId="headteacher-overall-comment">
                  {r.comment}
                </HeadteacherQuote>
              )}
              {r.judgementComments.length > 0 && (
                <dl className="sv-ht-headings">
                  {sortByArea(r.judgementComments).map((c) => (
                    <div key={c.area}>
                      <dt>{AREA_LABELS[c.area as Area] ?? c.area}</dt>
                      <dd>
                        <blockquote>{c.comment}</blockquote>
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
            </article>
          </li>
        ))}
      </ol>
    </section>
  );
}

const sortByArea = <T extends { area: string }>(items: readonly T[]) =>
  [...items].sort((a, b) => AREAS.indexOf(a.area as Area) - AREAS.indexOf(b.area as Area));

/** For the moderator: heading by heading, the two grades, the partner's reason and the headteacher's comment. */
function DisputeSummary({ note }: { note: NoteData }) {
  const rows = sortByArea(note.judgements);
  return (
    <div className="sv-table-wrap">
      <table className="sv-table" data-testid="dispute-summary">
        <caption>Heading by heading</caption>
        <thead>
          <tr>
            <th scope="col">Heading</th>
            <th scope="col">School's grade</th>
            <th scope="col">Partner's grade</th>
            <th scope="col">Partner's reason</th>
            <th scope="col">Headteacher's comment (their words)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((j) => (
            <tr key={j.area}>
              <th scope="row">{AREA_LABELS[j.area as Area] ?? j.area}</th>
              <td>{j.schoolGrade ? GRADE_LABELS[String(j.schoolGrade)] : 'Not graded'}</td>
              <td>{j.insufficientEvidence ? 'Insufficient evidence' : j.partnerGrade ? GRADE_LABELS[String(j.partnerGrade)] : 'Not graded'}</td>
              <td>{j.disagreementReason ?? ''}</td>
              <td>{j.headteacherComment ? <q>{j.headteacherComment}</q> : 'No comment'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {note.headteacherComment && <HeadteacherQuote label="The headteacher's overall comment (their words)">{note.headteacherComment}</HeadteacherQuote>}
    </div>
  );
}

function Workflow({
  api,
  autosave,
  manager,
  error,
  setError,
  requestFocus,
  describe,
  mentorReview,
  onMentorReviewChanged,
}: {
  api: ApiClient;
  autosave: NoteAutosave;
  manager: boolean;
  error: unknown;
  setError: (e: unknown) => void;
  /** No selector: the first problem (after a failure). */
  requestFocus: (selector?: string) => void;
  describe: Describe;
  mentorReview: MentorReviewData | null;
  onMentorReviewChanged: () => void;
}) {
  const { note } = autosave;
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [agreed, setAgreed] = useState<'yes' | 'no'>('yes');
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [headingComments, setHeadingComments] = useState<Partial<Record<Area, string>>>({});
  const [responseTried, setResponseTried] = useState(false);
  const [decision, setDecision] = useState<'UPHOLD_PARTNER' | 'UPHOLD_SCHOOL' | 'AMENDED'>('UPHOLD_PARTNER');
  const [moderation, setModeration] = useState('');
  const [moderationTried, setModerationTried] = useState(false);

  const run = async (label: string, work: () => Promise<NoteData | null>, message: string) => {
    setBusy(label);
    setError(null);
    setDone(null);
    try {
      const next = await work();
      if (next) {
        autosave.replaceNote(next);
        setDone(message);
        // The button pressed may be gone (a shared note has no "Share"): the outcome takes focus.
        requestFocus('[data-workflow-done]');
      }
    } catch (e) {
      setError(e);
      requestFocus();
    } finally {
      setBusy(null);
    }
  };
  /** Workflow steps act on the saved note: save what is waiting first, and say so when that fails. */
  const saved = (step: string) => async () => {
    try {
      return await autosave.save();
    } catch (e) {
      const { detail } = describeError(e);
      throw new UserFacingError(`Not ${step}: the note could not be saved first.`, detail, e);
    }
  };

  // The API serves the note as a tagged PDF beside the Word one, at the same path ending .pdf.
  const download = async (kind: 'docx' | 'pdf') => {
    setBusy(`download-${kind}`);
    setError(null);
    try {
      const blob = await api.download(kind === 'pdf' ? note.docxUrl.replace(/\.docx$/, '.pdf') : note.docxUrl);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `note-of-visit-${note.id}.${kind}`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const status = note.status;
  const judged = sortByArea(note.judgements);
  const reasonMissing = responseTried && !reason.trim();
  const disputeCommentMissing = responseTried && agreed === 'no' && !comment.trim();
  const moderationMissing = moderationTried && !moderation.trim();
  const stepFailure = error !== null ? describe(error) : null;
  return (
    <section className="sv-note-section" aria-labelledby="note-workflow">
      <h3 id="note-workflow" className="sv-note-heading" tabIndex={-1}>
        {status === 'DRAFT'
          ? 'Share'
          : status === 'SHARED'
            ? "The headteacher's answer"
            : status === 'DISPUTED'
              ? 'Moderation'
              : status === 'CIRCULATED'
                ? 'Circulated'
                : 'Circulate'}
      </h3>
      {note.moderationDecision && (
        <Text>
          Moderated ({enumWords(note.moderationDecision)}): {note.moderationComment}
        </Text>
      )}
      {status === 'DRAFT' && waitsForMentor(mentorReview) && (
        <div className="sv-row">
          {mentorReview!.status === 'AWAITING_MENTOR' ? (
            <Text data-testid="with-mentor">With your mentor, {mentorReview!.mentor?.name}, for review: share it once they release it.</Text>
          ) : (
            <Button
              appearance="primary"
              disabled={!!busy}
              data-testid="send-to-mentor"
              onClick={() =>
                void run(
                  'mentor',
                  async () =>
                    (await api.request(RequestMentorReviewMutation, { noteId: note.id, expectedVersion: (await saved('sent')()).version })).requestMentorReview,
                  `Sent to your mentor, ${mentorReview!.mentor?.name ?? ''}: you will see their feedback here.`,
                ).then(onMentorReviewChanged)
              }
            >
              {busy === 'mentor' ? 'Sending…' : manager ? 'Send to their mentor' : 'Send to my mentor'}
            </Button>
          )}
        </div>
      )}
      {status === 'DRAFT' && !waitsForMentor(mentorReview) && (
        <div className="sv-row">
          <Button
            appearance="primary"
            disabled={!!busy}
            onClick={() =>
              run(
                'share',
                async () => (await api.request(ShareNoteMutation, { id: note.id, expectedVersion: (await saved('shared')()).version })).shareNote,
                'Shared with the headteacher: they are emailed a link to read and answer it.',
              )
            }
          >
            {busy === 'share' ? 'Sharing…' : 'Share with the headteacher'}
          </Button>
        </div>
      )}
      {status === 'DISPUTED' && !manager && (
        <Text data-testid="share-closed">A disputed note goes to moderation, not back to the headteacher: it cannot be shared again.</Text>
      )}
      {status === 'SHARED' && manager && (
        <fieldset className="sv-item" data-testid="record-response">
          <legend>Record the headteacher's response (senior adviser, on their behalf)</legend>
          <Text size={200}>
            Use this only when the headteacher answered another way than their link (by email, by letter). What you record is marked as recorded by you, with
            your reason, and audited.
          </Text>
          <Field
            label="Why you are recording it for them"
            required
            validationState={reasonMissing ? 'error' : 'none'}
            validationMessage={reasonMissing ? 'Say why you are recording the response on the headteacher’s behalf.' : undefined}
          >
            <Textarea value={reason} onChange={(_e, d) => setReason(d.value)} data-testid="response-reason" />
          </Field>
          <Field label="The headteacher's answer">
            <RadioGroup value={agreed} onChange={(_e, d) => setAgreed(d.value as 'yes' | 'no')}>
              <Radio value="yes" label="Agreed" />
              <Radio value="no" label="Disputed" />
            </RadioGroup>
          </Field>
          <Field
            label="The headteacher's overall comment (their words)"
            required={agreed === 'no'}
            validationState={disputeCommentMissing ? 'error' : 'none'}
            validationMessage={disputeCommentMissing ? 'A disputed note needs the headteacher’s comment: what they disagree with.' : undefined}
          >
            <Textarea value={comment} onChange={(_e, d) => setComment(d.value)} />
          </Field>
          {judged.map((j) => (
            <Field key={j.area} label={`Their comment on ${AREA_LABELS[j.area as Area] ?? j.area} (optional)`}>
              <Textarea value={headingComments[j.area as Area] ?? ''} onChange={(_e, d) => setHeadingComments((c) => ({ ...c, [j.area]: d.value }))} />
            </Field>
          ))}
          <div className="sv-row">
            <Button
              disabled={!!busy}
              onClick={() => {
                setResponseTried(true);
                if (!reason.trim() || (agreed === 'no' && !comment.trim())) return;
                const judgementComments = Object.entries(headingComments)
                  .filter(([, c]) => c?.trim())
                  .map(([area, c]) => ({ area: area as Area, comment: c!.trim() }));
                void run(
                  'respond',
                  async () =>
                    (
                      await api.request(RecordResponseMutation, {
                        id: note.id,
                        agreed: agreed === 'yes',
                        comment: comment.trim() || null,
                        reason: reason.trim(),
                        judgementComments: judgementComments.length ? judgementComments : null,
                      })
                    ).recordHeadteacherResponse,
                  'Response recorded on the headteacher’s behalf.',
                );
              }}
            >
              {busy === 'respond' ? 'Recording…' : 'Record the response'}
            </Button>
          </div>
        </fieldset>
      )}
      {status === 'DISPUTED' && manager && (
        <fieldset className="sv-item" data-testid="moderation">
          <legend>Moderate (senior adviser)</legend>
          <Text size={200}>Your decision is final. The headteacher's comments and the partner's reasons stay in the note.</Text>
          <DisputeSummary note={note} />
          <Field label="Decision">
            <Select value={decision} onChange={(_e, d) => setDecision(d.value as typeof decision)}>
              <option value="UPHOLD_PARTNER">Uphold the partner's note</option>
              <option value="UPHOLD_SCHOOL">Uphold the school's view</option>
              <option value="AMENDED">Amend the note</option>
            </Select>
          </Field>
          <Field
            label="Moderation comment"
            required
            validationState={moderationMissing ? 'error' : 'none'}
            validationMessage={moderationMissing ? 'Explain the decision: it is kept in the note.' : undefined}
          >
            <Textarea value={moderation} onChange={(_e, d) => setModeration(d.value)} />
          </Field>
          <div className="sv-row">
            <Button
              disabled={!!busy}
              onClick={() => {
                setModerationTried(true);
                if (!moderation.trim()) return;
                void run(
                  'moderate',
                  async () => (await api.request(ModerateNoteMutation, { id: note.id, decision, comment: moderation })).moderateNote,
                  'Moderation recorded.',
                );
              }}
            >
              Record the moderation
            </Button>
          </div>
        </fieldset>
      )}
      {(status === 'AGREED' || status === 'MODERATED') && (
        <div className="sv-row">
          <Button
            appearance="primary"
            disabled={!!busy}
            onClick={() =>
              run(
                'circulate',
                async () => (await api.request(CirculateNoteMutation, { id: note.id, expectedVersion: (await saved('circulated')()).version })).circulateNote,
                'Circulated to the distribution list. The note is now read-only.',
              )
            }
          >
            {busy === 'circulate' ? 'Circulating…' : 'Circulate the note'}
          </Button>
        </div>
      )}
      <div className="sv-row">
        <Button disabled={!!busy} onClick={() => void download('docx')}>
          {busy === 'download-docx' ? 'Downloading…' : 'Download as Word'}
        </Button>
        <Button disabled={!!busy} onClick={() => void download('pdf')}>
          {busy === 'download-pdf' ? 'Downloading…' : 'Download as PDF'}
        </Button>
      </div>
      {done && (
        <div tabIndex={-1} data-workflow-done className="sv-step-error">
          <MessageBar intent="success" data-testid="workflow-done">
            <MessageBarBody>{done}</MessageBarBody>
          </MessageBar>
        </div>
      )}
      {stepFailure && (
        <div tabIndex={-1} data-step-error className="sv-step-error">
          <MessageBar intent="error" layout="multiline" data-error-code={stepFailure.code} role="alert" data-testid="step-error">
            <MessageBarBody>
              <MessageBarTitle>{stepFailure.title}</MessageBarTitle> {stepFailure.detail}
            </MessageBarBody>
          </MessageBar>
        </div>
      )}
    </section>
  );
}
