/**
 * Wall-clock times in a named zone, as Graph writes them: `dateTimeTimeZone` is a local
 * "YYYY-MM-DDTHH:mm:ss.fffffff" plus a zone name, Windows ("GMT Standard Time") or IANA
 * ("Europe/London"); Graph accepts both. Offsets come from the platform's Intl data.
 */

/** The Windows zone names Outlook writes that this stand-in understands (CLDR's windowsZones mapping). */
const WINDOWS_TO_IANA: Record<string, string> = {
  UTC: 'UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Eastern Standard Time': 'America/New_York',
  'Central Standard Time': 'America/Chicago',
  'Pacific Standard Time': 'America/Los_Angeles',
  'India Standard Time': 'Asia/Kolkata',
  'AUS Eastern Standard Time': 'Australia/Sydney',
};

export function ianaZone(name: string): string | undefined {
  const mapped = WINDOWS_TO_IANA[name];
  if (mapped) return mapped;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name });
    return name;
  } catch {
    return undefined;
  }
}

function offsetMinutes(zone: string, at: number): number {
  const part = new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName')?.value;
  const match = /GMT([+-])(\d\d):(\d\d)/.exec(part ?? '');
  if (!match) return 0; // "GMT" alone: no offset
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

const WALL = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?$/;

/** The instant a local wall time in `zone` names (the later of two in an autumn overlap, as Exchange does not matter here). */
export function wallToInstant(wall: string, zoneName: string): Date {
  const zone = ianaZone(zoneName);
  const match = WALL.exec(wall);
  if (!zone || !match) throw new RangeError(`not a wall time in a known zone: ${wall} ${zoneName}`);
  const asUtc = Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!, +match[4]!, +match[5]!, +(match[6] ?? 0));
  let t = asUtc - offsetMinutes(zone, asUtc) * 60_000;
  const second = offsetMinutes(zone, t);
  t = asUtc - second * 60_000;
  return new Date(t);
}

/** Graph's wall-time form: seven fractional digits, no offset. */
export function instantToWall(at: Date, zoneName: string): string {
  const zone = ianaZone(zoneName) ?? 'UTC';
  const shifted = new Date(at.getTime() + offsetMinutes(zone, at.getTime()) * 60_000);
  return `${shifted.toISOString().slice(0, 19)}.0000000`;
}

export function isWallTime(text: unknown): text is string {
  return typeof text === 'string' && WALL.test(text);
}
