import { Api } from 'grammy';
import type { Billing } from '../billing/index.ts';
import type { Translator } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import type { Mail } from '../mail/index.ts';
import type { ReceiptRenderer } from '../pdf/renderer.ts';
import type { JobHandlers } from './handler.ts';
import { monthlyMailingJob } from './monthly-mailing.ts';
import { noticeJob, noticesDeliverJob } from './notice.ts';
import type { Pace } from './pace.ts';
import { remindersPlanJob } from './reminders.ts';
import type { Jobs } from './queues.ts';
import { receiptEmailJob } from './receipt-email.ts';
import { receiptPdfJob } from './receipt-pdf.ts';
import { reconciliationEmailJob, reconciliationPdfJob } from './reconciliation.ts';
import { requestCardJob } from './request-card.ts';
import { requestFilesJob } from './request-files.ts';
import type { FileStore } from '../files/store.ts';
import { requestsSweepJob } from './requests-sweep.ts';
import { chatRelayJob, type RelayLimits } from './chat-relay.ts';

/** The download address of a file the Bot API holds, on the server this Api talks to. */
const fileUrlOf = (api: Api) => (filePath: string) => ({ url: `${api.options?.apiRoot ?? 'https://api.telegram.org'}/file/bot${api.token}/${filePath}` });

/**
 * Every job this instance works: the mailing, the requests' clock and the reminders' planning always; what goes through
 * Telegram (receipts to a chat, notices and their delivery, the operators' cards, the requests' files) when there
 * is a bot to send it through.
 */
export function jobHandlers(d: {
  billing: Billing;
  mail: Mail;
  renderer: ReceiptRenderer;
  translator: Translator;
  log: Logger;
  api: Api | null;
  /** The runner's own front: the sweep hands the notices and cards it causes to it. */
  jobs: Jobs;
  /** OPERATORS_CHAT_ID (null: only the branches' own groups). */
  operatorsChatId?: number | null;
  /** Where the requests' photos and documents are copied (with the bot). */
  files?: FileStore | null;
  /** The per-group limit of the operators' chat relay (config; tests make it fast). */
  relayLimits?: Partial<RelayLimits>;
  /** The pace of the notices by Telegram for all instances (src/jobs/pace.ts); default this process's own. */
  pace?: Pace;
  /** The pace of the letters to the mail server for all instances (`{mail}` keys); default this process's own. */
  mailPace?: Pace;
}): JobHandlers {
  const chat = d.api ? { api: d.api, translator: d.translator, log: d.log } : null;
  // The notices' own Api, without the bot's auto-retry: a 429 goes to the shared pace, which pauses every sender.
  // Without a bot the outbox still delivers its e-mail channel.
  const noticeDeps = {
    api: d.api ? new Api(d.api.token, d.api.options) : null,
    billing: d.billing,
    translator: d.translator,
    log: d.log,
    mail: d.mail,
    ...(d.pace ? { pace: d.pace } : {}),
    ...(d.mailPace ? { mailPace: d.mailPace } : {}),
  };
  return {
    'mailing.monthly': monthlyMailingJob({
      billing: d.billing,
      mail: d.mail,
      translator: d.translator,
      log: d.log,
      ...(d.mailPace ? { mailPace: d.mailPace } : {}),
    }),
    'notices.deliver': noticesDeliverJob(noticeDeps),
    'reminders.plan': remindersPlanJob({ billing: d.billing, jobs: d.jobs, log: d.log }),
    'requests.sweep': requestsSweepJob({
      billing: d.billing,
      jobs: d.jobs,
      log: d.log,
      operatorsChatId: d.operatorsChatId ?? null,
      copiesFiles: Boolean(chat && d.files),
    }),
    ...(chat
      ? {
          'receipt.pdf': receiptPdfJob({ ...chat, billing: d.billing, renderer: d.renderer }),
          'receipt.email': receiptEmailJob({ ...chat, mail: d.mail }),
          'reconciliation.pdf': reconciliationPdfJob({ ...chat, billing: d.billing, renderer: d.renderer }),
          'reconciliation.email': reconciliationEmailJob({ ...chat, mail: d.mail }),
          notice: noticeJob(noticeDeps),
          'request.card': requestCardJob({ ...chat, billing: d.billing, operatorsChatId: d.operatorsChatId ?? null, files: d.files ?? null }),
          'chat.relay': chatRelayJob({
            ...chat,
            billing: d.billing,
            jobs: d.jobs,
            operatorsChatId: d.operatorsChatId ?? null,
            ...(d.relayLimits ? { limits: d.relayLimits } : {}),
          }),
          ...(d.files
            ? {
                'request.files': requestFilesJob({ api: chat.api, billing: d.billing, jobs: d.jobs, files: d.files, fileUrl: fileUrlOf(chat.api), log: d.log }),
              }
            : {}),
        }
      : {}),
  };
}
