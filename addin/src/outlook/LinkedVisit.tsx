import { Badge, Button, Link, MessageBar, MessageBarActions, MessageBarBody, Text } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../shared/api/api-client.js';
import { formatDate, formatDateTime, noteStatusLabel, visitTypeLabel } from '../shared/format.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { useAsync } from '../shared/ui/use-async.js';
import { AgendaEditor } from './AgendaEditor.js';
import { hasAgendaBlock } from './agenda-block.js';
import {
  attachAgendaDocument,
  mayEditAgenda,
  moveVisitToAppointment,
  rewriteAgendaBlock,
  timesDiffer,
  updateVisitAttendees,
  type KnownSchoolPeople,
  type PaneVisit,
} from './appointment-visit.js';
import type { AppointmentTimes, OutlookAppointment } from './office-adapter.js';
import { AgendaTemplatesQuery, PaneMeQuery, RetryEmailMutation, SetAgendaMutation, VisitByIdQuery } from './outlook.documents.js';
import { SCHOOL_PEOPLE_HEADING_ID, SchoolCard } from './SchoolCard.js';
import { usePaneAction, type Announce } from './use-pane-action.js';
import { VisitActions } from './VisitActions.js';
import { VisitEmails } from './VisitEmails.js';

type FocusTarget = 'heading' | 'edit' | 'emails' | 'schoolPeople';

