import { InlineKeyboard } from 'grammy';
import { viaTelegram } from '../src/billing/index.ts';
import { buttons } from '../src/bot/callback-data.ts';
import type { BotDeps, ConversationContext } from '../src/bot/context.ts';
import type { Conv } from './steps.ts';

/** What the service keeps of the resident's words with a rating. */
export const MAX_REASON = 1000;

/**
 * 👎 after `request-status-done`: `rate-reason-ask` — a short reason or `request-skip`, then the rating goes to the
 * service with it (the request returns to in work; the operators read the reason on the card).
 * Nothing is recorded until then: a menu button or a command leaves the question, and the 👎
 * under the notice still works. A second 👎 on the same request meanwhile is told to answer;
 * any other button leaves the question and does what it says. A request rated meanwhile (from
 * another device) is told `rate-already`.
 */
export function rateReason(deps: BotDeps) {
  return async function rateReasonConversation(conversation: Conv, ctx: ConversationContext, requestId: number) {
    const actor = viaTelegram(ctx.from!.id);
    const skip = buttons.requests.rateSkip.pack({ requestId });
    const asked = await ctx.reply(ctx.t('rate-reason-ask'), { reply_markup: new InlineKeyboard().text(ctx.t('rate-reason-skip'), skip) });

    let comment: string | undefined;
    for (;;) {
      const next = await conversation.wait();
      const data = next.callbackQuery?.data;
      if (data !== undefined) {
        if (data === skip) {
          await next.answerCallbackQuery();
          break;
        }
        const rate = buttons.requests.rate.unpack(data);
        if (rate && rate.requestId === requestId && rate.mark === 'bad') {
          await next.answerCallbackQuery({ text: next.t('rate-reason-waiting') });
          continue;
        }
        // Another button (👍, another request, another screen): the question is left for it.
        await conversation.halt({ next: true });
      }
      const text = next.message?.text?.trim();
      if (!text) {
        await next.reply(next.t('rate-reason-expected'));
        continue;
      }
      // Counted as the service counts (UTF-16 units).
      if (text.length > MAX_REASON) {
        await next.reply(next.t('rate-reason-too-long', { max: String(MAX_REASON), length: String(text.length) }));
        continue;
      }
      comment = text;
      break;
    }
    // The question's `request-skip` is of no use any more.
    await ctx.api.editMessageReplyMarkup(asked.chat.id, asked.message_id).catch(() => undefined);

    const rated = await conversation.external(() => deps.billing.requests.rate({ actor, requestId, good: false, ...(comment ? { comment } : {}) }));
    if (!rated.ok) {
      const code = rated.error.code;
      if (code === 'move_not_allowed') return void (await ctx.reply(ctx.t('rate-already')));
      if (code === 'request_not_found' || code === 'resident_not_found') return void (await ctx.reply(ctx.t('stale-button')));
      throw new Error(`rate: ${code}`);
    }
    // The notice's (or the opened request's) rating buttons are gone once it is rated.
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.reply(ctx.t('rate-bad', { number: rated.value.number }));
    await conversation.external(async () => {
      for (const noticeId of rated.value.notices) await deps.jobs.send('notice', { noticeId });
      await deps.jobs.send('request.card', { requestId });
    });
  };
}
