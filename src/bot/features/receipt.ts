import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { hears } from '@grammyjs/i18n';
import type { BotContext, BotDeps } from '../context.ts';
import { monthParts } from '../../format.ts';
import { renderReceiptPdf } from '../../pdf/receipt-pdf.ts';
import { addressLine } from '../words.ts';
import { requireConsent } from './consent.ts';

/** «Квитанция»: one of the last 12 months with a statement → the PDF as a document. */
export function receiptFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  const pick = async (ctx: BotContext) => {
    const active = await deps.billing.residents.activeAccount({ telegramId: ctx.from!.id });
    if (!active.ok) {
      return ctx.reply(ctx.t('accounts-need-link'), { reply_markup: new InlineKeyboard().text(ctx.t('accounts-link'), 'link:start') });
    }
    const months = await deps.billing.receipts.months({ accountId: active.value.accountId });
    if (!months.ok || months.value.length === 0) return ctx.reply(ctx.t('receipt-none'));
    const keyboard = new InlineKeyboard();
    months.value.forEach((m, i) => {
      keyboard.text(ctx.t('month-name', monthParts(m)), `rc:${active.value.accountId}:${m}`);
      if (i % 3 === 2) keyboard.row();
    });
    return ctx.reply(ctx.t('receipt-pick', { number: active.value.longNumber }), { reply_markup: keyboard });
  };
  feature.command('receipt', requireConsent, pick);
  feature.filter(hears('menu-receipt'), requireConsent, pick);

  feature.callbackQuery(/^rc:(\d+):(\d{4}-\d{2})$/, requireConsent, async (ctx) => {
    const accountId = Number(ctx.match[1]);
    const month = ctx.match[2]!;
    const linked = await deps.billing.residents.assertLinked({ telegramId: ctx.from.id, accountId });
    const receipt = linked.ok ? await deps.billing.receipts.forMonth({ accountId, month }) : null;
    if (!receipt?.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    // The button is answered at once; the resident sees «sending a file…» while the PDF is made.
    await ctx.answerCallbackQuery();
    await ctx.replyWithChatAction('upload_document');
    const r = receipt.value;
    const pdf = await renderReceiptPdf(r, ctx.t, {
      monthName: ctx.t('receipt-month', monthParts(month)),
      addressLine: addressLine(ctx.t, r.payer.address),
      serviceName: (code) => ctx.t(`service-${code}`),
      asOf: new Date().toISOString().slice(0, 10),
    });
    await ctx.replyWithDocument(new InputFile(pdf, `kvitanciya_${r.payer.longNumber}_${month}.pdf`), {
      caption: ctx.t('receipt-caption', { month: ctx.t('receipt-month', monthParts(month)), number: r.payer.longNumber }),
    });
  });

  return feature;
}
