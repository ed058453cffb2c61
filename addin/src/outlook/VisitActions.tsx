import { Button, Field, Input, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../shared/api/api-client.js';
import { formatDate, visitTypeLabel } from '../shared/format.js';
import type { VisitType } from '../shared/graphql/generated/graphql.js';
import { agendaEdited, changeVisitType, mayEditAgenda, type AgendaTemplateForPane, type PaneVisit } from './appointment-visit.js';
import { VisitTypeDropdown } from './VisitTypeDropdown.js';
import type { OutlookAppointment } from './office-adapter.js';
import { CancelVisitMutation, CompleteVisitMutation, SendSchoolSectionLinkMutation } from './outlook.documents.js';
import type { usePaneAction } from './use-pane-action.js';

type Action = ReturnType<typeof usePaneAction>;

/**
 * What the partner can do to the visit from the pane, each only where the API allows
 * it: complete it once it has taken place, cancel it with a reason, change its type
 * (bringing that type's agenda, asking first when the partner edited the agenda), and
 * send the school the link to its section of the visit record.
 */
export function VisitActions({
  api,
  appointment,
  visit,
  past,
  templates,
  isManager,
  action,
  onChanged,
}: {
  api: ApiClient;
  appointment: OutlookAppointment;
  visit: PaneVisit;
  past: boolean;
  templates: readonly AgendaTemplateForPane[];
  isManager: boolean;
  action: Action;
  onChanged: (visit: PaneVisit, options: { focus: 'heading' | 'stay' }) => Promise<void>;
}) {
  const [reason, setReason] = useState('');
  const [recipient, setRecipient] = useState('');
  const [newType, setNewType] = useState<VisitType>(visit.type);
  /** Asked before replacing an agenda the partner edited. */
  const [confirmType, setConfirmType] = useState<VisitType | null>(null);
  const booked = visit.status === 'BOOKED';
  const organiser = appointment.surface === 'organiser';
  const busy = !!action.busy;

  const changeType = (type: VisitType, replaceAgenda: boolean) =>
    action.run('type', async () => {
      const next = await changeVisitType(appointment, api, visit, { type, replaceAgenda, templates, isManager });
      setConfirmType(null);
      await onChanged(next, { focus: 'heading' });
      return `Now a ${visitTypeLabel(type).toLowerCase()}${replaceAgenda ? ', with its agenda' : ', agenda kept'}.`;
    });
  const askOrChange = (type: VisitType) => {
    const template = templates.find((t) => t.visitType === visit.type);
    if (agendaEdited(visit, template)) setConfirmType(type);
    else void changeType(type, true);
  };
  /** A fixed agenda (round table) comes with its type: keeping the old one is not offered to whoever may not edit it. */
  const mayKeepAgenda = (type: VisitType) => mayEditAgenda(type, templates, isManager);

  return (
    <>
      {organiser && booked && (
        <section className="sv-stack" aria-labelledby="sv-type-heading">
          <Text weight="semibold" as="h3" id="sv-type-heading">
            Type of visit
          </Text>
          <div className="sv-row">
            <Field label="Change the type to" style={{ flex: '1 1 180px' }}>
              <VisitTypeDropdown value={newType} onChange={setNewType} />
            </Field>
            <Button disabledFocusable={busy || newType === visit.type} onClick={() => askOrChange(newType)}>
              {action.busy === 'type' ? 'Changing…' : 'Change the type'}
            </Button>
          </div>
          {confirmType && (
            <MessageBar intent="warning" layout="multiline" data-testid="confirm-agenda">
              <MessageBarBody>
                <MessageBarTitle>Replace your agenda?</MessageBarTitle> You edited this visit’s agenda. A {visitTypeLabel(confirmType).toLowerCase()} has its
                own agenda{mayKeepAgenda(confirmType) ? '; replace yours with it, or keep yours?' : ', which is fixed: yours will be replaced.'}
              </MessageBarBody>
              <MessageBarActions>
                <Button size="small" appearance="primary" disabledFocusable={busy} onClick={() => void changeType(confirmType, true)}>
                  Replace the agenda
                </Button>
                {mayKeepAgenda(confirmType) && (
                  <Button size="small" disabledFocusable={busy} onClick={() => void changeType(confirmType, false)}>
                    Keep my agenda
                  </Button>
                )}
                <Button size="small" onClick={() => setConfirmType(null)}>
                  Don’t change the type
                </Button>
              </MessageBarActions>
            </MessageBar>
          )}
        </section>
      )}
      {visit.status !== 'CANCELLED' && (
        <section className="sv-stack" aria-labelledby="sv-school-link-heading">
          <Text weight="semibold" as="h3" id="sv-school-link-heading">
            The school’s section
          </Text>
          <Field label="Send the link to" hint="Leave empty to send it to the headteacher. Earlier links stop working.">
            <Input type="email" value={recipient} onChange={(_e, d) => setRecipient(d.value)} />
          </Field>
          <Button
            disabledFocusable={busy}
            style={{ alignSelf: 'flex-start' }}
            onClick={() =>
              void action.run('link', async () => {
                const { sendSchoolSectionLink } = await api.request(SendSchoolSectionLinkMutation, {
                  visitId: visit.id,
                  recipientEmail: recipient.trim() || null,
                });
                setRecipient('');
                return `Link sent to ${sendSchoolSectionLink.recipientEmail}; it works until ${formatDate(sendSchoolSectionLink.expiresAt)}.`;
              })
            }
          >
            {action.busy === 'link' ? 'Sending…' : 'Send the school its link'}
          </Button>
        </section>
      )}
      {booked && (
        <section className="sv-stack" aria-labelledby="sv-close-heading">
          <Text weight="semibold" as="h3" id="sv-close-heading">
            {past ? 'Complete or cancel' : 'Cancel the visit'}
          </Text>
          {past && (
            <Button
              appearance="primary"
              style={{ alignSelf: 'flex-start' }}
              disabledFocusable={busy}
              onClick={() =>
                void action.run('complete', async () => {
                  const { completeVisit } = await api.request(CompleteVisitMutation, { id: visit.id, expectedVersion: visit.version });
                  await onChanged(completeVisit, { focus: 'heading' });
                  return 'Visit completed.';
                })
              }
            >
              {action.busy === 'complete' ? 'Completing…' : 'Mark the visit completed'}
            </Button>
          )}
          <Field label="Reason for cancelling" hint="Kept with the visit.">
            <Input value={reason} onChange={(_e, d) => setReason(d.value)} />
          </Field>
          <Button
            style={{ alignSelf: 'flex-start' }}
            disabledFocusable={busy || !reason.trim()}
            onClick={() =>
              void action.run('cancel', async () => {
                const { cancelVisit } = await api.request(CancelVisitMutation, { id: visit.id, expectedVersion: visit.version, reason: reason.trim() });
                setReason('');
                await onChanged(cancelVisit, { focus: 'heading' });
                return 'Visit cancelled; its time is freed.';
              })
            }
          >
            {action.busy === 'cancel' ? 'Cancelling…' : 'Cancel the visit'}
          </Button>
        </section>
      )}
    </>
  );
}
