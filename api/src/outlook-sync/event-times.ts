import { TZDate } from '@date-fns/tz';
import type { DateTimeTimeZone } from '@microsoft/microsoft-graph-types';
import { findIana } from 'windows-iana';

/**
 * A Graph event's time is a wall-clock time and a zone name: a Windows name ("GMT Standard Time"),
 * an IANA name ("Europe/London") or "UTC", depending on the `Prefer: outlook.timezone` header and on
 * the client that made the event. This turns one into an instant, or refuses: a time in a zone we
 * cannot name must not become a visit at a wrong hour.
 */

/** The event's zone is one neither Windows' list nor the IANA database knows (e.g. a custom "tzone://Microsoft/Custom" zone). */
export class UnknownTimeZoneError extends Error {
  constructor(readonly timeZone: string) {
    super(`The calendar event's time zone "${timeZone}" is neither a Windows nor an IANA time zone: its time cannot be read, so the visit is left as it is.`);
    this.name = 'UnknownTimeZoneError';
  }
}

/** The event's date and time are not Graph's "2026-10-27T09:00:00.0000000". */
export class UnreadableEventTimeError extends Error {
  constructor(readonly dateTime: string) {
    super(`The calendar event's time "${dateTime}" is not a date and time: the visit is left as it is.`);
    this.name = 'UnreadableEventTimeError';
  }
}

// Graph writes seven fractional digits and no offset; a trailing Z or offset is tolerated (the zone says which).
const GRAPH_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

function isIanaZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The IANA zone of a Graph zone name (Windows names through the CLDR mapping of `windows-iana`). */
export function ianaZoneOf(timeZone: string): string {
  const name = timeZone.trim();
  if (!name) throw new UnknownTimeZoneError(timeZone);
  // A Windows name first: "UTC" and a few others are both, and map to the same instant either way.
  const windows = findIana(name)[0];
  if (windows) return windows;
  if (isIanaZone(name)) return name;
  throw new UnknownTimeZoneError(timeZone);
}

/** The instant of a Graph `dateTimeTimeZone`. Throws UnknownTimeZoneError or UnreadableEventTimeError rather than guess. */
export function instantOf(time: DateTimeTimeZone | null | undefined): Date {
  const text = time?.dateTime ?? '';
  const parts = GRAPH_DATE_TIME.exec(text.trim());
  if (!parts) throw new UnreadableEventTimeError(text);
  const zone = ianaZoneOf(time?.timeZone ?? '');
  const [year, month, day, hour, minute, second = '0', fraction = '0'] = parts.slice(1) as string[];
  const ms = Math.floor(Number(`0.${fraction}`) * 1000);
  const instant = new TZDate(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), ms, zone);
  if (Number.isNaN(instant.getTime())) throw new UnreadableEventTimeError(text);
  return new Date(instant.getTime());
}
