import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { redactUrl } from '../http/secret-urls.js';

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface MailMessage {
  id: string;
  to: string;
  /** The recipient's name, shown in the To header when known. */
  toName?: string | null;
  subject: string;
  text: string;
  attachments?: MailAttachment[];
}

/**
 * The message as nodemailer composes it (SMTP and the development files alike).
 * Its Message-ID comes from the outbox row's id, so every attempt at one email
 * carries the same Message-ID: delivery is at-least-once (outbox.ts), and a copy
 * sent twice is recognisable as the same message by mail programs and servers.
 */
function composed(from: string, message: MailMessage) {
  return {
    from,
    to: message.toName ? { name: message.toName, address: message.to } : message.to,
    subject: message.subject,
    text: message.text,
    messageId: `<${message.id}@school-visits>`,
    attachments: message.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
  };
}

/** Hands a composed message to whatever carries mail; throws when it cannot. */
export interface MailTransport {
  send(message: MailMessage): Promise<void>;
}

/**
 * Development: each message becomes an .eml file in a folder (open it in any mail
 * program), and the log says where. Built by nodemailer, so it is the very
 * message SMTP would carry.
 */
function fileTransport(outboxDir: string, from: string, logger: Logger): MailTransport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await composer.sendMail(composed(from, message));
      await mkdir(outboxDir, { recursive: true });
      const file = path.join(outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${message.id}.eml`);
      await writeFile(file, info.message as Buffer);
      // The link is a school's key: the log shows which page it opens, the .eml file holds it.
      const found = /https?:\/\/\S+/.exec(message.text)?.[0];
      const link = found ? redactUrl(found) : undefined;
      const attachments = message.attachments?.map((a) => a.filename);
      logger.info({ to: message.to, subject: message.subject, file, link, attachments }, 'email written to the development outbox');
    },
  };
}

/**
 * SMTP timeouts unless configured (config.ts). nodemailer's own defaults (two minutes to connect,
 * ten of silence) would let one send outlast the outbox's claim on it. The socket timeout is the
 * longest silence at any step; it must outlast a slow server's answer to a message's end (seen:
 * 65 s, issue 18), so it is two minutes.
 */
export const SMTP_TIMEOUT_DEFAULTS = { connectionTimeoutMs: 30_000, greetingTimeoutMs: 30_000, socketTimeoutMs: 120_000 } as const;

/**
 * The whole of one send, whatever each step took: then the connection is closed and the
 * attempt fails. Kept under the outbox's lease (SEND_LEASE_MS in outbox.ts), so a send is
 * given up before its claim lapses and another sender may take the message.
 */
export const SMTP_SEND_DEADLINE_MS = 5 * 60_000;

type SmtpConfig = Extract<AppConfig['mail'], { transport: 'smtp' }>;

/** Production: one SMTP connection per message (nothing pooled to go stale), with every wait bounded. */
function smtpTransport(mail: SmtpConfig): MailTransport {
  const smtp = nodemailer.createTransport({
    url: mail.smtpUrl,
    connectionTimeout: mail.connectionTimeoutMs ?? SMTP_TIMEOUT_DEFAULTS.connectionTimeoutMs,
    greetingTimeout: mail.greetingTimeoutMs ?? SMTP_TIMEOUT_DEFAULTS.greetingTimeoutMs,
    socketTimeout: mail.socketTimeoutMs ?? SMTP_TIMEOUT_DEFAULTS.socketTimeoutMs,
  });
  return {
    async send(message) {
      try {
        await smtp.sendMail({ ...composed(mail.from, message), signal: AbortSignal.timeout(SMTP_SEND_DEADLINE_MS) });
      } catch (error) {
        if ((error as { code?: string })?.code !== 'EABORT') throw error;
        throw new Error(`the mail server did not take the message within ${SMTP_SEND_DEADLINE_MS / 60_000} minutes`, { cause: error });
      }
    },
  };
}

export function createMailTransport(mail: AppConfig['mail'], logger: Logger): MailTransport {
  return mail.transport === 'smtp' ? smtpTransport(mail) : fileTransport(mail.outboxDir, mail.from, logger);
}
