import type { ApiClient } from '../shared/api/api-client.js';
import { findLinkedVisit, moveVisitToAppointment, rewriteAgendaBlock, timesDiffer, updateVisitAttendees } from './appointment-visit.js';
import { outlookAppointment, type OutlookAppointment } from './office-adapter.js';
import type { LaunchEvent, OfficeApi } from './office-api.js';

/**
 * Event-based activation (manifest.xml, LaunchEvent; Mailbox 1.10): Outlook runs these
 * while the organiser edits a booked appointment with the pane closed, so the visit
 * keeps in step with what the school will read. The function names are the manifest's
 * FunctionName values.
 */
export const LAUNCH_EVENT_FUNCTIONS = {
  OnAppointmentTimeChanged: 'onAppointmentTimeChanged',
  OnAppointmentAttendeesChanged: 'onAppointmentAttendeesChanged',
} as const;

export interface LaunchEventOutcome {
  event: keyof typeof LAUNCH_EVENT_FUNCTIONS;
  result: 'moved' | 'attendees updated' | 'unchanged' | 'not a booked visit' | 'failed';
  detail?: string;
}

/** The booked visit of this appointment, or null: an unbooked, cancelled or completed one is left alone. */
async function bookedVisit(appointment: OutlookAppointment, api: ApiClient) {
  if (appointment.surface !== 'organiser') return null;
  const visit = await findLinkedVisit(appointment, api);
  return visit?.status === 'BOOKED' ? visit : null;
}

async function onTimeChanged(appointment: OutlookAppointment, api: ApiClient): Promise<LaunchEventOutcome> {
  const visit = await bookedVisit(appointment, api);
  if (!visit) return { event: 'OnAppointmentTimeChanged', result: 'not a booked visit' };
  const times = await appointment.times();
  if (!timesDiffer(visit, times)) return { event: 'OnAppointmentTimeChanged', result: 'unchanged' };
  // With the version loaded just now: a visit changed meanwhile elsewhere is refused (CONFLICT), never overwritten.
  const moved = await moveVisitToAppointment(api, visit, times);
  await rewriteAgendaBlock(appointment, moved);
  return { event: 'OnAppointmentTimeChanged', result: 'moved' };
}

async function onAttendeesChanged(appointment: OutlookAppointment, api: ApiClient): Promise<LaunchEventOutcome> {
  const visit = await bookedVisit(appointment, api);
  if (!visit) return { event: 'OnAppointmentAttendeesChanged', result: 'not a booked visit' };
  await updateVisitAttendees(appointment, api, visit);
  return { event: 'OnAppointmentAttendeesChanged', result: 'attendees updated' };
}

/**
 * Associates the handlers with Office. Each one calls event.completed() whatever
 * happens (Outlook otherwise shows the add-in as not responding and, for a send,
 * waits on it); a failure never blocks the organiser's edit, it is reported to
 * `onOutcome` (the development page shows it) and the pane's "Move the visit" remains.
 */
export function registerLaunchEvents(
  office: OfficeApi,
  api: () => Promise<ApiClient>,
  onOutcome: (outcome: LaunchEventOutcome) => void = () => undefined,
): void {
  const handler =
    (event: LaunchEventOutcome['event'], work: (appointment: OutlookAppointment, api: ApiClient) => Promise<LaunchEventOutcome>) =>
    (launchEvent: LaunchEvent) => {
      (async () => work(outlookAppointment(office), await api()))()
        .then(onOutcome, (error: unknown) => onOutcome({ event, result: 'failed', detail: error instanceof Error ? error.message : String(error) }))
        .finally(() => launchEvent.completed());
    };
  office.actions?.associate(LAUNCH_EVENT_FUNCTIONS.OnAppointmentTimeChanged, handler('OnAppointmentTimeChanged', onTimeChanged));
  office.actions?.associate(LAUNCH_EVENT_FUNCTIONS.OnAppointmentAttendeesChanged, handler('OnAppointmentAttendeesChanged', onAttendeesChanged));
}
