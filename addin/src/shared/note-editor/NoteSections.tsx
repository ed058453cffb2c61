import { Button, Checkbox, Field, Input, MessageBar, MessageBarBody, Select, Text, Textarea } from '@fluentui/react-components';
import { useEffect, useState, type ReactNode } from 'react';
import { formatDate, sentence } from '../format.js';
import { ProblemField, ProblemNote } from './problems.js';
import {
  AREA_LABELS,
  EVIDENCE_LABELS,
  GRADE_LABELS,
  MAX_RECOMMENDATIONS,
  MAX_RECOMMENDATIONS_ALLOWED,
  NOTE_TEXT_FIELDS,
  newKey,
  recommendationLimit,
  removeRow,
  PROGRESS_LABELS,
  RECIPIENT_LABELS,
  recommendationComplete,
  targetComplete,
  type Area,
  type Evidence,
  type NoteData,
  type NoteForm,
  type Progress,
  type RecipientRole,
  type RowList,
} from './note-model.js';

export type Edit = (change: (form: NoteForm) => NoteForm) => void;
interface SectionProps {
  form: NoteForm;
  edit: Edit;
  readOnly: boolean;
}

const replaceAt = <T,>(list: T[], index: number, patch: Partial<T>): T[] => list.map((item, i) => (i === index ? { ...item, ...patch } : item));

/** One numbered item of a section ("Finding 2"): a fieldset with its legend and the problems found with the item as a whole. */
function ItemFieldset({ legend, path, testId, rowKey, children }: { legend: string; path: string; testId?: string; rowKey?: string; children: ReactNode }) {
  return (
    <fieldset className="sv-item" data-testid={testId} data-row-key={rowKey}>
      <legend>{legend}</legend>
      <ProblemNote path={path} />
      {children}
    </fieldset>
  );
}

type Row<L extends RowList> = NoteForm[L][number];

/** The first field of a row (by key), or failing that `fallback`: where focus goes after a row is added or removed. */
const FIELD = ':is(textarea, input, select, button):not([disabled])';
function focusRow(key: string | undefined, fallback?: string): void {
  const target =
    (key ? document.querySelector<HTMLElement>(`[data-row-key="${CSS.escape(key)}"] ${FIELD}`) : null) ??
    (fallback ? document.querySelector<HTMLElement>(fallback) : null);
  if (!target) return;
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: 'center' });
}

/**
 * Moves focus once the rows changed by an action are on screen (an effect runs after the
 * commit that drew them): to a row's first field, else to `fallback` (a selector).
 */
function useFocusAfterRowChange(): (key: string | undefined, fallback?: string) => void {
  const [wanted, setWanted] = useState<{ key: string | undefined; fallback?: string } | null>(null);
  useEffect(() => {
    if (!wanted) return;
    setWanted(null);
    focusRow(wanted.key, wanted.fallback);
  }, [wanted]);
  return (key, fallback) => setWanted({ key, fallback });
}

/** What a list section's row draws its fields with: where its problems are named, a setter, its remove button (null when read-only). */
interface RowParts<L extends RowList> {
  path: string;
  set: (patch: Partial<Row<L>>) => void;
  remove: ReactNode;
}

/**
 * The rows of one of the note's lists (findings, recommendations, targets, recipients):
 * the list's own problems, then each row as a numbered fieldset ("Recommendation 2",
 * problems named `recommendations.<key>…`) whose fields `children` draws, placing the
 * row's "Remove recommendation 2" button among them.
 */
function ListRows<L extends RowList>({
  list,
  noun,
  testId,
  form,
  edit,
  readOnly,
  children,
}: SectionProps & { list: L; noun: string; testId?: string; children: (row: Row<L>, index: number, parts: RowParts<L>) => ReactNode }) {
  const rows = form[list] as Row<L>[];
  const legend = noun.charAt(0).toUpperCase() + noun.slice(1);
  const focusAfter = useFocusAfterRowChange();
  return (
    <>
      <ProblemNote path={list} />
      {rows.map((row, i) => {
        const path = `${list}.${row.key}`;
        const set = (patch: Partial<Row<L>>) => edit((f) => ({ ...f, [list]: replaceAt(f[list] as Row<L>[], i, patch) }));
        const remove = readOnly ? null : (
          <Button
            appearance="subtle"
            onClick={() => {
              // The button goes with its row: focus moves to the next row, else the one before, else the list's "Add" button.
              focusAfter(rows[i + 1]?.key ?? rows[i - 1]?.key, `[data-add-list="${list}"]`);
              edit((f) => removeRow(f, list, i));
            }}
          >
            {`Remove ${noun} ${i + 1}`}
          </Button>
        );
        return (
          <ItemFieldset key={row.key} legend={`${legend} ${i + 1}`} path={path} testId={testId && `${testId}-${i + 1}`} rowKey={row.key}>
            {children(row, i, { path, set, remove })}
          </ItemFieldset>
        );
      })}
    </>
  );
}

