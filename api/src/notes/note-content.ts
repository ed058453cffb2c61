import { dateInWords, longLondonDate } from '../platform/dates/today.js';
import { labelled } from '../platform/documents/words.js';
import { byHeadingOrder, GRADE_LABELS, JUDGEMENT_AREA_LABELS, type JudgementArea } from './note.enums.js';
import type { NoteOfVisit } from './note-of-visit.entity.js';
import { proportionWords } from './proportions.js';

/**
 * THE definition of what a note of visit says: its parts, their labels and their
 * order, and who writes each. The save (which fields a partner may set), the
 * no-names rule (which texts are checked), the circulated snapshot, the Word note
 * and the headteacher's pages all follow it, so a field added here reaches all of
 * them, and a field added to an entity but not here fails the content test.
 */

/** Who writes a part: a partner's save never touches what the headteacher or a moderator wrote. */
export type Writer = 'partner' | 'headteacher' | 'moderator' | 'system';

type Kind = 'text' | 'grade' | 'area' | 'words' | 'yes' | 'date' | 'instant' | 'percent' | 'number' | 'agreed' | 'comments';

export interface FieldDef {
  key: string;
  label: string;
  kind: Kind;
  by: Writer;
  /** A partner's free text: the no-names rule reads it. */
  names?: boolean;
  /** How the value is read from the entity, when it is not the property of the same name. */
  read?: (item: any) => unknown;
}

export interface ScalarSection {
  kind: 'text' | 'facts';
  key: string;
  title: string;
  fields: FieldDef[];
}

export interface ListSection {
  kind: 'list';
  key: 'judgements' | 'findings' | 'reviews' | 'recommendations' | 'targets' | 'responses' | 'distribution';
  title: string;
  /** How one item is named in messages and documents ("Finding 2", "Quality of teaching"). */
  itemLabel: (item: Record<string, unknown>, index: number) => string;
  /** Few columns read well as a table; more as one block per item. */
  layout: 'table' | 'blocks';
  fields: FieldDef[];
  /** Said when the list is empty (a list left out of a document entirely says nothing). */
  empty: string;
}

export type Section = ScalarSection | ListSection;

const f = (key: string, label: string, kind: Kind, by: Writer, more: Partial<FieldDef> = {}): FieldDef => ({ key, label, kind, by, ...more });
const text = (key: string, label: string, by: Writer, names = by === 'partner') => f(key, label, 'text', by, names ? { names } : {});

