import { Composer } from 'grammy';
import { hears } from '@grammyjs/i18n';
import type { BotContext } from '../context.ts';
import { buttons } from '../callback-data.ts';
import { mainMenu } from '../screens/menu.ts';

/** Help, the public lookup, and the sections that other parts of the product will fill. */
export function generalFeature() {
  const feature = new Composer<BotContext>();

  feature.command('help', (ctx) => ctx.reply(ctx.t('help'), { reply_markup: mainMenu(ctx.t, ctx.session.consent === 'accepted') }));

  const publicBalance = async (ctx: BotContext) => {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    await ctx.conversation.enter('public-balance');
  };
  // The menu without consent has a button for it; with consent, /debt and the balance screen's button.
  feature.command('debt', publicBalance);
  feature.filter(hears('menu-public-balance'), publicBalance);
  feature.callbackQuery(buttons.publicBalance.start.filter, publicBalance);

  // «💬 Оператор»: features/operator-chat.ts. Requests: features/request-entry.ts (inspector), features/my-requests.ts (accidents).
  // Linked or not (seeds 001/002 allow readings by number, house and flat): the dialogue decides.
  const readings = (ctx: BotContext) => ctx.conversation.enter('submit-readings');
  feature.command('readings', readings);
  feature.filter(hears('menu-readings'), readings);

  return feature;
}

/** The last stop: anything no feature took gets a polite answer. */
export function fallbackFeature() {
  const feature = new Composer<BotContext>();
  feature.on('callback_query', (ctx) => ctx.answerCallbackQuery({ text: ctx.t('stale-button') }));
  // Outside a dialogue a place or a picture has an answer of its own: what it could be for.
  feature.on('message:location', (ctx) => ctx.reply(ctx.t('fallback-location'), { reply_markup: mainMenu(ctx.t, ctx.session.consent === 'accepted') }));
  feature.on('message:photo', (ctx) => ctx.reply(ctx.t('fallback-photo'), { reply_markup: mainMenu(ctx.t, ctx.session.consent === 'accepted') }));
  feature.on('message', (ctx) => ctx.reply(ctx.t('unknown-input'), { reply_markup: mainMenu(ctx.t, ctx.session.consent === 'accepted') }));
  return feature;
}