/** For each list, the rows it may be given: a new row's fields but its key and id. */
type NewRows = { [L in RowList]: { list: L; rows: () => Omit<Row<L>, 'key' | 'id'>[] } }[RowList];

/**
 * Adds new rows (no server id yet) at the end of a list, above this button, and moves
 * focus to the first new row's first field (WCAG 2.4.3: focus goes to what was added).
 */
function AddRows({ list, edit, rows, children }: NewRows & { edit: Edit; children: ReactNode }) {
  const focusAfter = useFocusAfterRowChange();
  return (
    <Button
      data-add-list={list}
      onClick={() => {
        const added = rows().map((row) => ({ key: newKey(), id: null, ...row }));
        focusAfter(added[0]?.key);
        edit((f) => ({ ...f, [list]: [...f[list], ...added] }));
      }}
    >
      {children}
    </Button>
  );
}

/** A native select over a label map (value → words), with an optional empty first choice. */
function LabelledSelect({
  value,
  labels,
  blank,
  disabled,
  onChange,
  ...rest
}: {
  value: string;
  labels: Record<string, string>;
  blank?: string;
  disabled: boolean;
  onChange: (value: string) => void;
  'data-testid'?: string;
}) {
  return (
    <Select disabled={disabled} value={value} onChange={(_e, d) => onChange(d.value)} {...rest}>
      {blank !== undefined && <option value="">{blank}</option>}
      {Object.entries(labels).map(([v, l]) => (
        <option key={v} value={v}>
          {l}
        </option>
      ))}
    </Select>
  );
}

export function Section({ title, id, children, hint }: { title: string; id: string; children: ReactNode; hint?: string }) {
  return (
    <section className="sv-note-section" aria-labelledby={id}>
      <h3 id={id} className="sv-note-heading" tabIndex={-1}>
        {title}
      </h3>
      {hint && <Text size={200}>{hint}</Text>}
      {children}
    </section>
  );
}

export function Overview({ form, edit, readOnly }: SectionProps) {
  return (
    <Section title="Purpose and summary" id="note-overview">
      {NOTE_TEXT_FIELDS.map((field) => (
        <ProblemField key={field.key} path={field.key} label={field.label} hint={'hint' in field ? field.hint : undefined}>
          <Textarea
            resize="vertical"
            rows={'rows' in field ? field.rows : undefined}
            readOnly={readOnly}
            value={form[field.key]}
            onChange={(_e, d) => edit((f) => ({ ...f, [field.key]: d.value }))}
            data-testid={'testId' in field ? field.testId : undefined}
          />
        </ProblemField>
      ))}
    </Section>
  );
}

/** The headteacher's own words on a heading: read-only, and marked as theirs in words, not colour alone. */
export function HeadteacherQuote({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <figure className="sv-ht-words" data-testid={testId}>
      <figcaption className="sv-ht-words-label">{label}</figcaption>
      <blockquote>{children}</blockquote>
    </figure>
  );
}

