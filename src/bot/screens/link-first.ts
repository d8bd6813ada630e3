import { InlineKeyboard } from 'grammy';
import { buttons } from '../callback-data.ts';

type T = (key: string, vars?: Record<string, string | number>) => string;

/** The button that starts linking an account. */
export const linkButton = (t: T, keyboard = new InlineKeyboard()) => keyboard.text(t('accounts-link'), buttons.accounts.link.pack({}));

/** «Сначала привяжите лицевой счёт», with the button that does it: for every screen that needs an account. */
export const linkFirst = (ctx: { t: T; reply: (text: string, other: { reply_markup: InlineKeyboard }) => Promise<unknown> }, key = 'accounts-need-link') =>
  ctx.reply(ctx.t(key), { reply_markup: linkButton(ctx.t) });
