import { Badge, Button, Link, MessageBar, MessageBarActions, MessageBarBody, Text } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../shared/api/api-client.js';
import { formatDate, formatDateTime, noteStatusLabel, visitTypeLabel } from '../shared/format.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { attachAgendaDocument, moveVisitToAppointment, timesDiffer, type PaneVisit } from './appointment-visit.js';
import type { AppointmentTimes, OutlookAppointment } from './office-adapter.js';

/** A booked appointment: its visit, agenda and note, and what the partner can do from here. */
export function LinkedVisit({
  api,
  appointment,
  times,
  visit,
  onChanged,
  noteLink,
  onOpenNote,
  focusOnShow = false,
}: {
  api: ApiClient;
  appointment: OutlookAppointment;
  times: AppointmentTimes;
  visit: PaneVisit;
  onChanged: (visit: PaneVisit) => void;
  noteLink: string;
  onOpenNote: () => void;
  /** Just booked: the "Book visit" button pressed is gone, so focus goes to the visit it made (WCAG 2.4.3). */
  focusOnShow?: boolean;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusOnShow) heading.current?.focus();
  }, [focusOnShow]);
  const [action, setAction] = useState<{ busy?: string; error?: unknown; done?: string }>({});
  const run = async (label: string, work: () => Promise<string | void>) => {
    setAction({ busy: label });
    try {
      const done = await work();
      setAction({ done: done ?? undefined });
    } catch (error) {
      setAction({ error });
    }
  };
  const organiser = appointment.surface === 'organiser';
  const moved = visit.status === 'BOOKED' && timesDiffer(visit, times);
  const past = new Date(visit.startsAt).getTime() < Date.now();
  const note = visit.note;

  return (
    <section className="sv-stack" aria-label="The visit booked for this appointment">
      <Text weight="semibold" size={400} as="h2" ref={heading} tabIndex={-1}>
        {visitTypeLabel(visit.type)} - {visit.school.name}
      </Text>
      <Text>
        {formatDateTime(visit.startsAt)} · {visit.location ?? visit.school.address?.oneLine ?? 'no location'}
      </Text>
      <div className="sv-row">
        <Badge appearance="tint" color={visit.status === 'CANCELLED' ? 'danger' : 'brand'}>
          Visit {visit.status.toLowerCase()}
        </Badge>
        {visit.expectsNote && (
          <Badge appearance="tint" color={note?.overdue ? 'danger' : 'informative'} data-testid="note-status">
            Note: {noteStatusLabel(note?.status)}
            {note?.overdue ? ' (late)' : ''}
          </Badge>
        )}
      </div>
      {visit.expectsNote ? (
        <Text size={200}>
          Draft due with the headteacher {formatDate(note?.draftDueOn ?? visit.noteDraftDueOn!)}; circulation due{' '}
          {formatDate(note?.circulationDueOn ?? visit.noteCirculationDueOn!)}.
        </Text>
      ) : (
        <Text size={200}>No note of visit for this kind of visit: leave the governors a feedback form.</Text>
      )}
      {moved && (
        <MessageBar intent="warning" data-testid="times-differ">
          <MessageBarBody>
            The appointment is at {formatDateTime(times.start.toISOString())}, the visit at {formatDateTime(visit.startsAt)}.
          </MessageBarBody>
          {organiser && (
            <MessageBarActions>
              <Button size="small" disabled={!!action.busy} onClick={() => run('move', async () => onChanged(await moveVisitToAppointment(api, visit, times)))}>
                Move the visit
              </Button>
            </MessageBarActions>
          )}
        </MessageBar>
      )}
      {visit.warnings.map((w) => (
        <MessageBar key={w.code + w.message} intent="warning" data-warning-code={w.code}>
          <MessageBarBody>{w.message}</MessageBarBody>
        </MessageBar>
      ))}
      <Text weight="semibold" as="h3">
        Agenda
      </Text>
      {visit.agenda.length ? (
        <ol className="sv-agenda">
          {visit.agenda.map((item) => (
            <li key={item.position}>
              {item.title}
              {item.minutes ? <Text size={200}> ({item.minutes} min)</Text> : null}
            </li>
          ))}
        </ol>
      ) : (
        <Text>No agenda yet.</Text>
      )}
      <div className="sv-row">
        {organiser && (
          <Button disabled={!!action.busy} onClick={() => run('attach', async () => `Attached “${await attachAgendaDocument(appointment, api, visit)}”.`)}>
            {action.busy === 'attach' ? 'Attaching…' : 'Attach agenda as Word'}
          </Button>
        )}
        {visit.expectsNote && past && (
          <>
            <Button appearance="primary" onClick={onOpenNote}>
              {note ? 'Open the note of visit' : 'Write the note of visit'}
            </Button>
            <Link href={noteLink} target="_blank" data-testid="note-link">
              Open in Teams
            </Link>
          </>
        )}
      </div>
      {action.done && (
        <MessageBar intent="success">
          <MessageBarBody>{action.done}</MessageBarBody>
        </MessageBar>
      )}
      {action.error !== undefined && <ErrorMessage error={action.error} />}
    </section>
  );
}
