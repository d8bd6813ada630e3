import { Composer, InlineKeyboard } from 'grammy';
import { actorOf } from '../actor.ts';
import { hears } from '@grammyjs/i18n';
import type { BotContext, BotDeps } from '../context.ts';
import { monthParts } from '../../format.ts';
import { buttons } from '../callback-data.ts';
import { requireConsent } from '../screens/consent.ts';
import { linkFirst } from '../screens/link-first.ts';
import { needEmail } from '../screens/need-email.ts';

/** Receipts e-mailed on request, per Telegram user and hour. */
const MAIL_LIMIT = { max: 10, windowSeconds: 3600 };

/**
 * «Квитанция»: one of the last 12 months with a statement → the PDF as a document, then on request
 * by e-mail; the monthly e-mail subscription of the active account is switched here too.
 * The PDF and the letter are made after the button has been answered, off the update's path.
 */
export function receiptFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  const pick = async (ctx: BotContext) => {
    const actor = actorOf(ctx);
    const active = await deps.billing.residents.activeAccount({ actor });
    if (!active.ok) {
      return linkFirst(ctx);
    }
    const { accountId, longNumber } = active.value;
    const [months, email] = await Promise.all([deps.billing.receipts.months({ actor, accountId }), deps.billing.email.get({ actor })]);
    if (!months.ok || months.value.length === 0) return ctx.reply(ctx.t('receipt-none'));
    const keyboard = new InlineKeyboard();
    months.value.forEach((m, i) => {
      keyboard.text(ctx.t('month-name', monthParts(m)), buttons.receipt.month.pack({ accountId, month: m }));
      if (i % 3 === 2 || i === months.value.length - 1) keyboard.row();
    });
    const subscribed = email.ok && email.value.subscribedAccountIds.includes(accountId);
    keyboard.text(
      ctx.t(subscribed ? 'receipt-unsubscribe' : 'receipt-subscribe'),
      buttons.receipt.subscription.pack({ mode: subscribed ? 'off' : 'on', accountId }),
    );
    return ctx.reply(ctx.t('receipt-pick', { number: longNumber }), { reply_markup: keyboard });
  };
  feature.command('receipt', requireConsent, pick);
  feature.filter(hears('menu-receipt'), requireConsent, pick);

  const askForEmail = (ctx: BotContext) => {
    const { text, reply_markup } = needEmail(ctx.t);
    return ctx.reply(text, { reply_markup });
  };

  feature.callbackQuery(buttons.receipt.month.filter, requireConsent, async (ctx) => {
    const { accountId, month } = buttons.receipt.month.unpack(ctx.callbackQuery.data)!;
    // Only whether the month is there for this resident: the job makes the receipt itself.
    const months = await deps.billing.receipts.months({ actor: actorOf(ctx), accountId });
    if (!months.ok || !months.value.includes(month)) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    // The button is answered at once; the resident sees «sending a file…» while the PDF is made.
    await ctx.answerCallbackQuery();
    await ctx.replyWithChatAction('upload_document');
    const language = await ctx.i18n.getLocale();
    await deps.jobs.send('receipt.pdf', { telegramId: ctx.from.id, chatId: ctx.chatId!, accountId, month, language });
  });

  feature.callbackQuery(buttons.receipt.email.filter, requireConsent, async (ctx) => {
    const telegramId = ctx.from.id;
    const { accountId, month } = buttons.receipt.email.unpack(ctx.callbackQuery.data)!;
    const actor = actorOf(ctx);
    // Whether the account is still the resident's: the months service checks the caller.
    const [linked, email] = await Promise.all([deps.billing.receipts.months({ actor, accountId }), deps.billing.email.get({ actor })]);
    if (!linked.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    const address = email.ok ? email.value.address : null;
    if (!address) {
      await ctx.answerCallbackQuery();
      return askForEmail(ctx);
    }
    // A double tap sends one letter: the same month again only after a minute.
    if (!(await deps.limits.allow(`mail:${telegramId}:${accountId}:${month}`, 1, 60))) {
      return ctx.answerCallbackQuery({ text: ctx.t('receipt-mail-already', { address }) });
    }
    if (!(await deps.limits.allow(`mail:${telegramId}`, MAIL_LIMIT.max, MAIL_LIMIT.windowSeconds))) {
      return ctx.answerCallbackQuery({ text: ctx.t('receipt-mail-limited'), show_alert: true });
    }
    await ctx.answerCallbackQuery({ text: ctx.t('receipt-mail-sending', { address }) });
    const language = await ctx.i18n.getLocale();
    await deps.jobs.send('receipt.email', { telegramId, chatId: ctx.chatId!, accountId, month, language });
  });

  feature.callbackQuery(buttons.receipt.subscription.filter, requireConsent, async (ctx) => {
    const { mode, accountId } = buttons.receipt.subscription.unpack(ctx.callbackQuery.data)!;
    if (mode === 'off') {
      const unsubscribed = await deps.billing.receipts.unsubscribe({ actor: actorOf(ctx), accountId });
      if (!unsubscribed.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
      await ctx.answerCallbackQuery();
      return ctx.reply(ctx.t('receipt-unsubscribed', { number: unsubscribed.value.longNumber }));
    }
    // The service checks the link and the address itself: one call answers the button.
    const subscribed = await deps.billing.receipts.subscribe({ actor: actorOf(ctx), accountId });
    if (!subscribed.ok && subscribed.error.code !== 'email_not_confirmed') return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    if (!subscribed.ok) return askForEmail(ctx);
    const { longNumber: number, address, alreadySubscribed } = subscribed.value;
    return ctx.reply(ctx.t(alreadySubscribed ? 'receipt-already-subscribed' : 'receipt-subscribed', { number, address }));
  });

  return feature;
}
