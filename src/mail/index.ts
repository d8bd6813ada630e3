import {
  viaTelegram,
  viaWeb,
  type Billing,
  type ClaimedNotice,
  type DomainError,
  type ReceiptData,
  type Result,
  type ResidentActor,
} from '../billing/index.ts';
import { EMAIL_CODE } from '../billing/email.ts';
import { fail, ok } from '../billing/result.ts';
import type { Translator } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import type { ReceiptRenderer } from '../pdf/renderer.ts';
import { reconciliationDocument } from '../jobs/reconciliation.ts';
import type { ReconciliationRequest } from '../jobs/queues.ts';
import { NOTICE_RENDERERS } from '../jobs/notice-kinds.ts';
import { codeLetter, noticeLetter, receiptLetter, reconciliationLetter } from './letters.ts';
import type { Letter, Mailer } from './mailer.ts';

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
 * What became of a notice of the outbox sent as a letter: sent; not taken now (the server said
 * 4xx, or could not be reached: tried again later); refused for good (5xx); not to be sent (the
 * subscription ended meanwhile, no such kind by e-mail); unknown (cut off mid-way: not sent again).
 */
export type LetterOutcome = 'sent' | 'retry' | 'refused' | 'unsubscribed' | 'unknown_kind' | 'unknown';

/** Known not taken: the server answered (4xx: later; 5xx: never), or no connection was made. Anything else may have gone out. */
function classify(err: unknown): 'retry' | 'refused' | 'unknown' {
  const e = err as { responseCode?: unknown; code?: unknown };
  if (typeof e.responseCode === 'number') return e.responseCode >= 500 ? 'refused' : 'retry';
  return typeof e.code === 'string' && ['ECONNECTION', 'EDNS', 'EAUTH', 'ETLS'].includes(e.code) ? 'retry' : 'unknown';
}

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

  /** One letter of the outbox, its outcome told apart (a refusal from a cut-off send). */
  const deliver = async (what: string, letter: Letter): Promise<LetterOutcome> => {
    try {
      await deps.mailer.send(letter);
      return 'sent';
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).replace(/[^\s<>()@]+@[^\s<>()@]+/g, '[address]');
      const outcome = classify(err);
      log.warn({ what, reason, outcome }, 'mail: could not send');
      return outcome;
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
     * A notice of the outbox, claimed on the e-mail channel, as a letter to the resident's confirmed
     * address: the monthly receipt (`receipt_email`, with its PDF and the subscription's one-click
     * unsubscribe; not sent if the subscription has ended meanwhile), or any kind that goes by e-mail
     * to a resident without Telegram (its text, as the bot would say it, without the buttons).
     */
    async sendNotice(n: ClaimedNotice): Promise<LetterOutcome> {
      const to = n.address!;
      if (n.kind === 'receipt_email') {
        const p = n.payload as { accountId: number; month: string };
        const sub = await deps.billing.mailings.subscription({ residentId: n.residentId, accountId: p.accountId });
        if (!sub.ok || !sub.value) return 'unsubscribed';
        const actor = n.telegramId !== null ? viaTelegram(n.telegramId) : viaWeb(n.residentId);
        const receipt = await deps.billing.receipts.forMonth({ actor, accountId: p.accountId, month: p.month });
        if (!receipt.ok) return receipt.error.code === 'account_not_linked' ? 'unsubscribed' : 'refused';
        const t = deps.translator(n.language);
        // A PDF that could not be made was not sent: tried again later.
        const file = await deps.renderer.render(receipt.value, n.language).catch((err: unknown) => {
          log.error({ err, noticeId: n.noticeId }, 'mail: the receipt PDF could not be made');
          return null;
        });
        if (!file) return 'retry';
        const letter = receiptLetter(t, n.language, receipt.value, file, { unsubscribeUrl: unsubscribeUrl(sub.value.token, n.language) });
        return deliver('receipt', { to, ...letter });
      }
      const render = NOTICE_RENDERERS[n.kind];
      if (!render) return 'unknown_kind';
      const t = deps.translator(n.language);
      const rendered = render(t, n.payload);
      if (!('text' in rendered)) return 'unknown_kind';
      return deliver(n.kind, { to, ...noticeLetter(t, n.language, n.kind, rendered.text) });
    },
  };
}

export type Mail = ReturnType<typeof createMail>;
export { createMailer, type Mailer } from './mailer.ts';
