import { randomBytes, randomUUID } from 'node:crypto';
import type { Attendee, DateTimeTimeZone, Event, ItemBody, PatternedRecurrence, Recipient } from '@microsoft/microsoft-graph-types';
import { idOf, keyOf, type IdForm } from './event-ids.js';
import { occurrenceDates } from './recurrence.js';
import { ianaZone, instantToWall, isWallTime, wallToInstant } from './time-zones.js';

/**
 * The mailboxes' calendars: what Outlook keeps for each user, and what each change does.
 * Single events and series masters are stored; occurrences are computed from a master's
 * recurrence, with the occurrences moved or edited kept as exceptions and the removed ones
 * remembered. A meeting with attendees who are stand-in users is copied into their
 * calendars (same iCalUId, their own ids), as Exchange delivers it.
 */
export interface GraphStandInUser {
  id: string;
  mail: string;
  displayName: string;
}

export interface StandInError extends Error {
  status: number;
  code: string;
}

export function graphError(status: number, code: string, message: string): StandInError {
  return Object.assign(new Error(message), { status, code });
}

interface OccurrenceChange {
  /** What the occurrence says differently from its master. */
  patch: Partial<Event>;
  changeKey: string;
  lastModifiedDateTime: string;
}

interface StoredEvent {
  key: string;
  mailbox: GraphStandInUser;
  /** Shared by the organiser's event and the attendees' copies. */
  meetingId: string;
  subject: string;
  body: ItemBody;
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  isAllDay: boolean;
  location: string;
  showAs: NonNullable<Event['showAs']>;
  organizer: Recipient;
  attendees: Attendee[];
  isOrganizer: boolean;
  recurrence: PatternedRecurrence | null;
  isCancelled: boolean;
  createdDateTime: string;
  lastModifiedDateTime: string;
  changeKey: string;
  /** The occurrences' changeKey and time: changed by edits to the whole series, not by one occurrence's. */
  seriesChangeKey: string;
  seriesModifiedDateTime: string;
  exceptions: Map<string, OccurrenceChange>;
  removedOccurrences: Set<string>;
}

/** One item of a calendar view: a single instance, an occurrence or an exception. */
export interface ViewItem {
  key: string;
  changeKey: string;
  startsAt: Date;
  render(options: RenderOptions): Event;
}

export interface RenderOptions {
  idForm: 'rest' | 'immutable';
  /** The zone asked for with `Prefer: outlook.timezone`; UTC otherwise, as Graph answers. */
  zone?: string;
}

/** A change Outlook made, as a subscription sees it. */
export interface MailboxChange {
  user: GraphStandInUser;
  key: string;
  changeType: 'created' | 'updated' | 'deleted';
  changeKey: string;
}

const newChangeKey = (): string => randomBytes(12).toString('base64');
export const OCCURRENCE_SEPARATOR = '~';

function dateTimeOf(value: DateTimeTimeZone | null | undefined, what: string): DateTimeTimeZone {
  if (!value || !isWallTime(value.dateTime) || !value.timeZone || !ianaZone(value.timeZone)) {
    throw graphError(400, 'ErrorInvalidRequest', `${what} must be a dateTimeTimeZone with a known time zone.`);
  }
  return { dateTime: value.dateTime.slice(0, 19), timeZone: value.timeZone };
}

const instantOf = (value: DateTimeTimeZone): Date => wallToInstant(value.dateTime!, value.timeZone!);

export class Mailboxes {
  private readonly events = new Map<string, StoredEvent>();
  private readonly listeners: ((change: MailboxChange) => void)[] = [];

  constructor(
    readonly users: GraphStandInUser[],
    private readonly now: () => Date,
  ) {}

  onChange(listener: (change: MailboxChange) => void): void {
    this.listeners.push(listener);
  }

  user(idOrMail: string): GraphStandInUser {
    const wanted = decodeURIComponent(idOrMail).toLowerCase();
    const user = this.users.find((u) => u.id.toLowerCase() === wanted || u.mail.toLowerCase() === wanted);
    if (!user) throw graphError(404, 'ErrorInvalidUser', `The requested user '${idOrMail}' is invalid.`);
    return user;
  }

