import { ServiceRole } from '../platform/auth/principal.js';
import type { Em } from '../platform/db/orm.js';
import type { ConsumedEvent } from '../platform/events/event-consumer.js';
import { DateTimeScalar } from '../platform/graphql/scalars.js';
import { refusedFields, type ServiceFieldPolicy } from '../platform/graphql/service-fields.plugin.js';
import { NoteStatus } from '../notes/note.enums.js';
import { RiskCategory, SchoolStatus } from '../schools/school.enums.js';
import { AttendeeRole, VisitStatus, VisitType } from '../visits/visit.enums.js';
import { WebhookEventType } from './webhook.enums.js';

/**
 * What a webhook says (Standard Webhooks' shape: `{ type, timestamp, data }`). `data` is built as
 * the GraphQL types a service reads (Visit, School, NoteOfVisit...) with their field names and
 * values, each object tagged with its type; each subscription's copy then keeps only the fields
 * the service field policy (app/service-fields.ts, the one definition) lets a service with the
 * subscription's grants read: an attendee's name with Contacts.Read.All, a risk category with
 * RiskCategories.Read.All. Nothing here restates who may read what.
 */
const TYPE = Symbol('graphql type');
interface Typed {
  [TYPE]: string;
  [field: string]: unknown;
}
const typed = (type: string, fields: Record<string, unknown>): Typed => ({ [TYPE]: type, ...fields });

/** Which fields a subscriber may read: "Type.field" → yes or no. */
export type MayRead = (field: string) => boolean;

/** A subscription's reading of the policy: a service's, with Visits.Read.All and the grants. */
export function mayReadWith(policy: ServiceFieldPolicy, grants: readonly string[]): MayRead {
  const roles = new Set<string>([ServiceRole.READ, ...grants]);
  return (field) => refusedFields(policy, [field], roles).length === 0;
}

/** The value with every typed object cut down to the fields `mayRead` allows. */
export function redact(value: unknown, mayRead: MayRead): unknown {
  if (Array.isArray(value)) return value.map((v) => redact(v, mayRead));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const type = (value as Typed)[TYPE];
  const out: Record<string, unknown> = {};
  for (const [field, v] of Object.entries(value)) if (!type || mayRead(`${type}.${field}`)) out[field] = redact(v, mayRead);
  return out;
}

/** An enum's GraphQL name for a stored value (VisitStatus 'booked' → "BOOKED"), as the API answers. */
const enumName = (e: Record<string, string>, value: string | null): string | null =>
  value === null ? null : (Object.keys(e).find((k) => e[k] === value) ?? value);
const dateTime = (value: Date | string | null): string | null => (value === null ? null : (DateTimeScalar.serialize(new Date(value)) as string));
const dfeNumber = (laCode: number, establishmentNumber: number) => `${laCode}/${String(establishmentNumber).padStart(4, '0')}`;

async function school(tx: Em, id: string | null): Promise<Typed | null> {
  if (!id) return null;
  const [s] = await tx.execute<
    {
      id: string;
      urn: number;
      la_code: number;
      establishment_number: number;
      name: string;
      status: string;
      opened_on: string | null;
      closed_on: string | null;
    }[]
  >(`select id, urn, la_code, establishment_number, name, status, opened_on::text, closed_on::text from school where id = ?`, [id]);
  if (!s) return typed('School', { id });
  return typed('School', {
    id: s.id,
    urn: s.urn,
    dfeNumber: dfeNumber(s.la_code, s.establishment_number),
    name: s.name,
    status: enumName(SchoolStatus, s.status),
    openedOn: s.opened_on,
    closedOn: s.closed_on,
  });
}

