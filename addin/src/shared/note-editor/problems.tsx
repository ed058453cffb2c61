import { Button, Field, MessageBar, MessageBarBody, type FieldProps } from '@fluentui/react-components';
import { createContext, useContext, type ReactNode } from 'react';
import { ApiError } from '../api/api-error.js';
import { AREA_LABELS, NOTE_TEXT_FIELDS, type Area, type NoteForm, type SentRows } from './note-model.js';

/**
 * What the API refused, put next to the control it is about. The API names a field by
 * its path in the input SENT ("recommendations.2.dueOn": the third recommendation sent);
 * the editor turns that into its own control names, which name rows by key, headings by
 * area and carried recommendations by id ("recommendations.k3x.dueOn",
 * "judgements.QUALITY_OF_TEACHING.disagreementReason"), so a message stays on its row
 * whatever was added or removed since. A path the editor does not know stays on the
 * section ("recommendations") or, failing that, on the note.
 */
export interface Problem {
  message: string;
  /** The names rule's phrase: the partner may say it is not a person's name. */
  phrase?: string;
}
export type Problems = Map<string, Problem>;

const ITEM_LISTS = ['judgements', 'findings', 'recommendations', 'targets', 'distribution', 'reviews'] as const;
type ItemList = (typeof ITEM_LISTS)[number];
const isItemList = (s: string): s is ItemList => (ITEM_LISTS as readonly string[]).includes(s);

/** How the API names a row in its messages ("Recommendation 2"): by its place in the list sent. */
const ROW_WORDS: Partial<Record<ItemList, string>> = {
  findings: 'Finding',
  recommendations: 'Recommendation',
  targets: 'Target',
  distribution: 'Recipient',
  reviews: 'Review',
};

/**
 * The API numbers a row by its place in the list sent; the screen numbers it among every
 * row shown (some still being written are not sent): "Recommendation 1" becomes
 * "Recommendation 2" when it is the second on screen.
 */
function inScreenWords(message: string, path: string, sent: SentRows | null, form: NoteForm): string {
  const [list, index] = path.split('.');
  if (!list || !isItemList(list) || !sent || !index || !/^\d+$/.test(index)) return message;
  const word = ROW_WORDS[list];
  const key = sent[list][Number(index)];
  if (!word || key === undefined || list === 'judgements') return message;
  const onScreen =
    list === 'reviews' ? form.reviews.findIndex((r) => r.recommendationId === key) : (form[list] as { key: string }[]).findIndex((r) => r.key === key);
  if (onScreen < 0 || onScreen === Number(index)) return message;
  return message.replace(new RegExp(`\\b${word} ${Number(index) + 1}\\b`), `${word} ${onScreen + 1}`);
}

/** The control a field path of the API names, given what was sent (null for a workflow step, whose paths name no rows). */
export function controlOf(path: string, sent: SentRows | null): string {
  const [list, index, ...rest] = path.split('.');
  if (!list) return 'note';
  if (!isItemList(list)) return NOTE_TEXT_FIELDS.some((f) => f.key === list) ? list : 'note';
  if (index === undefined) return list;
  if (!/^\d+$/.test(index) || !sent) return list;
  const key = sent[list][Number(index)];
  if (key === undefined) return list;
  return rest.length ? `${list}.${key}.${rest.join('.')}` : `${list}.${key}`;
}

/** An error's message with its rows numbered as on screen (see inScreenWords). */
export function screenMessage(error: unknown, sent: SentRows | null, form: NoteForm): string | null {
  if (!(error instanceof ApiError)) return null;
  return error.field ? inScreenWords(error.message, error.field, sent, form) : error.message;
}

