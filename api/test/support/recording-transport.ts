import type { MailMessage, MailTransport } from '../../src/platform/mail/mail-transport.js';

/**
 * A mail transport the test controls: it keeps what it was given, and refuses every
 * message (as an unreachable SMTP server would) while `failing` is set.
 */
export class RecordingTransport implements MailTransport {
  failing = false;
  sent: MailMessage[] = [];
  async send(message: MailMessage) {
    if (this.failing) throw new Error('connect ECONNREFUSED 127.0.0.1:25');
    this.sent.push(message);
  }
}
