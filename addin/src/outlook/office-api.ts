/**
 * The part of Office.js the task pane uses, written out so the adapter can be
 * tested against a typed fake. Values follow Office.js exactly (AsyncResultStatus
 * "succeeded"/"failed", CoercionType "html"/"text"), so the real `Office` object
 * fits it.
 */
export interface AsyncResult<T> {
  status: 'succeeded' | 'failed';
  value: T;
  error?: { code: number; message: string; name?: string };
}

export type AsyncCallback<T> = (result: AsyncResult<T>) => void;

export interface AsyncProperty<T> {
  getAsync(callback: AsyncCallback<T>): void;
  setAsync(value: T, callback: AsyncCallback<void>): void;
}

export interface CustomProperties {
  get(name: string): unknown;
  set(name: string, value: string): void;
  saveAsync(callback: AsyncCallback<void>): void;
}

export interface EmailAddressDetails {
  emailAddress: string;
  displayName: string;
}

interface ItemCommon {
  itemType: string;
  /**
   * The series an occurrence belongs to (Mailbox 1.7): null for a single appointment or the
   * series itself, absent on older hosts.
   */
  seriesId?: string | null;
  loadCustomPropertiesAsync(callback: AsyncCallback<CustomProperties>): void;
}

/** One attachment of an item being composed (Office.js AttachmentDetailsCompose, the part used). */
export interface AttachmentDetails {
  id: string;
  name: string;
}

/** A list of recipients in compose (requiredAttendees, optionalAttendees). */
export interface RecipientsCompose {
  getAsync(callback: AsyncCallback<EmailAddressDetails[]>): void;
  /** Adds people to the list, keeping those there (Mailbox 1.1; Office.js takes the callback in place of the options). */
  addAsync(recipients: EmailAddressDetails[], callback: AsyncCallback<void>): void;
}

/** An appointment the user is organising (compose form). */
export interface AppointmentCompose extends ItemCommon {
  subject: AsyncProperty<string>;
  location: AsyncProperty<string>;
  start: AsyncProperty<Date>;
  end: AsyncProperty<Date>;
  organizer: { getAsync(callback: AsyncCallback<EmailAddressDetails>): void };
  body: {
    getAsync(coercionType: 'html' | 'text', callback: AsyncCallback<string>): void;
    prependAsync(data: string, options: { coercionType: 'html' | 'text' }, callback: AsyncCallback<void>): void;
    setAsync(data: string, options: { coercionType: 'html' | 'text' }, callback: AsyncCallback<void>): void;
  };
  requiredAttendees: RecipientsCompose;
  optionalAttendees: RecipientsCompose;
  getAttachmentsAsync(callback: AsyncCallback<AttachmentDetails[]>): void;
  saveAsync(callback: AsyncCallback<string>): void;
  getItemIdAsync(callback: AsyncCallback<string>): void;
  addFileAttachmentFromBase64Async(base64: string, name: string, options: { isInline: boolean }, callback: AsyncCallback<string>): void;
}

/** An appointment the user attends (or opens after it was sent): read form. */
export interface AppointmentRead extends ItemCommon {
  subject: string;
  location: string;
  start: Date;
  end: Date;
  itemId: string;
  organizer: EmailAddressDetails;
  requiredAttendees: EmailAddressDetails[];
  optionalAttendees: EmailAddressDetails[];
  body: { getAsync(coercionType: 'html' | 'text', callback: AsyncCallback<string>): void };
}

/**
 * What an event-based activation handler is given (Office.js's event object, the part
 * used): `completed()` must be called, always, or Outlook shows the add-in as hung.
 */
export interface LaunchEvent {
  type?: string;
  completed(options?: { allowEvent?: boolean; errorMessage?: string }): void;
}

export interface OfficeApi {
  onReady(): Promise<{ host: string | null; platform: string | null }>;
  context: {
    mailbox: {
      item: AppointmentCompose | AppointmentRead | null;
      userProfile: { emailAddress: string; displayName: string };
    };
    officeTheme?: { bodyBackgroundColor?: string; isDarkTheme?: boolean };
    displayLanguage?: string;
  };
  /** Event-based activation (Mailbox 1.10): handlers named in the manifest's LaunchEvent. */
  actions?: { associate(name: string, handler: (event: LaunchEvent) => void): void };
}

export const OFFICE_JS_URL = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
