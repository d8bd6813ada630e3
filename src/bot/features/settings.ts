import { Composer, InlineKeyboard } from 'grammy';
import { actorOf } from '../actor.ts';
import { hears } from '@grammyjs/i18n';
import type { BotContext, BotDeps } from '../context.ts';
import { buttons } from '../callback-data.ts';
import { mainMenu } from '../screens/menu.ts';

/** Language, e-mail, reminders (features/reminders.ts), and withdrawing the consent (152-ФЗ: the data is then deleted). */
export function settingsFeature(deps: BotDeps) {
  const feature = new Composer<BotContext>();

  const show = (ctx: BotContext) => {
    const keyboard = new InlineKeyboard().text(ctx.t('settings-language'), buttons.settings.language.pack({})).row();
    if (ctx.session.consent === 'accepted') {
      keyboard
        .text(ctx.t('settings-email'), buttons.settings.email.pack({}))
        .row()
        .text(ctx.t('settings-reminders'), buttons.settings.reminders.pack({}))
        .row()
        .text(ctx.t('settings-withdraw'), buttons.settings.withdraw.pack({}));
    }
    return ctx.reply(ctx.t('settings-title'), { reply_markup: keyboard });
  };
  feature.command('settings', show);
  feature.filter(hears('menu-settings'), show);

  feature.callbackQuery(buttons.settings.language.filter, async (ctx) => {
    await ctx.answerCallbackQuery();
    const pick = buttons.settings.pick;
    await ctx.reply(ctx.t('language-pick'), {
      reply_markup: new InlineKeyboard()
        .text(ctx.t('language-name-ru'), pick.pack({ language: 'ru' }))
        .text(ctx.t('language-name-en'), pick.pack({ language: 'en' })),
    });
  });

  feature.callbackQuery(buttons.settings.pick.filter, async (ctx) => {
    const { language } = buttons.settings.pick.unpack(ctx.callbackQuery.data)!;
    ctx.session.language = language;
    await ctx.i18n.renegotiateLocale();
    if (ctx.session.consent === 'accepted') await deps.billing.residents.setLanguage({ actor: actorOf(ctx), language });
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('language-set'), { reply_markup: mainMenu(ctx.t, ctx.session.consent === 'accepted') });
  });

  feature.callbackQuery(buttons.settings.withdraw.filter, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('settings-withdraw-confirm'), {
      reply_markup: new InlineKeyboard()
        .text(ctx.t('settings-withdraw-yes'), buttons.settings.withdrawConfirmed.pack({}))
        .text(ctx.t('back'), buttons.settings.back.pack({})),
    });
  });
  feature.callbackQuery(buttons.settings.back.filter, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.deleteMessage().catch(() => undefined);
  });
  feature.callbackQuery(buttons.settings.withdrawConfirmed.filter, async (ctx) => {
    await deps.billing.residents.withdrawConsent({ actor: actorOf(ctx) });
    ctx.session.consent = 'declined';
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.reply(ctx.t('settings-withdrawn'), { reply_markup: mainMenu(ctx.t, false) });
  });

  return feature;
}