async function visit(tx: Em, id: string | null): Promise<Typed | null> {
  if (!id) return null;
  const [v] = await tx.execute<
    {
      id: string;
      type: string;
      status: string;
      starts_at: Date;
      ends_at: Date;
      location: string | null;
      cancelled_at: Date | null;
      cancellation_reason: string | null;
      completed_at: Date | null;
      school_id: string;
      lead_id: string;
      lead_name: string;
    }[]
  >(
    `select v.id, v.type, v.status, v.starts_at, v.ends_at, v.location, v.cancelled_at, v.cancellation_reason, v.completed_at,
            v.school_id, p.id as lead_id, p.name as lead_name
       from visit v join partner p on p.id = v.lead_partner_id where v.id = ?`,
    [id],
  );
  // Disposed of since (retention): the id is all there is.
  if (!v) return typed('Visit', { id });
  const attendees = await tx.execute<{ name: string; email: string | null; role: string; partner_id: string | null }[]>(
    `select name, email, role, partner_id from visit_attendee where visit_id = ? order by position`,
    [id],
  );
  return typed('Visit', {
    id: v.id,
    type: enumName(VisitType, v.type),
    status: enumName(VisitStatus, v.status),
    startsAt: dateTime(v.starts_at),
    endsAt: dateTime(v.ends_at),
    location: v.location,
    cancelledAt: dateTime(v.cancelled_at),
    cancellationReason: v.cancellation_reason,
    completedAt: dateTime(v.completed_at),
    school: await school(tx, v.school_id),
    leadPartner: typed('Partner', { id: v.lead_id, name: v.lead_name }),
    attendees: attendees.map((a) =>
      typed('VisitAttendee', {
        role: enumName(AttendeeRole, a.role),
        partner: a.partner_id ? typed('Partner', { id: a.partner_id }) : null,
        name: a.name,
        email: a.email,
      }),
    ),
  });
}

async function note(tx: Em, id: string | null): Promise<Typed | null> {
  if (!id) return null;
  const [n] = await tx.execute<{ id: string; revision: number; status: string; circulated_at: Date | null; correction_reason: string | null }[]>(
    `select id, revision, status, circulated_at, correction_reason from note_of_visit where id = ?`,
    [id],
  );
  if (!n) return typed('NoteOfVisit', { id });
  return typed('NoteOfVisit', {
    id: n.id,
    revision: n.revision,
    status: enumName(NoteStatus, n.status),
    circulatedAt: dateTime(n.circulated_at),
    correctionReason: n.correction_reason,
  });
}

async function riskCategory(tx: Em, schoolId: string | null, assessmentId: unknown): Promise<Typed | null> {
  if (!schoolId) return null;
  const [a] = await tx.execute<{ id: string; category: string; effective_from: string }[]>(
    typeof assessmentId === 'string'
      ? `select id, category, effective_from::text from risk_category_assessment where id = ?`
      : `select id, category, effective_from::text from risk_category_assessment where school_id = ? order by effective_from desc, created_at desc limit 1`,
    [typeof assessmentId === 'string' ? assessmentId : schoolId],
  );
  return a ? typed('RiskCategoryAssessment', { id: a.id, category: enumName(RiskCategory, a.category), effectiveFrom: a.effective_from }) : null;
}

const flag = (e: ConsumedEvent, name: string) => (typeof e.data?.[name] === 'boolean' ? e.data[name] : null);

/** The event's `data`, every field a service could read (redacted per subscription by `redact`). */
export async function eventData(tx: Em, type: WebhookEventType, e: ConsumedEvent): Promise<Record<string, unknown>> {
  switch (type) {
    case WebhookEventType.VISIT_BOOKED:
    case WebhookEventType.VISIT_CANCELLED:
    case WebhookEventType.VISIT_COMPLETED:
      return { visit: await visit(tx, e.visit_id) };
    case WebhookEventType.VISIT_MOVED: {
      const was = (name: string) => (typeof e.data?.[name] === 'string' ? dateTime(e.data[name]) : null);
      return { visit: await visit(tx, e.visit_id), previous: typed('Visit', { startsAt: was('previousStartsAt'), endsAt: was('previousEndsAt') }) };
    }
    case WebhookEventType.NOTE_CIRCULATED:
    case WebhookEventType.NOTE_CORRECTED: {
      const n = await note(tx, e.note_id);
      const [row] = e.note_id ? await tx.execute<{ visit_id: string }[]>(`select visit_id from note_of_visit where id = ?`, [e.note_id]) : [];
      return { note: n, visit: await visit(tx, e.visit_id ?? row?.visit_id ?? null) };
    }
    case WebhookEventType.SCHOOL_RISK_CATEGORY_CHANGED:
      return { school: await school(tx, e.school_id), riskCategory: await riskCategory(tx, e.school_id, e.data?.assessmentId) };
    case WebhookEventType.SCHOOL_REGISTER_CHANGED:
      return { school: await school(tx, e.school_id), created: flag(e, 'created') ?? false, closed: flag(e, 'closed') ?? false };
  }
}

/** The body as sent: Standard Webhooks' `{ type, timestamp, data }`, `data` as this subscriber may read it. */
export const webhookBody = (type: WebhookEventType, occurredAt: Date, data: Record<string, unknown>, mayRead: MayRead): string =>
  JSON.stringify({ type, timestamp: dateTime(occurredAt), data: redact(data, mayRead) });