export function Judgements({ form, edit, readOnly, note }: SectionProps & { note: NoteData }) {
  const set = (i: number, patch: Partial<NoteForm['judgements'][number]>) => edit((f) => ({ ...f, judgements: replaceAt(f.judgements, i, patch) }));
  return (
    <Section title="Judgements" id="note-judgements" hint="The school's grade and yours for each heading kept in the note; give the reason where they differ.">
      <ProblemNote path="judgements" />
      <div className="sv-judgements">
        {form.judgements.map((j, i) => {
          const label = AREA_LABELS[j.area];
          const differ = j.included && !!j.schoolGrade && !!j.partnerGrade && !j.insufficientEvidence && j.schoolGrade !== j.partnerGrade;
          const path = `judgements.${j.area}`;
          const headteacherComment = note.judgements.find((x) => x.area === j.area)?.headteacherComment;
          return (
            <fieldset key={j.area} className="sv-judgement" data-area={j.area}>
              <legend>{label}</legend>
              <ProblemNote path={path} />
              <Checkbox
                label={`Judge ${label.toLowerCase()} in this note`}
                checked={j.included}
                disabled={readOnly || (j.included && !!headteacherComment)}
                onChange={(_e, d) => set(i, { included: !!d.checked })}
              />
              {j.included && headteacherComment && !readOnly && <Text size={200}>The headteacher commented on this heading, so it stays in the note.</Text>}
              {j.included && (
                <div className="sv-judgement-grid">
                  <ProblemField path={`${path}.schoolGrade`} label="School's grade">
                    <LabelledSelect
                      disabled={readOnly}
                      value={j.schoolGrade}
                      blank="Not graded"
                      labels={GRADE_LABELS}
                      onChange={(v) => set(i, { schoolGrade: v })}
                    />
                  </ProblemField>
                  <ProblemField path={`${path}.partnerGrade`} label="Partner's grade">
                    <LabelledSelect
                      disabled={readOnly || j.insufficientEvidence}
                      value={j.insufficientEvidence ? '' : j.partnerGrade}
                      blank="Not graded"
                      labels={GRADE_LABELS}
                      onChange={(v) => set(i, { partnerGrade: v })}
                    />
                  </ProblemField>
                  <ProblemField path={`${path}.evidenceBasis`} label="Evidence basis">
                    <LabelledSelect
                      disabled={readOnly}
                      value={j.evidenceBasis}
                      blank="Not said"
                      labels={EVIDENCE_LABELS}
                      onChange={(v) => set(i, { evidenceBasis: v as Evidence | '' })}
                    />
                  </ProblemField>
                  <Checkbox
                    label="Evidence insufficient to grade"
                    checked={j.insufficientEvidence}
                    disabled={readOnly}
                    onChange={(_e, d) => set(i, { insufficientEvidence: !!d.checked, partnerGrade: d.checked ? '' : j.partnerGrade })}
                  />
                  {(differ || j.disagreementReason) && (
                    <WarnedField
                      path={`${path}.disagreementReason`}
                      className="sv-wide"
                      label="Where the views differ"
                      hint="Why your grade differs from the school's."
                      required={differ}
                      warning={differ && !j.disagreementReason.trim() ? 'The grades differ: say why before the note can be saved.' : undefined}
                    >
                      <Textarea readOnly={readOnly} value={j.disagreementReason} onChange={(_e, d) => set(i, { disagreementReason: d.value })} />
                    </WarnedField>
                  )}
                  <ProblemField path={`${path}.commentary`} className="sv-wide" label="Commentary">
                    <Textarea readOnly={readOnly} value={j.commentary} onChange={(_e, d) => set(i, { commentary: d.value })} />
                  </ProblemField>
                </div>
              )}
              {headteacherComment && (
                <HeadteacherQuote label="The headteacher's comment on this heading (their words; read-only)" testId={`headteacher-comment-${j.area}`}>
                  {headteacherComment}
                </HeadteacherQuote>
              )}
            </fieldset>
          );
        })}
      </div>
    </Section>
  );
}

/** A field with the editor's own warning until the API has a message for it (which then wins). */
function WarnedField({
  path,
  warning,
  children,
  ...props
}: {
  path: string;
  warning?: string;
  children: ReactNode;
  className?: string;
  label: string;
  hint?: string;
  required?: boolean;
}) {
  return (
    <ProblemField path={path} {...props} {...(warning ? { validationState: 'warning' as const, validationMessage: warning } : {})}>
      {children}
    </ProblemField>
  );
}

