import type { Conversation } from '@grammyjs/conversations';
import type { InlineKeyboard } from 'grammy';
import type { BotContext, ConversationContext } from '../src/bot/context.ts';

export type Conv = Conversation<BotContext, ConversationContext>;
export type Answer = { kind: 'text'; text: string } | { kind: 'button'; data: string } | { kind: 'photo'; fileId: string; size: number };

interface AskOptions {
  /** The question; sent again after a hint, so the step simply repeats. */
  send: (ctx: ConversationContext) => Promise<unknown>;
  /** Callback data this step accepts. */
  buttons?: RegExp;
  /** Whether typed text is an answer here. */
  text?: boolean;
  /** Whether a photo is an answer here (the largest size is taken). */
  photo?: boolean;
  maxLength?: number;
  /** The question has just been put (with the answer to the previous try): wait without sending it. */
  asked?: boolean;
}

/**
 * One step of a dialogue: ask, then wait for a typed answer or one of this step's buttons.
 * A sticker, a photo, a voice note, an edited message or a stale button gets a short hint and
 * the question again; nothing typed so far is lost.
 */
export async function ask(conversation: Conv, ctx: ConversationContext, o: AskOptions): Promise<Answer> {
  if (!o.asked) await o.send(ctx);
  for (;;) {
    const next = await conversation.wait();
    const data = next.callbackQuery?.data;
    if (data !== undefined) {
      if (o.buttons?.test(data)) {
        await next.answerCallbackQuery();
        return { kind: 'button', data };
      }
      await next.answerCallbackQuery({ text: next.t('stale-button') });
      continue;
    }
    const photo = next.message?.photo?.at(-1);
    if (o.photo && photo) return { kind: 'photo', fileId: photo.file_id, size: photo.file_size ?? 0 };
    const text = next.message?.text?.trim();
    if (o.text && text) {
      if (text.length <= (o.maxLength ?? 120)) return { kind: 'text', text };
      await next.reply(next.t('link-too-long'));
    } else {
      await next.reply(next.t(o.text ? 'hint-text-expected' : 'hint-use-buttons'));
    }
    await o.send(next);
  }
}

/** The buttons of a list, one per row. */
export function rows(keyboard: InlineKeyboard, items: { label: string; data: string }[]): InlineKeyboard {
  for (const item of items) keyboard.text(item.label, item.data).row();
  return keyboard;
}
