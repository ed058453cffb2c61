import { prefersContrast, type ThemeName } from '../shared/ui/theme.js';

/** The personal tabs of the Teams manifest (their entityId) and the hash routes of the tab page. */
/** The manifest's static tabs (addin/teams/manifest.json): quality assurance has its own two, so Teams users reach them. */
export type TabId = 'visits' | 'notes' | 'team' | 'quality' | 'shadowing';
export const TAB_IDS: TabId[] = ['visits', 'notes', 'team', 'quality', 'shadowing'];

/**
 * Where the tab runs:
 * - `teams`: inside Teams (teams-js initialised; context, theme and sign-in from the host);
 * - `simulated`: inside the development page /dev/teams, which plays the host over a
 *   small postMessage channel of our own (see SIMULATED_HOST below);
 * - `browser`: a plain browser tab (teams-js found no host): hash routes and the development sign-in.
 */
export interface TeamsHost {
  kind: 'teams' | 'simulated' | 'browser';
  /** The manifest entityId of the tab Teams opened (null in a plain browser). */
  pageId: TabId | null;
  /** The deep link's subEntityId: a visit id for the Notes tab. */
  subPageId: string | null;
  theme: ThemeName;
  onThemeChange(handler: (theme: ThemeName) => void): void;
}

/**
 * The simulated host's channel. The dev page loads the tab with
 * `?host=simulated&page=<entityId>&subPage=<id>&theme=<default|dark|contrast>` and posts
 * `{ type: 'sv-teams-theme', theme }` to the frame when the theme is switched. Only
 * messages from the parent window on the same origin are honoured.
 */
export const SIMULATED_HOST = { param: 'host', value: 'simulated', themeMessage: 'sv-teams-theme' } as const;

/** Teams' theme names (teams-js `app.Context.app.theme`) to ours. */
export function themeFromTeams(theme: string | undefined | null): ThemeName {
  if (prefersContrast()) return 'contrast';
  return theme === 'dark' ? 'dark' : theme === 'contrast' ? 'contrast' : 'light';
}

const asTab = (id: string | null | undefined): TabId | null => (TAB_IDS.includes(id as TabId) ? (id as TabId) : null);

function simulatedHost(params: URLSearchParams): TeamsHost {
  const handlers: ((t: ThemeName) => void)[] = [];
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent || event.origin !== window.location.origin) return;
    const data = event.data as { type?: string; theme?: string } | null;
    if (data?.type === SIMULATED_HOST.themeMessage) handlers.forEach((h) => h(themeFromTeams(data.theme)));
  });
  return {
    kind: 'simulated',
    pageId: asTab(params.get('page')),
    subPageId: params.get('subPage'),
    theme: themeFromTeams(params.get('theme')),
    onThemeChange: (h) => void handlers.push(h),
  };
}

function browserHost(params: URLSearchParams): TeamsHost {
  const dark = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  const handlers: ((t: ThemeName) => void)[] = [];
  dark?.addEventListener('change', () => handlers.forEach((h) => h(dark.matches ? 'dark' : 'light')));
  const asked = params.get('theme');
  return {
    kind: 'browser',
    pageId: null,
    subPageId: null,
    theme: asked ? themeFromTeams(asked) : prefersContrast() ? 'contrast' : dark?.matches ? 'dark' : 'light',
    onThemeChange: (h) => void handlers.push(h),
  };
}

/**
 * Finds the host. Outside Teams `app.initialize()` rejects within milliseconds ("No
 * Parent window found"): that is the plain-browser signal (Teams mobile runs tabs at
 * the top level too, so teams-js is always asked). It is loaded apart from the first
 * render's code, and not at all in the simulated frame.
 */
export async function connectHost(location: Location = window.location): Promise<TeamsHost> {
  const params = new URLSearchParams(location.search);
  if (params.get(SIMULATED_HOST.param) === SIMULATED_HOST.value && window.parent !== window) return simulatedHost(params);
  const { app } = await import('@microsoft/teams-js');
  try {
    await app.initialize();
  } catch {
    return browserHost(params);
  }
  const context = await app.getContext();
  const handlers: ((t: ThemeName) => void)[] = [];
  app.registerOnThemeChangeHandler((theme) => handlers.forEach((h) => h(themeFromTeams(theme))));
  app.notifySuccess();
  return {
    kind: 'teams',
    pageId: asTab(context.page.id),
    subPageId: context.page.subPageId || null,
    theme: themeFromTeams(context.app.theme),
    onThemeChange: (h) => void handlers.push(h),
  };
}
