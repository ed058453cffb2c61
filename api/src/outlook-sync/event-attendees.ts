import type { Attendee, Event } from '@microsoft/microsoft-graph-types';
import type { Em } from '../platform/db/orm.js';
import type { School } from '../schools/school.entity.js';
import type { AttendeeInput } from '../visits/visit.input.js';
import { AttendeeRole } from '../visits/visit.enums.js';

/**
 * A Graph event's attendees as the visit's attendees (issue 21): partners by their account (they then
 * see the visit: AccessPolicy.ownVisitSql), school staff by email (the school's headteacher and chair
 * where the address is theirs), everyone else as other. Rooms and equipment (resources), the organiser
 * and the lead partner are not attendees of the visit; nor is someone who declined.
 */

/** An attendee the visit has now: what the partner gave it (role, name) is kept when Outlook lists the same person. */
export interface CurrentAttendee {
  name: string;
  email?: string | null;
  role: AttendeeRole;
  partnerId?: string | null;
}

/** Whom the attendees' addresses belong to. */
export interface AttendeeDirectory {
  /** Partners by lower-cased email. */
  partnersByEmail: ReadonlyMap<string, { id: string; name: string }>;
  school: Pick<School, 'headteacher' | 'chairOfGovernors'>;
}

const MAX_NAME = 200;

const lower = (email: string | null | undefined) => email?.trim().toLowerCase() || null;
const domainOf = (email: string | null | undefined) => lower(email)?.split('@')[1] ?? null;

/** Who the attendees of an event are, by address, skipping what is not a person attending. */
function attendingAddresses(event: Event, excluded: ReadonlySet<string>): { email: string; name: string | null }[] {
  const seen = new Set<string>();
  const out: { email: string; name: string | null }[] = [];
  for (const attendee of (event.attendees ?? []) as Attendee[]) {
    const email = lower(attendee.emailAddress?.address);
    if (!email || attendee.type === 'resource' || attendee.status?.response === 'declined') continue;
    if (excluded.has(email) || seen.has(email)) continue;
    seen.add(email);
    out.push({ email, name: attendee.emailAddress?.name?.trim() || null });
  }
  return out;
}

function schoolRole(email: string, school: AttendeeDirectory['school']): AttendeeRole {
  if (email === lower(school.headteacher?.email)) return AttendeeRole.HEADTEACHER;
  if (email === lower(school.chairOfGovernors?.email)) return AttendeeRole.CHAIR_OF_GOVERNORS;
  // An address at the school's own domain (its head's or chair's) is someone on its staff.
  const domains = new Set([domainOf(school.headteacher?.email), domainOf(school.chairOfGovernors?.email)].filter(Boolean));
  return domains.has(domainOf(email)) ? AttendeeRole.SCHOOL_STAFF : AttendeeRole.OTHER;
}

/**
 * The visit's attendees from the event, in the event's order. An attendee already on the visit keeps
 * the role and name the partner gave it; those the partner recorded with neither address nor account
 * (Outlook cannot list them) stay, after the event's.
 */
export function attendeesFromEvent(
  event: Event,
  context: { directory: AttendeeDirectory; current: readonly CurrentAttendee[]; leadPartnerEmail: string; mailboxEmail: string },
): AttendeeInput[] {
  const excluded = new Set(
    [lower(context.leadPartnerEmail), lower(context.mailboxEmail), lower(event.organizer?.emailAddress?.address)].filter((e): e is string => !!e),
  );
  const fromEvent = attendingAddresses(event, excluded).map(({ email, name }): AttendeeInput => {
    const partner = context.directory.partnersByEmail.get(email);
    const current = context.current.find((a) => (partner && a.partnerId === partner.id) || lower(a.email) === email);
    return {
      name: (current?.name ?? partner?.name ?? name ?? email).slice(0, MAX_NAME),
      email,
      role: current?.role ?? (partner ? AttendeeRole.PARTNER : schoolRole(email, context.directory.school)),
      partnerId: partner?.id ?? null,
    };
  });
  const unlisted = context.current.filter((a) => !a.email && !a.partnerId);
  return [...fromEvent, ...unlisted.map((a) => ({ name: a.name, email: null, role: a.role, partnerId: null }))];
}

/** Whether two attendee lists say the same, in the same order (nothing to change). */
export function sameAttendees(a: readonly CurrentAttendee[], b: readonly CurrentAttendee[]): boolean {
  const key = (x: CurrentAttendee) => JSON.stringify([x.name, lower(x.email), x.role, x.partnerId ?? null]);
  return a.length === b.length && a.every((x, i) => key(x) === key(b[i]!));
}

/** The partners among an event's attendees, by address (case-insensitive), in one query. */
export async function attendeeDirectory(em: Em, event: Event, school: AttendeeDirectory['school']): Promise<AttendeeDirectory> {
  const emails = [...new Set(((event.attendees ?? []) as Attendee[]).map((a) => lower(a.emailAddress?.address)).filter((e): e is string => !!e))];
  // Active partners only: a partner who has left is an attendee by address, and opens nothing.
  const partners = emails.length
    ? await em.execute<{ id: string; name: string; email: string }[]>(
        `select id, name, email from partner where active = true and lower(email) in (${emails.map(() => '?').join(', ')})`,
        emails,
      )
    : [];
  return { partnersByEmail: new Map(partners.map((p) => [p.email.toLowerCase(), { id: p.id, name: p.name }])), school };
}
