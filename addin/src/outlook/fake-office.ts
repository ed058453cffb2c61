import type { AppointmentCompose, AppointmentRead, AsyncCallback, CustomProperties, EmailAddressDetails, LaunchEvent, OfficeApi } from './office-api.js';

/** A simulated appointment: what Outlook would hold for the item the pane is open on. */
export interface FakeAppointment {
  surface: 'organiser' | 'attendee';
  /** Null for a compose item never saved (as in Outlook). */
  itemId: string | null;
  subject: string;
  location: string;
  start: string;
  end: string;
  bodyHtml: string;
  organiser: EmailAddressDetails;
  requiredAttendees: EmailAddressDetails[];
  optionalAttendees: EmailAddressDetails[];
  /** The series, when this is one occurrence of a recurring appointment (Office.js item.seriesId). */
  seriesId: string | null;
  customProperties: Record<string, string>;
  attachments: { name: string; bytes: number }[];
  saves: number;
}

export interface FakeOfficeOptions {
  user: EmailAddressDetails;
  theme?: { bodyBackgroundColor: string };
  /** Office.js calls that fail, with the message Outlook would give. */
  failures?: Partial<
    Record<'saveAsync' | 'prependAsync' | 'setAsync' | 'loadCustomPropertiesAsync' | 'addFileAttachmentFromBase64Async' | 'addAttendeesAsync', string>
  >;
  /** Told after every change, e.g. to keep the appointment across reloads. */
  onChange?: (appointment: FakeAppointment) => void;
  newItemId?: () => string;
}

export interface FakeOffice extends OfficeApi {
  readonly appointment: FakeAppointment;
  /**
   * Fires an event-based activation handler (associated through Office.actions.associate)
   * as Outlook would; resolves with what the handler passed to event.completed(), and
   * rejects when it never calls it (Outlook would show the add-in as not responding).
   */
  fireLaunchEvent(functionName: string, type?: string): Promise<{ allowEvent?: boolean; errorMessage?: string } | undefined>;
}

export function newFakeAppointment(overrides: Partial<FakeAppointment> = {}): FakeAppointment {
  return {
    surface: 'organiser',
    itemId: null,
    subject: '',
    location: '',
    start: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    end: new Date(Date.now() + 7 * 86_400_000 + 3 * 3_600_000).toISOString(),
    bodyHtml: '',
    organiser: { emailAddress: '', displayName: '' },
    requiredAttendees: [],
    optionalAttendees: [],
    seriesId: null,
    customProperties: {},
    attachments: [],
    saves: 0,
    ...overrides,
  };
}

const decode: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/** The body as Outlook's text coercion gives it: tags gone, block ends as line breaks. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/li|\/h\d|\/div)[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (m) => decode[m] ?? m)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Office.js for one appointment, without Outlook: the same callback shapes and
 * failure reporting, backed by a plain object. Used by the adapter's unit tests,
 * the end-to-end tests (served in place of the Office.js CDN script) and the
 * /dev/outlook page.
 */
