import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DevIssuer } from '../../src/platform/auth/dev-issuer.js';
import type { MailTransport } from '../../src/platform/mail/mail-transport.js';
import { TEST_DATA_ROOT } from './test-database.js';

/**
 * What the suite issued that must never reach a log line: every email the test apps sent (the
 * school's links are in them) and every bearer token the development issuer signed. Each test
 * process appends to a file of its own under TEST_DATA_ROOT/issued; global teardown reads them
 * all (log-check.ts) and looks for each secret in every log file the suite wrote.
 */
export const ISSUED_DIR = path.join(TEST_DATA_ROOT, 'issued');
const file = path.join(ISSUED_DIR, `${process.pid}.jsonl`);

export function recordIssued(kind: 'email' | 'bearer', text: string): void {
  mkdirSync(ISSUED_DIR, { recursive: true });
  appendFileSync(file, `${JSON.stringify({ kind, text })}\n`);
}

/** The transport the app sends through, with every message's text recorded first. */
export function recordingMail(transport: MailTransport): MailTransport {
  return {
    send(message) {
      recordIssued('email', message.text);
      return transport.send(message);
    },
  };
}

/** Records every token the issuer signs from now on, including those /dev/token hands out (the same object). */
export function recordTokensOf(issuer: DevIssuer): void {
  const { signForPerson, signForService } = issuer;
  issuer.signForPerson = async (...args) => {
    const token = await signForPerson(...args);
    recordIssued('bearer', token);
    return token;
  };
  issuer.signForService = async (...args) => {
    const token = await signForService(...args);
    recordIssued('bearer', token);
    return token;
  };
}
