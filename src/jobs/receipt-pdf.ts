import { InlineKeyboard, InputFile } from 'grammy';
import { viaTelegram, type Billing } from '../billing/index.ts';
import { buttons } from '../bot/callback-data.ts';
import type { ReceiptRenderer } from '../pdf/renderer.ts';
import { answeredInChat, type ChatJobDeps, type JobHandler } from './handler.ts';

export interface ReceiptPdfDeps extends ChatJobDeps {
  billing: Billing;
  renderer: ReceiptRenderer;
}

/**
 * `receipt.pdf`: the receipt of a month made and sent as a document, with the caption and the
 * «✉️ Отправить на почту» button; if it cannot be made or sent, the resident is told so.
 */
export function receiptPdfJob(deps: ReceiptPdfDeps): JobHandler<'receipt.pdf'> {
  return answeredInChat(deps, { key: 'receipt-render-failed', log: 'receipt: the PDF could not be made or sent' }, async (p, t) => {
    // The receipt service checks again that the account is the resident's: it may have been
    // unlinked (or the consent withdrawn) since the button was pressed. Then nothing is sent.
    const receipt = await deps.billing.receipts.forMonth({ actor: viaTelegram(p.telegramId), accountId: p.accountId, month: p.month });
    if (!receipt.ok && ['account_not_linked', 'resident_not_found'].includes(receipt.error.code)) return;
    if (!receipt.ok) throw new Error(`receipt: ${receipt.error.code}`);
    const file = await deps.renderer.render(receipt.value, p.language);
    await deps.api.sendDocument(p.chatId, new InputFile(file.pdf, file.filename), {
      caption: t('receipt-caption', { month: file.monthName, number: receipt.value.payer.longNumber }),
      reply_markup: new InlineKeyboard().text(t('receipt-send-email'), buttons.receipt.email.pack({ accountId: p.accountId, month: p.month })),
    });
  });
}