export function createFakeOffice(appointment: FakeAppointment, options: FakeOfficeOptions): FakeOffice {
  let counter = 0;
  const newItemId = options.newItemId ?? (() => `AAMkFake${Date.now().toString(36)}${(++counter).toString(36)}`);
  const changed = () => options.onChange?.(appointment);
  const done = <T>(callback: AsyncCallback<T>, value: T, failure?: string) =>
    queueMicrotask(() =>
      callback(failure ? { status: 'failed', value: undefined as T, error: { code: 9999, message: failure } } : { status: 'succeeded', value }),
    );
  const property = <K extends 'subject' | 'location'>(key: K) => ({
    getAsync: (cb: AsyncCallback<string>) => done(cb, appointment[key]),
    setAsync: (value: string, cb: AsyncCallback<void>) => {
      appointment[key] = value;
      changed();
      done(cb, undefined);
    },
  });
  const time = (key: 'start' | 'end') => ({
    getAsync: (cb: AsyncCallback<Date>) => done(cb, new Date(appointment[key])),
    setAsync: (value: Date, cb: AsyncCallback<void>) => {
      appointment[key] = value.toISOString();
      changed();
      done(cb, undefined);
    },
  });
  const loadCustomPropertiesAsync = (cb: AsyncCallback<CustomProperties>) => {
    // Attendees' copies never carry the organiser's custom properties.
    const own = appointment.surface === 'organiser' || appointment.organiser.emailAddress === options.user.emailAddress;
    const values: Record<string, string> = own ? { ...appointment.customProperties } : {};
    done(
      cb,
      {
        get: (name: string) => values[name],
        set: (name: string, value: string) => void (values[name] = value),
        saveAsync: (saved: AsyncCallback<void>) => {
          if (own) appointment.customProperties = { ...values };
          changed();
          done(saved, undefined);
        },
      },
      options.failures?.loadCustomPropertiesAsync,
    );
  };
  // As Outlook: someone already on the line (by address, in any case) is not added twice.
  const addRecipients = (line: 'requiredAttendees' | 'optionalAttendees', recipients: EmailAddressDetails[], cb: AsyncCallback<void>) => {
    const failure = options.failures?.addAttendeesAsync;
    if (!failure) {
      const list = (appointment[line] ??= []);
      for (const r of recipients) {
        if (!list.some((a) => a.emailAddress.toLowerCase() === r.emailAddress.toLowerCase())) list.push({ ...r });
      }
      changed();
    }
    done(cb, undefined, failure);
  };
  const bodyGet = (coercion: 'html' | 'text', cb: AsyncCallback<string>) =>
    done(cb, coercion === 'html' ? appointment.bodyHtml : htmlToText(appointment.bodyHtml));

  const compose: AppointmentCompose = {
    itemType: 'appointment',
    subject: property('subject'),
    location: property('location'),
    start: time('start'),
    end: time('end'),
    organizer: { getAsync: (cb) => done(cb, { ...options.user }) },
    body: {
      getAsync: bodyGet,
      prependAsync: (data, _opts, cb) => {
        const failure = options.failures?.prependAsync;
        if (!failure) appointment.bodyHtml = data + appointment.bodyHtml;
        changed();
        done(cb, undefined, failure);
      },
      setAsync: (data, _opts, cb) => {
        const failure = options.failures?.setAsync;
        if (!failure) appointment.bodyHtml = data;
        changed();
        done(cb, undefined, failure);
      },
    },
    requiredAttendees: {
      getAsync: (cb) =>
        done(
          cb,
          (appointment.requiredAttendees ?? []).map((a) => ({ ...a })),
        ),
      addAsync: (recipients, cb) => addRecipients('requiredAttendees', recipients, cb),
    },
    optionalAttendees: {
      getAsync: (cb) =>
        done(
          cb,
          (appointment.optionalAttendees ?? []).map((a) => ({ ...a })),
        ),
      addAsync: (recipients, cb) => addRecipients('optionalAttendees', recipients, cb),
    },
    get seriesId() {
      return appointment.seriesId ?? null;
    },
    getAttachmentsAsync: (cb) =>
      done(
        cb,
        appointment.attachments.map((a, i) => ({ id: `attachment-${i + 1}`, name: a.name })),
      ),
    saveAsync: (cb) => {
      const failure = options.failures?.saveAsync;
      if (!failure) {
        appointment.itemId ??= newItemId();
        appointment.saves += 1;
        if (!appointment.organiser.emailAddress) appointment.organiser = { ...options.user };
        changed();
      }
      done(cb, appointment.itemId ?? '', failure);
    },
    getItemIdAsync: (cb) => done(cb, appointment.itemId ?? '', appointment.itemId ? undefined : 'The item has not been saved yet.'),
    addFileAttachmentFromBase64Async: (base64, name, _opts, cb) => {
      const failure = options.failures?.addFileAttachmentFromBase64Async;
      if (!failure) appointment.attachments.push({ name, bytes: Math.floor((base64.length * 3) / 4) });
      changed();
      done(cb, `attachment-${appointment.attachments.length}`, failure);
    },
    loadCustomPropertiesAsync,
  };

  const read = (): AppointmentRead => ({
    itemType: 'appointment',
    subject: appointment.subject,
    location: appointment.location,
    start: new Date(appointment.start),
    end: new Date(appointment.end),
    itemId: appointment.itemId ?? '',
    organizer: { ...appointment.organiser },
    requiredAttendees: (appointment.requiredAttendees ?? []).map((a) => ({ ...a })),
    optionalAttendees: (appointment.optionalAttendees ?? []).map((a) => ({ ...a })),
    seriesId: appointment.seriesId ?? null,
    body: { getAsync: bodyGet },
    loadCustomPropertiesAsync,
  });

  const handlers = new Map<string, (event: LaunchEvent) => void>();
  const fireLaunchEvent: FakeOffice['fireLaunchEvent'] = (functionName, type) =>
    new Promise((resolve, reject) => {
      const handler = handlers.get(functionName);
      if (!handler) return reject(new Error(`No handler is associated with "${functionName}".`));
      // Outlook gives a handler about five minutes; a test's timeout comes first, so this names the fault.
      const timer = setTimeout(() => reject(new Error(`"${functionName}" never called event.completed().`)), 60_000);
      handler({
        type,
        completed: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
      });
    });

  return {
    appointment,
    fireLaunchEvent,
    actions: { associate: (name, handler) => void handlers.set(name, handler) },
    onReady: async () => ({ host: 'Outlook', platform: 'OfficeOnline' }),
    context: {
      mailbox: { item: appointment.surface === 'organiser' ? compose : read(), userProfile: { ...options.user } },
      officeTheme: options.theme ?? { bodyBackgroundColor: '#ffffff' },
      displayLanguage: 'en-GB',
    },
  };
}
