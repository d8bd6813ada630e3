import { Composer, InlineKeyboard } from 'grammy';
import { hears } from '@grammyjs/i18n';
import type { BotContext, BotDeps } from '../context.ts';
import { buttons } from '../callback-data.ts';
import { requireConsent } from '../screens/consent.ts';

/**
 * «Вызвать контролёра»: the screen of the inspector's two requests — a call, or a meter put into
 * service / sealed — and the button under a refused reading, which opens the call with the
 * reason and the meter filled in. The dialogues check the account themselves.
 */
export function requestEntryFeature(_deps: BotDeps) {
  const feature = new Composer<BotContext>();

  const screen = (ctx: BotContext) =>
    ctx.reply(ctx.t('inspector-choose'), {
      reply_markup: new InlineKeyboard()
        .text(ctx.t('inspector-choose-call'), buttons.requests.start.pack({ kind: 'inspector' }))
        .row()
        .text(ctx.t('inspector-choose-commission'), buttons.requests.start.pack({ kind: 'commissioning' })),
    });
  feature.command('inspector', requireConsent, screen);
  feature.filter(hears('menu-inspector'), requireConsent, screen);

  feature.callbackQuery(buttons.requests.start.filter, requireConsent, async (ctx) => {
    const { kind } = buttons.requests.start.unpack(ctx.callbackQuery.data)!;
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.conversation.exitAll();
    await ctx.conversation.enter(kind === 'inspector' ? 'inspector-call' : 'commission-meter');
  });

  feature.callbackQuery(buttons.requests.inspectorFor.filter, requireConsent, async (ctx) => {
    const { meterId, issue } = buttons.requests.inspectorFor.unpack(ctx.callbackQuery.data)!;
    await ctx.answerCallbackQuery();
    await ctx.conversation.exitAll();
    await ctx.conversation.enter('inspector-call', { meterId, issue });
  });
  return feature;
}
