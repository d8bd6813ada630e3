import { Composer, InlineKeyboard } from 'grammy';
import { actorOf } from '../actor.ts';
import { hears } from '@grammyjs/i18n';
import type { BotContext, BotDeps } from '../context.ts';
import { mainMenu } from '../keyboards.ts';

/** Language, and withdrawing the consent (152-ФЗ: the data is then deleted). */
export function settingsFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  const show = (ctx: BotContext) => {
    const keyboard = new InlineKeyboard().text(ctx.t('settings-language'), 'set:lang').row();
    if (ctx.session.consent === 'accepted') keyboard.text(ctx.t('settings-email'), 'set:email').row().text(ctx.t('settings-withdraw'), 'set:withdraw');
    return ctx.reply(ctx.t('settings-title'), { reply_markup: keyboard });
  };
  feature.command('settings', show);
  feature.filter(hears('menu-settings'), show);

  feature.callbackQuery('set:lang', async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('language-pick'), { reply_markup: new InlineKeyboard().text(ctx.t('language-name-ru'), 'lang:ru').text(ctx.t('language-name-en'), 'lang:en') });
  });

  feature.callbackQuery(/^lang:(ru|en)$/, async (ctx) => {
    const language = ctx.match[1] as 'ru' | 'en';
    ctx.session.language = language;
    await ctx.i18n.renegotiateLocale();
    if (ctx.session.consent === 'accepted') await deps.billing.residents.setLanguage({ actor: actorOf(ctx), language });
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('language-set'), { reply_markup: mainMenu(ctx.t, ctx.session.consent === 'accepted') });
  });

  feature.callbackQuery('set:withdraw', async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('settings-withdraw-confirm'), {
      reply_markup: new InlineKeyboard().text(ctx.t('settings-withdraw-yes'), 'set:withdraw!').text(ctx.t('back'), 'set:back'),
    });
  });
  feature.callbackQuery('set:back', async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.deleteMessage().catch(() => undefined);
  });
  feature.callbackQuery('set:withdraw!', async (ctx) => {
    await deps.billing.residents.withdrawConsent({ actor: actorOf(ctx) });
    ctx.session.consent = 'declined';
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.reply(ctx.t('settings-withdrawn'), { reply_markup: mainMenu(ctx.t, false) });
  });

  return feature;
}
