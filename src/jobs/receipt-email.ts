import { viaTelegram } from '../billing/index.ts';
import { needEmail } from '../bot/screens/need-email.ts';
import type { Mail } from '../mail/index.ts';
import { answeredInChat, type ChatJobDeps, type JobHandler } from './handler.ts';

export interface ReceiptEmailDeps extends ChatJobDeps {
  mail: Mail;
}

/** `receipt.email`: that month's receipt to the resident's confirmed address, and a word in the chat how it went. */
export function receiptEmailJob(deps: ReceiptEmailDeps): JobHandler<'receipt.email'> {
  return answeredInChat(deps, { key: 'receipt-mail-failed', log: 'receipt: the letter could not be sent' }, async (p, t) => {
    const sent = await deps.mail.sendReceiptToResident({ actor: viaTelegram(p.telegramId), accountId: p.accountId, month: p.month, language: p.language });
    if (sent.ok) await deps.api.sendMessage(p.chatId, t('receipt-mail-sent', { month: sent.value.month, address: sent.value.address }));
    else if (sent.error.code === 'email_not_confirmed') {
      const { text, reply_markup } = needEmail(t);
      await deps.api.sendMessage(p.chatId, text, { reply_markup });
    } else throw new Error(`receipt letter: ${sent.error.code}`);
  });
}