export function Findings({ form, edit, readOnly }: SectionProps) {
  return (
    <Section title="Findings" id="note-findings" hint="Each finding says whether the school reported it or you observed it.">
      <ListRows list="findings" noun="finding" testId="finding" form={form} edit={edit} readOnly={readOnly}>
        {(finding, i, { path, set, remove }) => (
          <>
            <ProblemField path={`${path}.text`} label={`Finding ${i + 1}`}>
              <Textarea readOnly={readOnly} value={finding.text} onChange={(_e, d) => set({ text: d.value })} />
            </ProblemField>
            <div className="sv-row">
              <ProblemField path={`${path}.evidenceBasis`} label="Evidence">
                <LabelledSelect
                  disabled={readOnly}
                  value={finding.evidenceBasis}
                  labels={EVIDENCE_LABELS}
                  onChange={(v) => set({ evidenceBasis: v as Evidence })}
                />
              </ProblemField>
              <ProblemField path={`${path}.area`} label="Heading">
                <LabelledSelect disabled={readOnly} value={finding.area} blank="None" labels={AREA_LABELS} onChange={(v) => set({ area: v as Area | '' })} />
              </ProblemField>
              {remove}
            </div>
          </>
        )}
      </ListRows>
      {!readOnly && (
        <AddRows list="findings" edit={edit} rows={() => [{ text: '', evidenceBasis: 'OBSERVED', area: '' }]}>
          Add a finding
        </AddRows>
      )}
    </Section>
  );
}

export function Recommendations({
  form,
  edit,
  readOnly,
  visitDate,
  note,
  manager,
  allowMore,
}: SectionProps & { visitDate: string; note: NoteData; manager: boolean; allowMore: (reason: string) => Promise<boolean> }) {
  const limit = recommendationLimit(note);
  const allowed = note.recommendationLimitOverrideReason;
  const over = form.recommendations.length > limit;
  // Which rows a save leaves on this device: new rows past the limit (rows already saved are always kept).
  let room = Math.max(0, limit - form.recommendations.filter((r) => r.id).length);
  const unsent = new Set(form.recommendations.filter((r) => !r.id && room-- <= 0).map((r) => r.key));
  return (
    <Section
      title="Recommendations"
      id="note-recommendations"
      hint={`Few (rarely more than four) and SMART: specific, measurable, achievable, realistic, timed. Each is reviewed in the next note. ${form.recommendations.length} of ${limit} allowed.`}
    >
      {allowed && (
        <MessageBar intent="info" layout="multiline" data-testid="recommendation-limit-allowed" tabIndex={-1}>
          <MessageBarBody>
            A senior adviser allowed more than four: {sentence(allowed)} This note may carry up to {MAX_RECOMMENDATIONS_ALLOWED}.
          </MessageBarBody>
        </MessageBar>
      )}
      <ListRows list="recommendations" noun="recommendation" testId="recommendation" form={form} edit={edit} readOnly={readOnly}>
        {(r, _i, { path, set, remove }) => (
          <>
            <ProblemField path={`${path}.action`} label="Action (specific, achievable, realistic)" required>
              <Textarea readOnly={readOnly} value={r.action} onChange={(_e, d) => set({ action: d.value })} />
            </ProblemField>
            <ProblemField path={`${path}.successMeasure`} label="Success measure (measurable)" required>
              <Textarea readOnly={readOnly} value={r.successMeasure} onChange={(_e, d) => set({ successMeasure: d.value })} />
            </ProblemField>
            <div className="sv-row">
              <ProblemField path={`${path}.ownerRole`} label="Owner (role, never a name)" required>
                <Input readOnly={readOnly} value={r.ownerRole} placeholder="e.g. Headteacher" onChange={(_e, d) => set({ ownerRole: d.value })} />
              </ProblemField>
              <ProblemField path={`${path}.ownerInitials`} label="Owner's initials">
                <Input readOnly={readOnly} value={r.ownerInitials} placeholder="e.g. J.S." size="small" onChange={(_e, d) => set({ ownerInitials: d.value })} />
              </ProblemField>
              <ProblemField path={`${path}.dueOn`} label="Due by (timed)" required>
                <Input readOnly={readOnly} type="date" min={visitDate} value={r.dueOn} onChange={(_e, d) => set({ dueOn: d.value })} />
              </ProblemField>
            </div>
            <div className="sv-row">
              {!readOnly && !recommendationComplete(r) && (
                <Text size={200}>{r.id ? 'Changes saved once' : 'Saved once'} its action, measure, owner and date are filled in.</Text>
              )}
              {!readOnly && unsent.has(r.key) && <Text size={200}>Not saved: past the {limit === MAX_RECOMMENDATIONS ? 'fourth' : 'tenth'}.</Text>}
              {remove}
            </div>
          </>
        )}
      </ListRows>
      {over && (
        <MessageBar intent="warning" data-testid="fifth-recommendation" role="status">
          <MessageBarBody>
            {allowed
              ? `Even with a senior adviser's permission a note carries at most ${limit} recommendations: only the first ${limit} are saved.`
              : 'A note carries at most four recommendations (seed 004: “rarely more than four”). Merge or prioritise them; only the first four are saved unless a senior adviser allows more.'}
          </MessageBarBody>
        </MessageBar>
      )}
      {!readOnly && (
        <AddRows list="recommendations" edit={edit} rows={() => [{ action: '', successMeasure: '', ownerRole: '', ownerInitials: '', dueOn: '' }]}>
          Add a recommendation
        </AddRows>
      )}
      {manager && !readOnly && !allowed && <AllowMoreRecommendations allowMore={allowMore} />}
    </Section>
  );
}

