import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import type { UpdateNoteInput } from '../graphql/generated/graphql.js';
import { NoteByIdQuery, UpdateNoteMutation } from './note-documents.js';
import {
  afterSave,
  clearLocalDrafts,
  formOf,
  keepSetAside,
  MAX_RECOMMENDATIONS_ALLOWED,
  readLocalDraft,
  recommendationLimit,
  sameContent,
  saveLocalDraft,
  saveOf,
  textOf,
  upgradeDraftForm,
  type NoteData,
  type NoteForm,
  type SentRows,
} from './note-model.js';
import { mergeForms, SECTION_LABELS, takeSection, type NoteSection } from './three-way-merge.js';

export type SaveState =
  | { kind: 'saved' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'error'; error: unknown }
  /** Someone saved the note since this device loaded it: both versions are on screen. */
  | { kind: 'conflict'; theirs: NoteData; clashes: NoteSection[] };

/** A save the API refused, with what was sent, so its errors can be put next to the fields they are about. */
export interface SaveProblem {
  error: unknown;
  sent: SentRows;
}

/** What a save can carry besides the form: a manager's permission, phrases confirmed not to be names. */
export type SaveExtras = Pick<UpdateNoteInput, 'allowMoreRecommendationsBecause' | 'notNames'>;

export const AUTOSAVE_DELAY_MS = 1000;

export interface NoteAutosave {
  note: NoteData;
  form: NoteForm;
  state: SaveState;
  /** The last refused save (kept while the partner puts it right; cleared by the next save that succeeds). */
  problem: SaveProblem | null;
  /** Restored from this device at load ("restored") or set aside with "Use theirs". */
  notice: { kind: 'restored' } | { kind: 'merged'; sections: string[] } | { kind: 'set-aside'; text: string } | null;
  edit(change: (form: NoteForm) => NoteForm): void;
  /** Saves now what is waiting; resolves with the note as saved, or null when it could not be. */
  flush(): Promise<NoteData | null>;
  /**
   * Saves now (with `extras`, sent even when nothing else changed); resolves with the note
   * as saved, or rejects with the reason it could not be (the API's error, or a conflict).
   */
  save(extras?: SaveExtras): Promise<NoteData>;
  keepMine(): void;
  useTheirs(): void;
  /** After a workflow step (share, circulate…): the server's note becomes the base. */
  replaceNote(note: NoteData): void;
  dismissNotice(): void;
}

/** Why a save waits for the partner: two versions to choose between. */
export const conflictError = () =>
  new ApiError('CONFLICT', 'Someone else saved this note meanwhile. Both versions are shown above: keep yours or use theirs, then try again.');

/**
 * Autosave of a note being written: edits are kept on this device at once (keyed by
 * note id and version) and sent a second after typing stops, with the version they
 * started from. Each item is sent with its server id, removed items by id, so a save
 * changes only what this editor changed. A stale version (someone else saved) never
 * overwrites and never loses text: the server's version is loaded and both are shown
 * until the partner chooses.
 */
