import { registerEnumType } from 'type-graphql';
import { ServiceRole } from '../platform/auth/principal.js';
import { DomainEventKind } from '../platform/events/domain-events.js';

/** What a council system may follow: the domain events of the catalogue (platform/events/domain-events.ts) that webhooks carry. */
export enum WebhookEventType {
  VISIT_BOOKED = 'visit.booked',
  VISIT_MOVED = 'visit.moved',
  VISIT_CANCELLED = 'visit.cancelled',
  VISIT_COMPLETED = 'visit.completed',
  NOTE_CIRCULATED = 'note.circulated',
  NOTE_CORRECTED = 'note.corrected',
  SCHOOL_RISK_CATEGORY_CHANGED = 'school.risk_category_changed',
  SCHOOL_REGISTER_CHANGED = 'school.register_changed',
}
registerEnumType(WebhookEventType, {
  name: 'WebhookEventType',
  description: 'An event a webhook can carry; the payload\'s "type" is its value in lower case with dots (visit.booked).',
  valuesConfig: {
    VISIT_BOOKED: { description: 'A visit was booked (from an Outlook appointment or in the app), or a cancelled one booked again.' },
    VISIT_MOVED: { description: "A booked visit's times changed; the payload carries the previous times." },
    VISIT_CANCELLED: { description: 'A booked visit was cancelled.' },
    VISIT_COMPLETED: { description: 'A visit was marked as done.' },
    NOTE_CIRCULATED: { description: 'A note of visit was circulated (its first revision, or a corrected one).' },
    NOTE_CORRECTED: { description: 'A circulated note was reopened for correction as its next revision.' },
    SCHOOL_RISK_CATEGORY_CHANGED: { description: "A school's risk category changed (confidential: needs the RiskCategories.Read.All grant)." },
    SCHOOL_REGISTER_CHANGED: { description: 'The national register import created, changed or closed a school.' },
  },
});

/** Every webhook event is a domain event of the same name (checked here, at load). */
for (const type of Object.values(WebhookEventType)) {
  if (!(Object.values(DomainEventKind) as string[]).includes(type)) throw new Error(`webhook event ${type} is not in the domain event catalogue`);
}

/** The app roles a subscription can be granted beyond reading (Visits.Read.All, which every subscription has). */
export enum WebhookGrant {
  CONTACTS = 'Contacts.Read.All',
  RISK_CATEGORIES = 'RiskCategories.Read.All',
  SCHOOL_SECTIONS = 'SchoolSections.Read.All',
}
registerEnumType(WebhookGrant, {
  name: 'WebhookGrant',
  description: "An app role a subscription's payloads are built with (docs/api.md: what a service may read); reading (Visits.Read.All) is implied.",
  valuesConfig: {
    CONTACTS: { description: "Contacts.Read.All: attendees' names and email addresses, contacts' email addresses." },
    RISK_CATEGORIES: { description: 'RiskCategories.Read.All: risk categories (and the risk category event).' },
    SCHOOL_SECTIONS: { description: "SchoolSections.Read.All: the school's own section of a visit." },
  },
});
// The grants are the app roles of platform/auth/principal.ts, not a second list.
for (const grant of Object.values(WebhookGrant)) {
  if (!(Object.values(ServiceRole) as string[]).includes(grant)) throw new Error(`webhook grant ${grant} is not an app role`);
}

/** Event types a subscription needs a grant for. */
export const EVENT_GRANTS: Partial<Record<WebhookEventType, WebhookGrant>> = {
  [WebhookEventType.SCHOOL_RISK_CATEGORY_CHANGED]: WebhookGrant.RISK_CATEGORIES,
};

export enum WebhookDeliveryStatus {
  /** Waiting for its first attempt or a retry. */
  PENDING = 'pending',
  DELIVERED = 'delivered',
  /** Every attempt refused or unanswered; replay sends it again. */
  FAILED = 'failed',
}
registerEnumType(WebhookDeliveryStatus, { name: 'WebhookDeliveryStatus', description: 'Where a delivery of an event to a subscriber stands.' });