/** A senior adviser's permission for more than four recommendations, with the reason (kept with the note). */
function AllowMoreRecommendations({ allowMore }: { allowMore: (reason: string) => Promise<boolean> }) {
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const missing = tried && !reason.trim();
  return (
    <fieldset className="sv-item" data-testid="allow-more-recommendations">
      <legend>Allow more than four recommendations (senior adviser)</legend>
      <Field
        label="Why this note needs more than four"
        hint={`Kept with the note and shown to the partner. The note may then carry up to ${MAX_RECOMMENDATIONS_ALLOWED}.`}
        required
        validationState={missing ? 'error' : 'none'}
        validationMessage={missing ? 'Say why: the reason is kept with the note.' : undefined}
      >
        <Textarea value={reason} onChange={(_e, d) => setReason(d.value)} />
      </Field>
      <div className="sv-row">
        <Button
          disabled={busy}
          onClick={async () => {
            setTried(true);
            if (!reason.trim()) return;
            setBusy(true);
            const ok = await allowMore(reason.trim());
            setBusy(false);
            if (ok) setReason('');
          }}
        >
          {busy ? 'Allowing…' : 'Allow more recommendations'}
        </Button>
      </div>
    </fieldset>
  );
}

export function Reviews({ form, edit, readOnly, note }: SectionProps & { note: NoteData }) {
  if (!form.reviews.length) return null;
  const set = (i: number, patch: Partial<NoteForm['reviews'][number]>) => edit((f) => ({ ...f, reviews: replaceAt(f.reviews, i, patch) }));
  return (
    <Section
      title="Review of carried recommendations"
      id="note-reviews"
      hint="Progress on each recommendation from the previous note: every one needs a progress before sharing."
    >
      <ProblemNote path="reviews" />
      {form.reviews.map((r, i) => {
        const carried = note.reviews.find((x) => x.recommendation.id === r.recommendationId)?.recommendation;
        const path = `reviews.${r.recommendationId}`;
        return (
          <ItemFieldset key={r.recommendationId} legend={`Carried recommendation ${i + 1}`} path={path}>
            <Text>{carried?.action}</Text>
            <Text size={200}>
              Measure: {carried?.successMeasure} · {carried?.ownerRole} · due {carried?.dueOn ? formatDate(carried.dueOn) : ''}
            </Text>
            <div className="sv-row">
              <ProblemField path={`${path}.progress`} label="Progress">
                <LabelledSelect
                  disabled={readOnly}
                  value={r.progress}
                  blank="Not reviewed yet"
                  labels={PROGRESS_LABELS}
                  onChange={(v) => set(i, { progress: v as Progress | '' })}
                />
              </ProblemField>
            </div>
            <ProblemField path={`${path}.comment`} label="Comment on progress">
              <Textarea readOnly={readOnly} value={r.comment} onChange={(_e, d) => set(i, { comment: d.value })} />
            </ProblemField>
          </ItemFieldset>
        );
      })}
    </Section>
  );
}