/** Every problem an error names, by control, in the order given (the first is shown first). */
export function problemsOf(error: unknown, sent: SentRows | null, form: NoteForm): Problems {
  const problems: Problems = new Map();
  // Refused input, or a refused removal (CONFLICT naming the list: a reviewed recommendation, a heading the headteacher commented on).
  if (!(error instanceof ApiError) || !(error.code === 'BAD_USER_INPUT' || (error.code === 'CONFLICT' && error.field))) return problems;
  const add = (control: string, problem: Problem) => {
    const had = problems.get(control);
    problems.set(control, had ? { ...had, message: `${had.message} ${problem.message}` } : problem);
  };
  const { fields, phrase, areas } = error.extensions;
  const entries = fields?.length
    ? fields.map((f) => ({ path: f.field, message: f.problems.join('; ') }))
    : error.field
      ? [{ path: error.field, message: error.message }]
      : [];
  for (const { path, message } of entries) {
    const control = controlOf(path, sent);
    add(control, { message: inScreenWords(message, path, sent, form), ...(phrase && path === error.field ? { phrase } : {}) });
    if (sent) continue;
    // A share refused for the note as a whole: the rows at fault are marked too.
    if (control === 'judgements' && Array.isArray(areas)) {
      for (const area of areas)
        add(`judgements.${area}.partnerGrade`, {
          message: `Grade ${AREA_LABELS[area as Area]?.toLowerCase() ?? area}, tick “Evidence insufficient to grade”, or leave the heading out.`,
        });
    }
    if (control === 'reviews') {
      for (const r of form.reviews.filter((x) => !x.progress))
        add(`reviews.${r.recommendationId}.progress`, { message: 'Say what progress the school has made on this recommendation.' });
    }
  }
  return problems;
}

/** Both sets, the first's message first where they name the same control. */
export function mergeProblems(a: Problems, b: Problems): Problems {
  const out = new Map(a);
  for (const [k, v] of b) if (!out.has(k)) out.set(k, v);
  return out;
}

interface ProblemsContextValue {
  problems: Problems;
  /** Resends the save with the phrase confirmed as not a person's name. */
  confirmNotName?: (phrase: string, control: string) => void;
  busy?: boolean;
}
export const ProblemsContext = createContext<ProblemsContextValue>({ problems: new Map() });

/** "Sharpen feedback…" is not a name: offered under a field the names rule stopped. */
function NotANameButton({ phrase, control }: { phrase: string; control: string }) {
  const { confirmNotName, busy } = useContext(ProblemsContext);
  if (!confirmNotName) return null;
  return (
    <Button
      size="small"
      disabled={busy}
      aria-label={`This is not a person's name: “${phrase}”`}
      onClick={() => confirmNotName(phrase, control)}
      data-testid="not-a-name"
    >
      This is not a person's name
    </Button>
  );
}

/**
 * A Fluent Field that shows the API's message for its control (validationState "error",
 * so the control is marked invalid and described by the message). Its wrapper is always
 * there, so a message appearing while the partner types never remounts the control (and
 * never takes their focus); "go to the first problem" finds it by `data-problem`.
 */
export function ProblemField({ path, children, className, ...props }: Omit<FieldProps, 'children'> & { path: string; children: ReactNode }) {
  const { problems } = useContext(ProblemsContext);
  const problem = problems.get(path);
  return (
    <div className={`sv-field ${className ?? ''}`} data-control={path} data-problem={problem ? path : undefined}>
      <Field {...props} {...(problem ? { validationState: 'error' as const, validationMessage: problem.message } : {})}>
        {children as FieldProps['children']}
      </Field>
      {problem?.phrase && <NotANameButton phrase={problem.phrase} control={path} />}
    </div>
  );
}

/** A problem with a row or a section as a whole (no single control): shown at its top, focusable. */
export function ProblemNote({ path }: { path: string }) {
  const { problems } = useContext(ProblemsContext);
  const problem = problems.get(path);
  if (!problem) return null;
  return (
    <div className="sv-problem-note" data-problem={path} tabIndex={-1}>
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>{problem.message}</MessageBarBody>
      </MessageBar>
      {problem.phrase && <NotANameButton phrase={problem.phrase} control={path} />}
    </div>
  );
}

const FOCUSABLE = 'textarea:not([disabled]), input:not([disabled]), select:not([disabled]), button:not([disabled]), [tabindex]';

/** Moves focus to the first problem on the page (in reading order) and brings it into view; false when there is none. */
export function focusFirstProblem(root: ParentNode = document): boolean {
  const first = root.querySelector<HTMLElement>('[data-problem]');
  if (!first) return false;
  const target = first.matches(FOCUSABLE) ? first : (first.querySelector<HTMLElement>(FOCUSABLE) ?? first);
  target.focus({ preventScroll: true });
  // Centred, so the sticky status bar never hides it (WCAG 2.4.11).
  target.scrollIntoView({ block: 'center' });
  return true;
}
