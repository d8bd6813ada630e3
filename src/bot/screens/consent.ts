import { InlineKeyboard, type NextFunction } from 'grammy';
import { buttons } from '../callback-data.ts';
import type { BotContext } from '../context.ts';

/** The 152-ФЗ consent as its own screen: nothing personal is stored before the resident agrees. */
export function consentScreen(ctx: Pick<BotContext, 'reply' | 't'>) {
  return ctx.reply(ctx.t('consent-text'), {
    reply_markup: new InlineKeyboard()
      .text(ctx.t('consent-accept'), buttons.consent.yes.pack({}))
      .row()
      .text(ctx.t('consent-decline'), buttons.consent.no.pack({})),
  });
}

/** Lets an update through only for a resident who has agreed; others see the consent screen. */
export async function requireConsent(ctx: BotContext, next: NextFunction) {
  if (ctx.session.consent === 'accepted') return next();
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t('consent-required'));
  await consentScreen(ctx);
}

/** The consent was withdrawn elsewhere (the session still says yes): ask for it again. */
export async function consentAgain(ctx: BotContext) {
  ctx.session.consent = undefined;
  await ctx.reply(ctx.t('consent-required'));
  return consentScreen(ctx);
}
