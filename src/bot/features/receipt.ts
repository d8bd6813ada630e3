import { Composer, GrammyError, InlineKeyboard } from 'grammy';
import { actorOf } from '../actor.ts';
import { hears } from '@grammyjs/i18n';
import type { BotContext, BotDeps } from '../context.ts';
import { monthParts } from '../../format.ts';
import { addMonths } from '../../billing/calendar.ts';
import { anyOf, buttons } from '../callback-data.ts';
import { requireConsent } from '../screens/consent.ts';
import { linkFirst } from '../screens/link-first.ts';
import { needEmail } from '../screens/need-email.ts';

/** Receipts e-mailed on request, per Telegram user and hour. */
const MAIL_LIMIT = { max: 10, windowSeconds: 3600 };
const notModified = (err: unknown) => err instanceof GrammyError && err.error_code === 400 && /message is not modified/i.test(err.description);
/** Months on one page of the picker. */
const MONTHS_PAGE = 12;

/**
 * «Квитанция»: any month with a statement, 12 a page → the PDF as a document, then on request
 * by e-mail; the monthly e-mail subscription of the active account is switched here too.
 * The PDF and the letter are made after the button has been answered, off the update's path.
 */
export function receiptFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  /** One page of the month picker (12 months, «← Раньше» / «Новее →»), with the subscription button; null when the account is not the resident's. */
  const pickerPage = async (ctx: BotContext, accountId: number, before?: string) => {
    const actor = actorOf(ctx);
    const [page, email] = await Promise.all([
      deps.billing.receipts.months({ actor, accountId, limit: MONTHS_PAGE, ...(before ? { before } : {}) }),
      deps.billing.email.get({ actor }),
    ]);
    if (!page.ok) return null;
    const { months, hasOlder, hasNewer, newerBefore } = page.value;
    const keyboard = new InlineKeyboard();
    months.forEach((m, i) => {
      keyboard.text(ctx.t('month-name', monthParts(m)), buttons.receipt.month.pack({ accountId, month: m }));
      if (i % 3 === 2 || i === months.length - 1) keyboard.row();
    });
    const oldest = months.at(-1);
    if (hasOlder && oldest) keyboard.text(ctx.t('receipt-older'), buttons.receipt.monthsBefore.pack({ accountId, before: oldest }));
    if (hasNewer) {
      keyboard.text(
        ctx.t('receipt-newer'),
        newerBefore ? buttons.receipt.monthsBefore.pack({ accountId, before: newerBefore }) : buttons.receipt.months.pack({ accountId }),
      );
    }
    if (hasOlder || hasNewer) keyboard.row();
    const subscribed = email.ok && email.value.subscribedAccountIds.includes(accountId);
    keyboard.text(
      ctx.t(subscribed ? 'receipt-unsubscribe' : 'receipt-subscribe'),
      buttons.receipt.subscription.pack({ mode: subscribed ? 'off' : 'on', accountId }),
    );
    return { empty: months.length === 0, keyboard };
  };

  const pick = async (ctx: BotContext) => {
    const active = await deps.billing.residents.activeAccount({ actor: actorOf(ctx) });
    if (!active.ok) {
      return linkFirst(ctx);
    }
    const { accountId, longNumber } = active.value;
    const page = await pickerPage(ctx, accountId);
    if (!page || page.empty) return ctx.reply(ctx.t('receipt-none'));
    return ctx.reply(ctx.t('receipt-pick', { number: longNumber }), { reply_markup: page.keyboard });
  };
  feature.command('receipt', requireConsent, pick);
  feature.filter(hears('menu-receipt'), requireConsent, pick);

  const askForEmail = (ctx: BotContext) => {
    const { text, reply_markup } = needEmail(ctx.t);
    return ctx.reply(text, { reply_markup });
  };

  // Another page of the picker, in the same message; the service checks the account is the resident's.
  feature.callbackQuery(anyOf(buttons.receipt.months, buttons.receipt.monthsBefore), requireConsent, async (ctx) => {
    const data = ctx.callbackQuery.data;
    const { accountId, before } = buttons.receipt.monthsBefore.unpack(data) ?? { ...buttons.receipt.months.unpack(data)!, before: undefined };
    const [page, summary] = await Promise.all([pickerPage(ctx, accountId, before), deps.billing.accounts.summary({ actor: actorOf(ctx), accountId })]);
    if (!page || page.empty || !summary.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    // A second tap on the page already shown changes nothing, which Telegram refuses as «not modified».
    await ctx.editMessageText(ctx.t('receipt-pick', { number: summary.value.longNumber }), { reply_markup: page.keyboard }).catch((err: unknown) => {
      if (!notModified(err)) throw err;
    });
  });

  feature.callbackQuery(buttons.receipt.month.filter, requireConsent, async (ctx) => {
    const { accountId, month } = buttons.receipt.month.unpack(ctx.callbackQuery.data)!;
    // Only whether the month is there for this resident: the job makes the receipt itself.
    const found = await deps.billing.receipts.months({ actor: actorOf(ctx), accountId, before: addMonths(month, 1), limit: 1 });
    if (!found.ok || found.value.months[0] !== month) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
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
    const [linked, email] = await Promise.all([deps.billing.receipts.months({ actor, accountId, limit: 1 }), deps.billing.email.get({ actor })]);
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
      const { longNumber: number, paperBack } = unsubscribed.value;
      return ctx.reply(ctx.t(paperBack ? 'receipt-unsubscribed-paper-back' : 'receipt-unsubscribed', { number }));
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