export const NOTE_CONTENT: readonly Section[] = [
  { kind: 'text', key: 'purpose', title: 'Purpose of the visit', fields: [text('purpose', 'Purpose of the visit', 'partner')] },
  { kind: 'text', key: 'summary', title: 'Summary', fields: [text('summary', 'Summary', 'partner')] },
  {
    kind: 'list',
    key: 'judgements',
    title: 'Judgements',
    itemLabel: (j) => JUDGEMENT_AREA_LABELS[j.area as JudgementArea] ?? String(j.area),
    layout: 'blocks',
    empty: 'No heading judged.',
    fields: [
      f('area', 'Heading', 'area', 'partner'),
      f('schoolGrade', "School's view", 'grade', 'partner'),
      f('partnerGrade', "Partner's view", 'grade', 'partner'),
      f('insufficientEvidence', 'Insufficient evidence to grade', 'yes', 'partner'),
      f('evidenceBasis', 'Evidence', 'words', 'partner'),
      text('disagreementReason', 'Where the views differ', 'partner'),
      text('commentary', 'Commentary', 'partner'),
      text('headteacherComment', "Headteacher's comment", 'headteacher'),
    ],
  },
  {
    kind: 'list',
    key: 'findings',
    title: 'Findings',
    itemLabel: (_f, i) => `Finding ${i + 1}`,
    layout: 'table',
    empty: 'No findings recorded.',
    fields: [text('text', 'Finding', 'partner'), f('area', 'Heading', 'area', 'partner'), f('evidenceBasis', 'Evidence', 'words', 'partner')],
  },
  {
    kind: 'list',
    key: 'reviews',
    title: 'Progress on previous recommendations',
    itemLabel: (_r, i) => `Review ${i + 1}`,
    layout: 'table',
    empty: 'None carried forward.',
    fields: [
      f('recommendation', 'Recommendation', 'text', 'system', { read: (r) => r.recommendation.getEntity().action }),
      f('progress', 'Progress', 'words', 'partner'),
      text('comment', 'Comment', 'partner'),
    ],
  },
  {
    kind: 'list',
    key: 'recommendations',
    title: 'Recommendations',
    itemLabel: (_r, i) => `Recommendation ${i + 1}`,
    layout: 'table',
    empty: 'No recommendations.',
    fields: [
      text('action', 'Action', 'partner'),
      text('successMeasure', 'Success measure', 'partner'),
      text('ownerRole', 'Owner', 'partner'),
      f('ownerInitials', 'Initials', 'text', 'partner'),
      f('dueOn', 'By', 'date', 'partner'),
      f('status', 'Status', 'words', 'system'),
    ],
  },
  {
    kind: 'facts',
    key: 'recommendationLimit',
    title: 'More than four recommendations',
    fields: [text('recommendationLimitOverrideReason', 'Allowed by a senior adviser because', 'moderator')],
  },
  {
    kind: 'list',
    key: 'targets',
    title: 'Targets agreed',
    itemLabel: (_t, i) => `Target ${i + 1}`,
    layout: 'table',
    empty: 'No targets agreed at this visit.',
    fields: [
      f('keyStage', 'Key stage', 'text', 'partner'),
      text('measure', 'Measure', 'partner'),
      f('year', 'Year', 'number', 'partner'),
      f('value', 'Target', 'percent', 'partner'),
    ],
  },
  {
    kind: 'facts',
    key: 'headteacherResponse',
    title: "Headteacher's response",
    fields: [
      f('headteacherAgreed', 'Response', 'agreed', 'headteacher'),
      text('headteacherComment', 'Comment', 'headteacher'),
      f('headteacherRespondedAt', 'Answered on', 'instant', 'headteacher'),
    ],
  },
  {
    kind: 'list',
    key: 'responses',
    title: "The headteacher's answers",
    itemLabel: (_r, i) => `Answer ${i + 1}`,
    layout: 'blocks',
    empty: 'No answer yet.',
    fields: [
      f('revision', 'Revision answered', 'number', 'system'),
      f('agreed', 'Response', 'agreed', 'headteacher'),
      text('comment', 'Comment', 'headteacher'),
      f('judgementComments', 'On the headings', 'comments', 'headteacher'),
      text('respondent', 'Given by', 'headteacher'),
      f('recordedVia', 'Recorded', 'words', 'system'),
      text('reason', 'Recorded by a manager because', 'moderator'),
      f('respondedAt', 'Answered on', 'instant', 'headteacher'),
    ],
  },
  {
    kind: 'facts',
    key: 'moderation',
    title: 'Moderation',
    fields: [
      f('moderationDecision', 'Decision', 'words', 'moderator'),
      text('moderationComment', 'The senior adviser’s comment', 'moderator'),
      f('moderatedAt', 'Moderated on', 'instant', 'moderator'),
    ],
  },
  { kind: 'facts', key: 'correction', title: 'Correction', fields: [text('correctionReason', 'Reopened for correction because', 'partner')] },
  {
    kind: 'list',
    key: 'distribution',
    title: 'Distribution',
    itemLabel: (r, i) => `Recipient ${i + 1}`,
    layout: 'table',
    empty: 'No one yet.',
    fields: [f('role', 'Role', 'words', 'partner'), f('name', 'Name', 'text', 'partner'), f('email', 'Email', 'text', 'partner')],
  },
];

export const LIST_SECTIONS = NOTE_CONTENT.filter((s): s is ListSection => s.kind === 'list');

/** The note's own texts a partner writes (purpose, summary…): each is a field of the note and of UpdateNoteInput. */
export const PARTNER_NOTE_TEXTS: readonly string[] = NOTE_CONTENT.filter((s) => s.kind === 'text').flatMap((s) =>
  s.fields.filter((f) => f.by === 'partner' && f.kind === 'text').map((f) => f.key),
);
export const listSection = (key: ListSection['key']) => LIST_SECTIONS.find((s) => s.key === key)!;

/** A note's content as plain data: what the circulated revision keeps, and what documents show. */
export type NoteContent = Record<string, unknown> & { revision: number };

/** Everything a note says, loaded: its own fields and its lists (with the reviewed recommendations). */
export async function noteContent(note: NoteOfVisit): Promise<NoteContent> {
  await Promise.all([
    note.judgements.load(),
    note.findings.load(),
    note.recommendations.load(),
    note.reviews.load({ populate: ['recommendation'] }),
    note.targets.load(),
    note.responses.load(),
    note.distribution.load(),
  ]);
  const content: NoteContent = { revision: note.revision };
  const read = (item: object, field: FieldDef) => {
    const value = field.read ? field.read(item) : (item as Record<string, unknown>)[field.key];
    return value instanceof Date ? value.toISOString() : (value ?? null);
  };
  for (const section of NOTE_CONTENT) {
    if (section.kind === 'list') {
      const items = note[section.key].getItems();
      // Judgements in heading order, whatever order the collection was loaded in.
      const ordered = section.key === 'judgements' ? [...items].sort((a, b) => byHeadingOrder(a as { area: string }, b as { area: string })) : items;
      content[section.key] = ordered.map((item) => Object.fromEntries(section.fields.map((field) => [field.key, read(item, field)])));
    } else {
      for (const field of section.fields) content[field.key] = read(note, field);
    }
  }
  return content;
}

