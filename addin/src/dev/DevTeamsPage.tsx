import { Button, FluentProvider, Input, Select, Field, Text, webLightTheme, webDarkTheme, teamsHighContrastTheme } from '@fluentui/react-components';
import { useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import '../shared/ui/base.css';
import { SIMULATED_HOST, type TabId } from '../teams/teams-host.js';

/**
 * Development only (/dev/teams): the Teams tab in a simulated Teams frame. The frame
 * plays the host: it opens the tab with `?host=simulated&page=<entityId>&subPage=<visit id>&theme=`
 * (what teams-js `app.getContext()` gives in Teams) and posts theme changes to it
 * (what `registerOnThemeChangeHandler` delivers). teams-js itself is not involved:
 * inside a foreign frame it would wait, until its own timeout, for a host that never answers.
 */
type TeamsTheme = 'default' | 'dark' | 'contrast';
const TABS: { id: TabId; label: string }[] = [
  { id: 'visits', label: 'My visits' },
  { id: 'notes', label: 'Notes' },
  { id: 'team', label: 'Team' },
];

function tabUrl(page: TabId, subPage: string, theme: TeamsTheme): string {
  const q = new URLSearchParams({ [SIMULATED_HOST.param]: SIMULATED_HOST.value, page, theme });
  if (subPage) q.set('subPage', subPage);
  return `/addin/teams/tab.html?${q}`;
}

function DevTeamsPage() {
  const start = new URLSearchParams(location.search);
  const [page, setPage] = useState<TabId>((start.get('page') as TabId) || 'visits');
  const [subPage, setSubPage] = useState(start.get('subPage') ?? '');
  const [theme, setTheme] = useState<TeamsTheme>((start.get('theme') as TeamsTheme) || 'default');
  // The frame's address changes with the tab only: a theme change is a message, as in Teams.
  const [src, setSrc] = useState(() => tabUrl(page, subPage, theme));
  const frame = useRef<HTMLIFrameElement>(null);

  const open = (next: TabId, nextSub = '') => {
    setPage(next);
    setSubPage(nextSub);
    setSrc(tabUrl(next, nextSub, theme));
  };
  const changeTheme = (next: TeamsTheme) => {
    setTheme(next);
    frame.current?.contentWindow?.postMessage({ type: SIMULATED_HOST.themeMessage, theme: next }, location.origin);
  };
  const chrome = theme === 'dark' ? webDarkTheme : theme === 'contrast' ? teamsHighContrastTheme : webLightTheme;

  return (
    // The page class goes inside the provider: Fluent copies the provider's classes onto its popups' layer.
    <FluentProvider theme={chrome}>
      <div className="sv-app dev-teams">
        <header className="dev-teams-bar">
          <Text as="h1" weight="semibold" size={400} style={{ margin: 0 }}>
            School visits (simulated Teams)
          </Text>
          <Field label="Teams theme" orientation="horizontal">
            <Select value={theme} onChange={(_e, d) => changeTheme(d.value as TeamsTheme)} data-testid="teams-theme">
              <option value="default">Light (default)</option>
              <option value="dark">Dark</option>
              <option value="contrast">High contrast</option>
            </Select>
          </Field>
        </header>
        <nav className="dev-teams-tabs" aria-label="App tabs">
          {TABS.map((t) => (
            <Button key={t.id} appearance={t.id === page && !subPage ? 'primary' : 'subtle'} onClick={() => open(t.id)} aria-pressed={t.id === page}>
              {t.label}
            </Button>
          ))}
          <form
            className="dev-teams-deeplink"
            onSubmit={(e) => {
              e.preventDefault();
              const id = new FormData(e.currentTarget).get('visitId');
              if (typeof id === 'string' && id.trim()) open('notes', id.trim());
            }}
          >
            <Field label="Deep link to a visit's note (visit id)">
              <Input name="visitId" defaultValue={subPage} />
            </Field>
            <Button type="submit">Open</Button>
          </form>
        </nav>
        <iframe ref={frame} key={src} src={src} title="School visits tab" className="dev-teams-frame" data-testid="teams-frame" />
      </div>
      <style>{`
        .dev-teams { display: grid; grid-template-rows: auto 1fr; grid-template-columns: 220px 1fr; height: 100vh; }
        .dev-teams-bar { grid-column: 1 / -1; display: flex; justify-content: space-between; align-items: center; padding: 6px 12px; background: #464775; color: #fff; }
        .dev-teams-bar label { color: #fff; }
        .dev-teams-tabs { display: flex; flex-direction: column; gap: 6px; padding: 8px; border-right: 1px solid #ccc; }
        .dev-teams-deeplink { display: flex; flex-direction: column; gap: 4px; margin-top: 16px; }
        .dev-teams-frame { width: 100%; height: 100%; border: 0; }
      `}</style>
    </FluentProvider>
  );
}

createRoot(document.getElementById('root')!).render(<DevTeamsPage />);
