import { Composer, GrammyError, InlineKeyboard } from 'grammy';
import type { Reconciliation, ServiceDetail } from '../../billing/index.ts';
import { addDays, monthStart, nextMonthStart } from '../../billing/calendar.ts';
import { day, monthParts, rub } from '../../format.ts';
import { actorOf } from '../actor.ts';
import { anyOf, buttons } from '../callback-data.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { requireConsent } from '../screens/consent.ts';

/** How many months the reconciliation's pickers offer (newest first). */
const PICK_MONTHS = 24;

type T = BotContext['t'];

/** A balance in words: `detail-debt`, `detail-overpaid`, or 0,00. */
const balanceWord = (t: T, kopecks: number) =>
  kopecks > 0 ? t('detail-debt', { amount: rub(kopecks) }) : kopecks < 0 ? t('detail-overpaid', { amount: rub(kopecks) }) : rub(0);
/** A recalculation may lower the charge (a refund of earlier months): its sign is kept. */
const signed = (kopecks: number) => `${kopecks < 0 ? '−' : ''}${rub(kopecks)}`;
const monthWord = (t: T, month: string) => t('receipt-month', monthParts(month));

/** The detail by service of one month as a message. */
export function serviceDetailText(t: T, number: string, d: ServiceDetail): string {
  const lines = [t('detail-title', { month: monthWord(t, d.month), number }), ''];
  for (const r of d.rows) {
    const period =
      r.recalcFrom && r.recalcTo
        ? r.recalcFrom === r.recalcTo
          ? monthWord(t, r.recalcFrom)
          : t('detail-recalc-range', { from: monthWord(t, r.recalcFrom), to: monthWord(t, r.recalcTo) })
        : 'none';
    lines.push(
      t('detail-service', {
        service: t(`service-${r.service}`),
        opening: balanceWord(t, r.opening),
        charged: rub(r.charged),
        recalculation: r.recalculation === 0 ? 'none' : signed(r.recalculation),
        period,
        benefits: r.benefits === 0 ? 'none' : rub(r.benefits),
        paid: rub(r.paid),
        closing: balanceWord(t, r.closing),
      }),
      '',
    );
  }
  lines.push(
    t('detail-total', {
      opening: balanceWord(t, d.total.opening),
      charged: rub(d.total.charged),
      benefits: d.total.benefits === 0 ? 'none' : rub(d.total.benefits),
      paid: rub(d.total.paid),
      closing: balanceWord(t, d.total.closing),
    }),
  );
  return lines.join('\n');
}

/** The reconciliation as a message: the opening, each month, the totals, the closing. */
export function reconciliationText(t: T, number: string, r: Reconciliation): string {
  const lines = [
    t('recon-title', { from: monthWord(t, r.months[0]!.month), to: monthWord(t, r.months.at(-1)!.month), number }),
    '',
    t('recon-opening', { date: day(monthStart(r.months[0]!.month)), amount: balanceWord(t, r.opening) }),
    '',
  ];
  for (const m of r.months) {
    lines.push(
      t('recon-month', {
        month: t('month-name', monthParts(m.month)),
        charged: rub(m.charged),
        recalculation: m.recalculation === 0 ? 'none' : signed(m.recalculation),
        benefits: m.benefits === 0 ? 'none' : rub(m.benefits),
        paid: rub(m.paid),
      }),
    );
  }
  lines.push(
    '',
    t('recon-totals', {
      charged: rub(r.charged),
      recalculation: r.recalculation === 0 ? 'none' : signed(r.recalculation),
      benefits: r.benefits === 0 ? 'none' : rub(r.benefits),
      paid: rub(r.paid),
    }),
    t('recon-closing', { date: day(addDays(nextMonthStart(r.months.at(-1)!.month), -1)), amount: balanceWord(t, r.closing) }),
  );
  return lines.join('\n');
}

/** A second tap on the page already shown changes nothing, which Telegram refuses as «not modified». */
const notModified = (err: unknown) => {
  if (!(err instanceof GrammyError && err.error_code === 400 && /message is not modified/i.test(err.description))) throw err;
};

/**
 * The per-service detail of a month, paged ‹ › in place (from the balance screen and the month
 * table), and the reconciliation: from which month, to which month, the table, its PDF in the chat
 * or to the confirmed e-mail (the `reconciliation.pdf` / `reconciliation.email` jobs).
 */