/** One value as a reader sees it ("2 Good", "Reported and observed", "6 March 2027"). */
export function display(field: FieldDef, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  switch (field.kind) {
    case 'grade':
      return GRADE_LABELS[Number(value)] ?? String(value);
    case 'area':
      return JUDGEMENT_AREA_LABELS[value as JudgementArea] ?? String(value);
    case 'words':
      return String(value)
        .replaceAll('_', ' ')
        .replace(/^./, (c) => c.toUpperCase());
    case 'yes':
      return value ? 'Yes' : '';
    case 'agreed':
      return value ? 'Agreed' : 'Disputed';
    case 'date':
      return dateInWords(String(value));
    case 'instant':
      return longLondonDate(new Date(String(value)));
    case 'percent':
      return `${value}% (${proportionWords(Number(value))})`;
    case 'comments':
      return [...(value as { area: JudgementArea; comment: string }[])]
        .sort(byHeadingOrder)
        .map((c) => labelled(JUDGEMENT_AREA_LABELS[c.area] ?? c.area, c.comment))
        .join('\n');
    default:
      return String(value);
  }
}

/** A section ready to render: a paragraph, label-value facts, a table, or one block per item. */
export type RenderedSection =
  | { title: string; kind: 'text'; text: string }
  | { title: string; kind: 'facts'; facts: [string, string][] }
  | { title: string; kind: 'table'; columns: string[]; rows: string[][]; empty: string }
  | { title: string; kind: 'blocks'; blocks: { title: string; facts: [string, string][] }[]; empty: string };

/**
 * The note's sections in order, each value in words. A section with nothing in it is
 * left out (a note not yet answered has no response section), except the partner's
 * own text and lists, which say they are empty.
 */
export function renderContent(content: Record<string, unknown>): RenderedSection[] {
  const out: RenderedSection[] = [];
  for (const section of NOTE_CONTENT) {
    if (section.kind === 'text') {
      out.push({ title: section.title, kind: 'text', text: display(section.fields[0]!, content[section.fields[0]!.key]) });
    } else if (section.kind === 'facts') {
      const facts = section.fields.map((fd): [string, string] => [fd.label, display(fd, content[fd.key])]).filter(([, v]) => v);
      if (facts.length) out.push({ title: section.title, kind: 'facts', facts });
    } else if (section.kind === 'list') {
      const listed = (content[section.key] as Record<string, unknown>[] | undefined) ?? [];
      // A revision circulated before heading order was kept in its stored order: shown in heading order all the same.
      const items = section.key === 'judgements' ? [...listed].sort((a, b) => byHeadingOrder(a as { area: string }, b as { area: string })) : listed;
      if (!items.length && (section.key === 'responses' || section.key === 'reviews')) continue;
      if (section.layout === 'table') {
        out.push({
          title: section.title,
          kind: 'table',
          columns: section.fields.map((fd) => fd.label),
          rows: items.map((item) => section.fields.map((fd) => display(fd, item[fd.key]))),
          empty: section.empty,
        });
      } else {
        out.push({
          title: section.title,
          kind: 'blocks',
          empty: section.empty,
          blocks: items.map((item, i) => ({
            title: section.itemLabel(item, i),
            facts: section.fields.map((fd): [string, string] => [fd.label, display(fd, item[fd.key])]).filter(([, v]) => v),
          })),
        });
      }
    }
  }
  return out;
}

/** The partner's free texts in an update, named as the editor names them, with their field paths. */
export interface NamedText {
  /** Where, in words: "the summary", "Finding 2", "Quality of teaching: commentary". */
  where: string;
  /** The editor's field path: "summary", "findings.1.text". */
  field: string;
  text: string;
}

/** The texts a partner writes into a note (from an update or from the note itself), for the no-names rule. */
export function partnerTexts(source: Record<string, unknown>): NamedText[] {
  const texts: NamedText[] = [];
  for (const section of NOTE_CONTENT) {
    if (section.kind !== 'list') {
      for (const field of section.fields) {
        const value = source[field.key];
        if (field.names && field.by === 'partner' && typeof value === 'string' && value)
          texts.push({ where: `the ${field.label.toLowerCase()}`, field: field.key, text: value });
      }
      continue;
    }
    const items = source[section.key];
    if (!Array.isArray(items)) continue;
    items.forEach((item: Record<string, unknown>, i) => {
      for (const field of section.fields) {
        const value = item[field.key];
        if (field.names && field.by === 'partner' && typeof value === 'string' && value) {
          texts.push({ where: `${section.itemLabel(item, i)}, ${field.label.toLowerCase()}`, field: `${section.key}.${i}.${field.key}`, text: value });
        }
      }
    });
  }
  return texts;
}
