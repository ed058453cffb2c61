import { Button, FluentProvider, MessageBar, MessageBarBody, Spinner, Text } from '@fluentui/react-components';
import { lazy, Suspense, useEffect, useState } from 'react';
import type { Session } from '../shared/session.js';
import { noteOfVisitLink } from '../shared/teams-app.js';
import { DevSignIn } from '../shared/ui/DevSignIn.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { fluentTheme, type ThemeName } from '../shared/ui/theme.js';
import { useAsync } from '../shared/ui/use-async.js';
import { appointmentSubject, findLinkedVisit, type PaneVisit } from './appointment-visit.js';
import { BookVisitForm } from './BookVisitForm.js';
import { LinkedVisit } from './LinkedVisit.js';
import type { AppointmentTimes, OutlookAppointment } from './office-adapter.js';
import type { Announce } from './use-pane-action.js';

// The note editor is the Teams app's (addin/src/shared/note-editor), loaded only when opened.
const NoteEditor = lazy(() => import('../shared/note-editor/NoteEditor.js').then((m) => ({ default: m.NoteEditor })));

/** Marks the first render with content, for the end-to-end run's time-to-first-render figure. */
function useFirstContent(ready: boolean) {
  useEffect(() => {
    if (ready && performance.getEntriesByName('sv-first-content').length === 0) performance.mark('sv-first-content');
  }, [ready]);
}

function PaneBody({
  session,
  appointment,
  signInRound,
  announce,
}: {
  session: Session;
  appointment: OutlookAppointment;
  signInRound: number;
  announce: Announce;
}) {
  const [booked, setBooked] = useState<PaneVisit | null>(null);
  const [noteOpen, setNoteOpen] = useState(false);
  const state = useAsync(async () => {
    const [times, visit] = await Promise.all([appointment.times(), findLinkedVisit(appointment, session.api)]);
    return { times, visit };
  }, [session, appointment, signInRound]);
  useFirstContent(state.status !== 'loading');

  if (state.status === 'loading') return <Spinner label="Looking for this appointment’s visit…" />;
  if (state.status === 'failed') return <ErrorMessage error={state.error} onRetry={state.reload} />;
  const times: AppointmentTimes = state.value.times;
  const visit = booked ?? state.value.visit;
  if (visit && noteOpen) {
    return (
      <section className="sv-stack" aria-label="Note of visit">
        <Button
          appearance="subtle"
          onClick={() => {
            setNoteOpen(false);
            setBooked(null);
            state.reload();
          }}
          style={{ alignSelf: 'flex-start' }}
        >
          ← Back to the visit
        </Button>
        <Suspense fallback={<Spinner label="Opening the note…" />}>
          <NoteEditor api={session.api} visitId={visit.id} />
        </Suspense>
      </section>
    );
  }
  if (visit) {
    return (
      <LinkedVisit
        api={session.api}
        appointment={appointment}
        times={times}
        visit={visit}
        onChanged={setBooked}
        announce={announce}
        noteLink={noteOfVisitLink(visit.id, session.config.signIn.kind === 'development')}
        onOpenNote={() => setNoteOpen(true)}
        focusOnShow={booked !== null}
      />
    );
  }
  if (appointment.surface === 'attendee') {
    return <Text>This appointment is not linked to a school visit. Its organiser books the visit from their copy.</Text>;
  }
  return (
    <BookVisitForm
      api={session.api}
      appointment={appointment}
      times={times}
      announce={announce}
      onBooked={(visit) => {
        setBooked(visit);
        announce(`Booked: ${appointmentSubject(visit.type, visit.school.name)}. The agenda is in the appointment.`);
      }}
    />
  );
}

export function TaskPaneApp({ session, appointment, theme }: { session: Session; appointment: OutlookAppointment; theme: ThemeName }) {
  const [signInRound, setSignInRound] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  return (
    // Fluent copies the provider's class names onto its portals (menus, listboxes), so the
    // page's own layout classes go on an inner element.
    <FluentProvider theme={fluentTheme(theme)} data-theme={theme}>
      <main className="sv-app sv-stack sv-pane">
        {/* Outlook's pane header shows the add-in's name; the one h1 says it to a screen reader. */}
        <h1 className="sv-visually-hidden">School visits</h1>
        {session.config.signIn.kind === 'development' && <DevSignIn onChange={() => setSignInRound((n) => n + 1)} />}
        {/* One live region for the whole pane, there from the start so every success is read out (WCAG 4.1.3). */}
        <div role="status" aria-live="polite" data-testid="announcement">
          {announcement && (
            <MessageBar intent="success">
              <MessageBarBody>{announcement}</MessageBarBody>
            </MessageBar>
          )}
        </div>
        <PaneBody session={session} appointment={appointment} signInRound={signInRound} announce={setAnnouncement} />
      </main>
    </FluentProvider>
  );
}
