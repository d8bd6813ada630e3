import { InlineKeyboard } from 'grammy';
import { viaTelegram } from '../src/billing/index.ts';
import { buttons } from '../src/bot/callback-data.ts';
import type { BotDeps, ConversationContext } from '../src/bot/context.ts';
import { cancelKeyboard, mainMenu } from '../src/bot/screens/menu.ts';
import { MAX_PHOTOS } from './report-accident.ts';
import { handOver } from './request-steps.ts';
import { fileOf, type Conv, type SentFile } from './steps.ts';

/** The answer's length the service takes (its text(2000)): counted over all the parts sent. */
const MAX_ANSWER = 2000;

/**
 * The answer to «На исправление»: what the operator asked for, in words and maybe photos; sent,
 * the request returns to «Принято» and the operators see it on the card.
 */
export function answerRequest(deps: BotDeps) {
  return async function answerRequestConversation(conversation: Conv, ctx: ConversationContext, requestId: number) {
    const actor = viaTelegram(ctx.from!.id);
    const request = await conversation.external(() => deps.billing.requests.get({ actor, requestId }));
    if (!request.ok || !request.value.own) {
      await ctx.reply(ctx.t('stale-button'));
      return;
    }
    if (request.value.status !== 'needs_info') {
      await ctx.reply(ctx.t('answer-not-needed', { number: request.value.number, status: ctx.t(`request-status-${request.value.status}`) }));
      return;
    }
    const asked = request.value.lastComment;
    await ctx.reply(ctx.t('answer-ask', { number: request.value.number, comment: asked ?? 'none' }), { reply_markup: cancelKeyboard(ctx.t) });

    let text = '';
    const files: SentFile[] = [];
    const albums = new Set<string>();
    const sendKeyboard = (x: ConversationContext) => new InlineKeyboard().text(x.t('answer-send'), buttons.answering.send.pack({}));
    for (;;) {
      const next = await conversation.wait();
      const data = next.callbackQuery?.data;
      if (data !== undefined) {
        if (!buttons.answering.send.filter.test(data)) {
          await next.answerCallbackQuery({ text: next.t('stale-button') });
          continue;
        }
        if (!text) {
          await next.answerCallbackQuery({ text: next.t('answer-text-first') });
          continue;
        }
        await next.answerCallbackQuery();
        break;
      }
      const image = fileOf(next.message, 'image');
      const words = (next.message?.text ?? next.message?.caption ?? '').trim();
      // The running total is checked before a part is taken: what is kept is always sendable.
      const joined = text && words ? text.length + 1 + words.length : text.length + words.length;
      if (joined > MAX_ANSWER) {
        const left = Math.max(0, MAX_ANSWER - text.length - (text ? 1 : 0));
        await next.reply(next.t(text ? 'answer-too-long-more' : 'answer-too-long', { max: String(MAX_ANSWER), left }), {
          ...(text ? { reply_markup: sendKeyboard(next) } : {}),
        });
        continue;
      }
      if (image && 'refused' in image) {
        await next.reply(next.t(image.refused === 'too_big' ? 'answer-file-too-big' : 'answer-expected'));
        continue;
      }
      if (!image && !words) {
        await next.reply(next.t('answer-expected'));
        continue;
      }
      if (image && files.length < MAX_PHOTOS && !files.some((f) => f.fileUniqueId === image.fileUniqueId)) files.push(image);
      if (words) text = text ? `${text}\n${words}` : words;
      // An album: one answer for the whole group (its caption, if any, comes with one of them).
      const group = next.message?.media_group_id;
      if (group !== undefined && albums.has(group) && !words) continue;
      if (group !== undefined) albums.add(group);
      await next.reply(next.t(text ? 'answer-received' : 'answer-photo-received', { photos: files.length }), { reply_markup: sendKeyboard(next) });
    }

    const answered = await conversation.external(() => deps.billing.requests.answer({ actor, requestId, text, files }));
    if (!answered.ok) {
      const code = answered.error.code;
      if (code === 'move_not_allowed' || code === 'request_not_found') {
        await ctx.reply(ctx.t(code === 'move_not_allowed' ? 'answer-late' : 'stale-button'), { reply_markup: mainMenu(ctx.t, true) });
        return;
      }
      throw new Error(`answer: ${code}`);
    }
    await ctx.reply(ctx.t('answer-sent', { number: answered.value.number, status: ctx.t(`request-status-${answered.value.status}`) }), {
      reply_markup: mainMenu(ctx.t, true),
    });
    // The card job also shows the answer's photos (not posted yet) to the operators, as a reply to the card.
    await handOver(conversation, deps, requestId, { notices: answered.value.notices, files: files.length > 0 });
  };
}
