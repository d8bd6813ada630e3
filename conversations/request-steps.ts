import { InlineKeyboard, Keyboard } from 'grammy';
import { buttons } from '../src/bot/callback-data.ts';
import { viaTelegram, type AccountSummary } from '../src/billing/index.ts';
import type { BotDeps, ConversationContext } from '../src/bot/context.ts';
import { consentScreen } from '../src/bot/screens/consent.ts';
import { linkFirst } from '../src/bot/screens/link-first.ts';
import { cancelKeyboard } from '../src/bot/screens/menu.ts';
import { addressLine } from '../src/words.ts';
import type { Conv } from './steps.ts';

type T = ConversationContext['t'];

/** A file the resident sent: kept by Telegram's ids (a job copies it to the file store). */
export interface SentFile {
  fileId: string;
  fileUniqueId: string;
}

export type StepAnswer =
  | { kind: 'text'; text: string }
  | { kind: 'button'; data: string }
  | { kind: 'contact'; phone: string; own: boolean }
  | { kind: 'file'; file: SentFile }
  | { kind: 'bad_file'; why: 'too_big' | 'not_image_or_pdf' };

interface StepOptions {
  /** The question; put again after every hint, so the step simply repeats. */
  send: (ctx: ConversationContext) => Promise<unknown>;
  buttons?: RegExp;
  text?: boolean;
  maxLength?: number;
  /** A shared contact is an answer here. */
  contact?: boolean;
  /** A photo, or a document that is an image or a PDF, is an answer here. */
  file?: boolean;
  /** The hint for anything else (a sticker, a voice note, text where it is not taken). */
  hint?: string;
}

/** Telegram lets bots download files up to 20 MB: a larger one could not be kept. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;
const FILE_TYPES = /^(image\/(jpeg|png|webp|heic|heif)|application\/pdf)$/;

/**
 * One step of a request dialogue: the question, then a typed answer, a button of this step, a
 * shared contact or a file, as the step takes. Anything else (a sticker, a stale button, a date
 * typed where a button is asked) gets a short hint and the same question again.
 */
export async function step(conversation: Conv, ctx: ConversationContext, o: StepOptions): Promise<StepAnswer> {
  await o.send(ctx);
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
    const message = next.message;
    if (o.contact && message?.contact) return { kind: 'contact', phone: message.contact.phone_number, own: message.contact.user_id === next.from?.id };
    if (o.file && message) {
      const photo = message.photo?.at(-1);
      const doc = message.document;
      const got = photo
        ? { fileId: photo.file_id, fileUniqueId: photo.file_unique_id, size: photo.file_size ?? 0, type: 'image/jpeg' }
        : doc
          ? { fileId: doc.file_id, fileUniqueId: doc.file_unique_id, size: doc.file_size ?? 0, type: doc.mime_type ?? '' }
          : null;
      if (got) {
        if (got.size > MAX_FILE_BYTES) return { kind: 'bad_file', why: 'too_big' };
        if (!FILE_TYPES.test(got.type)) return { kind: 'bad_file', why: 'not_image_or_pdf' };
        return { kind: 'file', file: { fileId: got.fileId, fileUniqueId: got.fileUniqueId } };
      }
    }
    const text = message?.text?.trim();
    if (o.text && text) {
      if (text.length <= (o.maxLength ?? 120)) return { kind: 'text', text };
      await next.reply(next.t('request-too-long', { max: o.maxLength ?? 120 }));
    } else {
      await next.reply(next.t(o.hint ?? (o.text ? 'hint-text-expected' : 'hint-use-buttons')));
    }
    await o.send(next);
  }
}

/**
 * A phone as typed or shared: Russian numbers become +7XXXXXXXXXX, others keep their + and 10–15
 * digits (the rule of billing's request services, which check it again).
 */
export function normalizePhone(typed: string): string | null {
  const s = typed.trim().replace(/[\s()\-.]/g, '');
  const n = /^8\d{10}$/.test(s) ? `+7${s.slice(1)}` : /^7\d{10}$/.test(s) ? `+${s}` : /^9\d{9}$/.test(s) ? `+7${s}` : s;
  return /^\+\d{10,15}$/.test(n) ? n : null;
}

