import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { AppConfig } from '../config.js';
import type { Logger } from '../logger.js';

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

/** The message as nodemailer composes it (SMTP and the development files alike). */
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
      const link = /https?:\/\/\S+/.exec(message.text)?.[0];
      const attachments = message.attachments?.map((a) => a.filename);
      logger.info({ to: message.to, subject: message.subject, file, link, attachments }, 'email written to the development outbox');
    },
  };
}

function smtpTransport(smtpUrl: string, from: string): MailTransport {
  const smtp = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await smtp.sendMail(composed(from, message));
    },
  };
}

export function createMailTransport(mail: AppConfig['mail'], logger: Logger): MailTransport {
  return mail.transport === 'smtp' ? smtpTransport(mail.smtpUrl, mail.from) : fileTransport(mail.outboxDir, mail.from, logger);
}
