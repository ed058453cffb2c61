import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import { NoteByIdQuery, UpdateNoteMutation } from './note-documents.js';
import { clearLocalDrafts, formOf, inputOf, keepSetAside, mergeForms, readLocalDraft, sameContent, saveLocalDraft, SECTION_LABELS, textOf, type NoteData, type NoteForm } from './note-model.js';

export type SaveState =
  | { kind: 'saved' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'error'; error: unknown }
  /** Someone saved the note since this device loaded it: both versions are on screen. */
  | { kind: 'conflict'; theirs: NoteData; clashes: (keyof NoteForm)[] };

export const AUTOSAVE_DELAY_MS = 1000;

export interface NoteAutosave {
  note: NoteData;
  form: NoteForm;
  state: SaveState;
  /** Restored from this device at load ("restored") or set aside with "Use theirs". */
  notice: { kind: 'restored' } | { kind: 'merged'; sections: string[] } | { kind: 'set-aside'; text: string } | null;
  edit(change: (form: NoteForm) => NoteForm): void;
  /** Saves now what is waiting; resolves with the note as saved, or null when it could not be. */
  flush(): Promise<NoteData | null>;
  keepMine(): void;
  useTheirs(): void;
  /** After a workflow step (share, circulate…): the server's note becomes the base. */
  replaceNote(note: NoteData): void;
  dismissNotice(): void;
}

/**
 * Autosave of a note being written: edits are kept on this device at once (keyed by
 * note id and version) and sent a second after typing stops, with the version they
 * started from. A stale version (someone else saved) never overwrites and never
 * loses text: the server's version is loaded and both are shown until the partner
 * chooses.
 */
export function useNoteAutosave(api: ApiClient, initial: NoteData, canEdit: (status: string) => boolean): NoteAutosave {
  const [start] = useState(() => startingPoint(initial));
  const [note, setNote] = useState(initial);
  const [form, setForm] = useState(start.form);
  const [state, setStateNow] = useState<SaveState>(start.state);
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
  const inflight = useRef<Promise<unknown> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const canEditRef = useRef(canEdit);
  canEditRef.current = canEdit;

  const flush = useCallback(async (): Promise<NoteData | null> => {
    clearTimeout(timer.current);
    while (inflight.current) await inflight.current.catch(() => undefined);
    if (conflictRef.current) return null;
    const sending = formRef.current;
    if (sending === savedRef.current || !canEditRef.current(noteRef.current.status)) return noteRef.current;
    const base = noteRef.current;
    setState({ kind: 'saving' });
    const request = api.request(UpdateNoteMutation, { id: base.id, expectedVersion: base.version, input: inputOf(sending) });
    inflight.current = request;
    try {
      const saved = (await request).updateNote;
      noteRef.current = saved;
      setNote(saved);
      savedRef.current = sending;
      baseFormRef.current = formOf(saved);
      if (formRef.current === sending) {
        clearLocalDrafts(saved.id);
        setState({ kind: 'saved' });
      } else {
        saveLocalDraft(saved.id, saved.version, formRef.current);
        setState({ kind: 'pending' });
        timer.current = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
      }
      return saved;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'CONFLICT') {
        const theirs = await api.request(NoteByIdQuery, { id: base.id }).then((r) => r.note, () => null);
        if (theirs && theirs.version !== base.version) {
          const theirsForm = formOf(theirs);
          const { merged, clashes, fromTheirs } = mergeForms(baseFormRef.current, formRef.current, theirsForm);
          formRef.current = merged;
          setForm(merged);
          if (!clashes.length) {
            // Different sections changed: both kept, saved on top of their version at once.
            noteRef.current = theirs;
            setNote(theirs);
            baseFormRef.current = theirsForm;
            savedRef.current = null;
            saveLocalDraft(theirs.id, theirs.version, merged);
            setNotice({ kind: 'merged', sections: fromTheirs.map((k) => SECTION_LABELS[k]) });
            return flushAgain();
          }
          conflictRef.current = true;
          saveLocalDraft(base.id, base.version, merged);
          setState({ kind: 'conflict', theirs, clashes });
          return null;
        }
      }
      setState({ kind: 'error', error });
      return null;
    } finally {
      inflight.current = null;
    }
    async function flushAgain(): Promise<NoteData | null> {
      inflight.current = null;
      return flush();
    }
  }, [api, setState]);

  const edit = useCallback((change: (form: NoteForm) => NoteForm) => {
    const next = change(formRef.current);
    formRef.current = next;
    setForm(next);
    saveLocalDraft(noteRef.current.id, noteRef.current.version, next);
    if (conflictRef.current) return;
    if (stateRef.current.kind !== 'saving') setState({ kind: 'pending' });
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
  }, [flush, setState]);

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
    const next = { ...formRef.current };
    for (const k of s.clashes) (next as Record<string, unknown>)[k] = theirsForm[k];
    noteRef.current = s.theirs;
    baseFormRef.current = theirsForm;
    formRef.current = next;
    setNote(s.theirs);
    setForm(next);
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
  }, [flush, setState]);

  const replaceNote = useCallback((next: NoteData) => {
    const nextForm = formOf(next);
    noteRef.current = next;
    formRef.current = nextForm;
    savedRef.current = nextForm;
    baseFormRef.current = nextForm;
    setNote(next);
    setForm(nextForm);
    clearLocalDrafts(next.id);
    setState({ kind: 'saved' });
  }, [setState]);

  useEffect(() => {
    if (start.state.kind === 'pending' && canEdit(initial.status)) timer.current = setTimeout(() => void flush(), AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer.current);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return { note, form, state, notice, edit, flush, keepMine, useTheirs, replaceNote, dismissNotice: () => setNotice(null) };
}

/** What this device still holds for the note: nothing, unsaved edits on the same version, or edits on an older one (a conflict). */
function startingPoint(note: NoteData): { form: NoteForm; state: SaveState; restored: boolean } {
  const server = formOf(note);
  const draft = typeof localStorage === 'undefined' ? null : readLocalDraft(note.id);
  if (!draft || sameContent(draft.form, server)) return { form: server, state: { kind: 'saved' }, restored: false };
  if (draft.version === note.version) return { form: draft.form, state: { kind: 'pending' }, restored: true };
  if (draft.version < note.version) {
    const { clashes } = mergeForms(null, draft.form, server);
    return { form: draft.form, state: { kind: 'conflict', theirs: note, clashes }, restored: true };
  }
  return { form: server, state: { kind: 'saved' }, restored: false };
}
