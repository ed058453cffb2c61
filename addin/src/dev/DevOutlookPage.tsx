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
  Textarea,
} from '@fluentui/react-components';
import { useEffect, useMemo, useReducer, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { chosenDevPerson, devPersonOrDefault } from '../shared/auth/dev-token-provider.js';
import '../shared/ui/base.css';
import { createFakeOffice, newFakeAppointment, type FakeAppointment, type FakeOffice } from '../outlook/fake-office.js';
import { LAUNCH_EVENT_FUNCTIONS, registerLaunchEvents, type LaunchEventOutcome } from '../outlook/launch-events.js';
import { startSession } from '../shared/session.js';
import { StandInCalendar } from './StandInCalendar.js';

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

/** One attendee a line, "Name <email>" or just the email, as typed in Outlook's To line. */
const attendeesFromText = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const m = /^(.*)<([^>]+)>$/.exec(line);
      return m ? { displayName: m[1]!.trim(), emailAddress: m[2]!.trim() } : { displayName: '', emailAddress: line };
    });
const attendeesToText = (a: FakeAppointment) =>
  (a.requiredAttendees ?? []).map((p) => (p.displayName ? `${p.displayName} <${p.emailAddress}>` : p.emailAddress)).join('\n');

// The event handlers talk to the API as the person chosen on the development sign-in, like the pane.
let session: ReturnType<typeof startSession> | null = null;
const sessionApi = async () => (await (session ??= startSession())).api;

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
  const [attendeesText, setAttendeesText] = useState(() => attendeesToText(appointment));
  const [handlersOn, setHandlersOn] = useState(true);
  const [handled, setHandled] = useState<LaunchEventOutcome | null>(null);
  useEffect(() => {
    devPersonOrDefault().then(
      (email) => email && setMe(email),
      () => undefined,
    );
  }, []);

  const office = useMemo(() => {
    const office = createFakeOffice(appointment, {
      user: { emailAddress: me, displayName: me },
      theme: { bodyBackgroundColor: dark ? '#1f1f1f' : '#ffffff' },
      onChange: (a) => {
        localStorage.setItem(KEY, JSON.stringify(a));
        // The pane adds attendees too (the school's card): the To line shows them as Outlook would.
        setAttendeesText(attendeesToText(a));
        rerender();
      },
    });
    window.svSimulatedOffice = office;
    // The event-based activation runtime, as Outlook starts it beside the pane.
    registerLaunchEvents(office, sessionApi, setHandled);
    return office as FakeOffice;
    // Each change of surface or theme is a new pane, as in Outlook.
    // paneRound is read by nothing here: reopening the pane (a new round) must make a new simulated Office.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [appointment, me, dark, paneRound]);

  const update = (patch: Partial<FakeAppointment>) => {
    Object.assign(appointment, patch);
    localStorage.setItem(KEY, JSON.stringify(appointment));
    rerender();
  };
  /** Outlook raises the launch event on an organiser's change; the pane is shown again once the handler has finished. */
  const fire = (event: keyof typeof LAUNCH_EVENT_FUNCTIONS) => {
    if (!handlersOn || appointment.surface !== 'organiser') return;
    setHandled(null);
    office.fireLaunchEvent(LAUNCH_EVENT_FUNCTIONS[event]).then(reopenPane, (error: Error) => setHandled({ event, result: 'failed', detail: error.message }));
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
                onChange={(_e, d) => {
                  if (!d.value) return;
                  update({ start: new Date(d.value).toISOString() });
                  fire('OnAppointmentTimeChanged');
                }}
              />
            </Field>
            <Field label="Ends">
              <Input
                type="datetime-local"
                value={toLocalInput(appointment.end)}
                onChange={(_e, d) => {
                  if (!d.value) return;
                  update({ end: new Date(d.value).toISOString() });
                  fire('OnAppointmentTimeChanged');
                }}
              />
            </Field>
          </div>
          <Field label="Attendees" hint="One a line: Name <email>. Leaving the field is Outlook's attendees changed event.">
            <Textarea
              value={attendeesText}
              resize="vertical"
              onChange={(_e, d) => setAttendeesText(d.value)}
              onBlur={() => {
                if (attendeesText === attendeesToText(appointment)) return;
                update({ requiredAttendees: attendeesFromText(attendeesText) });
                fire('OnAppointmentAttendeesChanged');
              }}
            />
          </Field>
          <Field label="Series id" hint="Set it to make this appointment one occurrence of a recurring series (Office.js item.seriesId).">
            <Input value={appointment.seriesId ?? ''} onChange={(_e, d) => update({ seriesId: d.value || null })} />
          </Field>
          <Switch
            label="Run the event handlers (Outlook's event-based activation) when the time or attendees change"
            checked={handlersOn}
            onChange={(_e, d) => setHandlersOn(d.checked)}
          />
          <Text size={200} role="status" data-testid="launch-event-outcome">
            {handled ? `${handled.event}: ${handled.result}${handled.detail ? ` (${handled.detail})` : ''}` : 'No event handled yet.'}
          </Text>
          <Text weight="semibold">Body</Text>
          <iframe
            title="Appointment body"
            sandbox=""
            srcDoc={appointment.bodyHtml || '<p style="font-family:sans-serif;color:#666">(empty)</p>'}
            style={{ border: '1px solid #ccc', minHeight: 240, background: '#fff' }}
          />
          <Text size={200}>Attachments: {appointment.attachments.map((a) => a.name).join(', ') || 'none'}</Text>
          <Divider />
          {appointment.surface === 'organiser' && me && <StandInCalendar appointment={appointment} me={me} update={update} reopenPane={reopenPane} />}
          <Divider />
          <div className="sv-row">
            <Button onClick={reopenPane}>Close and reopen the pane</Button>
            <Button
              onClick={() => {
                localStorage.removeItem(KEY);
                localStorage.removeItem('sv.devOutlook.standInEvent');
                const fresh = load();
                setAppointment(fresh);
                setAttendeesText(attendeesToText(fresh));
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