  private emit(event: StoredEvent, changeType: MailboxChange['changeType']): void {
    for (const listener of this.listeners) listener({ user: event.mailbox, key: event.key, changeType, changeKey: event.changeKey });
  }

  private touch(event: StoredEvent): void {
    event.changeKey = newChangeKey();
    event.lastModifiedDateTime = this.now().toISOString();
  }

  // --- What Outlook does -------------------------------------------------------------------

  create(userRef: string, input: Partial<Event>): Event {
    const user = this.user(userRef);
    const start = dateTimeOf(input.start, 'start');
    const end = dateTimeOf(input.end, 'end');
    if (instantOf(end) < instantOf(start)) throw graphError(400, 'ErrorInvalidRequest', 'The end of an event must not be before its start.');
    if (input.recurrence) {
      // Throws for a pattern the stand-in does not expand, before anything is stored.
      occurrenceDates(input.recurrence, input.recurrence.range?.startDate ?? start.dateTime!.slice(0, 10));
    }
    const at = this.now().toISOString();
    const organizer: Recipient = { emailAddress: { name: user.displayName, address: user.mail } };
    const meetingId = randomUUID();
    const attendees = (input.attendees ?? []).map((a) => ({
      type: a.type ?? 'required',
      status: { response: 'none' as const, time: '0001-01-01T00:00:00Z' },
      emailAddress: { name: a.emailAddress?.name ?? a.emailAddress?.address ?? '', address: a.emailAddress?.address ?? '' },
    }));
    const base = {
      meetingId,
      subject: input.subject ?? '',
      body: { contentType: input.body?.contentType ?? 'html', content: input.body?.content ?? '' },
      start,
      end,
      isAllDay: input.isAllDay ?? false,
      location: input.location?.displayName ?? '',
      showAs: input.showAs ?? 'busy',
      organizer,
      attendees,
      recurrence: input.recurrence ?? null,
      isCancelled: false,
      createdDateTime: at,
      lastModifiedDateTime: at,
      seriesChangeKey: newChangeKey(),
      seriesModifiedDateTime: at,
    };
    const stored: StoredEvent = {
      ...base,
      key: `ev:${randomUUID()}`,
      mailbox: user,
      isOrganizer: true,
      changeKey: newChangeKey(),
      exceptions: new Map(),
      removedOccurrences: new Set(),
    };
    this.events.set(stored.key, stored);
    this.emit(stored, 'created');
    for (const attendee of attendees) {
      const invited = this.users.find((u) => u.mail.toLowerCase() === attendee.emailAddress.address.toLowerCase() && u.id !== user.id);
      if (!invited) continue;
      const copy: StoredEvent = {
        ...structuredClone(base),
        key: `ev:${randomUUID()}`,
        mailbox: invited,
        isOrganizer: false,
        changeKey: newChangeKey(),
        exceptions: new Map(),
        removedOccurrences: new Set(),
      };
      this.events.set(copy.key, copy);
      this.emit(copy, 'created');
    }
    return this.render(stored.key, { idForm: 'rest' });
  }

  update(userRef: string, eventId: string, patch: Partial<Event>): Event {
    const { stored, date } = this.find(userRef, eventId);
    for (const copy of this.copiesOf(stored)) {
      if (date) this.updateOccurrence(copy, date, patch);
      else this.updateWhole(copy, patch);
      this.emit(copy, 'updated');
    }
    return this.render(date ? `${stored.key}${OCCURRENCE_SEPARATOR}${date}` : stored.key, { idForm: 'rest' });
  }

  private updateWhole(event: StoredEvent, patch: Partial<Event>): void {
    if (patch.subject !== undefined) event.subject = patch.subject ?? '';
    if (patch.body) event.body = { contentType: patch.body.contentType ?? 'html', content: patch.body.content ?? '' };
    if (patch.start) event.start = dateTimeOf(patch.start, 'start');
    if (patch.end) event.end = dateTimeOf(patch.end, 'end');
    if (patch.location) event.location = patch.location.displayName ?? '';
    if (patch.showAs) event.showAs = patch.showAs;
    if (patch.isAllDay !== undefined) event.isAllDay = patch.isAllDay ?? false;
    if (patch.recurrence !== undefined) {
      if (patch.recurrence) occurrenceDates(patch.recurrence, patch.recurrence.range?.startDate ?? event.start.dateTime!.slice(0, 10));
      event.recurrence = patch.recurrence ?? null;
      event.exceptions.clear(); // Outlook drops the exceptions of a series whose pattern changes
      event.removedOccurrences.clear();
    }
    this.touch(event);
    event.seriesChangeKey = event.changeKey;
    event.seriesModifiedDateTime = event.lastModifiedDateTime;
  }

