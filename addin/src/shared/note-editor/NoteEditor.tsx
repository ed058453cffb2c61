import { Badge, Button, Field, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Select, Spinner, Text, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api/api-client.js';
import { enumWords, formatDate, formatDateTime, noteStatusLabel, visitTypeLabel } from '../format.js';
import type { NoteEditorVisitQuery as VisitResult } from '../graphql/generated/graphql.js';
import { ErrorMessage } from '../ui/ErrorMessage.js';
import { useAsync } from '../ui/use-async.js';
import { CirculateNoteMutation, ModerateNoteMutation, NoteEditorVisitQuery, RecordResponseMutation, ShareNoteMutation, StartNoteMutation } from './note-documents.js';
import { textOf, formOf, SECTION_LABELS, type NoteData } from './note-model.js';
import { Distribution, Findings, Judgements, Overview, Recommendations, Reviews, Targets } from './NoteSections.js';
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
          <MessageBarBody>{visit.status === 'CANCELLED' ? 'This visit was cancelled: it has no note.' : 'The note can be started once the visit has taken place.'}</MessageBarBody>
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

const editableFor = (status: string, manager: boolean) => status === 'DRAFT' || status === 'DISPUTED' || (manager && status === 'MODERATED');

function LoadedNote({ api, initial, visit, me }: { api: ApiClient; initial: NoteData; visit: EditorVisit; me: Me }) {
  const manager = me?.role === 'MANAGER';
  const autosave = useNoteAutosave(api, initial, (status) => editableFor(status, manager));
  const { note, form, edit } = autosave;
  const editable = editableFor(note.status, manager);
  const readOnly = !editable;
  const visitDate = visit.startsAt.slice(0, 10);

  return (
    <>
      <StatusBar note={note} autosave={autosave} editable={editable} />
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
          <MessageBarBody>Someone else saved this note meanwhile; their changes ({autosave.notice.sections.join(', ') || 'none'}) and yours are both kept.</MessageBarBody>
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
      <Overview form={form} edit={edit} readOnly={readOnly} />
      <Judgements form={form} edit={edit} readOnly={readOnly} />
      <Findings form={form} edit={edit} readOnly={readOnly} />
      <Reviews form={form} edit={edit} readOnly={readOnly} note={note} />
      <Recommendations form={form} edit={edit} readOnly={readOnly} visitDate={visitDate} />
      <Targets form={form} edit={edit} readOnly={readOnly} autumn={visit.type === 'AUTUMN'} />
      <Distribution form={form} edit={edit} readOnly={readOnly} school={visit.school} />
      <Workflow api={api} autosave={autosave} manager={manager} />
    </>
  );
}

function StatusBar({ note, autosave, editable }: { note: NoteData; autosave: NoteAutosave; editable: boolean }) {
  const s = autosave.state;
  const saveText = !editable ? 'Read-only' : s.kind === 'saved' ? 'Saved' : s.kind === 'saving' ? 'Saving…' : s.kind === 'pending' ? 'Unsaved changes' : s.kind === 'conflict' ? 'Not saved: someone else saved this note' : 'Not saved';
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
      {s.kind === 'error' && <ErrorMessage error={s.error} onRetry={() => void autosave.flush()} />}
    </div>
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
          Your changes are not lost. Both of you changed: {s.clashes.map((k) => SECTION_LABELS[k]).join(', ')}. Changes to other sections are already combined. Compare, then keep yours (saved over theirs) or use theirs (yours is set aside on this device).
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

function Workflow({ api, autosave, manager }: { api: ApiClient; autosave: NoteAutosave; manager: boolean }) {
  const { note } = autosave;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [agreed, setAgreed] = useState<'yes' | 'no'>('yes');
  const [comment, setComment] = useState('');
  const [decision, setDecision] = useState<'UPHOLD_PARTNER' | 'UPHOLD_SCHOOL' | 'AMENDED'>('UPHOLD_PARTNER');
  const [moderation, setModeration] = useState('');

  const run = async (label: string, work: () => Promise<NoteData | null>, message: string) => {
    setBusy(label);
    setError(null);
    setDone(null);
    try {
      const next = await work();
      if (next) {
        autosave.replaceNote(next);
        setDone(message);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  /** Workflow steps act on the saved note: save what is waiting first. */
  const saved = async () => {
    const current = await autosave.flush();
    if (!current) throw new Error('Save the note first: resolve the problem shown above.');
    return current;
  };

  const download = async () => {
    setBusy('download');
    setError(null);
    try {
      const blob = await api.download(note.docxUrl);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `note-of-visit-${note.id}.docx`;
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
  return (
    <section className="sv-note-section" aria-labelledby="note-workflow">
      <h3 id="note-workflow" className="sv-note-heading">
        Share and circulate
      </h3>
      {note.headteacherRespondedAt && (
        <Text>
          The headteacher {note.headteacherAgreed ? 'agreed' : 'disputed the note'}
          {note.headteacherComment ? `: “${note.headteacherComment}”` : '.'}
        </Text>
      )}
      {note.moderationDecision && (
        <Text>
          Moderated ({enumWords(note.moderationDecision)}): {note.moderationComment}
        </Text>
      )}
      {(status === 'DRAFT' || status === 'DISPUTED') && (
        <div className="sv-row">
          <Button
            appearance="primary"
            disabled={!!busy}
            onClick={() => run('share', async () => (await api.request(ShareNoteMutation, { id: note.id, expectedVersion: (await saved()).version })).shareNote, 'Shared with the headteacher: they are emailed a link to read and answer it.')}
          >
            {busy === 'share' ? 'Sharing…' : 'Share with the headteacher'}
          </Button>
        </div>
      )}
      {status === 'SHARED' && (
        <fieldset className="sv-item">
          <legend>Record the headteacher's response</legend>
          <RadioGroup value={agreed} onChange={(_e, d) => setAgreed(d.value as 'yes' | 'no')} aria-label="The headteacher's response">
            <Radio value="yes" label="Agreed" />
            <Radio value="no" label="Disputed" />
          </RadioGroup>
          <Field label="The headteacher's comment" required={agreed === 'no'}>
            <Textarea value={comment} onChange={(_e, d) => setComment(d.value)} />
          </Field>
          <Button
            disabled={!!busy}
            onClick={() =>
              run('respond', async () => (await api.request(RecordResponseMutation, { id: note.id, agreed: agreed === 'yes', comment: comment.trim() || null })).recordHeadteacherResponse, 'Response recorded.')
            }
          >
            Record the response
          </Button>
        </fieldset>
      )}
      {status === 'DISPUTED' && manager && (
        <fieldset className="sv-item">
          <legend>Moderate (senior adviser)</legend>
          <Field label="Decision">
            <Select value={decision} onChange={(_e, d) => setDecision(d.value as typeof decision)}>
              <option value="UPHOLD_PARTNER">Uphold the partner's note</option>
              <option value="UPHOLD_SCHOOL">Uphold the school's view</option>
              <option value="AMENDED">Amend the note</option>
            </Select>
          </Field>
          <Field label="Moderation comment" required>
            <Textarea value={moderation} onChange={(_e, d) => setModeration(d.value)} />
          </Field>
          <Button disabled={!!busy || !moderation.trim()} onClick={() => run('moderate', async () => (await api.request(ModerateNoteMutation, { id: note.id, decision, comment: moderation })).moderateNote, 'Moderation recorded.')}>
            Record the moderation
          </Button>
        </fieldset>
      )}
      {(status === 'AGREED' || status === 'MODERATED') && (
        <div className="sv-row">
          <Button
            appearance="primary"
            disabled={!!busy}
            onClick={() => run('circulate', async () => (await api.request(CirculateNoteMutation, { id: note.id, expectedVersion: (await saved()).version })).circulateNote, 'Circulated to the distribution list. The note is now read-only.')}
          >
            {busy === 'circulate' ? 'Circulating…' : 'Circulate the note'}
          </Button>
        </div>
      )}
      <div className="sv-row">
        <Button disabled={!!busy} onClick={() => void download()}>
          {busy === 'download' ? 'Downloading…' : 'Download as Word'}
        </Button>
      </div>
      {done && (
        <MessageBar intent="success" data-testid="workflow-done">
          <MessageBarBody>{done}</MessageBarBody>
        </MessageBar>
      )}
      {error !== null && <ErrorMessage error={error} />}
    </section>
  );
}
