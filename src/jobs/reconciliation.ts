import { InputFile } from 'grammy';
import { viaTelegram, type Billing } from '../billing/index.ts';
import { needEmail } from '../bot/screens/need-email.ts';
import type { Mail } from '../mail/index.ts';
import type { ReceiptRenderer } from '../pdf/renderer.ts';
import { addressLine } from '../words.ts';
import { answeredInChat, type ChatJobDeps, type JobHandler } from './handler.ts';
import type { ReconciliationRequest } from './queues.ts';

export interface ReconciliationJobDeps extends ChatJobDeps {
  billing: Billing;
  renderer: ReceiptRenderer;
}

/**
 * The document of a reconciliation, read again on behalf of the resident (the account may have
 * been unlinked since the button was pressed: then null, and nothing is sent).
 */
export async function reconciliationDocument(billing: Billing, p: ReconciliationRequest, t: (key: string, vars?: Record<string, string | number>) => string) {
  const actor = viaTelegram(p.telegramId);
  const [recon, summary] = await Promise.all([
    billing.balance.reconciliation({ actor, accountId: p.accountId, from: p.from, to: p.to }),
    billing.accounts.summary({ actor, accountId: p.accountId }),
  ]);
  if (!summary.ok || (!recon.ok && ['account_not_linked', 'resident_not_found'].includes(recon.error.code))) return null;
  if (!recon.ok) throw new Error(`reconciliation: ${recon.error.code}`);
  return { reconciliation: recon.value, longNumber: summary.value.longNumber, address: addressLine(t, summary.value.address), issuedOn: recon.value.today };
}

/** `reconciliation.pdf`: the reconciliation made and sent as a document in the chat. */
export function reconciliationPdfJob(deps: ReconciliationJobDeps): JobHandler<'reconciliation.pdf'> {
  return answeredInChat(deps, { key: 'recon-failed', log: 'reconciliation: the PDF could not be made or sent' }, async (p, t) => {
    const doc = await reconciliationDocument(deps.billing, p, t);
    if (!doc) return;
    const file = await deps.renderer.reconciliation(doc, p.language);
    await deps.api.sendDocument(p.chatId, new InputFile(file.pdf, file.filename), {
      caption: t('recon-caption', { from: file.fromName, to: file.toName, number: doc.longNumber }),
    });
  });
}

/** `reconciliation.email`: the same document to the resident's confirmed address, and a word in the chat. */
export function reconciliationEmailJob(deps: ChatJobDeps & { mail: Mail }): JobHandler<'reconciliation.email'> {
  return answeredInChat(deps, { key: 'recon-failed', log: 'reconciliation: the letter could not be sent' }, async (p, t) => {
    const sent = await deps.mail.sendReconciliationToResident(p);
    if (sent.ok) await deps.api.sendMessage(p.chatId, t('recon-mail-sent', { address: sent.value.address }));
    else if (sent.error.code === 'email_not_confirmed') {
      const { text, reply_markup } = needEmail(t);
      await deps.api.sendMessage(p.chatId, text, { reply_markup });
    } else if (!['account_not_linked', 'resident_not_found'].includes(sent.error.code)) throw new Error(`reconciliation letter: ${sent.error.code}`);
  });
}
