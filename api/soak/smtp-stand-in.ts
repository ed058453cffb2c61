import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message as the stand-in received it, raw and with the headers tests look at. */
export interface ReceivedMail {
  raw: string;
  subject: string;
  messageId: string;
  to: string[];
}

/**
 * What the server says to a message once it has the whole of it: resolve to take it
 * (250), throw to refuse it (the error's responseCode, 451 unless given), or take your
 * time first, as a slow server does before answering the end of DATA.
 */
export type Answer = (mail: ReceivedMail) => Promise<void>;

/** An answer held until the test opens it; `holding` resolves once a message is waiting on it. */
export interface Gate {
  answer: Answer;
  holding: Promise<ReceivedMail>;
  open(): void;
}

export function gate(): Gate {
  let open!: () => void;
  let held!: (mail: ReceivedMail) => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const holding = new Promise<ReceivedMail>((resolve) => (held = resolve));
  return {
    holding,
    open,
    answer: async (mail) => {
      held(mail);
      await opened;
    },
  };
}

/** Refuses every message with a temporary failure, as a busy server does. */
export const refuse: Answer = async () => {
  throw Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 });
};

/** Takes a message after `ms`, as a slow server answers the end of DATA. */
export const after =
  (ms: number): Answer =>
  () =>
    new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A real SMTP server on loopback (smtp-server), so the production transport
 * (nodemailer over TCP) is what the tests and the soak drive. Plain SMTP, no
 * authentication; a message is answered by the first rule it matches (by subject
 * or recipient), else by the default answer (`otherwise`), else taken at once.
 */
export class SmtpStandIn {
  /** Messages taken (answered 250), in the order their answer went. */
  readonly accepted: ReceivedMail[] = [];
  /** Messages refused, in order. */
  readonly refused: ReceivedMail[] = [];
  private readonly rules: { match: (mail: ReceivedMail) => boolean; answers: Answer[] }[] = [];
  /** How messages no rule matches are answered (null: taken at once). */
  otherwise: Answer | null = null;

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<SmtpStandIn> {
    // eslint-disable-next-line prefer-const -- assigned once the server it needs exists, below
    let standIn!: SmtpStandIn;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      closeTimeout: 1_000,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const unfolded = raw.replace(/\r?\n(?=[ \t])/g, '');
          const mail: ReceivedMail = {
            raw,
            subject: /^Subject: (.*)$/im.exec(unfolded)?.[1]?.trim() ?? '',
            messageId: /^Message-ID: (.*)$/im.exec(unfolded)?.[1]?.trim() ?? '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          standIn.answer(mail).then(
            () => {
              standIn.accepted.push(mail);
              callback();
            },
            (error: Error & { responseCode?: number }) => {
              standIn.refused.push(mail);
              callback(Object.assign(error, { responseCode: error.responseCode ?? 451 }));
            },
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    standIn = new SmtpStandIn(server, (server.server.address() as AddressInfo).port);
    return standIn;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Answers the next messages with this subject, or to this recipient, in turn (the last answer stays for any after). */
  on(subjectOrRecipient: string, ...answers: Answer[]): void {
    this.rules.push({ match: (mail) => mail.subject === subjectOrRecipient || mail.to.includes(subjectOrRecipient), answers });
  }

  /** Messages with this subject, or to this recipient, that the server took. */
  acceptedFor(subjectOrRecipient: string): ReceivedMail[] {
    return this.accepted.filter((m) => m.subject === subjectOrRecipient || m.to.includes(subjectOrRecipient));
  }

  private answer(mail: ReceivedMail): Promise<void> {
    const answers = this.rules.find((rule) => rule.match(mail))?.answers;
    if (!answers?.length) return this.otherwise ? this.otherwise(mail) : Promise.resolve();
    const next = answers.length > 1 ? answers.shift()! : answers[0]!;
    return next(mail);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
