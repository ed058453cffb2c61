import { useEffect, useState } from 'react';
import type { TabId } from './teams-host.js';

/**
 * Hash routes (no history API: Office and Teams hosts do not like it): #/visits, #/notes, #/notes/<visitId>, #/team,
 * #/quality (sampling and feedback on notes), #/review/<noteId> (a mentor reading a new partner's first note),
 * #/shadowing (shadowing visits and headteachers' feedback), #/schools/<id> (a school's page) and
 * #/partners/<id>/calendar[/<a day in the term>] (a partner's term as a calendar),
 * #/notifications (what a person is told, and how).
 */
export type Route =
  | { tab: 'visits' }
  | { tab: 'notes'; visitId: string | null }
  | { tab: 'team' }
  | { tab: 'quality' }
  | { tab: 'review'; noteId: string }
  | { tab: 'shadowing' }
  // a school's page (#/schools/<id>) and a partner's term as a calendar (#/partners/<id>/calendar[/<a day in the term>])
  | { tab: 'school'; schoolId: string }
  | { tab: 'calendar'; partnerId: string; day: string | null }
  | { tab: 'notifications' };

export function parseRoute(hash: string): Route | null {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'visits') return { tab: 'visits' };
  if (parts[0] === 'team') return { tab: 'team' };
  if (parts[0] === 'shadowing') return { tab: 'shadowing' };
  if (parts[0] === 'notifications') return { tab: 'notifications' };
  if (parts[0] === 'notes') return { tab: 'notes', visitId: parts[1] ?? null };
  if (parts[0] === 'quality') return { tab: 'quality' };
  if (parts[0] === 'review' && parts[1]) return { tab: 'review', noteId: parts[1] };
  if (parts[0] === 'schools' && parts[1]) return { tab: 'school', schoolId: parts[1] };
  if (parts[0] === 'partners' && parts[1] && parts[2] === 'calendar')
    return { tab: 'calendar', partnerId: parts[1], day: /^\d{4}-\d{2}-\d{2}$/.test(parts[3] ?? '') ? parts[3]! : null };
  return null;
}

export function routeHref(route: Route): string {
  if (route.tab === 'notes' && route.visitId) return `#/notes/${encodeURIComponent(route.visitId)}`;
  if (route.tab === 'review') return `#/review/${encodeURIComponent(route.noteId)}`;
  if (route.tab === 'school') return `#/schools/${encodeURIComponent(route.schoolId)}`;
  if (route.tab === 'calendar') return `#/partners/${encodeURIComponent(route.partnerId)}/calendar${route.day ? `/${route.day}` : ''}`;
  return `#/${route.tab}`;
}

/** The route the host asked for (Teams tab and deep link), used when the hash says nothing. */
export function routeFromHost(pageId: TabId | null, subPageId: string | null): Route {
  if (subPageId) return { tab: 'notes', visitId: subPageId };
  if (pageId === 'notes') return { tab: 'notes', visitId: null };
  if (pageId === 'team') return { tab: 'team' };
  if (pageId === 'quality') return { tab: 'quality' };
  if (pageId === 'shadowing') return { tab: 'shadowing' };
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
