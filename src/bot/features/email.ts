import { Composer, InlineKeyboard } from 'grammy';
import { actorOf } from '../actor.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { buttons } from '../callback-data.ts';
import { consentAgain, requireConsent } from '../screens/consent.ts';

/**
 * The e-mail screen of the settings: the address (or the one waiting for its code), the monthly
 * receipt per linked account, and changing or removing the address.
 */
export function emailFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  const show = async (ctx: BotContext, edit: boolean) => {
    const actor = actorOf(ctx);
    const [email, resident] = await Promise.all([deps.billing.email.get({ actor }), deps.billing.residents.get({ actor })]);
    if (!email.ok || !resident.ok) return consentAgain(ctx);
    const { address, pending, subscribedAccountIds, paperOptOutAccountIds } = email.value;
    const lines: string[] = [];
    const keyboard = new InlineKeyboard();
    if (address) {
      lines.push(ctx.t('email-current', { address }));
      if (resident.value.accounts.length) lines.push('', ctx.t('email-subscriptions'));
      for (const a of resident.value.accounts) {
        const on = subscribedAccountIds.includes(a.accountId);
        lines.push(ctx.t(on ? 'email-subscription-on' : 'email-subscription-off', { number: a.longNumber }));
        keyboard
          .text(
            ctx.t(on ? 'email-unsubscribe' : 'email-subscribe', { number: a.longNumber }),
            buttons.email.subscription.pack({ mode: on ? 'unsub' : 'sub', accountId: a.accountId }),
          )
          .row();
        // The paper-receipt opt-out (seed 002): offered only with the receipt by e-mail.
        if (!on) continue;
        const paperless = paperOptOutAccountIds.includes(a.accountId);
        lines.push(ctx.t(paperless ? 'email-paper-off' : 'email-paper-on'));
        keyboard
          .text(
            ctx.t(paperless ? 'email-paper-back' : 'email-paper-decline', { number: a.longNumber }),
            buttons.email.paper.pack({ mode: paperless ? 'off' : 'on', accountId: a.accountId }),
          )
          .row();
      }
    } else lines.push(ctx.t('email-none'));
    if (pending) {
      lines.push('', ctx.t('email-pending', { address: pending }));
      keyboard.text(ctx.t('email-enter-code'), buttons.email.code.pack({})).row();
    }
    keyboard.text(ctx.t(address ? 'email-change' : 'email-set'), buttons.email.set.pack({}));
    if (address) keyboard.text(ctx.t('email-remove'), buttons.email.remove.pack({}));
    const text = lines.join('\n');
    if (edit) await ctx.editMessageText(text, { reply_markup: keyboard }).catch(() => ctx.reply(text, { reply_markup: keyboard }));
    else await ctx.reply(text, { reply_markup: keyboard });
  };

  feature.callbackQuery(buttons.settings.email.filter, requireConsent, async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, false);
  });

  feature.callbackQuery(buttons.email.set.filter, requireConsent, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.conversation.enter('set-email', 'address');
  });
  feature.callbackQuery(buttons.email.code.filter, requireConsent, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.conversation.enter('set-email', 'code');
  });

  feature.callbackQuery(buttons.email.subscription.filter, requireConsent, async (ctx) => {
    const actor = actorOf(ctx);
    const { mode, accountId } = buttons.email.subscription.unpack(ctx.callbackQuery.data)!;
    const result = mode === 'sub' ? await deps.billing.receipts.subscribe({ actor, accountId }) : await deps.billing.receipts.unsubscribe({ actor, accountId });
    if (!result.ok) {
      // The account was unlinked, or the address removed, since the screen was drawn.
      await ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
      return show(ctx, true);
    }
    await ctx.answerCallbackQuery();
    await show(ctx, true);
    // The paper receipt needs no e-mail: it comes back with the subscription's end, and the resident is told.
    if ('paperBack' in result.value && result.value.paperBack) await ctx.reply(ctx.t('email-paper-back-unsubscribed', { number: result.value.longNumber }));
  });

  feature.callbackQuery(buttons.email.paper.filter, requireConsent, async (ctx) => {
    const { mode, accountId } = buttons.email.paper.unpack(ctx.callbackQuery.data)!;
    const result = await deps.billing.receipts.paperOptOut({ actor: actorOf(ctx), accountId, on: mode === 'on' });
    if (!result.ok) {
      // Unlinked, the address removed or the subscription ended since the screen was drawn.
      await ctx.answerCallbackQuery({ text: ctx.t('stale-button') });
      return show(ctx, true);
    }
    await ctx.answerCallbackQuery();
    await show(ctx, true);
    if (result.value.changed) await ctx.reply(ctx.t(result.value.on ? 'email-paper-declined' : 'email-paper-restored', { number: result.value.longNumber }));
  });

  feature.callbackQuery(buttons.email.remove.filter, requireConsent, async (ctx) => {
    const email = await deps.billing.email.get({ actor: actorOf(ctx) });
    await ctx.answerCallbackQuery();
    if (!email.ok || !email.value.address) return show(ctx, true);
    await ctx.editMessageText(ctx.t('email-remove-confirm', { address: email.value.address }), {
      reply_markup: new InlineKeyboard()
        .text(ctx.t('email-remove-yes'), buttons.email.removeConfirmed.pack({}))
        .text(ctx.t('back'), buttons.email.back.pack({})),
    });
  });
  feature.callbackQuery(buttons.email.back.filter, requireConsent, async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, true);
  });
  feature.callbackQuery(buttons.email.removeConfirmed.filter, requireConsent, async (ctx) => {
    const removed = await deps.billing.email.remove({ actor: actorOf(ctx) });
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    if (removed.ok)
      await ctx.reply(
        ctx.t(removed.value.paperBack ? 'email-removed-paper-back' : removed.value.unsubscribed ? 'email-removed-unsubscribed' : 'email-removed'),
      );
  });

  return feature;
}
