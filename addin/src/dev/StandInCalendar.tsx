import { Button, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { FakeAppointment } from '../outlook/fake-office.js';

const KEY = 'sv.devOutlook.standInEvent';

/** `npm start` runs a stand-in Microsoft Graph on the port after the API's (api/demo/graph-stand-in/development-sync.ts). */
const standInBase = () => `${location.protocol}//${location.hostname}:${Number(location.port || 80) + 1}/stand-in`;

/** A Graph dateTimeTimeZone in UTC, as Outlook on the web sends it. */
const graphTime = (iso: string) => ({ dateTime: new Date(iso).toISOString().slice(0, 19), timeZone: 'UTC' });

async function call<T>(method: string, path: string, body?: unknown): Promise<T | null> {
  const res = await fetch(`${standInBase()}${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`the stand-in Graph answered ${res.status}`);
  return res.status === 204 ? null : ((await res.json()) as T);
}

/**
 * Outlook's side of calendar sync, for trying it in a browser: the simulated appointment put in the
 * organiser's calendar in the stand-in Graph, then moved, cancelled or deleted there ("in Outlook",
 * with the pane closed), as a partner would on their phone. The API hears of it from the stand-in's
 * change notification and follows; reopening the pane shows the visit as it now is.
 */
export function StandInCalendar({
  appointment,
  me,
  update,
  reopenPane,
}: {
  appointment: FakeAppointment;
  me: string;
  update: (patch: Partial<FakeAppointment>) => void;
  reopenPane: () => void;
}) {
  const [available, setAvailable] = useState<boolean | null>(null);
  const [eventId, setEventId] = useState<string | null>(() => localStorage.getItem(KEY));
  const [status, setStatus] = useState('');
  useEffect(() => {
    call('GET', '/users').then(
      () => setAvailable(true),
      () => setAvailable(false),
    );
  }, []);
  const remember = (id: string | null) => {
    if (id) localStorage.setItem(KEY, id);
    else localStorage.removeItem(KEY);
    setEventId(id);
  };
  const user = encodeURIComponent(me);
  const run = (label: string, work: () => Promise<string>) => {
    setStatus(`${label}…`);
    work().then(setStatus, (error: Error) => setStatus(`${label} failed: ${error.message}`));
  };

  if (available === null) return null;
  if (!available) return <Text size={200}>No stand-in Microsoft Graph at {standInBase()}: calendar sync is not running against one (npm start runs it).</Text>;
  const linkedToThis = eventId !== null && appointment.itemId !== null;
  return (
    <section className="sv-stack" aria-labelledby="stand-in-calendar">
      <Text weight="semibold" id="stand-in-calendar">
        Outlook’s calendar (stand-in Microsoft Graph)
      </Text>
      <Text size={200}>
        Put the appointment in {me}’s calendar before booking; then change it there, as on a phone with the pane closed. Calendar sync follows within seconds:
        reopen the pane to see the visit.
      </Text>
      <div className="sv-row">
        <Button
          disabled={linkedToThis}
          onClick={() =>
            run('Putting it in the calendar', async () => {
              const created = await call<{ id: string }>('POST', `/users/${user}/events`, {
                subject: appointment.subject || 'School visit',
                start: graphTime(appointment.start),
                end: graphTime(appointment.end),
                attendees: (appointment.requiredAttendees ?? []).map((a) => ({
                  type: 'required',
                  emailAddress: { address: a.emailAddress, name: a.displayName || a.emailAddress },
                })),
              });
              const ids = await call<{ ewsId: string }>('GET', `/users/${user}/events/${encodeURIComponent(created!.id)}/ews-id`);
              remember(created!.id);
              update({ itemId: ids!.ewsId });
              reopenPane();
              return 'In the calendar: book the visit in the pane.';
            })
          }
        >
          Put it in Outlook’s calendar
        </Button>
        <Button
          disabled={!linkedToThis}
          onClick={() =>
            run('Moving it a day later in Outlook', async () => {
              const day = 86_400_000;
              const start = new Date(new Date(appointment.start).getTime() + day).toISOString();
              const end = new Date(new Date(appointment.end).getTime() + day).toISOString();
              await call('PATCH', `/users/${user}/events/${encodeURIComponent(eventId!)}`, { start: graphTime(start), end: graphTime(end) });
              update({ start, end });
              return 'Moved a day later in Outlook.';
            })
          }
        >
          Move a day later in Outlook
        </Button>
        <Button
          disabled={!linkedToThis}
          onClick={() =>
            run('Cancelling it in Outlook', async () => {
              await call('POST', `/users/${user}/events/${encodeURIComponent(eventId!)}/cancel`);
              remember(null);
              return 'Cancelled in Outlook.';
            })
          }
        >
          Cancel in Outlook
        </Button>
        <Button
          disabled={!linkedToThis}
          onClick={() =>
            run('Deleting it in Outlook', async () => {
              await call('DELETE', `/users/${user}/events/${encodeURIComponent(eventId!)}`);
              remember(null);
              return 'Deleted in Outlook.';
            })
          }
        >
          Delete in Outlook
        </Button>
      </div>
      <Text size={200} role="status">
        {status}
      </Text>
    </section>
  );
}
