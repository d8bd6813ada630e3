import { InlineKeyboard } from 'grammy';
import { buttons } from '../callback-data.ts';

type T = (key: string, vars?: Record<string, string | number>) => string;

/** «Сначала укажите адрес электронной почты», with the button that does it: under a receipt, in the chat or from a job. */
export const needEmail = (t: T) => ({ text: t('receipt-need-email'), reply_markup: new InlineKeyboard().text(t('email-set'), buttons.email.set.pack({})) });
