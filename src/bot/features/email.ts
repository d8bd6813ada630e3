import { Composer, InlineKeyboard } from 'grammy';
import { actorOf } from '../actor.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { consentScreen, requireConsent } from './consent.ts';

/**
 * The e-mail screen of the settings: the address (or the one waiting for its code), the monthly
 * receipt per linked account, and changing or removing the address.
 */
export function emailFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  const show = async (ctx: BotContext, edit: boolean) => {
    const actor = actorOf(ctx);
    const [email, resident] = await Promise.all([deps.billing.email.get({ actor }), deps.billing.residents.get({ actor })]);
    if (!email.ok || !resident.ok) {
      ctx.session.consent = undefined;
      await ctx.reply(ctx.t('consent-required'));
      return consentScreen(ctx);
    }
    const { address, pending, subscribedAccountIds } = email.value;
    const lines: string[] = [];
    const keyboard = new InlineKeyboard();
    if (address) {
      lines.push(ctx.t('email-current', { address }));
      if (resident.value.accounts.length) lines.push('', ctx.t('email-subscriptions'));
      for (const a of resident.value.accounts) {
        const on = subscribedAccountIds.includes(a.accountId);
        lines.push(ctx.t(on ? 'email-subscription-on' : 'email-subscription-off', { number: a.longNumber }));
        keyboard.text(ctx.t(on ? 'email-unsubscribe' : 'email-subscribe', { number: a.longNumber }), `em:${on ? 'unsub' : 'sub'}:${a.accountId}`).row();
      }
    } else lines.push(ctx.t('email-none'));
    if (pending) {
      lines.push('', ctx.t('email-pending', { address: pending }));
      keyboard.text(ctx.t('email-enter-code'), 'em:code').row();
    }
    keyboard.text(ctx.t(address ? 'email-change' : 'email-set'), 'em:set');
    if (address) keyboard.text(ctx.t('email-remove'), 'em:rm');
    const text = lines.join('\n');
    if (edit) await ctx.editMessageText(text, { reply_markup: keyboard }).catch(() => ctx.reply(text, { reply_markup: keyboard }));
    else await ctx.reply(text, { reply_markup: keyboard });
  };

  feature.callbackQuery('set:email', requireConsent, async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, false);
  });

  feature.callbackQuery('em:set', requireConsent, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.conversation.enter('set-email', 'address');
  });
  feature.callbackQuery('em:code', requireConsent, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.conversation.enter('set-email', 'code');
  });

  feature.callbackQuery(/^em:(sub|unsub):(\d+)$/, requireConsent, async (ctx) => {
    const actor = actorOf(ctx);
    const accountId = Number(ctx.match[2]);
    const result = ctx.match[1] === 'sub'
      ? await deps.billing.receipts.subscribe({ actor, accountId })
      : await deps.billing.receipts.unsubscribe({ actor, accountId });
    if (!result.ok) {
      // The account was unlinked, or the address removed, since the screen was drawn.
      await ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
      return show(ctx, true);
    }
    await ctx.answerCallbackQuery();
    await show(ctx, true);
  });

  feature.callbackQuery('em:rm', requireConsent, async (ctx) => {
    const email = await deps.billing.email.get({ actor: actorOf(ctx) });
    await ctx.answerCallbackQuery();
    if (!email.ok || !email.value.address) return show(ctx, true);
    await ctx.editMessageText(ctx.t('email-remove-confirm', { address: email.value.address }), {
      reply_markup: new InlineKeyboard().text(ctx.t('email-remove-yes'), 'em:rm!').text(ctx.t('back'), 'em:back'),
    });
  });
  feature.callbackQuery('em:back', requireConsent, async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, true);
  });
  feature.callbackQuery('em:rm!', requireConsent, async (ctx) => {
    const removed = await deps.billing.email.remove({ actor: actorOf(ctx) });
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    if (removed.ok) await ctx.reply(ctx.t(removed.value.unsubscribed ? 'email-removed-unsubscribed' : 'email-removed'));
  });

  return feature;
}
