import { Button, Checkbox, Field, Input, MessageBar, MessageBarBody, Select, Text, Textarea } from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';
import { sentence } from '../format.js';
import { ProblemField, ProblemNote } from './problems.js';
import {
  AREA_LABELS,
  EVIDENCE_LABELS,
  GRADE_LABELS,
  MAX_RECOMMENDATIONS,
  MAX_RECOMMENDATIONS_ALLOWED,
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
} from './note-model.js';

export type Edit = (change: (form: NoteForm) => NoteForm) => void;
interface SectionProps {
  form: NoteForm;
  edit: Edit;
  readOnly: boolean;
}

const replaceAt = <T,>(list: T[], index: number, patch: Partial<T>): T[] => list.map((item, i) => (i === index ? { ...item, ...patch } : item));

/** A native select over a label map (value → words), with an optional empty first choice. */
function LabelledSelect({ value, labels, blank, disabled, onChange, ...rest }: { value: string; labels: Record<string, string>; blank?: string; disabled: boolean; onChange: (value: string) => void; 'data-testid'?: string }) {
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
      <h3 id={id} className="sv-note-heading">
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
      <ProblemField path="purpose" label="Purpose and context of the visit">
        <Textarea resize="vertical" readOnly={readOnly} value={form.purpose} onChange={(_e, d) => edit((f) => ({ ...f, purpose: d.value }))} />
      </ProblemField>
      <ProblemField path="summary" label="Overall evaluation (summary)" hint="Evaluative, not descriptive. Refer to people by role and initials, never by name.">
        <Textarea resize="vertical" rows={5} readOnly={readOnly} value={form.summary} onChange={(_e, d) => edit((f) => ({ ...f, summary: d.value }))} data-testid="note-summary" />
      </ProblemField>
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
                    <LabelledSelect disabled={readOnly} value={j.schoolGrade} blank="Not graded" labels={GRADE_LABELS} onChange={(v) => set(i, { schoolGrade: v })} />
                  </ProblemField>
                  <ProblemField path={`${path}.partnerGrade`} label="Partner's grade">
                    <LabelledSelect disabled={readOnly || j.insufficientEvidence} value={j.insufficientEvidence ? '' : j.partnerGrade} blank="Not graded" labels={GRADE_LABELS} onChange={(v) => set(i, { partnerGrade: v })} />
                  </ProblemField>
                  <ProblemField path={`${path}.evidenceBasis`} label="Evidence basis">
                    <LabelledSelect disabled={readOnly} value={j.evidenceBasis} blank="Not said" labels={EVIDENCE_LABELS} onChange={(v) => set(i, { evidenceBasis: v as Evidence | '' })} />
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
function WarnedField({ path, warning, children, ...props }: { path: string; warning?: string; children: ReactNode; className?: string; label: string; hint?: string; required?: boolean }) {
  return (
    <ProblemField path={path} {...props} {...(warning ? { validationState: 'warning' as const, validationMessage: warning } : {})}>
      {children}
    </ProblemField>
  );
}

export function Findings({ form, edit, readOnly }: SectionProps) {
  const set = (i: number, patch: Partial<NoteForm['findings'][number]>) => edit((f) => ({ ...f, findings: replaceAt(f.findings, i, patch) }));
  return (
    <Section title="Findings" id="note-findings" hint="Each finding says whether the school reported it or you observed it.">
      <ProblemNote path="findings" />
      {form.findings.map((finding, i) => {
        const path = `findings.${finding.key}`;
        return (
          <fieldset key={finding.key} className="sv-item" data-testid={`finding-${i + 1}`}>
            <legend>Finding {i + 1}</legend>
            <ProblemNote path={path} />
            <ProblemField path={`${path}.text`} label={`Finding ${i + 1}`}>
              <Textarea readOnly={readOnly} value={finding.text} onChange={(_e, d) => set(i, { text: d.value })} />
            </ProblemField>
            <div className="sv-row">
              <ProblemField path={`${path}.evidenceBasis`} label="Evidence">
                <LabelledSelect disabled={readOnly} value={finding.evidenceBasis} labels={EVIDENCE_LABELS} onChange={(v) => set(i, { evidenceBasis: v as Evidence })} />
              </ProblemField>
              <ProblemField path={`${path}.area`} label="Heading">
                <LabelledSelect disabled={readOnly} value={finding.area} blank="None" labels={AREA_LABELS} onChange={(v) => set(i, { area: v as Area | '' })} />
              </ProblemField>
              {!readOnly && (
                <Button appearance="subtle" onClick={() => edit((f) => removeRow(f, 'findings', i))}>
                  Remove finding {i + 1}
                </Button>
              )}
            </div>
          </fieldset>
        );
      })}
      {!readOnly && (
        <Button onClick={() => edit((f) => ({ ...f, findings: [...f.findings, { key: newKey(), id: null, text: '', evidenceBasis: 'OBSERVED', area: '' }] }))}>Add a finding</Button>
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
  const set = (i: number, patch: Partial<NoteForm['recommendations'][number]>) => edit((f) => ({ ...f, recommendations: replaceAt(f.recommendations, i, patch) }));
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
      <ProblemNote path="recommendations" />
      {form.recommendations.map((r, i) => {
        const incomplete = !recommendationComplete(r);
        const path = `recommendations.${r.key}`;
        return (
          <fieldset key={r.key} className="sv-item" data-testid={`recommendation-${i + 1}`}>
            <legend>Recommendation {i + 1}</legend>
            <ProblemNote path={path} />
            <ProblemField path={`${path}.action`} label="Action (specific, achievable, realistic)" required>
              <Textarea readOnly={readOnly} value={r.action} onChange={(_e, d) => set(i, { action: d.value })} />
            </ProblemField>
            <ProblemField path={`${path}.successMeasure`} label="Success measure (measurable)" required>
              <Textarea readOnly={readOnly} value={r.successMeasure} onChange={(_e, d) => set(i, { successMeasure: d.value })} />
            </ProblemField>
            <div className="sv-row">
              <ProblemField path={`${path}.ownerRole`} label="Owner (role, never a name)" required>
                <Input readOnly={readOnly} value={r.ownerRole} placeholder="e.g. Headteacher" onChange={(_e, d) => set(i, { ownerRole: d.value })} />
              </ProblemField>
              <ProblemField path={`${path}.ownerInitials`} label="Owner's initials">
                <Input readOnly={readOnly} value={r.ownerInitials} placeholder="e.g. J.S." size="small" onChange={(_e, d) => set(i, { ownerInitials: d.value })} />
              </ProblemField>
              <ProblemField path={`${path}.dueOn`} label="Due by (timed)" required>
                <Input readOnly={readOnly} type="date" min={visitDate} value={r.dueOn} onChange={(_e, d) => set(i, { dueOn: d.value })} />
              </ProblemField>
            </div>
            <div className="sv-row">
              {!readOnly && incomplete && <Text size={200}>{r.id ? 'Changes saved once' : 'Saved once'} its action, measure, owner and date are filled in.</Text>}
              {!readOnly && unsent.has(r.key) && <Text size={200}>Not saved: past the {limit === MAX_RECOMMENDATIONS ? 'fourth' : 'tenth'}.</Text>}
              {!readOnly && (
                <Button appearance="subtle" onClick={() => edit((f) => removeRow(f, 'recommendations', i))}>
                  Remove recommendation {i + 1}
                </Button>
              )}
            </div>
          </fieldset>
        );
      })}
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
        <Button
          onClick={() =>
            edit((f) => ({ ...f, recommendations: [...f.recommendations, { key: newKey(), id: null, action: '', successMeasure: '', ownerRole: '', ownerInitials: '', dueOn: '' }] }))
          }
        >
          Add a recommendation
        </Button>
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
    <Section title="Review of carried recommendations" id="note-reviews" hint="Progress on each recommendation from the previous note: every one needs a progress before sharing.">
      <ProblemNote path="reviews" />
      {form.reviews.map((r, i) => {
        const carried = note.reviews.find((x) => x.recommendation.id === r.recommendationId)?.recommendation;
        const path = `reviews.${r.recommendationId}`;
        return (
          <fieldset key={r.recommendationId} className="sv-item">
            <legend>Carried recommendation {i + 1}</legend>
            <ProblemNote path={path} />
            <Text>{carried?.action}</Text>
            <Text size={200}>
              Measure: {carried?.successMeasure} · {carried?.ownerRole} · due {carried?.dueOn}
            </Text>
            <div className="sv-row">
              <ProblemField path={`${path}.progress`} label="Progress">
                <LabelledSelect disabled={readOnly} value={r.progress} blank="Not reviewed yet" labels={PROGRESS_LABELS} onChange={(v) => set(i, { progress: v as Progress | '' })} />
              </ProblemField>
            </div>
            <ProblemField path={`${path}.comment`} label="Comment on progress">
              <Textarea readOnly={readOnly} value={r.comment} onChange={(_e, d) => set(i, { comment: d.value })} />
            </ProblemField>
          </fieldset>
        );
      })}
    </Section>
  );
}

export function Targets({ form, edit, readOnly, autumn }: SectionProps & { autumn: boolean }) {
  if (!autumn && !form.targets.length) return null;
  const set = (i: number, patch: Partial<NoteForm['targets'][number]>) => edit((f) => ({ ...f, targets: replaceAt(f.targets, i, patch) }));
  const nextSummer = new Date().getFullYear() + 1;
  return (
    <Section title="Targets agreed at the autumn visit" id="note-targets" hint="Key Stage 2 and 4 measures, as percentages, for the cohort assessed that summer.">
      <ProblemNote path="targets" />
      {form.targets.map((t, i) => {
        const path = `targets.${t.key}`;
        return (
          <fieldset key={t.key} className="sv-item">
            <legend>Target {i + 1}</legend>
            <ProblemNote path={path} />
            <div className="sv-row">
              <ProblemField path={`${path}.keyStage`} label="Key stage">
                <Select disabled={readOnly} value={t.keyStage} onChange={(_e, d) => set(i, { keyStage: d.value })}>
                  {['KS1', 'KS2', 'KS3', 'KS4', 'KS5'].map((k) => (
                    <option key={k}>{k}</option>
                  ))}
                </Select>
              </ProblemField>
              <ProblemField path={`${path}.value`} label="Value (%)">
                <Input readOnly={readOnly} type="number" min={0} max={100} value={t.value} onChange={(_e, d) => set(i, { value: d.value })} />
              </ProblemField>
              <ProblemField path={`${path}.year`} label="Assessed in summer">
                <Input readOnly={readOnly} type="number" min={2000} max={2100} value={t.year} onChange={(_e, d) => set(i, { year: d.value })} />
              </ProblemField>
            </div>
            <ProblemField path={`${path}.measure`} label="Measure">
              <Input readOnly={readOnly} value={t.measure} onChange={(_e, d) => set(i, { measure: d.value })} />
            </ProblemField>
            <div className="sv-row">
              {!readOnly && !targetComplete(t) && <Text size={200}>{t.id ? 'Changes saved once complete.' : 'Saved once complete.'}</Text>}
              {!readOnly && (
                <Button appearance="subtle" onClick={() => edit((f) => removeRow(f, 'targets', i))}>
                  Remove target {i + 1}
                </Button>
              )}
            </div>
          </fieldset>
        );
      })}
      {!readOnly && (
        <Button
          onClick={() =>
            edit((f) => ({
              ...f,
              targets: [...f.targets, { key: newKey(), id: null, keyStage: 'KS2', measure: '% achieving the expected standard in reading, writing and maths', value: '', year: String(nextSummer) }],
            }))
          }
        >
          Add a target
        </Button>
      )}
    </Section>
  );
}

export function Distribution({ form, edit, readOnly, school }: SectionProps & { school: { headteacher: { name: string; email: string | null } | null; chairOfGovernors: { name: string; email: string | null } | null } }) {
  const set = (i: number, patch: Partial<NoteForm['distribution'][number]>) => edit((f) => ({ ...f, distribution: replaceAt(f.distribution, i, patch) }));
  const suggested = [
    school.headteacher && { role: 'HEADTEACHER' as const, name: school.headteacher.name, email: school.headteacher.email ?? '' },
    school.chairOfGovernors && { role: 'CHAIR_OF_GOVERNORS' as const, name: school.chairOfGovernors.name, email: school.chairOfGovernors.email ?? '' },
  ].filter((x): x is { role: 'HEADTEACHER' | 'CHAIR_OF_GOVERNORS'; name: string; email: string } => !!x && !form.distribution.some((r) => r.role === x.role));
  return (
    <Section title="Distribution list" id="note-distribution" hint="Who receives the circulated note: the headteacher, the chair of governors and the council.">
      <ProblemNote path="distribution" />
      {form.distribution.map((r, i) => {
        const path = `distribution.${r.key}`;
        return (
          <fieldset key={r.key} className="sv-item">
            <legend>Recipient {i + 1}</legend>
            <ProblemNote path={path} />
            <div className="sv-row">
              <ProblemField path={`${path}.role`} label="Role">
                <LabelledSelect disabled={readOnly} value={r.role} labels={RECIPIENT_LABELS} onChange={(v) => set(i, { role: v as RecipientRole })} />
              </ProblemField>
              <ProblemField path={`${path}.name`} label="Name">
                <Input readOnly={readOnly} value={r.name} onChange={(_e, d) => set(i, { name: d.value })} />
              </ProblemField>
              <ProblemField path={`${path}.email`} label="Email">
                <Input readOnly={readOnly} type="email" value={r.email} onChange={(_e, d) => set(i, { email: d.value })} />
              </ProblemField>
              {!readOnly && (
                <Button appearance="subtle" onClick={() => edit((f) => removeRow(f, 'distribution', i))}>
                  Remove recipient {i + 1}
                </Button>
              )}
            </div>
          </fieldset>
        );
      })}
      {!readOnly && (
        <div className="sv-row">
          {suggested.length > 0 && (
            <Button onClick={() => edit((f) => ({ ...f, distribution: [...f.distribution, ...suggested.map((s) => ({ ...s, key: newKey(), id: null }))] }))}>
              Add the school's headteacher and chair
            </Button>
          )}
          <Button onClick={() => edit((f) => ({ ...f, distribution: [...f.distribution, { key: newKey(), id: null, role: 'COUNCIL', name: '', email: '' }] }))}>Add a recipient</Button>
        </div>
      )}
    </Section>
  );
}
