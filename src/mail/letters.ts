import type { ReceiptData } from '../billing/index.ts';
import { rub } from '../format.ts';
import type { Translate } from '../i18n.ts';
import type { ReceiptFile } from '../pdf/receipt-file.ts';
import type { ReconciliationDoc, ReconciliationFile } from '../pdf/reconciliation-pdf.ts';
import { readTemplate, renderHtml, renderText } from '../templates.ts';
import { addressLine } from '../words.ts';
import type { Letter } from './mailer.ts';

const LAYOUT = { html: readTemplate('mail/letter.html'), text: readTemplate('mail/letter.txt') };

/** What a letter says; templates/mail/letter.{html,txt} lay it out (the HTML escaped, the text not). */
interface LetterView {
  lang: string;
  sender: string;
  title: string;
  paragraphs: string[];
  code?: string;
  facts?: { label: string; value: string }[];
  closing?: string;
  footer: string[];
  unsubscribe?: { label: string; url: string };
}

function render(view: LetterView): { html: string; text: string } {
  const full = { facts: [], ...view };
  return { html: renderHtml(LAYOUT.html, full), text: renderText(LAYOUT.text, full).replace(/\n{3,}/g, '\n\n') };
}

export type LetterContent = Omit<Letter, 'to'>;

/** The confirmation code for an address the resident typed in the bot. */
export function codeLetter(t: Translate, lang: string, o: { code: string; minutes: number }): LetterContent {
  const body = render({
    lang,
    sender: t('mail-sender'),
    title: t('mail-code-title'),
    paragraphs: [t('mail-greeting'), t('mail-code-intro'), t('mail-code-ask')],
    code: o.code,
    closing: `${t('mail-code-expires', { minutes: o.minutes })} ${t('mail-code-ignore')}`,
    footer: [t('mail-footer-auto')],
  });
  return { subject: t('mail-code-subject', { code: o.code }), ...body, fromName: t('mail-sender') };
}

/**
 * A month's receipt with its PDF attached; under a subscription it carries the unsubscribe link
 * in the text and in the List-Unsubscribe headers (one click, RFC 8058).
 */
export function receiptLetter(t: Translate, lang: string, r: ReceiptData, file: ReceiptFile, o: { unsubscribeUrl?: string }): LetterContent {
  const vars = { month: file.monthName, number: r.payer.longNumber };
  const body = render({
    lang,
    sender: r.payee.name ?? t('mail-sender'),
    title: t('mail-receipt-title', vars),
    paragraphs: [t('mail-greeting'), t('mail-receipt-intro', vars)],
    facts: [
      { label: t('mail-fact-account'), value: r.payer.longNumber },
      { label: t('mail-fact-address'), value: addressLine(t, r.payer.address) },
      // As on the receipt: an overpayment is named, and the amount to pay is then 0.
      ...(r.overpayment ? [{ label: t('mail-fact-advance'), value: t('mail-fact-amount', { amount: rub(r.overpayment) }) }] : []),
      { label: t('mail-fact-to-pay'), value: t('mail-fact-amount', { amount: rub(r.toPay) }) },
    ],
    closing: r.toPay > 0 ? t('mail-receipt-pay') : r.overpayment ? t('mail-receipt-advance') : t('mail-receipt-nothing-to-pay'),
    footer: [
      ...(r.payee.phones ? [t('mail-footer-contacts', { phones: r.payee.phones, hours: r.payee.hours ?? 'none' })] : []),
      ...(r.payee.email ? [t('mail-footer-reply')] : [t('mail-footer-auto')]),
      ...(o.unsubscribeUrl ? [t('mail-subscribed')] : []),
    ],
    ...(o.unsubscribeUrl ? { unsubscribe: { label: t('mail-unsubscribe'), url: o.unsubscribeUrl } } : {}),
  });
  return {
    subject: t('mail-receipt-subject', vars),
    ...body,
    fromName: r.payee.name ?? t('mail-sender'),
    ...(r.payee.email ? { replyTo: r.payee.email } : {}),
    attachments: [{ filename: file.filename, content: file.pdf, contentType: 'application/pdf' }],
    ...(o.unsubscribeUrl ? { headers: { 'List-Unsubscribe': `<${o.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } } : {}),
  };
}

/**
 * A notice of the outbox by e-mail, for a resident without Telegram: the subject by its kind
 * (mail-notice-subject-*), the text as the bot would say it, a paragraph a line.
 */
export function noticeLetter(t: Translate, lang: string, kind: string, text: string): LetterContent {
  const subject = t(`mail-notice-subject-${kind}`);
  const body = render({
    lang,
    sender: t('mail-sender'),
    title: subject,
    paragraphs: [t('mail-greeting'), ...text.split('\n').filter((l) => l.trim() !== '')],
    footer: [t('mail-notice-why'), t('mail-footer-auto')],
  });
  return { subject, ...body, fromName: t('mail-sender') };
}

/** The reconciliation with its PDF attached, on the resident's request. */
export function reconciliationLetter(t: Translate, lang: string, d: ReconciliationDoc, file: ReconciliationFile): LetterContent {
  const vars = { from: file.fromName, to: file.toName, number: d.longNumber };
  const closing = d.reconciliation.closing;
  const body = render({
    lang,
    sender: t('mail-sender'),
    title: t('mail-recon-title', vars),
    paragraphs: [t('mail-greeting'), t('mail-recon-intro', vars)],
    facts: [
      { label: t('mail-fact-account'), value: d.longNumber },
      { label: t('mail-fact-address'), value: d.address },
      {
        label: t('mail-recon-closing'),
        value:
          closing > 0
            ? t('detail-debt', { amount: t('mail-fact-amount', { amount: rub(closing) }) })
            : closing < 0
              ? t('detail-overpaid', { amount: t('mail-fact-amount', { amount: rub(closing) }) })
              : t('mail-fact-amount', { amount: rub(0) }),
      },
    ],
    footer: [t('mail-footer-auto')],
  });
  return {
    subject: t('mail-recon-subject', vars),
    ...body,
    fromName: t('mail-sender'),
    attachments: [{ filename: file.filename, content: file.pdf, contentType: 'application/pdf' }],
  };
}
