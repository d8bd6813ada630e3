import { InlineKeyboard, type Api } from 'grammy';
import { viaTelegram } from '../billing/index.ts';
import { buttons } from '../bot/callback-data.ts';
import type { Translator } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import type { Mail } from '../mail/index.ts';
import type { JobHandler } from './handler.ts';

export interface ReceiptEmailDeps {
  mail: Mail;
  translator: Translator;
  api: Api;
  log: Logger;
}

/** `receipt.email`: that month's receipt to the resident's confirmed address, and a word in the chat how it went. */
export function receiptEmailJob(deps: ReceiptEmailDeps): JobHandler<'receipt.email'> {
  return async (p, meta) => {
    const t = deps.translator(p.language);
    const failed = () => deps.api.sendMessage(p.chatId, t('receipt-mail-failed')).then(() => undefined);
    // Cut off before: the letter may have gone out; no second one.
    if (meta.retried) return failed();
    try {
      const sent = await deps.mail.sendReceiptToResident({ actor: viaTelegram(p.telegramId), accountId: p.accountId, month: p.month, language: p.language });
      if (sent.ok) await deps.api.sendMessage(p.chatId, t('receipt-mail-sent', { month: sent.value.month, address: sent.value.address }));
      else if (sent.error.code === 'email_not_confirmed')
        await deps.api.sendMessage(p.chatId, t('receipt-need-email'), { reply_markup: new InlineKeyboard().text(t('email-set'), buttons.email.set.pack({})) });
      else await failed();
    } catch (err) {
      deps.log.error({ err, job: meta.jobId }, 'receipt: the letter could not be sent');
      await failed().catch(() => undefined);
    }
  };
}