export function useNoteAutosave(api: ApiClient, initial: NoteData, canEdit: (status: string) => boolean): NoteAutosave {
  const [start] = useState(() => startingPoint(initial));
  const [note, setNote] = useState(initial);
  const [form, setForm] = useState(start.form);
  const [state, setStateNow] = useState<SaveState>(start.state);
  const [problem, setProblem] = useState<SaveProblem | null>(null);
  const stateRef = useRef<SaveState>(start.state);
  const setState = useCallback((next: SaveState) => {
    stateRef.current = next;
    setStateNow(next);
  }, []);
  const [notice, setNotice] = useState<NoteAutosave['notice']>(start.restored ? { kind: 'restored' } : null);

  const noteRef = useRef(initial);
  const formRef = useRef(start.form);
  /** The form as last accepted by the server (identity: unchanged since). */
  const savedRef = useRef<NoteForm | null>(start.state.kind === 'saved' ? start.form : null);
  const conflictRef = useRef(start.state.kind === 'conflict');
  /** The server's note as this device last knew it: the base of a three-way merge (none for a draft restored onto a newer version). */
  const baseFormRef = useRef<NoteForm | null>(start.state.kind === 'conflict' ? null : formOf(initial));
  /** The save under way (the whole of it, conflict handling included): saves run one at a time. */
  const running = useRef<Promise<NoteData> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const canEditRef = useRef(canEdit);
  canEditRef.current = canEdit;

  const showForm = useCallback((next: NoteForm) => {
    if (next === formRef.current) return;
    formRef.current = next;
    setForm(next);
  }, []);

  /** One save, retried once on top of their version when someone else changed only other sections. */
  const attempt = useCallback(
    async (extras: SaveExtras | undefined): Promise<NoteData> => {
      for (;;) {
        if (conflictRef.current) throw conflictError();
        const sending = formRef.current;
        const base = noteRef.current;
        if (!extras && (sending === savedRef.current || !canEditRef.current(base.status))) return base;
        const limit = extras?.allowMoreRecommendationsBecause ? MAX_RECOMMENDATIONS_ALLOWED : recommendationLimit(base);
        const { input, sent } = saveOf(sending, { recommendationLimit: limit });
        setState({ kind: 'saving' });
        try {
          const saved = (await api.request(UpdateNoteMutation, { id: base.id, expectedVersion: base.version, input: { ...input, ...extras } })).updateNote;
          noteRef.current = saved;
          setNote(saved);
          baseFormRef.current = formOf(saved);
          setProblem(null);
          const typedMeanwhile = formRef.current !== sending;
          const next = afterSave(formRef.current, sending, sent, base, saved);
          showForm(next);
          if (!typedMeanwhile) {
            savedRef.current = next;
            clearLocalDrafts(saved.id);
            setState({ kind: 'saved' });
          } else {
            savedRef.current = null;
            saveLocalDraft(saved.id, saved.version, next);
            setState({ kind: 'pending' });
            clearTimeout(timer.current);
            timer.current = setTimeout(() => void flushRef.current(), AUTOSAVE_DELAY_MS);
          }
          return saved;
        } catch (error) {
          if (error instanceof ApiError && error.code === 'CONFLICT') {
            const theirs = await api.request(NoteByIdQuery, { id: base.id }).then(
              (r) => r.note,
              () => null,
            );
            if (theirs && theirs.version !== base.version) {
              const theirsForm = formOf(theirs);
              const { merged, clashes, fromTheirs } = mergeForms(baseFormRef.current, formRef.current, theirsForm);
              showForm(merged);
              if (!clashes.length) {
                // Different sections changed: both kept, saved on top of their version at once.
                noteRef.current = theirs;
                setNote(theirs);
                baseFormRef.current = theirsForm;
                savedRef.current = null;
                saveLocalDraft(theirs.id, theirs.version, merged);
                setNotice({ kind: 'merged', sections: fromTheirs.map((k) => SECTION_LABELS[k]) });
                continue;
              }
              conflictRef.current = true;
              saveLocalDraft(base.id, base.version, merged);
              setState({ kind: 'conflict', theirs, clashes });
              throw conflictError();
            }
          }
          setProblem({ error, sent });
          setState({ kind: 'error', error });
          throw error;
        }
      }
    },
    [api, setState, showForm],
  );

  const save = useCallback(
    async (extras?: SaveExtras): Promise<NoteData> => {
      clearTimeout(timer.current);
      while (running.current) await running.current.catch(() => undefined);
      const op = attempt(extras);
      running.current = op;
      try {
        return await op;
      } finally {
        if (running.current === op) running.current = null;
      }
    },
    [attempt],
  );

  const flush = useCallback(() => save().catch(() => null), [save]);
  const flushRef = useRef(flush);
  flushRef.current = flush;

  const edit = useCallback(
    (change: (form: NoteForm) => NoteForm) => {
      const next = change(formRef.current);
      showForm(next);
      saveLocalDraft(noteRef.current.id, noteRef.current.version, next);
      if (conflictRef.current) return;
      if (stateRef.current.kind !== 'saving') setState({ kind: 'pending' });
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
    },
    [flush, setState, showForm],
  );

  const keepMine = useCallback(() => {
    const s = stateRef.current;
    if (s.kind !== 'conflict') return;
    // Re-sent with their version as the base: mine is saved over theirs (theirs stays in the audit trail).
    noteRef.current = s.theirs;
    setNote(s.theirs);
    baseFormRef.current = formOf(s.theirs);
    conflictRef.current = false;
    savedRef.current = null;
    saveLocalDraft(s.theirs.id, s.theirs.version, formRef.current);
    setState({ kind: 'pending' });
    void flush();
  }, [flush, setState]);

  const useTheirs = useCallback(() => {
    const s = stateRef.current;
    if (s.kind !== 'conflict') return;
    // Theirs wins where both changed; my changes elsewhere stay. My whole version is set aside on this device.
    const mine = textOf(formRef.current);
    keepSetAside(s.theirs.id, mine);
    setNotice({ kind: 'set-aside', text: mine });
    const theirsForm = formOf(s.theirs);
    const next: NoteForm = { ...formRef.current, removed: { ...formRef.current.removed } };
    for (const k of s.clashes) takeSection(next, theirsForm, k);
    noteRef.current = s.theirs;
    baseFormRef.current = theirsForm;
    setNote(s.theirs);
    showForm(next);
    conflictRef.current = false;
    if (sameContent(next, theirsForm)) {
      savedRef.current = next;
      clearLocalDrafts(s.theirs.id);
      setState({ kind: 'saved' });
    } else {
      savedRef.current = null;
      saveLocalDraft(s.theirs.id, s.theirs.version, next);
      setState({ kind: 'pending' });
      void flush();
    }
  }, [flush, setState, showForm]);

  const replaceNote = useCallback(
    (next: NoteData) => {
      const nextForm = formOf(next);
      noteRef.current = next;
      savedRef.current = nextForm;
      baseFormRef.current = nextForm;
      setNote(next);
      showForm(nextForm);
      setProblem(null);
      clearLocalDrafts(next.id);
      setState({ kind: 'saved' });
    },
    [setState, showForm],
  );

  useEffect(() => {
    if (start.state.kind === 'pending' && canEdit(initial.status)) timer.current = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return { note, form, state, problem, notice, edit, flush, save, keepMine, useTheirs, replaceNote, dismissNotice: () => setNotice(null) };
}

/** What this device still holds for the note: nothing, unsaved edits on the same version, or edits on an older one (a conflict). */
function startingPoint(note: NoteData): { form: NoteForm; state: SaveState; restored: boolean } {
  const server = formOf(note);
  const stored = typeof localStorage === 'undefined' ? null : readLocalDraft(note.id);
  const draft = stored && { ...stored, form: upgradeDraftForm(stored.form, note) };
  if (!draft || sameContent(draft.form, server)) return { form: server, state: { kind: 'saved' }, restored: false };
  if (draft.version === note.version) return { form: draft.form, state: { kind: 'pending' }, restored: true };
  if (draft.version < note.version) {
    const { clashes } = mergeForms(null, draft.form, server);
    return { form: draft.form, state: { kind: 'conflict', theirs: note, clashes }, restored: true };
  }
  return { form: server, state: { kind: 'saved' }, restored: false };
}
