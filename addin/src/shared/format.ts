/** Dates and times as people in an English council read them, whatever the device's zone. */
const TIME_ZONE = 'Europe/London';

const dateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit' });

export const formatDate = (iso: string) => dateFormat.format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso));
export const formatTime = (iso: string) => timeFormat.format(new Date(iso));
export const formatDateTime = (iso: string) => `${formatDate(iso)}, ${formatTime(iso)}`;

/** An enum value as words: "HEADTEACHER_PERFORMANCE_MANAGEMENT" → "headteacher performance management". */
export const enumWords = (value: string) => value.toLowerCase().replace(/_/g, ' ');

const capitalised = (words: string) => `${words.charAt(0).toUpperCase()}${words.slice(1)}`;

/** "Autumn visit", "Headteacher performance management visit": how a visit type reads in a subject line. */
export const visitTypeLabel = (type: string) => `${capitalised(enumWords(type))} visit`;

export const noteStatusLabel = (status: string | null | undefined) => (status ? capitalised(enumWords(status)) : 'Not started');

/** A person's words ended by one full stop, whether or not they wrote one. */
export const sentence = (text: string) => (/[.!?…]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);

const isoDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const isoTimeFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The London day of a date or an instant, "2027-03-10": what a spreadsheet reads as a date (CSV exports). */
export const isoDay = (iso: string) => (iso.length === 10 ? iso : isoDayFormat.format(new Date(iso)));
/** The London wall-clock time of an instant with its day, "2027-03-10 09:30" (CSV exports). */
export const isoDayTime = (iso: string) => `${isoDay(iso)} ${isoTimeFormat.format(new Date(iso))}`;
