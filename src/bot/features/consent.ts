import { Composer, InlineKeyboard, type NextFunction } from 'grammy';
import { actorOf } from '../actor.ts';
import type { BotContext, BotDeps } from '../context.ts';
import { mainMenu } from '../keyboards.ts';

export function consentScreen(ctx: Pick<BotContext, 'reply' | 't'>) {
  return ctx.reply(ctx.t('consent-text'), {
    reply_markup: new InlineKeyboard().text(ctx.t('consent-accept'), 'consent:yes').row().text(ctx.t('consent-decline'), 'consent:no'),
  });
}

/** Lets an update through only for a resident who has agreed; others see the consent screen. */
export async function requireConsent(ctx: BotContext, next: NextFunction) {
  if (ctx.session.consent === 'accepted') return next();
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t('consent-required'));
  await consentScreen(ctx);
}

/** /start, and the consent of 152-ФЗ as its own screen: nothing personal is stored before it. */
export function consentFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  feature.command('start', async (ctx) => {
    await ctx.reply(ctx.t('start-greeting'), { reply_markup: mainMenu(ctx.t, ctx.session.consent === 'accepted') });
    if (ctx.session.consent !== 'accepted') await consentScreen(ctx);
  });

  feature.callbackQuery('consent:yes', async (ctx) => {
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
      await ctx.reply(ctx.t('accounts-none'), { reply_markup: new InlineKeyboard().text(ctx.t('accounts-link'), 'link:start') });
    }
  });

  feature.callbackQuery('consent:no', async (ctx) => {
    ctx.session.consent = 'declined';
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.reply(ctx.t('consent-declined'), { reply_markup: mainMenu(ctx.t, false) });
  });

  return feature;
}
