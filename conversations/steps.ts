import type { Conversation } from '@grammyjs/conversations';
import type { InlineKeyboard } from 'grammy';
import type { Message } from 'grammy/types';
import type { BotContext, ConversationContext } from '../src/bot/context.ts';
import { ACCEPTED_TYPES, MAX_FILE_BYTES, type FileKind } from '../src/files/store.ts';

export type Conv = Conversation<BotContext, ConversationContext>;

/**
 * A file the resident sent: kept by Telegram's ids (a job copies it to the file store), and how
 * Telegram holds it (a photo, or a document), so it is sent on to the operators the same way.
 */
export interface SentFile {
  fileId: string;
  fileUniqueId: string;
  media: 'photo' | 'document';
}

/** Why a file of a message is not taken: what the file store would refuse, told before it is kept. */
export type FileRefusal = 'too_big' | 'wrong_type';

/**
 * The file of a message as the store will keep it: a photo (its largest size), or a document of
 * a type the store takes for `kind` and of a size it can download. Null when the message carries
 * no photo or document.
 */
export function fileOf(message: Message | undefined, kind: FileKind): SentFile | { refused: FileRefusal } | null {
  const photo = message?.photo?.at(-1);
  if (photo) {
    if ((photo.file_size ?? 0) > MAX_FILE_BYTES) return { refused: 'too_big' };
    return { fileId: photo.file_id, fileUniqueId: photo.file_unique_id, media: 'photo' };
  }
  const doc = message?.document;
  if (!doc) return null;
  if (!(ACCEPTED_TYPES[kind] as readonly string[]).includes(doc.mime_type ?? '')) return { refused: 'wrong_type' };
  if ((doc.file_size ?? 0) > MAX_FILE_BYTES) return { refused: 'too_big' };
  return { fileId: doc.file_id, fileUniqueId: doc.file_unique_id, media: 'document' };
}

export type Answer =
  | { kind: 'text'; text: string }
  | { kind: 'button'; data: string }
  | { kind: 'photo'; fileId: string; size: number }
  | { kind: 'contact'; phone: string; own: boolean }
  | { kind: 'file'; file: SentFile }
  | { kind: 'bad_file'; why: FileRefusal };

/** The answers a step can give, by what it takes: a step without `contact` never gives a contact. */
export type AnswerOf<O extends AskOptions> = Extract<
  Answer,
  | { kind: 'text' | 'button' }
  | (O extends { photo: true } ? { kind: 'photo' } : never)
  | (O extends { contact: true } ? { kind: 'contact' } : never)
  | (O extends { file: FileKind } ? { kind: 'file' | 'bad_file' } : never)
>;

export interface AskOptions {
  /** The question; sent again after a hint, so the step simply repeats. */
  send: (ctx: ConversationContext) => Promise<unknown>;
  /** Callback data this step accepts. */
  buttons?: RegExp;
  /** Whether typed text is an answer here. */
  text?: boolean;
  /** Whether a photo is an answer here (the largest size is taken). */
  photo?: boolean;
  /** Whether a shared contact is an answer here (`own`: the resident's own number, by Telegram's user id). */
  contact?: boolean;
  /** A file of this kind (a photo, or a document the store takes) is an answer here. */
  file?: FileKind;
  maxLength?: number;
  /** The words for a text longer than maxLength (given `max`); `link-too-long` unless told. */
  tooLong?: string;
  /** The hint for anything else (a sticker, a voice note, text where it is not taken). */
  hint?: string;
  /** The question has just been put (with the answer to the previous try): wait without sending it. */
  asked?: boolean;
}

/**
 * One step of a dialogue: ask, then wait for a typed answer, one of this step's buttons, a shared
 * contact or a file, as the step takes. A sticker, a voice note, an edited message or a stale
 * button gets a short hint and the question again; nothing typed so far is lost.
 */
export async function ask<const O extends AskOptions>(conversation: Conv, ctx: ConversationContext, o: O): Promise<AnswerOf<O>> {
  if (!o.asked) await o.send(ctx);
  const max = o.maxLength ?? 120;
  for (;;) {
    const next = await conversation.wait();
    const data = next.callbackQuery?.data;
    if (data !== undefined) {
      if (o.buttons?.test(data)) {
        await next.answerCallbackQuery();
        return { kind: 'button', data } as AnswerOf<O>;
      }
      await next.answerCallbackQuery({ text: next.t('stale-button') });
      continue;
    }
    const message = next.message;
    if (o.contact && message?.contact) {
      const own = message.contact.user_id !== undefined && message.contact.user_id === next.from?.id;
      return { kind: 'contact', phone: message.contact.phone_number, own } as AnswerOf<O>;
    }
    const photo = message?.photo?.at(-1);
    if (o.photo && photo) return { kind: 'photo', fileId: photo.file_id, size: photo.file_size ?? 0 } as AnswerOf<O>;
    if (o.file) {
      const file = fileOf(message, o.file);
      if (file) return ('refused' in file ? { kind: 'bad_file', why: file.refused } : { kind: 'file', file }) as AnswerOf<O>;
    }
    const text = message?.text?.trim();
    if (o.text && text) {
      if (text.length <= max) return { kind: 'text', text } as AnswerOf<O>;
      await next.reply(next.t(o.tooLong ?? 'link-too-long', { max }));
    } else {
      await next.reply(next.t(o.hint ?? (o.text ? 'hint-text-expected' : 'hint-use-buttons')));
    }
    await o.send(next);
  }
}

/** The buttons of a list, one per row. */
export function rows(keyboard: InlineKeyboard, items: { label: string; data: string }[]): InlineKeyboard {
  for (const item of items) keyboard.text(item.label, item.data).row();
  return keyboard;
}