/**
 * «Контактный телефон»: Telegram's «Поделиться номером» (a reply keyboard) or a typed number,
 * checked. Someone else's contact is refused politely. The keyboard is put back to «Отмена» after.
 */
export async function askPhone(conversation: Conv, ctx: ConversationContext): Promise<string> {
  const keyboard = (t: T) => new Keyboard().requestContact(t('request-share-phone')).row().text(t('menu-cancel')).resized().oneTime();
  for (;;) {
    const a = await step(conversation, ctx, {
      text: true,
      contact: true,
      maxLength: 32,
      hint: 'request-phone-hint',
      send: (x) => x.reply(x.t('request-ask-phone'), { reply_markup: keyboard(x.t) }),
    });
    if (a.kind === 'contact') {
      const phone = a.own ? normalizePhone(a.phone.startsWith('+') ? a.phone : `+${a.phone}`) : null;
      if (!a.own) {
        await ctx.reply(ctx.t('request-phone-not-own'));
        continue;
      }
      if (phone) {
        await ctx.reply(ctx.t('request-phone-taken', { phone }), { reply_markup: cancelKeyboard(ctx.t) });
        return phone;
      }
    }
    if (a.kind === 'text') {
      const phone = normalizePhone(a.text);
      if (phone) {
        await ctx.reply(ctx.t('request-phone-taken', { phone }), { reply_markup: cancelKeyboard(ctx.t) });
        return phone;
      }
    }
    await ctx.reply(ctx.t('request-phone-invalid'));
  }
}

/** The account a request is for, as the resident sees it: number, owner (masked), address, branch. */
export function accountLines(t: T, a: Pick<AccountSummary, 'longNumber' | 'owner' | 'address' | 'branchName'>): string {
  return t('request-account', { number: a.longNumber, owner: a.owner, address: addressLine(t, a.address), branch: a.branchName });
}

/** «Пропустить» under a question. */
export const skipKeyboard = (t: T) => new InlineKeyboard().text(t('request-skip'), buttons.requests.skip.pack({}));

/** 'YYYY-MM-DD' → «пн, 7 дек». */
export function visitDay(t: T, date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return t('request-visit-day', { weekday: d.getUTCDay(), day: d.getUTCDate(), month: d.getUTCMonth() + 1 });
}

/** An hour → «10:00». */
export const visitHour = (hour: number) => `${hour}:00`;

/** A moment → its date in the branch's zone, «15.12.2026». */
export function dateIn(timezone: string, iso: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('day')}.${get('month')}.${get('year')}`;
}

/**
 * The active account a request is for, with its owner, address, branch and meters; null when
 * there is none (the resident has been told: link an account first, or give the consent again).
 */
export async function activeAccountFor(conversation: Conv, ctx: ConversationContext, deps: BotDeps): Promise<AccountSummary | null> {
  const actor = viaTelegram(ctx.from!.id);
  const active = await conversation.external(() => deps.billing.residents.activeAccount({ actor }));
  if (!active.ok) {
    if (active.error.code === 'resident_not_found') {
      await ctx.reply(ctx.t('consent-required'));
      await consentScreen(ctx);
    } else await linkFirst(ctx, 'request-need-link');
    return null;
  }
  const summary = await conversation.external(() => deps.billing.accounts.summary({ actor, accountId: active.value.accountId }));
  if (!summary.ok) {
    await linkFirst(ctx, 'request-need-link');
    return null;
  }
  return summary.value;
}

/** What a refusal of billing's request services means to the resident; null for those the dialogue handles itself. */
export function requestRefusal(t: T, code: string): string {
  switch (code) {
    case 'too_many_requests':
      return t('request-too-many');
    case 'duplicate_request':
      return t('request-duplicate');
    case 'meter_not_found':
      return t('request-meter-not-found');
    default:
      return t('error-generic');
  }
}

/**
 * After a request is made: its card for the operators and its files for the store go to the job
 * runner. The request is already kept; if the queue cannot be reached now, the sweep posts it later.
 */
export async function handOver(conversation: Conv, deps: BotDeps, requestId: number) {
  await conversation.external(async () => {
    try {
      await deps.jobs.send('request.card', { requestId });
      await deps.jobs.send('request.files', { requestId });
    } catch (err) {
      deps.log.error({ err, requestId }, 'requests: could not hand the new request to the job runner');
    }
  });
}
