import { randomBytes } from 'node:crypto';
import type { Event } from '@microsoft/microsoft-graph-types';
import { graphError, type Mailboxes, type RenderOptions } from './mailboxes.js';

/**
 * Event delta on a calendar view (learn.microsoft.com/graph/delta-query-events): a round is
 * one or more pages linked by `@odata.nextLink` ($skiptoken) and closed by an
 * `@odata.deltaLink` ($deltatoken). Following a delta link returns what was added, changed
 * or removed in the window since that link was issued; removals come as
 * `{ "@removed": { "reason": "deleted" }, id }`. The window (startDateTime, endDateTime) is
 * fixed by the round's first request and carried by every link after it.
 */
const DEFAULT_PAGE_SIZE = 10;

type DeltaItem = Event | { '@odata.type': string; id: string; '@removed': { reason: 'deleted' } };

interface Round {
  user: string;
  from: Date;
  to: Date;
  /** What the client has once it has read the round: item key → changeKey. */
  seen: Map<string, string>;
}

interface Paging extends Round {
  items: DeltaItem[];
  offset: number;
  pageSize: number;
}

export interface DeltaPage {
  value: DeltaItem[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

export class DeltaQueries {
  private readonly pages = new Map<string, Paging>();
  private readonly rounds = new Map<string, Round & { expired: boolean }>();

  constructor(private readonly mailboxes: Mailboxes) {}

  /** Every delta link issued so far answers 410 Gone from now on. */
  expireAll(): void {
    for (const round of this.rounds.values()) round.expired = true;
  }

  /** One page of `GET /users/{id}/calendarView/delta` (query: the request's parameters). */
  page(userRef: string, query: URLSearchParams, linkBase: string, options: RenderOptions & { pageSize?: number }): DeltaPage {
    const user = this.mailboxes.user(userRef).id;
    const skipToken = query.get('$skiptoken');
    if (skipToken) {
      const paging = this.pages.get(skipToken);
      if (!paging || paging.user !== user)
        throw graphError(
          400,
          'ErrorInvalidUrlQuery',
          "The following parameters are not supported with change tracking over the 'CalendarView' resource: '$skiptoken'.",
        );
      this.pages.delete(skipToken);
      return this.serve(paging, linkBase);
    }
    const deltaToken = query.get('$deltatoken');
    let round: Round;
    if (deltaToken) {
      const found = this.rounds.get(deltaToken);
      if (!found || found.user !== user) throw graphError(400, 'ErrorInvalidUrlQuery', 'The delta token is not valid.');
      if (found.expired)
        throw graphError(410, 'syncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.');
      round = found;
    } else {
      const from = parseInstant(query.get('startDateTime'));
      const to = parseInstant(query.get('endDateTime'));
      if (!from || !to) {
        throw graphError(
          400,
          'ErrorInvalidParameter',
          'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
        );
      }
      if (to <= from) throw graphError(400, 'ErrorInvalidParameter', 'The EndDateTime must be after the StartDateTime.');
      round = { user, from, to, seen: new Map() };
    }
    const now = this.mailboxes.view(user, round.from, round.to);
    const items: DeltaItem[] = [];
    const seen = new Map<string, string>();
    for (const item of now) {
      seen.set(item.key, item.changeKey);
      // Delta pages name each event's type, as Graph's do.
      if (round.seen.get(item.key) !== item.changeKey) items.push({ '@odata.type': '#microsoft.graph.event', ...item.render(options) });
    }
    for (const key of round.seen.keys()) {
      if (!seen.has(key))
        items.push({ '@odata.type': '#microsoft.graph.event', id: this.mailboxes.idFor(key, options.idForm), '@removed': { reason: 'deleted' } });
    }
    const pageSize = Math.max(1, options.pageSize ?? DEFAULT_PAGE_SIZE);
    return this.serve({ user, from: round.from, to: round.to, seen, items, offset: 0, pageSize }, linkBase);
  }

  private serve(paging: Paging, linkBase: string): DeltaPage {
    const value = paging.items.slice(paging.offset, paging.offset + paging.pageSize);
    const offset = paging.offset + value.length;
    if (offset < paging.items.length) {
      const token = newToken();
      this.pages.set(token, { ...paging, offset });
      return { value, '@odata.nextLink': `${linkBase}?$skiptoken=${token}` };
    }
    const token = newToken();
    this.rounds.set(token, { user: paging.user, from: paging.from, to: paging.to, seen: paging.seen, expired: false });
    return { value, '@odata.deltaLink': `${linkBase}?$deltatoken=${token}` };
  }
}

function parseInstant(text: string | null): Date | undefined {
  if (!text) return undefined;
  // Graph reads an instant without an offset as UTC.
  const at = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

const newToken = (): string => randomBytes(24).toString('base64url');