/** A booked appointment: its visit, agenda and note, and what the partner can do from here. */
export function LinkedVisit({
  api,
  appointment,
  times,
  visit,
  onChanged,
  announce,
  noteLink,
  onOpenNote,
  focusOnShow = false,
}: {
  api: ApiClient;
  appointment: OutlookAppointment;
  times: AppointmentTimes;
  visit: PaneVisit;
  onChanged: (visit: PaneVisit) => void;
  announce: Announce;
  noteLink: string;
  onOpenNote: () => void;
  /** Just booked: the "Book visit" button pressed is gone, so focus goes to the visit it made (WCAG 2.4.3). */
  focusOnShow?: boolean;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const known = useRef<KnownSchoolPeople | undefined>(undefined);
  const editButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusOnShow) heading.current?.focus();
  }, [focusOnShow]);
  // Where focus goes after a change (WCAG 2.4.3): moved once React has drawn the change, so the
  // element is there and the control pressed, if it went, is gone.
  const [focusRequest, setFocusRequest] = useState<{ target: FocusTarget; round: number } | null>(null);
  const focusOn = (target: FocusTarget) => setFocusRequest((r) => ({ target, round: (r?.round ?? 0) + 1 }));
  useEffect(() => {
    if (!focusRequest) return;
    const element = {
      heading: heading.current,
      edit: editButton.current,
      emails: document.getElementById('sv-emails-heading'),
      schoolPeople: document.getElementById(SCHOOL_PEOPLE_HEADING_ID),
    }[focusRequest.target];
    element?.focus();
  }, [focusRequest]);
  /** After a change that took away the control pressed, focus goes to the visit's heading. */
  const focusHeading = () => focusOn('heading');
  // After a CONFLICT (changed elsewhere) the visit is fetched again in place: the card, and the
  // message saying what happened, stay where the partner is.
  const action = usePaneAction({
    announce,
    reload: () =>
      void api.request(VisitByIdQuery, { id: visit.id }).then(
        ({ visit: fresh }) => fresh && onChanged(fresh),
        () => undefined, // the message already says to check and try again
      ),
  });
  const [editing, setEditing] = useState(false);
  const rights = useAsync(async () => {
    const [{ agendaTemplates }, { me }] = await Promise.all([api.request(AgendaTemplatesQuery, {}), api.request(PaneMeQuery, {})]);
    return { templates: agendaTemplates, isManager: me?.role === 'MANAGER', meId: me?.id ?? null };
  }, [api]);
  const templates = rights.status === 'ready' ? rights.value.templates : [];
  const isManager = rights.status === 'ready' && rights.value.isManager;
  // Only the lead partner or a senior adviser may change a visit (the API refuses anyone else): nothing else is offered.
  const mayChange = rights.status === 'ready' && (isManager || rights.value.meId === visit.leadPartner.id);

  const organiser = appointment.surface === 'organiser';
  const moved = visit.status === 'BOOKED' && timesDiffer(visit, times);
  const past = new Date(visit.startsAt).getTime() < Date.now();
  const note = visit.note;
  const agendaEditable = mayChange && visit.status !== 'CANCELLED' && mayEditAgenda(visit.type, templates, isManager);
  const agendaFixed = mayChange && visit.status !== 'CANCELLED' && !agendaEditable;

  // A visit changed elsewhere (moved in Outlook and followed by calendar sync, its agenda edited in
  // Teams) leaves the agenda block in the body out of date, and the body is what the school reads:
  // the organiser's pane brings a block that is there up to date when it shows the visit.
  useEffect(() => {
    if (!organiser || visit.status === 'CANCELLED') return;
    appointment
      .bodyHtml()
      .then((body) => (hasAgendaBlock(body) ? rewriteAgendaBlock(appointment, visit) : undefined))
      .catch(() => undefined); // the body could not be read or written: the pane's own actions rewrite it later
    // Once per version of the visit: a later version has a later agenda.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [visit.id, visit.version, organiser]);

  /** A changed visit shown, and, for the organiser, its agenda block in the body brought up to date. */
  const changed = async (next: PaneVisit) => {
    if (organiser) await rewriteAgendaBlock(appointment, next);
    onChanged(next);
  };

  return (
    <section className="sv-stack" aria-label="The visit booked for this appointment">
      <Text weight="semibold" size={400} as="h2" ref={heading} tabIndex={-1}>
        {visitTypeLabel(visit.type)} - {visit.school.name}
      </Text>
      <Text>
        {formatDateTime(visit.startsAt)} · {visit.location ?? visit.school.address?.oneLine ?? 'no location'}
      </Text>
      <div className="sv-row">
        <Badge appearance="tint" color={visit.status === 'CANCELLED' ? 'danger' : 'brand'} data-testid="visit-status">
          Visit {visit.status.toLowerCase()}
        </Badge>
        {visit.expectsNote && (
          <Badge appearance="tint" color={note?.overdue ? 'danger' : 'informative'} data-testid="note-status">
            Note: {noteStatusLabel(note?.status)}
            {note?.overdue ? ' (late)' : ''}
          </Badge>
        )}
      </div>
      {visit.status === 'CANCELLED' && visit.cancellationReason && <Text>Cancelled: {visit.cancellationReason}</Text>}
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
              <Button
                size="small"
                disabledFocusable={!!action.busy}
                onClick={() =>
                  action.run('move', async () => {
                    const next = await moveVisitToAppointment(api, visit, times);
                    await changed(next);
                    focusHeading(); // the button pressed has gone with the warning
                    return `Visit moved to ${formatDateTime(next.startsAt)}; the agenda in the appointment now says so.`;
                  })
                }
              >
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
      {editing ? (
        <AgendaEditor
          visit={visit}
          busy={action.busy === 'agenda'}
          onClose={() => {
            setEditing(false);
            focusOn('edit');
          }}
          onSave={(items) =>
            void action.run('agenda', async () => {
              const { setAgenda } = await api.request(SetAgendaMutation, { visitId: visit.id, expectedVersion: visit.version, items });
              await changed(setAgenda);
              setEditing(false);
              focusOn('edit');
              return organiser ? 'Agenda saved, and rewritten in the appointment.' : 'Agenda saved.';
            })
          }
        />
      ) : visit.agenda.length ? (
        <ol className="sv-agenda" data-testid="agenda">
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
      {agendaFixed && <Text size={200}>This type of visit has a fixed agenda: only a senior adviser can change it.</Text>}
      <div className="sv-row">
        {agendaEditable && !editing && (
          <Button ref={editButton} onClick={() => setEditing(true)}>
            Edit the agenda
          </Button>
        )}
        {organiser && (
          <Button
            disabledFocusable={action.busy === 'attach'}
            onClick={() =>
              action.run('attach', async () => {
                const { name, attached } = await attachAgendaDocument(appointment, api, visit);
                return attached ? `Attached “${name}”.` : `“${name}” is already attached.`;
              })
            }
          >
            {action.busy === 'attach' ? 'Attaching…' : 'Attach agenda as Word'}
          </Button>
        )}
        {organiser && (
          <Button
            disabledFocusable={action.busy === 'attach-pdf'}
            onClick={() =>
              action.run('attach-pdf', async () => {
                const { name, attached } = await attachAgendaDocument(appointment, api, visit, 'pdf');
                return attached ? `Attached “${name}”.` : `“${name}” is already attached.`;
              })
            }
          >
            {action.busy === 'attach-pdf' ? 'Attaching…' : 'Attach agenda as PDF'}
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
      {rights.status === 'failed' && <ErrorMessage error={rights.error} onRetry={rights.reload} />}
      {mayChange && (
        <VisitActions
          api={api}
          appointment={appointment}
          visit={visit}
          past={past}
          templates={templates}
          isManager={isManager}
          action={action}
          onChanged={async (next, { focus }) => {
            await changed(next);
            if (focus === 'heading') focusHeading();
          }}
        />
      )}
      <VisitEmails
        visit={visit}
        mayRetry={mayChange}
        busy={!!action.busy}
        onRetry={(id) =>
          void action.run('retry', async () => {
            const { retryEmail } = await api.request(RetryEmailMutation, { id });
            onChanged({ ...visit, emails: visit.emails.map((e) => (e.id === id ? { ...e, ...retryEmail } : e)) });
            // The "Send again" pressed goes once the email has gone.
            focusOn('emails');
            return retryEmail.status === 'SENT' ? 'Email sent.' : 'Email queued to be sent again.';
          })
        }
      />
      {action.error !== undefined && <ErrorMessage error={action.error} />}
      <SchoolCard
        api={api}
        schoolId={visit.school.id}
        appointment={appointment}
        announce={announce}
        mayAddAttendees={organiser && visit.status !== 'CANCELLED'}
        onLoaded={(s) => (known.current = { headteacherEmail: s.headteacher?.email, chairOfGovernorsEmail: s.chairOfGovernors?.email })}
        // A booked visit takes the appointment's attendees now, as Outlook's attendees-changed handler would
        // (launch-events.ts): the headteacher then shows on the visit in their role.
        onAttendeesAdded={async () => {
          if (visit.status !== 'BOOKED' || !mayChange) return;
          onChanged(await updateVisitAttendees(appointment, api, visit, known.current));
          // The visit shown again must not take focus to its heading: it stays with the school's people.
          focusOn('schoolPeople');
        }}
      />
    </section>
  );
}
