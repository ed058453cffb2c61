import { Button, Field, Input } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { AgendaItemInput } from '../shared/graphql/generated/graphql.js';
import { agendaInput, type PaneVisit } from './appointment-visit.js';

/**
 * The visit's agenda as a form: each item's title and minutes, items added and removed.
 * Who leads an item and its detail are kept as they were (new items are for everyone).
 */
export function AgendaEditor({
  visit,
  busy,
  onSave,
  onClose,
}: {
  visit: PaneVisit;
  busy: boolean;
  onSave: (items: AgendaItemInput[]) => void;
  onClose: () => void;
}) {
  const [items, setItems] = useState<AgendaItemInput[]>(() => agendaInput(visit.agenda));
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []); // the form replaced the list the partner was reading
  const change = (i: number, patch: Partial<AgendaItemInput>) => setItems((all) => all.map((item, j) => (j === i ? { ...item, ...patch } : item)));

  return (
    <form
      className="sv-stack"
      aria-label="Edit the agenda"
      onSubmit={(e) => {
        e.preventDefault();
        onSave(items.filter((i) => i.title.trim()).map((i) => ({ ...i, title: i.title.trim() })));
      }}
    >
      {items.map((item, i) => (
        <div className="sv-row" key={i} role="group" aria-label={`Item ${i + 1}`}>
          <Field label={`Item ${i + 1}`} style={{ flex: '1 1 160px' }}>
            <Input ref={i === 0 ? first : undefined} value={item.title} onChange={(_e, d) => change(i, { title: d.value })} />
          </Field>
          <Field label="Minutes" style={{ width: 80 }}>
            <Input
              type="number"
              min={0}
              value={item.minutes == null ? '' : String(item.minutes)}
              onChange={(_e, d) => change(i, { minutes: d.value === '' ? null : Math.max(0, Math.round(Number(d.value))) })}
            />
          </Field>
          <Button appearance="subtle" aria-label={`Remove item ${i + 1}`} onClick={() => setItems((all) => all.filter((_x, j) => j !== i))}>
            Remove
          </Button>
        </div>
      ))}
      <div className="sv-row">
        <Button onClick={() => setItems((all) => [...all, { title: '', detail: null, minutes: null, ownerRole: 'ALL' }])}>Add an item</Button>
        <Button appearance="primary" type="submit" disabledFocusable={busy}>
          {busy ? 'Saving…' : 'Save the agenda'}
        </Button>
        <Button onClick={onClose}>Cancel</Button>
      </div>
    </form>
  );
}