  private updateOccurrence(master: StoredEvent, date: string, patch: Partial<Event>): void {
    const previous = master.exceptions.get(date)?.patch ?? {};
    const merged: Partial<Event> = { ...previous };
    if (patch.subject !== undefined) merged.subject = patch.subject;
    if (patch.body) merged.body = patch.body;
    if (patch.start) merged.start = dateTimeOf(patch.start, 'start');
    if (patch.end) merged.end = dateTimeOf(patch.end, 'end');
    if (patch.location) merged.location = patch.location;
    if (patch.showAs) merged.showAs = patch.showAs;
    const at = this.now().toISOString();
    master.exceptions.set(date, { patch: merged, changeKey: newChangeKey(), lastModifiedDateTime: at });
    this.touch(master); // Exchange keeps exceptions with their master: the master changes too
  }

  /**
   * The organiser cancels: the organiser's event leaves their calendar (Graph's event: cancel
   * deletes it there), and each attendee's copy stays, marked isCancelled, until the attendee
   * removes it. Cancelling one occurrence removes that occurrence from every copy's series.
   */
  cancel(userRef: string, eventId: string): void {
    const { stored, date } = this.find(userRef, eventId);
    if (!stored.isOrganizer) throw graphError(400, 'ErrorInvalidRequest', "Your request can't be completed. You need to be an organizer to cancel a meeting.");
    for (const copy of this.copiesOf(stored)) {
      if (date) {
        copy.removedOccurrences.add(date);
        copy.exceptions.delete(date);
        this.touch(copy);
        this.emit(copy, 'updated');
      } else if (copy.isOrganizer) {
        this.events.delete(copy.key);
        this.touch(copy);
        this.emit(copy, 'deleted');
      } else {
        copy.isCancelled = true;
        copy.subject = `Canceled: ${copy.subject}`;
        this.touch(copy);
        copy.seriesChangeKey = copy.changeKey;
        copy.seriesModifiedDateTime = copy.lastModifiedDateTime;
        this.emit(copy, 'updated');
      }
    }
  }

  /** Deletes the event from this mailbox only (an attendee removing a cancelled meeting, or the organiser deleting without notice). */
  delete(userRef: string, eventId: string): void {
    const { stored, date } = this.find(userRef, eventId);
    if (date) {
      stored.removedOccurrences.add(date);
      stored.exceptions.delete(date);
      this.touch(stored);
      this.emit(stored, 'updated');
      return;
    }
    this.events.delete(stored.key);
    this.touch(stored);
    this.emit(stored, 'deleted');
  }

  private copiesOf(event: StoredEvent): StoredEvent[] {
    if (!event.isOrganizer) return [event];
    return [...this.events.values()].filter((e) => e.meetingId === event.meetingId);
  }

  // --- Reading ----------------------------------------------------------------------------

  /** The stored event (master or single) an id names in this mailbox, and the occurrence date if it names one. */
  find(userRef: string, eventId: string): { stored: StoredEvent; date?: string } {
    const user = this.user(userRef);
    const key = keyOf(eventId);
    const [masterKey, date] = (key ?? '').split(OCCURRENCE_SEPARATOR);
    const stored = masterKey ? this.events.get(masterKey) : undefined;
    if (!stored || stored.mailbox.id !== user.id || (date && !this.occurrenceExists(stored, date))) {
      throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    }
    return date ? { stored, date } : { stored };
  }

  /** The key of the item (single, master or occurrence) an id names in this mailbox. */
  itemKey(userRef: string, eventId: string): string {
    const { stored, date } = this.find(userRef, eventId);
    return date ? `${stored.key}${OCCURRENCE_SEPARATOR}${date}` : stored.key;
  }

  private occurrenceExists(master: StoredEvent, date: string): boolean {
    if (!master.recurrence || master.removedOccurrences.has(date)) return false;
    return occurrenceDates(master.recurrence, date).includes(date);
  }

