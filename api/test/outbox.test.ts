import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Em } from '../src/platform/db/orm.js';
import type { MailMessage } from '../src/platform/mail/mail-transport.js';
import { RecordingTransport } from './support/recording-transport.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Holds the first message it is given until the test lets it go, as a slow mail server would. */
class GatedTransport extends RecordingTransport {
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  holding: Promise<void>;
  private held!: () => void;
  constructor() {
    super();
    this.holding = new Promise<void>((resolve) => (this.held = resolve));
  }
  override async send(message: MailMessage) {
    if (!this.sent.length) {
      this.held();
      await this.gate;
    }
    await super.send(message);
  }
  open() {
    this.release();
  }
}

let t: TestApp;
let mail: GatedTransport;

const queue = (subject: string) =>
  (t.app.orm.em.fork() as Em).transactional(async (tx) => {
    t.app.outbox.queue(tx as Em, { to: 'head@school.example', subject, body: 'Hello.' });
  });

// On both databases: a delivery under way holds no transaction (it claims, commits, then sends), so
// even the embedded database, one transaction at a time, takes the second message meanwhile.
describe('the outbox', () => {
  beforeAll(async () => {
    mail = new GatedTransport();
    t = await startTestApp({ mailTransport: mail });
  });
  afterAll(() => t?.stop());

  it('sends mail queued while a run is under way when asked again (a kick during a run is not lost)', async () => {
    await queue('First');
    const first = t.app.outbox.runOnce();
    await mail.holding; // the run has chosen its mail and is talking to the server
    await queue('Second');
    const second = t.app.outbox.runOnce();
    mail.open();
    expect(await first).toEqual({ sent: 1, failed: 0 });
    expect(await second).toEqual({ sent: 1, failed: 0 });
    expect(mail.sent.map((m) => m.subject)).toEqual(['First', 'Second']);
  });
});
