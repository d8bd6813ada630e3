import { InlineKeyboard, InputFile, type Api } from 'grammy';
import type { Billing } from '../billing/index.ts';
import type { Translator } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import type { ReceiptRenderer } from '../pdf/renderer.ts';
import type { JobHandler } from './handler.ts';

export interface ReceiptPdfDeps {
  billing: Billing;
  renderer: ReceiptRenderer;
  translator: Translator;
  /** The Bot API the document goes through. */
  api: Api;
  log: Logger;
  now?: () => Date;
}

/**
 * `receipt.pdf`: the receipt of a month made and sent as a document, with the caption and the
 * «✉️ Отправить на почту» button; if it cannot be made or sent, the resident is told so.
 */
export function receiptPdfJob(deps: ReceiptPdfDeps): JobHandler<'receipt.pdf'> {
  return async (p, meta) => {
    const t = deps.translator(p.language);
    const failed = () => deps.api.sendMessage(p.chatId, t('receipt-render-failed')).then(() => undefined);
    // The attempt before was cut off: it may have sent the PDF. Saying it failed is better than sending it twice.
    if (meta.retried) return failed();
    try {
      const linked = await deps.billing.residents.assertLinked({ telegramId: p.telegramId, accountId: p.accountId });
      if (!linked.ok) return; // unlinked since the button was pressed: nothing to send
      const receipt = await deps.billing.receipts.forMonth({ accountId: p.accountId, month: p.month });
      if (!receipt.ok) throw new Error(`receipt: ${receipt.error.code}`);
      const file = await deps.renderer.render(receipt.value, p.language, deps.now?.() ?? new Date());
      await deps.api.sendDocument(p.chatId, new InputFile(file.pdf, file.filename), {
        caption: t('receipt-caption', { month: file.monthName, number: receipt.value.payer.longNumber }),
        reply_markup: new InlineKeyboard().text(t('receipt-send-email'), `rm:${p.accountId}:${p.month}`),
      });
    } catch (err) {
      deps.log.error({ err, job: meta.jobId }, 'receipt: the PDF could not be made or sent');
      await failed().catch(() => undefined);
    }
  };
}
