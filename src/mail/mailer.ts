import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger.ts';

export interface Letter {
  to: string;
  subject: string;
  text: string;
  html: string;
  replyTo?: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
  headers?: Record<string, string>;
  /** The sender's name as the resident sees it (the branch); the address is the configured one. */
  fromName?: string;
}

export interface Mailer {
  send(letter: Letter): Promise<void>;
  close(): void;
  /** Where letters go, for the start-up line: «smtp://host:port» (no password) or the outbox folder. */
  readonly where: string;
}

export interface MailerOptions {
  /** smtp://user:pass@host:port (or smtps://); unset: letters are written to `outboxDir` as .eml files. */
  smtpUrl?: string;
  /** The From address; the display name is given per letter's language. */
  from: { name: string; address: string };
  outboxDir: string;
  log: Logger;
}

/**
 * Sends letters through nodemailer: over SMTP when SMTP_URL is set, otherwise into an outbox
 * folder (the embedded default), so a developer can open what a resident would receive.
 * Logs say that a letter went, never to whom or what it said.
 */
export function createMailer(o: MailerOptions): Mailer {
  const compose = ({ fromName, ...letter }: Letter) => ({ ...letter, from: { name: fromName ?? o.from.name, address: o.from.address } });
  if (o.smtpUrl) {
    const url = new URL(o.smtpUrl);
    const transport = nodemailer.createTransport(o.smtpUrl, { from: o.from });
    return {
      where: `${url.protocol}//${url.host}`,
      async send(letter) {
        const info = await transport.sendMail(compose(letter));
        o.log.info({ messageId: info.messageId }, 'mail: letter sent');
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' }, { from: o.from });
  return {
    where: path.resolve(o.outboxDir),
    async send(letter) {
      const info = await transport.sendMail(compose(letter));
      await mkdir(o.outboxDir, { recursive: true });
      const file = path.join(o.outboxDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${info.messageId.replace(/[^\w.-]/g, '')}.eml`);
      await writeFile(file, info.message as Buffer);
      o.log.info({ file }, 'mail: no SMTP_URL, letter written to the outbox');
    },
    close: () => transport.close(),
  };
}
