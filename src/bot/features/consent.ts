import { Composer } from 'grammy';
import { actorOf } from '../actor.ts';
import { buttons } from '../callback-data.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { consentScreen } from '../screens/consent.ts';
import { linkFirst } from '../screens/link-first.ts';
import { mainMenu } from '../screens/menu.ts';

/** /start, and the consent of 152-ФЗ as its own screen: nothing personal is stored before it. */
export function consentFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  feature.command('start', async (ctx) => {
    await ctx.reply(ctx.t('start-greeting'), { reply_markup: mainMenu(ctx.t, ctx.session.consent === 'accepted') });
    if (ctx.session.consent !== 'accepted') await consentScreen(ctx);
  });

  feature.callbackQuery(buttons.consent.yes.filter, async (ctx) => {
    const result = await deps.billing.residents.giveConsent({
      actor: actorOf(ctx),
      version: deps.consentVersion,
      language: ctx.session.language ?? 'ru',
    });
    if (!result.ok) throw new Error(`consent not recorded: ${result.error.code}`);
    ctx.session.consent = 'accepted';
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.reply(ctx.t('consent-accepted'), { reply_markup: mainMenu(ctx.t, true) });
    if (result.value.linkedAccounts === 0) {
      await linkFirst(ctx, 'accounts-none');
    }
  });

  feature.callbackQuery(buttons.consent.no.filter, async (ctx) => {
    ctx.session.consent = 'declined';
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.reply(ctx.t('consent-declined'), { reply_markup: mainMenu(ctx.t, false) });
  });

  return feature;
}
