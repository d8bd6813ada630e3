import { Composer, InlineKeyboard } from 'grammy';
import { actorOf } from '../actor.ts';
import { hears } from '@grammyjs/i18n';
import type { ResidentView } from '../../billing/index.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { addressLine } from '../../words.ts';
import { buttons } from '../callback-data.ts';
import { consentAgain, requireConsent } from '../screens/consent.ts';
import { linkButton } from '../screens/link-first.ts';

function listScreen(ctx: BotContext, resident: ResidentView) {
  if (resident.accounts.length === 0) {
    return { text: ctx.t('accounts-none'), keyboard: linkButton(ctx.t) };
  }
  const lines = [ctx.t('accounts-list'), ''];
  const keyboard = new InlineKeyboard();
  for (const a of resident.accounts) {
    lines.push(ctx.t('accounts-item', { active: a.active ? 'yes' : 'no', number: a.longNumber, address: addressLine(ctx.t, a.address) }));
    if (!a.active) keyboard.text(ctx.t('accounts-make-active', { number: a.longNumber }), buttons.accounts.use.pack({ accountId: a.accountId })).row();
    keyboard.text(ctx.t('accounts-unlink', { number: a.longNumber }), buttons.accounts.unlink.pack({ accountId: a.accountId })).row();
  }
  linkButton(ctx.t, keyboard);
  return { text: lines.join('\n'), keyboard };
}

/** «Мои счета»: list, switch the active account, unlink with confirmation, link another. */
export function accountsFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  const show = async (ctx: BotContext, edit = false) => {
    const resident = await deps.billing.residents.get({ actor: actorOf(ctx) });
    if (!resident.ok) {
      // The consent was withdrawn elsewhere: ask again. Not through requireConsent, which would
      // answer a callback query that the caller has already answered (Telegram refuses that).
      return consentAgain(ctx);
    }
    const { text, keyboard } = listScreen(ctx, resident.value);
    if (edit) await ctx.editMessageText(text, { reply_markup: keyboard }).catch(() => ctx.reply(text, { reply_markup: keyboard }));
    else await ctx.reply(text, { reply_markup: keyboard });
  };

  feature.command('accounts', requireConsent, (ctx) => show(ctx));
  feature.filter(hears('menu-accounts'), requireConsent, (ctx) => show(ctx));
  feature.callbackQuery(buttons.accounts.list.filter, requireConsent, async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, true);
  });

  feature.callbackQuery(buttons.accounts.link.filter, requireConsent, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.conversation.exitAll();
    await ctx.conversation.enter('link-account');
  });

  feature.callbackQuery(buttons.accounts.use.filter, requireConsent, async (ctx) => {
    const { accountId } = buttons.accounts.use.unpack(ctx.callbackQuery.data)!;
    const result = await deps.billing.residents.setActiveAccount({ actor: actorOf(ctx), accountId });
    if (!result.ok) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    const active = result.value.accounts.find((a) => a.active);
    await ctx.answerCallbackQuery({ text: ctx.t('accounts-switched', { number: active?.longNumber ?? '' }) });
    await show(ctx, true);
  });

  feature.callbackQuery(buttons.accounts.unlink.filter, requireConsent, async (ctx) => {
    const { accountId } = buttons.accounts.unlink.unpack(ctx.callbackQuery.data)!;
    const resident = await deps.billing.residents.get({ actor: actorOf(ctx) });
    const account = resident.ok ? resident.value.accounts.find((a) => a.accountId === accountId) : undefined;
    if (!account) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t('accounts-unlink-confirm', { number: account.longNumber, address: addressLine(ctx.t, account.address) }), {
      reply_markup: new InlineKeyboard()
        .text(ctx.t('accounts-unlink-yes'), buttons.accounts.unlinkConfirmed.pack({ accountId }))
        .text(ctx.t('back'), buttons.accounts.list.pack({})),
    });
  });

  feature.callbackQuery(buttons.accounts.unlinkConfirmed.filter, requireConsent, async (ctx) => {
    const { accountId } = buttons.accounts.unlinkConfirmed.unpack(ctx.callbackQuery.data)!;
    const before = await deps.billing.residents.get({ actor: actorOf(ctx) });
    const number = before.ok ? before.value.accounts.find((a) => a.accountId === accountId)?.longNumber : undefined;
    const result = await deps.billing.residents.unlinkAccount({ actor: actorOf(ctx), accountId });
    if (!result.ok || !number) return ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
    await ctx.answerCallbackQuery({ text: ctx.t('accounts-unlinked', { number }) });
    await show(ctx, true);
  });

  return feature;
}
