import { viaTelegram, type Billing, type DomainError, type ReceiptData, type Result, type ResidentActor } from '../billing/index.ts';
import { EMAIL_CODE, type DueMailing } from '../billing/email.ts';
import { fail, ok } from '../billing/result.ts';
import type { Translator } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import type { ReceiptRenderer } from '../pdf/renderer.ts';
import { reconciliationDocument } from '../jobs/reconciliation.ts';
import type { ReconciliationRequest } from '../jobs/queues.ts';
import { codeLetter, receiptLetter, reconciliationLetter } from './letters.ts';
import type { Mailer } from './mailer.ts';

export interface MailDeps {
  billing: Billing;
  mailer: Mailer;
  renderer: ReceiptRenderer;
  translator: Translator;
  /** Where the web part is reachable from a mail client: the unsubscribe links point there. */
  publicUrl: string;
  log: Logger;
}

/** The letter could not be handed to the mail server. */
export type MailFailed = { code: 'mail_failed' };

/**
 * E-mail as the front doors use it: the confirmation code, a receipt on request, and the monthly
 * receipts of the subscriptions. Data comes from the billing services; nothing here touches the ORM.
 */
export function createMail(deps: MailDeps) {
  const log = deps.log.child({ part: 'mail' });

  const send = async (what: string, letter: Parameters<Mailer['send']>[0]): Promise<boolean> => {
    try {
      await deps.mailer.send(letter);
      return true;
    } catch (err) {
      // The server's answer, not the letter; an address the server repeats («<a@b.ru>: rejected») is cut out.
      const reason = (err instanceof Error ? err.message : String(err)).replace(/[^\s<>()@]+@[^\s<>()@]+/g, '[address]');
      log.warn({ what, reason }, 'mail: could not send');
      return false;
    }
  };

  const unsubscribeUrl = (token: string, language: string) => `${deps.publicUrl}/mail/unsubscribe/${token}?lang=${language}`;

  /** One month's receipt (already read, so the account's right was checked) as a letter to `to`. */
  async function mailReceipt(
    receipt: ReceiptData,
    o: { to: string; language: string; unsubscribeToken?: string },
  ): Promise<Result<{ month: string; address: string }, MailFailed>> {
    const t = deps.translator(o.language);
    const file = await deps.renderer.render(receipt, o.language);
    const letter = receiptLetter(t, o.language, receipt, file, o.unsubscribeToken ? { unsubscribeUrl: unsubscribeUrl(o.unsubscribeToken, o.language) } : {});
    return (await send('receipt', { to: o.to, ...letter })) ? ok({ month: file.monthName, address: o.to }) : fail({ code: 'mail_failed' as const });
  }

  return {
    /**
     * A new code for the address the resident typed, sent at once. The code is never returned:
     * it lives only in the letter (and as a hash in the database).
     */
    async sendCode(o: {
      actor: ResidentActor;
      address: string;
      language: string;
    }): Promise<Result<{ address: string; minutes: number }, DomainError | MailFailed>> {
      const requested = await deps.billing.email.requestCode({ actor: o.actor, address: o.address });
      if (!requested.ok) return requested;
      const t = deps.translator(o.language);
      const letter = codeLetter(t, o.language, { code: requested.value.code, minutes: EMAIL_CODE.ttlMinutes });
      const sent = await send('code', { to: requested.value.address, ...letter });
      return sent ? ok({ address: requested.value.address, minutes: EMAIL_CODE.ttlMinutes }) : fail({ code: 'mail_failed' as const });
    },

    /**
     * The web pages' sign-in code, to a confirmed address. An address nobody has confirmed gets
     * no letter, and the same answer: the page tells nobody whose address it is.
     */
    async sendSignInCode(o: { address: string; language: string }): Promise<Result<{ minutes: number }, DomainError | MailFailed>> {
      const requested = await deps.billing.email.requestSignInCode({ address: o.address });
      if (!requested.ok) return requested.error.code === 'unknown_address' ? ok({ minutes: EMAIL_CODE.ttlMinutes }) : requested;
      const t = deps.translator(requested.value.language);
      const letter = codeLetter(t, requested.value.language, { code: requested.value.code, minutes: EMAIL_CODE.ttlMinutes });
      const sent = await send('sign-in code', { to: requested.value.address, ...letter });
      return sent ? ok({ minutes: EMAIL_CODE.ttlMinutes }) : fail({ code: 'mail_failed' as const });
    },
    /** «Отправить на почту»: a receipt the resident asked for, to their confirmed address. */
    async sendReceiptToResident(o: {
      actor: ResidentActor;
      accountId: number;
      month: string;
      language: string;
    }): Promise<Result<{ address: string; month: string }, DomainError | MailFailed>> {
      // The receipt first: its service checks that the account is still the resident's.
      const receipt = await deps.billing.receipts.forMonth({ actor: o.actor, accountId: o.accountId, month: o.month });
      if (!receipt.ok) return receipt;
      const email = await deps.billing.email.get({ actor: o.actor });
      if (!email.ok) return email;
      if (!email.value.address) return fail({ code: 'email_not_confirmed' as const });
      return mailReceipt(receipt.value, { to: email.value.address, language: o.language });
    },

    /** The reconciliation, `recon-mail`: the document, to the resident's confirmed address. */
    async sendReconciliationToResident(p: ReconciliationRequest): Promise<Result<{ address: string }, DomainError | MailFailed>> {
      const actor = viaTelegram(p.telegramId);
      const t = deps.translator(p.language);
      // The document first: its services check that the account is still the resident's.
      const doc = await reconciliationDocument(deps.billing, p, t);
      if (!doc) return fail({ code: 'account_not_linked' as const });
      const email = await deps.billing.email.get({ actor });
      if (!email.ok) return email;
      if (!email.value.address) return fail({ code: 'email_not_confirmed' as const });
      const file = await deps.renderer.reconciliation(doc, p.language);
      const letter = reconciliationLetter(t, p.language, doc, file);
      return (await send('reconciliation', { to: email.value.address, ...letter }))
        ? ok({ address: email.value.address })
        : fail({ code: 'mail_failed' as const });
    },

    /**
     * The monthly mailing: every subscription whose account has a new statement gets its receipt,
     * once (the billing service claims each before it is sent, so several instances can run this).
     * Batches follow each other by subscription id; with a `deadline` the run stops after the batch
     * in hand and the next run goes on.
     */
    async sendDueReceipts(o: { batch?: number; deadline?: number; concurrency?: number } = {}): Promise<{ sent: number; failed: number }> {
      let sent = 0;
      let failed = 0;
      let after = 0;
      const sendOne = async (m: DueMailing) => {
        const deliver = async () => {
          const receipt = await deps.billing.receipts.forMonth({ actor: viaTelegram(m.telegramId), accountId: m.accountId, month: m.month });
          return receipt.ok ? mailReceipt(receipt.value, { to: m.address, language: m.language, unsubscribeToken: m.token }) : receipt;
        };
        const result = await deliver().catch((err: unknown) => {
          log.error({ err, subscriptionId: m.subscriptionId }, 'mail: monthly receipt failed');
          return fail({ code: 'mail_failed' as const });
        });
        await deps.billing.mailings.finish({ subscriptionId: m.subscriptionId, month: m.month, sent: result.ok });
        if (result.ok) sent++;
        else failed++;
      };
      while (o.deadline === undefined || Date.now() < o.deadline) {
        const due = await deps.billing.mailings.claimDue({ limit: o.batch ?? 50, after });
        if (!due.ok || due.value.length === 0) break;
        after = due.value.at(-1)!.subscriptionId;
        // A few letters at a time: the SMTP connection pool and the PDF workers are kept busy.
        const queue = [...due.value];
        await Promise.all(
          Array.from({ length: Math.min(o.concurrency ?? 4, queue.length) }, async () => {
            for (let m = queue.shift(); m; m = queue.shift()) await sendOne(m);
          }),
        );
      }
      if (sent || failed) log.info({ sent, failed }, 'mail: monthly receipts');
      return { sent, failed };
    },
  };
}

export type Mail = ReturnType<typeof createMail>;
export { createMailer, type Mailer } from './mailer.ts';
