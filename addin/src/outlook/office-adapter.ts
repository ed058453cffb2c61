import type { AppointmentCompose, AppointmentRead, AsyncCallback, AttachmentDetails, CustomProperties, EmailAddressDetails, OfficeApi } from './office-api.js';

/** Office.js refused something; the message says what, for the person using the pane. */
export class OfficeError extends Error {
  constructor(action: string, detail?: string) {
    super(`Outlook could not ${action}${detail ? `: ${detail}` : ''}.`);
    this.name = 'OfficeError';
  }
}

export interface AppointmentTimes {
  start: Date;
  end: Date;
}

/** Where the property that links an appointment to its visit is kept (organiser's mailbox only). */
export const VISIT_ID_PROPERTY = 'schoolVisitId';

/** Attendees see the agenda's "Visit reference: <id>" line, not the organiser's custom properties. */
const VISIT_REFERENCE = /Visit reference:\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

export function visitReferenceIn(bodyText: string): string | null {
  return VISIT_REFERENCE.exec(bodyText)?.[1]?.toLowerCase() ?? null;
}

/**
 * The appointment open in Outlook, as promises. Two surfaces: the organiser's
 * compose form (everything is asynchronous, the item has no id until saved) and
 * the attendee's read form (plain properties, nothing can be changed).
 */
export interface OutlookAppointment {
  readonly surface: 'organiser' | 'attendee';
  times(): Promise<AppointmentTimes>;
  subject(): Promise<string>;
  setSubject(subject: string): Promise<void>;
  setLocation(location: string): Promise<void>;
  /** Puts HTML at the top of the body, above whatever the organiser wrote. */
  prependHtml(html: string): Promise<void>;
  bodyText(): Promise<string>;
  bodyHtml(): Promise<string>;
  /** Replaces the whole body (the agenda block rewritten, the rest kept as it was read). */
  setBodyHtml(html: string): Promise<void>;
  /** Required and optional attendees, as Outlook holds them (the organiser not among them). */
  attendees(): Promise<{ required: EmailAddressDetails[]; optional: EmailAddressDetails[] }>;
  /** Adds people to the required attendees, as the organiser would in the To line (organiser only). */
  addRequiredAttendees(people: EmailAddressDetails[]): Promise<void>;
  /** The series this appointment is one occurrence of, or null (a single appointment, or the series itself). */
  seriesId(): string | null;
  /** The names of the files attached to the item (compose only; none on the read form). */
  attachmentNames(): Promise<string[]>;
  /** Saves the item (compose) and returns its id; the read form's id as is. */
  save(): Promise<string>;
  /** The item's id, or null for a compose item never saved. */
  itemId(): Promise<string | null>;
  organiserEmail(): Promise<string>;
  visitId(): Promise<string | null>;
  rememberVisit(visitId: string): Promise<void>;
  attachFile(base64: string, name: string): Promise<void>;
}

function call<T>(action: string, start: (callback: AsyncCallback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    try {
      start((result) => (result.status === 'succeeded' ? resolve(result.value) : reject(new OfficeError(action, result.error?.message))));
    } catch (error) {
      reject(new OfficeError(action, (error as Error).message));
    }
  });
}

const isCompose = (item: AppointmentCompose | AppointmentRead): item is AppointmentCompose => typeof item.subject !== 'string';

export function outlookAppointment(office: OfficeApi): OutlookAppointment {
  const item = office.context.mailbox.item;
  if (!item) throw new OfficeError('find an open appointment', 'open the pane from an appointment');
  const properties = () => call<CustomProperties>('read the appointment’s properties', (cb) => item.loadCustomPropertiesAsync(cb));
  const readOnly = () => Promise.reject(new OfficeError('change this appointment', 'only its organiser can'));

  if (isCompose(item)) {
    return {
      surface: 'organiser',
      times: async () => ({
        start: await call('read the start time', (cb) => item.start.getAsync(cb)),
        end: await call('read the end time', (cb) => item.end.getAsync(cb)),
      }),
      subject: () => call('read the subject', (cb) => item.subject.getAsync(cb)),
      setSubject: (s) => call('set the subject', (cb) => item.subject.setAsync(s, cb)),
      setLocation: (l) => call('set the location', (cb) => item.location.setAsync(l, cb)),
      prependHtml: (html) => call('insert the agenda', (cb) => item.body.prependAsync(html, { coercionType: 'html' }, cb)),
      bodyText: () => call('read the body', (cb) => item.body.getAsync('text', cb)),
      bodyHtml: () => call('read the body', (cb) => item.body.getAsync('html', cb)),
      setBodyHtml: (html) => call('rewrite the agenda in the body', (cb) => item.body.setAsync(html, { coercionType: 'html' }, cb)),
      attendees: async () => ({
        required: await call('read the attendees', (cb) => item.requiredAttendees.getAsync(cb)),
        optional: await call('read the optional attendees', (cb) => item.optionalAttendees.getAsync(cb)),
      }),
      addRequiredAttendees: (people) => call('add the attendees', (cb) => item.requiredAttendees.addAsync(people, cb)),
      seriesId: () => item.seriesId || null,
      attachmentNames: async () => (await call<AttachmentDetails[]>('read the attachments', (cb) => item.getAttachmentsAsync(cb))).map((a) => a.name),
      save: () => call('save the appointment', (cb) => item.saveAsync(cb)),
      itemId: async () => {
        // A compose item has no id until it is saved; Outlook says so by failing.
        const id = await call<string>('read the item id', (cb) => item.getItemIdAsync(cb)).catch(() => null);
        return id || null;
      },
      organiserEmail: async () =>
        (await call<EmailAddressDetails>('read the organiser', (cb) => item.organizer.getAsync(cb)).catch(() => null))?.emailAddress ??
        office.context.mailbox.userProfile.emailAddress,
      visitId: async () => ((await properties()).get(VISIT_ID_PROPERTY) as string | undefined) ?? null,
      rememberVisit: async (visitId) => {
        const props = await properties();
        props.set(VISIT_ID_PROPERTY, visitId);
        await call('remember the visit on the appointment', (cb) => props.saveAsync(cb));
      },
      attachFile: async (base64, name) => {
        await call('attach the file', (cb) => item.addFileAttachmentFromBase64Async(base64, name, { isInline: false }, cb));
      },
    };
  }
  return {
    surface: 'attendee',
    times: async () => ({ start: new Date(item.start), end: new Date(item.end) }),
    subject: async () => item.subject,
    setSubject: readOnly,
    setLocation: readOnly,
    prependHtml: readOnly,
    bodyText: () => call('read the body', (cb) => item.body.getAsync('text', cb)),
    bodyHtml: () => call('read the body', (cb) => item.body.getAsync('html', cb)),
    setBodyHtml: readOnly,
    attendees: async () => ({ required: [...(item.requiredAttendees ?? [])], optional: [...(item.optionalAttendees ?? [])] }),
    addRequiredAttendees: readOnly,
    seriesId: () => item.seriesId || null,
    attachmentNames: async () => [],
    save: async () => item.itemId,
    itemId: async () => item.itemId,
    organiserEmail: async () => item.organizer.emailAddress,
    // The organiser's own copy, opened read-only, still has the custom property.
    visitId: async () => ((await properties().catch(() => null))?.get(VISIT_ID_PROPERTY) as string | undefined) ?? null,
    rememberVisit: readOnly,
    attachFile: readOnly,
  };
}
