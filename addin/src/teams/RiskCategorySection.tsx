import { Button, Field, Input, Select, Spinner, Text, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../shared/api/api-client.js';
import { describeError } from '../shared/api/api-error.js';
import { formatDate } from '../shared/format.js';
import type { RiskCategory } from '../shared/graphql/generated/graphql.js';
import { RISK_CATEGORIES, riskCategoryWords } from '../shared/risk-categories.js';
import { DataTable, type Column } from '../shared/ui/DataTable.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { useAsync } from '../shared/ui/use-async.js';
import { londonToday } from './dates.js';
import { AssessRiskCategoryMutation, SchoolRiskCategoryQuery } from './team-views.documents.js';

type Assessment = { id: string; category: string; effectiveFrom: string; rationale: string; createdAt: string; assessedBy: { name: string } };

/**
 * A school's risk category for a senior adviser (confidential: the page shows it only to those the API
 * lets see it): the current category, its history, and the form that records a new assessment
 * (revised at least termly). Council systems are told of a change (webhooks, issue 23).
 */
export function RiskCategorySection({ api, schoolId, schoolName }: { api: ApiClient; schoolId: string; schoolName: string }) {
  const state = useAsync(() => api.request(SchoolRiskCategoryQuery, { id: schoolId }), [api, schoolId]);
  // Kept here, above the reload that follows a save (the form is drawn again from the new history).
  const [recorded, setRecorded] = useState<string | null>(null);
  if (state.status === 'loading') return <Spinner label="Loading the risk category…" />;
  if (state.status === 'failed') return <ErrorMessage error={state.error} onRetry={state.reload} />;
  const school = state.value.school!;
  const current = school.visibleRiskCategory;
  const columns: Column<Assessment>[] = [
    {
      id: 'from',
      header: 'Effective from',
      rowHeader: true,
      text: (a) => formatDate(a.effectiveFrom),
      sortValue: (a) => a.effectiveFrom,
      csv: (a) => a.effectiveFrom,
    },
    { id: 'category', header: 'Category', text: (a) => `${a.category}, ${riskCategoryWords(a.category)}`, choices: (a) => a.category },
    { id: 'rationale', header: 'Rationale', text: (a) => a.rationale, sortValue: false },
    { id: 'by', header: 'Assessed by', text: (a) => a.assessedBy.name, choices: true },
  ];
  return (
    <section className="sv-stack" aria-labelledby="school-risk" data-testid="school-risk-category">
      <h3 id="school-risk">Risk category (confidential)</h3>
      <Text data-testid="risk-current">
        {current
          ? `${current.category}, ${riskCategoryWords(current.category)}, since ${formatDate(current.effectiveFrom)}.`
          : 'No risk category has been recorded for this school.'}
      </Text>
      <DataTable
        caption={`Risk category assessments of ${schoolName}, latest first`}
        name={`risk categories of ${schoolName}`}
        columns={columns}
        rows={school.riskCategoryHistory}
        rowKey={(a) => a.id}
        initialSort={{ column: 'from', direction: 'descending' }}
        emptyText="No assessment is recorded."
        testId="risk-category-history"
      />
      <AssessRiskCategory
        api={api}
        schoolId={schoolId}
        earliest={current?.effectiveFrom ?? null}
        recorded={recorded}
        onSaved={(text) => {
          setRecorded(text);
          state.reload();
        }}
      />
    </section>
  );
}

function AssessRiskCategory(props: { api: ApiClient; schoolId: string; earliest: string | null; recorded: string | null; onSaved: (text: string) => void }) {
  const { api, schoolId, earliest, recorded, onSaved } = props;
  const today = londonToday();
  const [category, setCategory] = useState('');
  const [effectiveFrom, setEffectiveFrom] = useState(earliest && earliest > today ? earliest : today);
  const [rationale, setRationale] = useState('');
  const [refused, setRefused] = useState<string | null>(null);
  const save = async () => {
    setRefused(null);
    try {
      const saved = (await api.request(AssessRiskCategoryMutation, { input: { schoolId, category: category as RiskCategory, effectiveFrom, rationale } }))
        .assessRiskCategory;
      onSaved(`Recorded: ${saved.category} from ${formatDate(saved.effectiveFrom)}.`);
    } catch (e) {
      setRefused(describeError(e).detail);
    }
  };
  const outcome = refused ?? recorded;
  return (
    <form
      className="sv-stack"
      aria-labelledby="assess-risk"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h4 id="assess-risk">Record a new assessment</h4>
      <Field label="New category" required>
        <Select value={category} onChange={(_, d) => setCategory(d.value)} data-testid="risk-category">
          <option value="">Choose a category</option>
          {Object.entries(RISK_CATEGORIES).map(([value, words]) => (
            <option key={value} value={value}>
              {value}, {words}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Effective from" required hint={earliest ? `On or after ${formatDate(earliest)}, when the current category took effect.` : undefined}>
        <Input type="date" value={effectiveFrom} min={earliest ?? undefined} onChange={(_, d) => setEffectiveFrom(d.value)} data-testid="risk-effective-from" />
      </Field>
      <Field label="Rationale: the evidence behind the judgement" required>
        <Textarea value={rationale} onChange={(_, d) => setRationale(d.value)} maxLength={4000} data-testid="risk-rationale" />
      </Field>
      <div>
        <Button appearance="primary" type="submit" disabled={!category || !effectiveFrom || !rationale.trim()}>
          Record assessment
        </Button>
      </div>
      <div role="status" data-testid="risk-outcome">
        {outcome && <Text>{outcome}</Text>}
      </div>
    </form>
  );
}
