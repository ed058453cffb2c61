import type { Event } from '@microsoft/microsoft-graph-types';
import type { Em } from '../platform/db/orm.js';

/**
 * The seam between reading partners' calendars (subscriptions, notifications, delta: the sync
 * mechanics) and what a calendar change does to visits (the visit rules). The mechanics read
 * Microsoft Graph and hand over changes; `CalendarVisits` decides what they mean for the record.
 */

/** Whose calendar a change was read from: a partner's mailbox. */
export interface Mailbox {
  partnerId: string;
  /** The partner's email address: the mailbox's user principal name in Graph. */
  email: string;
}

/**
 * One change read from a mailbox by delta: an event as Graph returns it (with the ids of
 * `Prefer: IdType="ImmutableId"`; its times in whatever zone Graph gave, Windows or IANA), or
 * its removal (`@removed` in a delta page carries only the id).
 */
export type CalendarChange = { kind: 'event'; event: Event } | { kind: 'removed'; eventId: string };

/** What applying changes did, for the log and the tests. */
export interface ApplySummary {
  moved: number;
  cancelled: number;
  /** Cancelled or deleted in Outlook while a note was started: kept and flagged to the partner. */
  flagged: number;
  attendeesChanged: number;
  /** Changes about events no visit was booked from, or that change nothing. */
  ignored: number;
}

/** A visit booked from an appointment that sync has not yet tied to its Graph event. */
export interface UnlinkedAppointment {
  visitId: string;
  /** The Office.js item id the pane sent at booking (an EWS id), to translate to an immutable id. */
  itemId: string;
}

export interface CalendarVisits {
  /** Visits booked from this mailbox's appointments (the partner leads them) that have no Graph event id yet. */
  unlinked(em: Em, mailbox: Mailbox): Promise<UnlinkedAppointment[]>;
  /**
   * The Graph event ids of the booked visits, led by this mailbox's partner, that start in
   * [from, to): after a full read of that window, those the read did not return were deleted
   * while sync was not following (an expired delta link, a new window).
   */
  linkedEventIds(em: Em, mailbox: Mailbox, from: Date, to: Date): Promise<string[]>;
  /**
   * Ties each visit to its Graph event (immutable id, iCal UID, series) and then applies the event
   * as a change (a move made before the link was found is not lost).
   */
  link(em: Em, mailbox: Mailbox, links: { visitId: string; event: Event }[], now: Date): Promise<ApplySummary>;
  /** Applies a mailbox's delta changes to the visits booked from those events, each visit in its own audited transaction. */
  apply(em: Em, mailbox: Mailbox, changes: CalendarChange[], now: Date): Promise<ApplySummary>;
}