export function Targets({ form, edit, readOnly, autumn }: SectionProps & { autumn: boolean }) {
  if (!autumn && !form.targets.length) return null;
  const nextSummer = new Date().getFullYear() + 1;
  return (
    <Section
      title="Targets agreed at the autumn visit"
      id="note-targets"
      hint="Key Stage 2 and 4 measures, as percentages, for the cohort assessed that summer."
    >
      <ListRows list="targets" noun="target" form={form} edit={edit} readOnly={readOnly}>
        {(t, _i, { path, set, remove }) => (
          <>
            <div className="sv-row">
              <ProblemField path={`${path}.keyStage`} label="Key stage">
                <Select disabled={readOnly} value={t.keyStage} onChange={(_e, d) => set({ keyStage: d.value })}>
                  {['KS1', 'KS2', 'KS3', 'KS4', 'KS5'].map((k) => (
                    <option key={k}>{k}</option>
                  ))}
                </Select>
              </ProblemField>
              <ProblemField path={`${path}.value`} label="Value (%)">
                <Input readOnly={readOnly} type="number" min={0} max={100} value={t.value} onChange={(_e, d) => set({ value: d.value })} />
              </ProblemField>
              <ProblemField path={`${path}.year`} label="Assessed in summer">
                <Input readOnly={readOnly} type="number" min={2000} max={2100} value={t.year} onChange={(_e, d) => set({ year: d.value })} />
              </ProblemField>
            </div>
            <ProblemField path={`${path}.measure`} label="Measure">
              <Input readOnly={readOnly} value={t.measure} onChange={(_e, d) => set({ measure: d.value })} />
            </ProblemField>
            <div className="sv-row">
              {!readOnly && !targetComplete(t) && <Text size={200}>{t.id ? 'Changes saved once complete.' : 'Saved once complete.'}</Text>}
              {remove}
            </div>
          </>
        )}
      </ListRows>
      {!readOnly && (
        <AddRows
          list="targets"
          edit={edit}
          rows={() => [{ keyStage: 'KS2', measure: '% achieving the expected standard in reading, writing and maths', value: '', year: String(nextSummer) }]}
        >
          Add a target
        </AddRows>
      )}
    </Section>
  );
}

/** A named person at the school (the API's Contact), when the school has one on record. */
type SchoolContact = { name: string; email: string | null } | null;
/** The school's people offered as recipients, by the role they receive the note in. */
const SCHOOL_RECIPIENTS = [
  ['HEADTEACHER', 'headteacher'],
  ['CHAIR_OF_GOVERNORS', 'chairOfGovernors'],
] as const;

export function Distribution({ form, edit, readOnly, school }: SectionProps & { school: { headteacher: SchoolContact; chairOfGovernors: SchoolContact } }) {
  // The school's headteacher and chair, unless the list already has someone in that role.
  const suggested = SCHOOL_RECIPIENTS.flatMap(([role, who]) => {
    const contact = school[who];
    return contact && !form.distribution.some((r) => r.role === role) ? [{ role, name: contact.name, email: contact.email ?? '' }] : [];
  });
  return (
    <Section title="Distribution list" id="note-distribution" hint="Who receives the circulated note: the headteacher, the chair of governors and the council.">
      <ListRows list="distribution" noun="recipient" form={form} edit={edit} readOnly={readOnly}>
        {(r, _i, { path, set, remove }) => (
          <div className="sv-row">
            <ProblemField path={`${path}.role`} label="Role">
              <LabelledSelect disabled={readOnly} value={r.role} labels={RECIPIENT_LABELS} onChange={(v) => set({ role: v as RecipientRole })} />
            </ProblemField>
            <ProblemField path={`${path}.name`} label="Name">
              <Input readOnly={readOnly} value={r.name} onChange={(_e, d) => set({ name: d.value })} />
            </ProblemField>
            <ProblemField path={`${path}.email`} label="Email">
              <Input readOnly={readOnly} type="email" value={r.email} onChange={(_e, d) => set({ email: d.value })} />
            </ProblemField>
            {remove}
          </div>
        )}
      </ListRows>
      {!readOnly && (
        <div className="sv-row">
          {suggested.length > 0 && (
            <AddRows list="distribution" edit={edit} rows={() => suggested}>
              Add the school's headteacher and chair
            </AddRows>
          )}
          <AddRows list="distribution" edit={edit} rows={() => [{ role: 'COUNCIL', name: '', email: '' }]}>
            Add a recipient
          </AddRows>
        </div>
      )}
    </Section>
  );
}
