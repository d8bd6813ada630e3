import { Composer, GrammyError, InlineKeyboard } from 'grammy';
import { actorOf } from '../actor.ts';
import { hears } from '@grammyjs/i18n';
import type { BotContext, BotDeps } from '../context.ts';
import { monthRow, day, rub } from '../../format.ts';
import { addressLine } from '../../words.ts';
import { anyOf, buttons } from '../callback-data.ts';
import { balanceLines } from '../screens/balance-lines.ts';
import { consentAgain, requireConsent } from '../screens/consent.ts';
import { linkFirst } from '../screens/link-first.ts';

const STATEMENT_PAGE = 6;
const PAYMENT_PAGE = 10;

/** Balance, the month table (seed 000 §8) and payment history (seed 001) of the active account. */
export function balanceFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  const showBalance = async (ctx: BotContext) => {
    const active = await deps.billing.balance.ofActiveAccount({ actor: actorOf(ctx) });
    if (!active.ok) {
      if (active.error.code === 'resident_not_found') return consentAgain(ctx);
      return linkFirst(ctx);
    }
    const { account, balance } = active.value;
    const text = [
      ctx.t('balance-header', { number: account.longNumber, address: addressLine(ctx.t, account.address) }),
      '',
      ...balanceLines(ctx.t, balance),
    ].join('\n');
    await ctx.reply(text, {
      reply_markup: new InlineKeyboard()
        .text(ctx.t('balance-statements'), buttons.balance.statements.pack({ accountId: account.accountId }))
        .row()
        .text(ctx.t('balance-payments'), buttons.balance.payments.pack({ accountId: account.accountId, offset: 0 }))
        .row()
        .text(ctx.t('balance-services'), buttons.balance.services.pack({ accountId: account.accountId }))
        .row()
        .text(ctx.t('balance-reconciliation'), buttons.reconciliation.start.pack({ accountId: account.accountId }))
        .row()
        .text(ctx.t('history-button'), buttons.history.meters.pack({ accountId: account.accountId }))
        .row()
        .text(ctx.t('meters-button'), buttons.meters.show.pack({ accountId: account.accountId }))
        .row()
        .text(ctx.t('balance-other-number'), buttons.publicBalance.start.pack({})),
    });
  };

  feature.command('balance', requireConsent, showBalance);
  feature.filter(hears('menu-balance'), requireConsent, showBalance);

  feature.callbackQuery(anyOf(buttons.balance.statements, buttons.balance.statementsBefore), requireConsent, async (ctx) => {
    const data = ctx.callbackQuery.data;
    const { accountId, before } = buttons.balance.statementsBefore.unpack(data) ?? { ...buttons.balance.statements.unpack(data)!, before: undefined };
    // The page carries the account's number for the title: one service call, one statement after the check.
    const page = await deps.billing.balance.statements({ actor: actorOf(ctx), accountId, limit: STATEMENT_PAGE, ...(before ? { before } : {}) });
    if (!page.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    const items = page.value.items;
    const lines = [ctx.t('statements-title', { number: page.value.longNumber }), ''];
    if (items.length === 0) lines.push(ctx.t('statements-none'));
    for (const s of items) {
      lines.push(ctx.t('statements-row', monthRow(ctx.t, s, 'none')));
    }
    const keyboard = new InlineKeyboard();
    const oldest = items.at(-1)?.month;
    if (page.value.hasMore && oldest) keyboard.text(ctx.t('statements-older'), buttons.balance.statementsBefore.pack({ accountId, before: oldest }));
    const { newerBefore } = page.value;
    if (newerBefore) keyboard.text(ctx.t('statements-newer'), buttons.balance.statementsBefore.pack({ accountId, before: newerBefore }));
    // The newest month of the page opens into its detail by service, paged from there with ‹ ›.
    const newest = items[0]?.month;
    if (newest) keyboard.row().text(ctx.t('balance-services'), buttons.balance.servicesMonth.pack({ accountId, month: newest }));
    const text = lines.join('\n');
    // «📊» on the balance screen opens the table; its own «← Раньше» / «Новее →» page it in place
    // (a second tap on the page already shown changes nothing, which Telegram refuses as «not modified»).
    if (!before) return ctx.reply(text, { reply_markup: keyboard });
    await ctx.editMessageText(text, { reply_markup: keyboard }).catch((err: unknown) => {
      if (!(err instanceof GrammyError && err.error_code === 400 && /message is not modified/i.test(err.description))) throw err;
    });
  });

  feature.callbackQuery(buttons.balance.payments.filter, requireConsent, async (ctx) => {
    const { accountId, offset } = buttons.balance.payments.unpack(ctx.callbackQuery.data)!;
    const actor = actorOf(ctx);
    const [page, summary] = await Promise.all([
      deps.billing.balance.payments({ actor, accountId, limit: PAYMENT_PAGE, offset }),
      deps.billing.accounts.summary({ actor, accountId }),
    ]);
    if (!page.ok || !summary.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    const lines = [ctx.t('payments-title', { number: summary.value.longNumber }), ''];
    if (page.value.items.length === 0) lines.push(ctx.t('payments-none'));
    for (const p of page.value.items) {
      lines.push(
        ctx.t('payments-row', {
          received: day(p.receivedOn),
          amount: rub(p.amount),
          kind: p.kind,
          processed: p.processedOn ? day(p.processedOn) : 'none',
        }),
      );
    }
    const keyboard = new InlineKeyboard();
    if (offset + PAYMENT_PAGE < page.value.total)
      keyboard.text(ctx.t('payments-older'), buttons.balance.payments.pack({ accountId, offset: offset + PAYMENT_PAGE }));
    await ctx.reply(lines.join('\n'), { reply_markup: keyboard });
  });

  return feature;
}
