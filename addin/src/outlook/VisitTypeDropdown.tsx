import { Dropdown, Option } from '@fluentui/react-components';
import type { VisitType } from '../shared/graphql/generated/graphql.js';
import { visitTypeLabel } from '../shared/format.js';

export const VISIT_TYPES: VisitType[] = [
  'AUTUMN',
  'SPRING',
  'SUMMER',
  'FAMILIARISATION',
  'JOINT_EVALUATION',
  'INSPECTION_FEEDBACK',
  'ROUND_TABLE',
  'HEADTEACHER_PERFORMANCE_MANAGEMENT',
  'OTHER',
];

/** Choosing a visit type, by its label (booking, and changing a booked visit's type); labelled by its Field. */
export function VisitTypeDropdown({ value, onChange }: { value: VisitType; onChange: (type: VisitType) => void }) {
  return (
    <Dropdown value={visitTypeLabel(value)} selectedOptions={[value]} onOptionSelect={(_e, d) => d.optionValue && onChange(d.optionValue as VisitType)}>
      {VISIT_TYPES.map((t) => (
        <Option key={t} value={t}>
          {visitTypeLabel(t)}
        </Option>
      ))}
    </Dropdown>
  );
}
