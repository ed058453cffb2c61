import { useEffect, useState } from 'react';
import type { TabId } from './teams-host.js';

/** Hash routes (no history API: Office and Teams hosts do not like it): #/visits, #/notes, #/notes/<visitId>, #/team, #/notifications. */
export type Route = { tab: 'visits' } | { tab: 'notes'; visitId: string | null } | { tab: 'team' } | { tab: 'notifications' };

export function parseRoute(hash: string): Route | null {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'visits') return { tab: 'visits' };
  if (parts[0] === 'team') return { tab: 'team' };
  if (parts[0] === 'notifications') return { tab: 'notifications' };
  if (parts[0] === 'notes') return { tab: 'notes', visitId: parts[1] ?? null };
  return null;
}

export function routeHref(route: Route): string {
  if (route.tab === 'notes' && route.visitId) return `#/notes/${encodeURIComponent(route.visitId)}`;
  return `#/${route.tab}`;
}

/** The route the host asked for (Teams tab and deep link), used when the hash says nothing. */
export function routeFromHost(pageId: TabId | null, subPageId: string | null): Route {
  if (subPageId) return { tab: 'notes', visitId: subPageId };
  if (pageId === 'notes') return { tab: 'notes', visitId: null };
  if (pageId === 'team') return { tab: 'team' };
  return { tab: 'visits' };
}

export function useHashRoute(fallback: Route): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash) ?? fallback;
}
