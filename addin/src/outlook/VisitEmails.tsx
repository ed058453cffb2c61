import { Badge, Button, Text } from '@fluentui/react-components';
import { formatDateTime } from '../shared/format.js';
import type { PaneVisit } from './appointment-visit.js';

const STATUS_WORDS = { QUEUED: 'Waiting to go', SENDING: 'Sending', SENT: 'Sent', FAILED: 'Not sent' } as const;

/** The visit's emails and whether they went; one that has not gone can be tried again. */
export function VisitEmails({ visit, mayRetry, busy, onRetry }: { visit: PaneVisit; mayRetry: boolean; busy: boolean; onRetry: (emailId: string) => void }) {
  if (!visit.emails.length) return null;
  return (
    <section className="sv-stack" aria-labelledby="sv-emails-heading">
      <Text weight="semibold" as="h3" id="sv-emails-heading" tabIndex={-1}>
        Emails about this visit
      </Text>
      <ul className="sv-agenda" data-testid="visit-emails">
        {visit.emails.map((email) => (
          <li key={email.id} data-email-status={email.status}>
            <Text>
              {email.subject} to {email.toAddress}
            </Text>{' '}
            <Badge appearance="tint" color={email.status === 'FAILED' ? 'danger' : email.status === 'SENT' ? 'success' : 'informative'}>
              {STATUS_WORDS[email.status]}
            </Badge>
            {email.sentAt && <Text size={200}> {formatDateTime(email.sentAt)}</Text>}
            {email.status !== 'SENT' && email.lastError && <Text size={200}> ({email.lastError})</Text>}
            {mayRetry && (email.status === 'FAILED' || (email.status === 'QUEUED' && email.lastError)) && (
              <Button size="small" disabledFocusable={busy} onClick={() => onRetry(email.id)} aria-label={`Send again: ${email.subject} to ${email.toAddress}`}>
                Send again
              </Button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
