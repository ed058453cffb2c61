import {
  Button,
  Divider,
  FluentProvider,
  Input,
  Field,
  Radio,
  RadioGroup,
  Text,
  Title3,
  webLightTheme,
  webDarkTheme,
  Switch,
} from '@fluentui/react-components';
import { useEffect, useMemo, useReducer, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { chosenDevPerson, devPersonOrDefault } from '../shared/auth/dev-token-provider.js';
import '../shared/ui/base.css';
import { createFakeOffice, newFakeAppointment, type FakeAppointment } from '../outlook/fake-office.js';

const KEY = 'sv.devOutlook.appointment';

function load(): FakeAppointment {
  const stored = localStorage.getItem(KEY);
  if (stored) return JSON.parse(stored);
  // A new appointment lands on the Wednesday after next, in working hours.
  const start = new Date();
  start.setDate(start.getDate() + 7 + ((3 - start.getDay() + 7) % 7));
  start.setHours(9, 30, 0, 0);
  return newFakeAppointment({ start: start.toISOString(), end: new Date(start.getTime() + 3 * 3_600_000).toISOString() });
}

const toLocalInput = (iso: string) => {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/**
 * /dev/outlook: the task pane beside a simulated appointment, so anyone can try
 * the add-in in a browser. The pane finds this page's simulated Office.js on its
 * parent window; the appointment is kept in this browser's storage.
 */
function DevOutlookPage() {
  const [appointment, setAppointment] = useState<FakeAppointment>(load);
  const [paneRound, reopenPane] = useReducer((n: number) => n + 1, 0);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const [dark, setDark] = useState(false);
  const [me, setMe] = useState(chosenDevPerson() ?? '');
  useEffect(() => {
    devPersonOrDefault().then(
      (email) => email && setMe(email),
      () => undefined,
    );
  }, []);

  useMemo(() => {
    window.svSimulatedOffice = createFakeOffice(appointment, {
      user: { emailAddress: me, displayName: me },
      theme: { bodyBackgroundColor: dark ? '#1f1f1f' : '#ffffff' },
      onChange: (a) => {
        localStorage.setItem(KEY, JSON.stringify(a));
        rerender();
      },
    });
    // Each change of surface or theme is a new pane, as in Outlook.
    // paneRound is read by nothing here: reopening the pane (a new round) must make a new simulated Office.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [appointment, me, dark, paneRound]);

  const update = (patch: Partial<FakeAppointment>) => {
    Object.assign(appointment, patch);
    localStorage.setItem(KEY, JSON.stringify(appointment));
    rerender();
  };

  return (
    <FluentProvider theme={dark ? webDarkTheme : webLightTheme}>
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(320px, 1fr) 360px', gap: 16, padding: 16, minHeight: '100vh', boxSizing: 'border-box' }}>
        <section className="sv-stack" aria-label="Simulated Outlook appointment">
          <Title3 as="h1">Simulated Outlook appointment</Title3>
          <Text size={200}>
            Development only. The pane on the right is the real task pane; this side plays Outlook. Item id: {appointment.itemId ?? 'not saved yet'} · saved{' '}
            {appointment.saves} times.
          </Text>
          <RadioGroup
            layout="horizontal"
            value={appointment.surface}
            onChange={(_e, d) => {
              update({ surface: d.value as FakeAppointment['surface'] });
              reopenPane();
            }}
          >
            <Radio value="organiser" label="I organise it (compose)" />
            <Radio value="attendee" label="I attend it (read)" />
          </RadioGroup>
          <Field label="Subject">
            <Input value={appointment.subject} onChange={(_e, d) => update({ subject: d.value })} />
          </Field>
          <Field label="Location">
            <Input value={appointment.location} onChange={(_e, d) => update({ location: d.value })} />
          </Field>
          <div className="sv-row">
            <Field label="Starts">
              <Input
                type="datetime-local"
                value={toLocalInput(appointment.start)}
                onChange={(_e, d) => d.value && update({ start: new Date(d.value).toISOString() })}
              />
            </Field>
            <Field label="Ends">
              <Input
                type="datetime-local"
                value={toLocalInput(appointment.end)}
                onChange={(_e, d) => d.value && update({ end: new Date(d.value).toISOString() })}
              />
            </Field>
          </div>
          <Text weight="semibold">Body</Text>
          <iframe
            title="Appointment body"
            sandbox=""
            srcDoc={appointment.bodyHtml || '<p style="font-family:sans-serif;color:#666">(empty)</p>'}
            style={{ border: '1px solid #ccc', minHeight: 240, background: '#fff' }}
          />
          <Text size={200}>Attachments: {appointment.attachments.map((a) => a.name).join(', ') || 'none'}</Text>
          <Divider />
          <div className="sv-row">
            <Button onClick={reopenPane}>Close and reopen the pane</Button>
            <Button
              onClick={() => {
                localStorage.removeItem(KEY);
                setAppointment(load());
                reopenPane();
              }}
            >
              New appointment
            </Button>
            <Switch label="Dark theme" checked={dark} onChange={(_e, d) => setDark(d.checked)} />
          </div>
        </section>
        <iframe
          key={`${paneRound}-${dark}-${appointment.surface}`}
          title="Task pane"
          src="/addin/outlook/taskpane.html"
          style={{ border: '1px solid #ccc', width: 360, height: 'calc(100vh - 32px)' }}
        />
      </div>
    </FluentProvider>
  );
}

createRoot(document.getElementById('root')!).render(<DevOutlookPage />);
