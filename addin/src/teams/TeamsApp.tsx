import { FluentProvider, Link, Spinner, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { Session } from '../shared/session.js';
import { DevSignIn } from '../shared/ui/DevSignIn.js';
import { ErrorMessage } from '../shared/ui/ErrorMessage.js';
import { fluentTheme, type ThemeName } from '../shared/ui/theme.js';
import { useAsync } from '../shared/ui/use-async.js';
import { academicYearOf, londonToday } from './dates.js';
import { MyVisits } from './MyVisits.js';
import { NotificationSettings } from './NotificationSettings.js';
import { NotesTab } from './NotesTab.js';
import { PartnerCalendar } from './PartnerCalendar.js';
import { routeFromHost, routeHref, useHashRoute, type Route } from './router.js';
import { SchoolPage } from './SchoolPage.js';
import { MeQuery } from './teams.documents.js';
import type { TeamsHost } from './teams-host.js';
import { TeamTab } from './TeamTab.js';
import { QualityTab } from './QualityTab.js';
import { MentorReviewPage } from '../shared/note-editor/MentorReview.js';
import { ShadowingTab } from './ShadowingTab.js';

function useHostTheme(host: TeamsHost): ThemeName {
  const [theme, setTheme] = useState(host.theme);
  useEffect(() => host.onThemeChange(setTheme), [host]);
  return theme;
}

/** Marks the first render with content, for the end-to-end run's time-to-first-render figure. */
function useFirstContent(ready: boolean) {
  useEffect(() => {
    if (ready && performance.getEntriesByName('sv-first-content').length === 0) performance.mark('sv-first-content');
  }, [ready]);
}

const TAB_LABELS = {
  visits: 'My visits',
  notes: 'Notes',
  team: 'Team',
  quality: 'Quality',
  shadowing: 'Shadowing',
  review: 'Mentor review',
  school: 'School',
  calendar: 'Term calendar',
  notifications: 'Notifications',
} as const;

function Body({ session, route, signInRound }: { session: Session; route: Route; signInRound: number }) {
  const academicYear = academicYearOf(londonToday());
  const state = useAsync(() => session.api.request(MeQuery, { academicYear }), [session, academicYear, signInRound]);
  useFirstContent(state.status !== 'loading');
  if (state.status === 'loading') return <Spinner label="Signing you in…" />;
  if (state.status === 'failed') return <ErrorMessage error={state.error} onRetry={state.reload} />;
  const me = state.value.me;
  if (!me) return <Text>This app is for the council’s partners and senior advisers.</Text>;
  const terms = state.value.termCalendar?.terms ?? [];
  if (route.tab === 'visits') return <MyVisits api={session.api} me={me} terms={terms} />;
  if (route.tab === 'notes') return <NotesTab api={session.api} me={me} visitId={route.visitId} />;
  if (route.tab === 'quality') return <QualityTab api={session.api} me={me} academicYear={academicYear} />;
  if (route.tab === 'review') return <MentorReviewPage api={session.api} noteId={route.noteId} backHref={routeHref({ tab: 'notes', visitId: null })} />;
  if (route.tab === 'shadowing') return <ShadowingTab api={session.api} me={me} academicYear={academicYear} />;
  if (route.tab === 'school')
    return <SchoolPage key={route.schoolId} api={session.api} schoolId={route.schoolId} academicYear={academicYear} manager={me.role === 'MANAGER'} />;
  if (route.tab === 'calendar') return <PartnerCalendar key={route.partnerId} api={session.api} partnerId={route.partnerId} day={route.day} />;
  if (route.tab === 'notifications') return <NotificationSettings api={session.api} />;
  return <TeamTab api={session.api} me={me} academicYear={academicYear} />;
}

/** The Teams app's tab page: which tab from the host (or the hash), the theme from the host, the sign-in from the session. */
export function TeamsApp({ session, host }: { session: Session; host: TeamsHost }) {
  const theme = useHostTheme(host);
  const route = useHashRoute(routeFromHost(host.pageId, host.subPageId));
  const [signInRound, setSignInRound] = useState(0);
  const development = session.config.signIn.kind === 'development';
  return (
    // Fluent copies the provider's class names onto its portals (the sign-in dropdown's listbox):
    // a page class there (full height, opaque background) covers the page, so it goes on an inner element.
    <FluentProvider theme={fluentTheme(theme)} data-theme={theme} data-host={host.kind}>
      <div className="sv-app">
        {host.kind === 'browser' && (
          <nav className="sv-nav" aria-label="School visits">
            {(['visits', 'notes', 'team', 'quality', 'shadowing', 'notifications'] as const).map((tab) => (
              <Link
                key={tab}
                href={routeHref(tab === 'notes' ? { tab, visitId: null } : { tab })}
                aria-current={route.tab === tab ? 'page' : undefined}
                className="sv-nav-link"
              >
                {TAB_LABELS[tab]}
              </Link>
            ))}
          </nav>
        )}
        <main className="sv-stack sv-pane sv-tab">
          {/* The host (Teams, or the browser's tab) shows the app's name; the one h1 names the app and the tab for a screen reader. */}
          <h1 className="sv-visually-hidden">School visits: {TAB_LABELS[route.tab]}</h1>
          {development && host.kind !== 'teams' && <DevSignIn onChange={() => setSignInRound((n) => n + 1)} />}
          <Body session={session} route={route} signInRound={signInRound} />
          {/* Teams shows the tabs itself; the settings are a page of their own, reached from every tab. */}
          {host.kind !== 'browser' && route.tab !== 'notifications' && (
            <Link href={routeHref({ tab: 'notifications' })} className="sv-settings-link">
              Notification settings
            </Link>
          )}
        </main>
      </div>
    </FluentProvider>
  );
}
