import { Button, Checkbox, Field, Input, MessageBar, MessageBarBody, Select, Text, Textarea } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import {
  AREA_LABELS,
  EVIDENCE_LABELS,
  GRADE_LABELS,
  MAX_RECOMMENDATIONS,
  newKey,
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
const removeAt = <T,>(list: T[], index: number): T[] => list.filter((_, i) => i !== index);

/** A native select over a label map (value → words), with an optional empty first choice. */
function LabelledSelect({ value, labels, blank, disabled, onChange }: { value: string; labels: Record<string, string>; blank?: string; disabled: boolean; onChange: (value: string) => void }) {
  return (
    <Select disabled={disabled} value={value} onChange={(_e, d) => onChange(d.value)}>
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
      <Field label="Purpose and context of the visit">
        <Textarea resize="vertical" readOnly={readOnly} value={form.purpose} onChange={(_e, d) => edit((f) => ({ ...f, purpose: d.value }))} />
      </Field>
      <Field label="Overall evaluation (summary)" hint="Evaluative, not descriptive. Refer to people by role and initials, never by name.">
        <Textarea resize="vertical" rows={5} readOnly={readOnly} value={form.summary} onChange={(_e, d) => edit((f) => ({ ...f, summary: d.value }))} data-testid="note-summary" />
      </Field>
    </Section>
  );
}

export function Judgements({ form, edit, readOnly }: SectionProps) {
  const set = (i: number, patch: Partial<NoteForm['judgements'][number]>) => edit((f) => ({ ...f, judgements: replaceAt(f.judgements, i, patch) }));
  return (
    <Section title="Judgements" id="note-judgements" hint="The school's grade and yours for each heading kept in the note; give the reason where they differ.">
      <div className="sv-judgements">
        {form.judgements.map((j, i) => {
          const label = AREA_LABELS[j.area];
          const differ = j.included && !!j.schoolGrade && !!j.partnerGrade && !j.insufficientEvidence && j.schoolGrade !== j.partnerGrade;
          return (
            <fieldset key={j.area} className="sv-judgement" data-area={j.area}>
              <legend>{label}</legend>
              <Checkbox label={`Judge ${label.toLowerCase()} in this note`} checked={j.included} disabled={readOnly} onChange={(_e, d) => set(i, { included: !!d.checked })} />
              {j.included && (
                <div className="sv-judgement-grid">
                  <Field label="School's grade">
                    <LabelledSelect disabled={readOnly} value={j.schoolGrade} blank="Not graded" labels={GRADE_LABELS} onChange={(v) => set(i, { schoolGrade: v })} />
                  </Field>
                  <Field label="Partner's grade">
                    <LabelledSelect disabled={readOnly || j.insufficientEvidence} value={j.insufficientEvidence ? '' : j.partnerGrade} blank="Not graded" labels={GRADE_LABELS} onChange={(v) => set(i, { partnerGrade: v })} />
                  </Field>
                  <Field label="Evidence basis">
                    <LabelledSelect disabled={readOnly} value={j.evidenceBasis} blank="Not said" labels={EVIDENCE_LABELS} onChange={(v) => set(i, { evidenceBasis: v as Evidence | '' })} />
                  </Field>
                  <Checkbox
                    label="Evidence insufficient to grade"
                    checked={j.insufficientEvidence}
                    disabled={readOnly}
                    onChange={(_e, d) => set(i, { insufficientEvidence: !!d.checked, partnerGrade: d.checked ? '' : j.partnerGrade })}
                  />
                  {(differ || j.disagreementReason) && (
                    <Field
                      className="sv-wide"
                      label="Why your grade differs from the school's"
                      required={differ}
                      validationState={differ && !j.disagreementReason.trim() ? 'warning' : 'none'}
                      validationMessage={differ && !j.disagreementReason.trim() ? 'The grades differ: give the reason before the note can be saved.' : undefined}
                    >
                      <Textarea readOnly={readOnly} value={j.disagreementReason} onChange={(_e, d) => set(i, { disagreementReason: d.value })} />
                    </Field>
                  )}
                  <Field className="sv-wide" label="Commentary">
                    <Textarea readOnly={readOnly} value={j.commentary} onChange={(_e, d) => set(i, { commentary: d.value })} />
                  </Field>
                </div>
              )}
            </fieldset>
          );
        })}
      </div>
    </Section>
  );
}

export function Findings({ form, edit, readOnly }: SectionProps) {
  const set = (i: number, patch: Partial<NoteForm['findings'][number]>) => edit((f) => ({ ...f, findings: replaceAt(f.findings, i, patch) }));
  return (
    <Section title="Findings" id="note-findings" hint="Each finding says whether the school reported it or you observed it.">
      {form.findings.map((finding, i) => (
        <fieldset key={finding.key} className="sv-item">
          <legend>Finding {i + 1}</legend>
          <Field label={`Finding ${i + 1}`}>
            <Textarea readOnly={readOnly} value={finding.text} onChange={(_e, d) => set(i, { text: d.value })} />
          </Field>
          <div className="sv-row">
            <Field label="Evidence">
              <LabelledSelect disabled={readOnly} value={finding.evidenceBasis} labels={EVIDENCE_LABELS} onChange={(v) => set(i, { evidenceBasis: v as Evidence })} />
            </Field>
            <Field label="Heading">
              <LabelledSelect disabled={readOnly} value={finding.area} blank="None" labels={AREA_LABELS} onChange={(v) => set(i, { area: v as Area | '' })} />
            </Field>
            {!readOnly && (
              <Button appearance="subtle" onClick={() => edit((f) => ({ ...f, findings: removeAt(f.findings, i) }))}>
                Remove finding {i + 1}
              </Button>
            )}
          </div>
        </fieldset>
      ))}
      {!readOnly && (
        <Button onClick={() => edit((f) => ({ ...f, findings: [...f.findings, { key: newKey(), text: '', evidenceBasis: 'OBSERVED', area: '' }] }))}>Add a finding</Button>
      )}
    </Section>
  );
}

export function Recommendations({ form, edit, readOnly, visitDate }: SectionProps & { visitDate: string }) {
  const set = (i: number, patch: Partial<NoteForm['recommendations'][number]>) => edit((f) => ({ ...f, recommendations: replaceAt(f.recommendations, i, patch) }));
  const over = form.recommendations.length > MAX_RECOMMENDATIONS;
  return (
    <Section title="Recommendations" id="note-recommendations" hint="Few (rarely more than four) and SMART: specific, measurable, achievable, realistic, timed. Each is reviewed in the next note.">
      {form.recommendations.map((r, i) => {
        const incomplete = !recommendationComplete(r);
        return (
          <fieldset key={r.key} className="sv-item" data-testid={`recommendation-${i + 1}`}>
            <legend>Recommendation {i + 1}</legend>
            <Field label="Action (specific, achievable, realistic)" required>
              <Textarea readOnly={readOnly} value={r.action} onChange={(_e, d) => set(i, { action: d.value })} />
            </Field>
            <Field label="Success measure (measurable)" required>
              <Textarea readOnly={readOnly} value={r.successMeasure} onChange={(_e, d) => set(i, { successMeasure: d.value })} />
            </Field>
            <div className="sv-row">
              <Field label="Owner (role, never a name)" required>
                <Input readOnly={readOnly} value={r.ownerRole} placeholder="e.g. Headteacher" onChange={(_e, d) => set(i, { ownerRole: d.value })} />
              </Field>
              <Field label="Owner's initials">
                <Input readOnly={readOnly} value={r.ownerInitials} placeholder="e.g. J.S." size="small" onChange={(_e, d) => set(i, { ownerInitials: d.value })} />
              </Field>
              <Field label="Due by (timed)" required>
                <Input readOnly={readOnly} type="date" min={visitDate} value={r.dueOn} onChange={(_e, d) => set(i, { dueOn: d.value })} />
              </Field>
            </div>
            <div className="sv-row">
              {!readOnly && incomplete && <Text size={200}>Saved once its action, measure, owner and date are filled in.</Text>}
              {!readOnly && i >= MAX_RECOMMENDATIONS && <Text size={200}>Not saved: past the fourth.</Text>}
              {!readOnly && (
                <Button appearance="subtle" onClick={() => edit((f) => ({ ...f, recommendations: removeAt(f.recommendations, i) }))}>
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
            A note carries at most four recommendations (seed 004: “rarely more than four”). Merge or prioritise them; only the first four are saved unless a senior adviser allows more.
          </MessageBarBody>
        </MessageBar>
      )}
      {!readOnly && (
        <Button
          onClick={() =>
            edit((f) => ({ ...f, recommendations: [...f.recommendations, { key: newKey(), action: '', successMeasure: '', ownerRole: '', ownerInitials: '', dueOn: '' }] }))
          }
        >
          Add a recommendation
        </Button>
      )}
    </Section>
  );
}

export function Reviews({ form, edit, readOnly, note }: SectionProps & { note: NoteData }) {
  if (!form.reviews.length) return null;
  const set = (i: number, patch: Partial<NoteForm['reviews'][number]>) => edit((f) => ({ ...f, reviews: replaceAt(f.reviews, i, patch) }));
  return (
    <Section title="Review of carried recommendations" id="note-reviews" hint="Progress on each recommendation from the previous note: every one needs a progress before sharing.">
      {form.reviews.map((r, i) => {
        const carried = note.reviews.find((x) => x.recommendation.id === r.recommendationId)?.recommendation;
        return (
          <fieldset key={r.recommendationId} className="sv-item">
            <legend>Carried recommendation {i + 1}</legend>
            <Text>{carried?.action}</Text>
            <Text size={200}>
              Measure: {carried?.successMeasure} · {carried?.ownerRole} · due {carried?.dueOn}
            </Text>
            <div className="sv-row">
              <Field label="Progress">
                <LabelledSelect disabled={readOnly} value={r.progress} blank="Not reviewed yet" labels={PROGRESS_LABELS} onChange={(v) => set(i, { progress: v as Progress | '' })} />
              </Field>
            </div>
            <Field label="Comment on progress">
              <Textarea readOnly={readOnly} value={r.comment} onChange={(_e, d) => set(i, { comment: d.value })} />
            </Field>
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
      {form.targets.map((t, i) => (
        <fieldset key={t.key} className="sv-item">
          <legend>Target {i + 1}</legend>
          <div className="sv-row">
            <Field label="Key stage">
              <Select disabled={readOnly} value={t.keyStage} onChange={(_e, d) => set(i, { keyStage: d.value })}>
                {['KS1', 'KS2', 'KS3', 'KS4', 'KS5'].map((k) => (
                  <option key={k}>{k}</option>
                ))}
              </Select>
            </Field>
            <Field label="Value (%)">
              <Input readOnly={readOnly} type="number" min={0} max={100} value={t.value} onChange={(_e, d) => set(i, { value: d.value })} />
            </Field>
            <Field label="Assessed in summer">
              <Input readOnly={readOnly} type="number" min={2000} max={2100} value={t.year} onChange={(_e, d) => set(i, { year: d.value })} />
            </Field>
          </div>
          <Field label="Measure">
            <Input readOnly={readOnly} value={t.measure} onChange={(_e, d) => set(i, { measure: d.value })} />
          </Field>
          <div className="sv-row">
            {!readOnly && !targetComplete(t) && <Text size={200}>Saved once complete.</Text>}
            {!readOnly && (
              <Button appearance="subtle" onClick={() => edit((f) => ({ ...f, targets: removeAt(f.targets, i) }))}>
                Remove target {i + 1}
              </Button>
            )}
          </div>
        </fieldset>
      ))}
      {!readOnly && (
        <Button
          onClick={() =>
            edit((f) => ({
              ...f,
              targets: [...f.targets, { key: newKey(), keyStage: 'KS2', measure: '% achieving the expected standard in reading, writing and maths', value: '', year: String(nextSummer) }],
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
      {form.distribution.map((r, i) => (
        <fieldset key={r.key} className="sv-item">
          <legend>Recipient {i + 1}</legend>
          <div className="sv-row">
            <Field label="Role">
              <LabelledSelect disabled={readOnly} value={r.role} labels={RECIPIENT_LABELS} onChange={(v) => set(i, { role: v as RecipientRole })} />
            </Field>
            <Field label="Name">
              <Input readOnly={readOnly} value={r.name} onChange={(_e, d) => set(i, { name: d.value })} />
            </Field>
            <Field label="Email">
              <Input readOnly={readOnly} type="email" value={r.email} onChange={(_e, d) => set(i, { email: d.value })} />
            </Field>
            {!readOnly && (
              <Button appearance="subtle" onClick={() => edit((f) => ({ ...f, distribution: removeAt(f.distribution, i) }))}>
                Remove recipient {i + 1}
              </Button>
            )}
          </div>
        </fieldset>
      ))}
      {!readOnly && (
        <div className="sv-row">
          {suggested.length > 0 && (
            <Button onClick={() => edit((f) => ({ ...f, distribution: [...f.distribution, ...suggested.map((s) => ({ ...s, key: newKey() }))] }))}>
              Add the school's headteacher and chair
            </Button>
          )}
          <Button onClick={() => edit((f) => ({ ...f, distribution: [...f.distribution, { key: newKey(), role: 'COUNCIL', name: '', email: '' }] }))}>Add a recipient</Button>
        </div>
      )}
    </Section>
  );
}