  render(key: string, options: RenderOptions): Event {
    const [masterKey, date] = key.split(OCCURRENCE_SEPARATOR);
    const stored = this.events.get(masterKey!);
    if (!stored) throw graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
    return date ? this.renderOccurrence(stored, date, options) : this.renderStored(stored, options);
  }

  /** Everything in the mailbox's calendar (singles and masters), as the development page lists it. */
  list(userRef: string, options: RenderOptions): Event[] {
    const user = this.user(userRef);
    return [...this.events.values()].filter((e) => e.mailbox.id === user.id).map((e) => this.renderStored(e, options));
  }

  /** The calendar view of [from, to): single instances, occurrences and exceptions, no series masters. */
  view(userRef: string, from: Date, to: Date): ViewItem[] {
    const user = this.user(userRef);
    const items: ViewItem[] = [];
    const overlaps = (s: Date, e: Date): boolean => s < to && (e > from || (e.getTime() === s.getTime() && s >= from));
    for (const stored of this.events.values()) {
      if (stored.mailbox.id !== user.id) continue;
      if (!stored.recurrence) {
        const s = instantOf(stored.start);
        if (overlaps(s, instantOf(stored.end))) {
          items.push({ key: stored.key, changeKey: stored.changeKey, startsAt: s, render: (o) => this.renderStored(stored, o) });
        }
        continue;
      }
      const until = new Date(to.getTime() + 86_400_000).toISOString().slice(0, 10);
      for (const date of occurrenceDates(stored.recurrence, until)) {
        if (stored.removedOccurrences.has(date)) continue;
        const { start, end } = this.occurrenceTimes(stored, date);
        if (!overlaps(instantOf(start), instantOf(end))) continue;
        const key = `${stored.key}${OCCURRENCE_SEPARATOR}${date}`;
        const exception = stored.exceptions.get(date);
        items.push({
          key,
          // An occurrence changes whenever its master does; an exception also when it is edited itself.
          changeKey: exception ? `${stored.seriesChangeKey}.${exception.changeKey}` : stored.seriesChangeKey,
          startsAt: instantOf(start),
          render: (o) => this.renderOccurrence(stored, date, o),
        });
      }
    }
    return items.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.key.localeCompare(b.key));
  }

  private occurrenceTimes(master: StoredEvent, date: string): { start: DateTimeTimeZone; end: DateTimeTimeZone; originalStart: Date } {
    const zone = master.recurrence?.range?.recurrenceTimeZone || master.start.timeZone!;
    const masterStart = instantOf(master.start);
    const duration = instantOf(master.end).getTime() - masterStart.getTime();
    const timeOfDay = instantToWall(masterStart, zone).slice(10, 19);
    const originalStart = wallToInstant(`${date}${timeOfDay}`, zone);
    const patch = master.exceptions.get(date)?.patch;
    const start = patch?.start ?? { dateTime: instantToWall(originalStart, zone).slice(0, 19), timeZone: zone };
    const end = patch?.end ?? { dateTime: instantToWall(new Date(originalStart.getTime() + duration), zone).slice(0, 19), timeZone: zone };
    return { start, end, originalStart };
  }

  private renderOccurrence(master: StoredEvent, date: string, options: RenderOptions): Event {
    const exception = master.exceptions.get(date);
    const { start, end, originalStart } = this.occurrenceTimes(master, date);
    const key = `${master.key}${OCCURRENCE_SEPARATOR}${date}`;
    const changeKey = exception ? exception.changeKey : master.seriesChangeKey;
    const patch = exception?.patch ?? {};
    return this.shape(
      master,
      {
        key,
        changeKey,
        lastModifiedDateTime: exception?.lastModifiedDateTime ?? master.seriesModifiedDateTime,
        subject: patch.subject ?? master.subject,
        body: patch.body ?? master.body,
        location: patch.location?.displayName ?? master.location,
        showAs: patch.showAs ?? master.showAs,
        start,
        end,
        type: exception ? 'exception' : 'occurrence',
        seriesMasterId: idOf(master.key, options.idForm),
        originalStart: originalStart.toISOString(),
        recurrence: null,
        // Documented: iCalUId differs for each occurrence of a series.
        iCalUId: iCalUIdOf(`${master.meetingId}${OCCURRENCE_SEPARATOR}${date}`),
      },
      options,
    );
  }

  private renderStored(stored: StoredEvent, options: RenderOptions): Event {
    return this.shape(
      stored,
      {
        key: stored.key,
        changeKey: stored.changeKey,
        lastModifiedDateTime: stored.lastModifiedDateTime,
        subject: stored.subject,
        body: stored.body,
        location: stored.location,
        showAs: stored.showAs,
        start: stored.start,
        end: stored.end,
        type: stored.recurrence ? 'seriesMaster' : 'singleInstance',
        seriesMasterId: null,
        originalStart: null,
        recurrence: stored.recurrence,
        iCalUId: iCalUIdOf(stored.meetingId),
      },
      options,
    );
  }

  private shape(
    stored: StoredEvent,
    item: {
      key: string;
      changeKey: string;
      lastModifiedDateTime: string;
      subject: string;
      body: ItemBody;
      location: string;
      showAs: NonNullable<Event['showAs']>;
      start: DateTimeTimeZone;
      end: DateTimeTimeZone;
      type: NonNullable<Event['type']>;
      seriesMasterId: string | null;
      originalStart: string | null;
      recurrence: PatternedRecurrence | null;
      iCalUId: string;
    },
    options: RenderOptions,
  ): Event {
    const zone = options.zone && ianaZone(options.zone) ? options.zone : 'UTC';
    const inZone = (value: DateTimeTimeZone): DateTimeTimeZone => ({ dateTime: instantToWall(instantOf(value), zone), timeZone: zone });
    const text = item.body.contentType === 'html' ? (item.body.content ?? '').replace(/<[^>]*>/g, ' ') : (item.body.content ?? '');
    const event: Event & { '@odata.etag': string } = {
      '@odata.etag': `W/"${item.changeKey}"`,
      id: idOf(item.key, options.idForm),
      createdDateTime: stored.createdDateTime,
      lastModifiedDateTime: item.lastModifiedDateTime,
      changeKey: item.changeKey,
      categories: [],
      transactionId: null,
      originalStartTimeZone: stored.start.timeZone!,
      originalEndTimeZone: stored.end.timeZone!,
      iCalUId: item.iCalUId,
      reminderMinutesBeforeStart: 15,
      isReminderOn: true,
      hasAttachments: false,
      subject: item.subject,
      bodyPreview: text.replace(/\s+/g, ' ').trim().slice(0, 255),
      importance: 'normal',
      sensitivity: 'normal',
      isAllDay: stored.isAllDay,
      isCancelled: stored.isCancelled,
      isOrganizer: stored.isOrganizer,
      responseRequested: true,
      seriesMasterId: item.seriesMasterId,
      showAs: item.showAs,
      type: item.type,
      webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(idOf(item.key, 'rest'))}&exvsurl=1&path=/calendar/item`,
      onlineMeetingUrl: null,
      isOnlineMeeting: false,
      onlineMeetingProvider: 'unknown',
      allowNewTimeProposals: true,
      isDraft: false,
      hideAttendees: false,
      responseStatus: stored.isOrganizer ? { response: 'organizer', time: '0001-01-01T00:00:00Z' } : { response: 'notResponded', time: '0001-01-01T00:00:00Z' },
      body: item.body,
      start: inZone(item.start),
      end: inZone(item.end),
      location: { displayName: item.location, locationType: 'default', uniqueIdType: 'unknown', address: {}, coordinates: {} },
      locations: item.location ? [{ displayName: item.location, locationType: 'default', uniqueIdType: 'unknown' }] : [],
      recurrence: item.recurrence,
      attendees: stored.attendees,
      organizer: stored.organizer,
      onlineMeeting: null,
    };
    if (item.originalStart) event.originalStart = item.originalStart;
    return event;
  }

  /** The key of a change, rendered as a subscription's notification names it. */
  idFor(key: string, form: IdForm): string {
    return idOf(key, form);
  }
}

/** An iCalendar UID in the form Exchange writes (hex of a Outlook global object id). */
function iCalUIdOf(seed: string): string {
  return `040000008200E00074C5B7101A82E008${Buffer.from(seed).toString('hex').toUpperCase().slice(0, 96)}`;
}
