import { Composer, InlineKeyboard, Keyboard } from 'grammy';
import { actorOf } from '../actor.ts';
import { hears } from '@grammyjs/i18n';
import type { BotContext, BotDeps } from '../context.ts';
import { buttons } from '../callback-data.ts';
import { consentAgain, requireConsent } from '../screens/consent.ts';
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
        .text(ctx.t('settings-phone'), buttons.settings.phone.pack({}))
        .row()
        .text(ctx.t('settings-reminders'), buttons.settings.reminders.pack({}))
        .row()
        .text(ctx.t('settings-withdraw'), buttons.settings.withdraw.pack({}));
    }
    return ctx.reply(ctx.t('settings-title'), { reply_markup: keyboard });
  };
  feature.command('settings', show);
  feature.filter(hears('menu-settings'), show);

  // The resident's phone (seeds 001/002, the change of phone number): shared with Telegram's contact
  // button, offered first when a request asks for a phone, shown masked, removable.
  const phoneScreen = async (ctx: BotContext, edit: boolean) => {
    const phone = await deps.billing.residents.phone({ actor: actorOf(ctx) });
    if (!phone.ok) return consentAgain(ctx);
    const { masked } = phone.value;
    const keyboard = new InlineKeyboard().text(ctx.t(masked ? 'phone-change' : 'phone-share'), buttons.settings.phoneShare.pack({}));
    if (masked) keyboard.row().text(ctx.t('phone-remove'), buttons.settings.phoneRemove.pack({}));
    const text = masked ? ctx.t('phone-current', { phone: masked }) : ctx.t('phone-none');
    if (edit) await ctx.editMessageText(text, { reply_markup: keyboard }).catch(() => ctx.reply(text, { reply_markup: keyboard }));
    else await ctx.reply(text, { reply_markup: keyboard });
  };
  feature.callbackQuery(buttons.settings.phone.filter, requireConsent, async (ctx) => {
    await ctx.answerCallbackQuery();
    await phoneScreen(ctx, false);
  });
  feature.callbackQuery(buttons.settings.phoneShare.filter, requireConsent, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('phone-ask'), {
      reply_markup: new Keyboard().requestContact(ctx.t('request-share-phone')).row().text(ctx.t('menu-cancel')).resized().oneTime(),
    });
  });
  feature.callbackQuery(buttons.settings.phoneRemove.filter, requireConsent, async (ctx) => {
    const removed = await deps.billing.residents.removePhone({ actor: actorOf(ctx) });
    await ctx.answerCallbackQuery();
    if (!removed.ok) return consentAgain(ctx);
    await phoneScreen(ctx, true);
    if (removed.value.removed) await ctx.reply(ctx.t('phone-removed'));
  });
  // A contact outside a dialogue: only the resident's own (Telegram names its user) is kept.
  feature.on('message:contact', requireConsent, async (ctx) => {
    const contact = ctx.message.contact;
    const menu = { reply_markup: mainMenu(ctx.t, true) };
    if (contact.user_id === undefined || contact.user_id !== ctx.from.id) return ctx.reply(ctx.t('phone-not-own'), menu);
    const number = contact.phone_number.startsWith('+') ? contact.phone_number : `+${contact.phone_number}`;
    const saved = await deps.billing.residents.setPhone({ actor: actorOf(ctx), phone: number, own: true });
    if (!saved.ok) return ctx.reply(saved.error.code === 'resident_not_found' ? ctx.t('phone-failed') : ctx.t('request-phone-invalid'), menu);
    await ctx.reply(ctx.t('phone-saved', { phone: saved.value.masked }), menu);
  });

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
