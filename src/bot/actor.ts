import type { Context } from 'grammy';
import { viaTelegram, type ResidentActor } from '../billing/index.ts';

/** The resident behind an update, as the billing services know them: a Telegram user. */
export const actorOf = (ctx: Pick<Context, 'from'>): ResidentActor => viaTelegram(ctx.from!.id);
