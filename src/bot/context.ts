import type { Context, SessionFlavor } from 'grammy';
import type { ConversationFlavor } from '@grammyjs/conversations';
import type { I18nFlavor } from '@grammyjs/i18n';
import type { Billing, Language } from '../billing/index.ts';
import type { Mail } from '../mail/index.ts';
import type { ReceiptRenderer } from '../pdf/renderer.ts';
import type { Jobs } from '../jobs/queues.ts';
import type { Logger } from '../logger.ts';
import type { AttemptLimits } from './limits.ts';
import type { FileStore } from '../files/store.ts';

/** Kept per Telegram user in Redis: only what is needed before the database is asked. */
export interface SessionData {
  language?: Language;
  /** Cached answer of the consent screen; the database holds the record of it. */
  consent?: 'accepted' | 'declined';
}

export interface BotDeps {
  billing: Billing;
  limits: AttemptLimits;
  log: Logger;
  /** Version of the consent text in templates (consent-text); recorded with every consent. */
  consentVersion: string;
  /** Where what residents send goes: meter photos now, accident photos and meter documents too. */
  files: FileStore;
  /** Where the Bot API serves a file by its `file_path` from getFile (the URL holds the token: never log it). */
  telegramFile: (filePath: string) => { url: string };
  /** The confirmation code, receipts by e-mail. */
  mail: Mail;
  /** Receipt PDFs (in worker threads in production). */
  renderer: ReceiptRenderer;
  /** Slow work (a PDF, a letter) handed to the job runner, done after the update has been answered. */
  jobs: Jobs;
  /** OPERATORS_CHAT_ID: the operators' group of the branches that name none of their own (null or unset: none). */
  operatorsChatId?: number | null;
  /** OPERATOR_SIGNATURES: an operator's reply in the operators' chat (chat.ftl) carries their first name. */
  operatorSignatures?: boolean;
  /** The clock, the billing's (tests pin it); unset: the real one. */
  now?: () => Date;
}

export type BotContext = ConversationFlavor<Context & SessionFlavor<SessionData> & I18nFlavor>;
/** Inside a conversation: a plain context with i18n; the session is not used there. */
export type ConversationContext = Context & I18nFlavor;