export function serviceDetailFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  feature.callbackQuery(anyOf(buttons.balance.services, buttons.balance.servicesMonth), requireConsent, async (ctx) => {
    const data = ctx.callbackQuery.data;
    const { accountId, month } = buttons.balance.servicesMonth.unpack(data) ?? { ...buttons.balance.services.unpack(data)!, month: undefined };
    const actor = actorOf(ctx);
    const [detail, summary] = await Promise.all([
      deps.billing.balance.services({ actor, accountId, ...(month ? { month } : {}) }),
      deps.billing.accounts.summary({ actor, accountId }),
    ]);
    if (!summary.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    if (!detail.ok) return ctx.reply(ctx.t('detail-none'));
    const d = detail.value;
    const keyboard = new InlineKeyboard();
    if (d.older) keyboard.text(`‹ ${ctx.t('month-name', monthParts(d.older))}`, buttons.balance.servicesMonth.pack({ accountId, month: d.older }));
    if (d.newer) keyboard.text(`${ctx.t('month-name', monthParts(d.newer))} ›`, buttons.balance.servicesMonth.pack({ accountId, month: d.newer }));
    const text = serviceDetailText(ctx.t, summary.value.longNumber, d);
    if (!month) return ctx.reply(text, { reply_markup: keyboard });
    await ctx.editMessageText(text, { reply_markup: keyboard }).catch(notModified);
  });

  const monthsOf = async (ctx: BotContext, accountId: number) => {
    const page = await deps.billing.balance.statements({ actor: actorOf(ctx), accountId, limit: PICK_MONTHS });
    return page.ok ? page.value.items.map((s) => s.month) : null;
  };
  const monthButtons = (ctx: BotContext, months: string[], pack: (m: string) => string) => {
    const keyboard = new InlineKeyboard();
    months.forEach((m, i) => {
      keyboard.text(ctx.t('month-name', monthParts(m)), pack(m));
      if (i % 3 === 2) keyboard.row();
    });
    return keyboard;
  };

  feature.callbackQuery(buttons.reconciliation.start.filter, requireConsent, async (ctx) => {
    const { accountId } = buttons.reconciliation.start.unpack(ctx.callbackQuery.data)!;
    const months = await monthsOf(ctx, accountId);
    if (!months) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    if (months.length === 0) return ctx.reply(ctx.t('statements-none'));
    await ctx.reply(ctx.t('recon-pick-from'), { reply_markup: monthButtons(ctx, months, (from) => buttons.reconciliation.from.pack({ accountId, from })) });
  });

  feature.callbackQuery(buttons.reconciliation.from.filter, requireConsent, async (ctx) => {
    const { accountId, from } = buttons.reconciliation.from.unpack(ctx.callbackQuery.data)!;
    const months = await monthsOf(ctx, accountId);
    const later = months?.filter((m) => m >= from) ?? [];
    // A month no longer offered (or a forged one): nothing to pick after it.
    if (!later.includes(from)) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    await ctx
      .editMessageText(ctx.t('recon-pick-to', { from: monthWord(ctx.t, from) }), {
        reply_markup: monthButtons(ctx, later, (to) => buttons.reconciliation.range.pack({ accountId, from, to })),
      })
      .catch(notModified);
  });

  feature.callbackQuery(buttons.reconciliation.range.filter, requireConsent, async (ctx) => {
    const { accountId, from, to } = buttons.reconciliation.range.unpack(ctx.callbackQuery.data)!;
    const actor = actorOf(ctx);
    const [recon, summary] = await Promise.all([
      deps.billing.balance.reconciliation({ actor, accountId, from, to }),
      deps.billing.accounts.summary({ actor, accountId }),
    ]);
    if (!summary.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    if (!recon.ok) {
      const key = recon.error.code === 'range_too_long' ? 'recon-too-long' : recon.error.code === 'no_statements' ? 'recon-none' : 'recon-reversed';
      return ctx.editMessageText(ctx.t(key, { max: 36 })).catch(notModified);
    }
    await ctx
      .editMessageText(reconciliationText(ctx.t, summary.value.longNumber, recon.value), {
        reply_markup: new InlineKeyboard()
          .text(ctx.t('recon-pdf'), buttons.reconciliation.pdf.pack({ how: 'chat', accountId, from, to }))
          .row()
          .text(ctx.t('recon-mail'), buttons.reconciliation.pdf.pack({ how: 'mail', accountId, from, to })),
      })
      .catch(notModified);
  });

  feature.callbackQuery(buttons.reconciliation.pdf.filter, requireConsent, async (ctx) => {
    const { how, accountId, from, to } = buttons.reconciliation.pdf.unpack(ctx.callbackQuery.data)!;
    const actor = actorOf(ctx);
    const recon = await deps.billing.balance.reconciliation({ actor, accountId, from, to });
    if (!recon.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    const request = { telegramId: ctx.from.id, chatId: ctx.chat!.id, accountId, from, to, language: await ctx.i18n.getLocale() };
    if (how === 'chat') {
      await ctx.answerCallbackQuery({ text: ctx.t('recon-pdf-making') });
      return deps.jobs.send('reconciliation.pdf', request);
    }
    const email = await deps.billing.email.get({ actor });
    if (!email.ok || !email.value.address) {
      await ctx.answerCallbackQuery();
      return ctx.reply(ctx.t('recon-need-email'), { reply_markup: new InlineKeyboard().text(ctx.t('settings-email'), buttons.settings.email.pack({})) });
    }
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('receipt-mail-sending', { address: email.value.address }));
    await deps.jobs.send('reconciliation.email', request);
  });

  return feature;
}
