import type { Api } from 'grammy';
import type { Billing } from '../billing/index.ts';
import type { Translator } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import type { Mail } from '../mail/index.ts';
import type { ReceiptRenderer } from '../pdf/renderer.ts';
import type { JobHandlers } from './handler.ts';
import { monthlyMailingJob } from './monthly-mailing.ts';
import { receiptEmailJob } from './receipt-email.ts';
import { receiptPdfJob } from './receipt-pdf.ts';

/** Every job this instance works: the mailing always, the receipts to a chat when there is a bot to send them through. */
export function jobHandlers(d: { billing: Billing; mail: Mail; renderer: ReceiptRenderer; translator: Translator; log: Logger; api: Api | null }): JobHandlers {
  const chat = d.api ? { api: d.api, translator: d.translator, log: d.log } : null;
  return {
    'mailing.monthly': monthlyMailingJob({ mail: d.mail, log: d.log }),
    ...(chat
      ? {
          'receipt.pdf': receiptPdfJob({ ...chat, billing: d.billing, renderer: d.renderer }),
          'receipt.email': receiptEmailJob({ ...chat, mail: d.mail }),
        }
      : {}),
  };
}
