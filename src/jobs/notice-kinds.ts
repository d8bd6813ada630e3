import { InlineKeyboard } from 'grammy';
import type { MessageEntity, ReplyParameters } from 'grammy/types';
import type { AddressParts, Billing } from '../billing/index.ts';
import { buttons } from '../bot/callback-data.ts';
import { day, monthParts } from '../format.ts';
import type { Translate } from '../i18n.ts';
import { addressLine } from '../words.ts';
import { statusNotice, type StatusPayload } from './notice-status.ts';
import { outageNotice, type OutagePayload } from './outage-notice.ts';

/**
 * What a notice says in Telegram, from its payload, in the resident's language: a text with its
 * buttons, or (`copy`) a message of the operators' group copied to the resident as the relay copies it.
 */
export type RenderedNotice =
  | { text: string; reply_markup?: InlineKeyboard; entities?: MessageEntity[]; reply_parameters?: ReplyParameters }
  | {
      copy: { fromChatId: number; messageId: number };
      caption?: string;
      caption_entities?: MessageEntity[];
      reply_parameters?: ReplyParameters;
    };
export type NoticeRenderer = (t: Translate, payload: Record<string, unknown>) => RenderedNotice;

interface MeterLine {
  meterId: number;
  serial: string;
  service: string;
  place: string | null;
}

const meterLine = (t: Translate, m: MeterLine) =>
  t('reminder-meter', { meter: t('readings-meter', { service: t(`service-${m.service}`), serial: m.serial, place: m.place ?? 'none' }) });

interface WindowPayload {
  accountId: number;
  address: AddressParts;
  /** 'YYYY-MM' */
  period: string;
  occasion: 'open' | 'closing' | 'last';
  lastDay: string;
  meters: MeterLine[];
}

/** reminder-window-* (reminders.ftl): the window, the address, the meters still missing, the last day; pass them, or no more. */
export function windowReminder(t: Translate, p: WindowPayload): RenderedNotice {
  const month = t('reminder-month', monthParts(p.period));
  const lines = [
    t(`reminder-window-${p.occasion}`, { month }),
    t('reminder-address', { address: addressLine(t, p.address) }),
    t('reminder-window-missing'),
    ...p.meters.map((m) => meterLine(t, m)),
    t('reminder-window-last-day', { date: day(p.lastDay) }),
  ];
  return {
    text: lines.join('\n'),
    reply_markup: new InlineKeyboard()
      .text(t('reminder-window-pass'), buttons.reminders.readings.pack({ accountId: p.accountId }))
      .row()
      .text(t('reminder-off'), buttons.reminders.off.pack({ kind: 'reading_window', accountId: p.accountId })),
  };
}

interface VerificationPayload {
  accountId: number;
  address: AddressParts;
  /** The verification date, 'YYYY-MM-DD'. */
  due: string;
  /** d60, d30, d0, or m<months since> while it stays expired. */
  occasion: string;
  /** Days from the day planned to the date (negative once passed). */
  days: number;
  meters: MeterLine[];
}

/** reminder-verification-* (reminders.ftl): when, which meters, what happens to billing (ПП 354); the inspector, or no more. */
export function verificationReminder(t: Translate, p: VerificationPayload): RenderedNotice {
  const count = p.meters.length;
  const head =
    p.days > 0
      ? t('reminder-verification-soon', { count, date: day(p.due), days: p.days })
      : p.days === 0
        ? t('reminder-verification-today', { count })
        : t('reminder-verification-expired', { count, date: day(p.due) });
  const lines = [
    head,
    t('reminder-address', { address: addressLine(t, p.address) }),
    ...p.meters.map((m) => meterLine(t, m)),
    t('reminder-verification-billing'),
  ];
  const first = p.meters[0];
  const keyboard = new InlineKeyboard();
  if (first) keyboard.text(t('reminder-verification-inspector'), buttons.reminders.inspector.pack({ accountId: p.accountId, meterId: first.meterId })).row();
  keyboard.text(t('reminder-off'), buttons.reminders.off.pack({ kind: 'verification', accountId: p.accountId }));
  return { text: lines.join('\n'), reply_markup: keyboard };
}

interface ReplyPayload {
  conversationId: number;
  /** The operators' group and the operator's message there. */
  fromChatId: number;
  messageId: number;
  /** The resident's message it answers (in the resident's chat), if any. */
  replyTo: number | null;
  /** The operator's first name, when the utility signs the replies: the text or caption sent anew with it. */
  signature?: string | null;
  text?: string | null;
  caption?: string | null;
  entities?: MessageEntity[] | null;
}

/** An operator's reply to a resident who is away: as the relay sends it (a copy, or the text signed), in its thread. */
export function operatorReply(t: Translate, p: ReplyPayload): RenderedNotice {
  const reply = p.replyTo ? { reply_parameters: { message_id: p.replyTo, allow_sending_without_reply: true } } : {};
  const signature = p.signature ? t('chat-signature', { name: p.signature }) : null;
  if (signature && typeof p.text === 'string') return { text: `${p.text}\n\n${signature}`, ...(p.entities ? { entities: p.entities } : {}), ...reply };
  return {
    copy: { fromChatId: p.fromChatId, messageId: p.messageId },
    ...(signature ? { caption: `${p.caption ? `${p.caption}\n\n` : ''}${signature}`, ...(p.entities ? { caption_entities: p.entities } : {}) } : {}),
    ...reply,
  };
}

/**
 * Every kind of notice the outbox delivers, by `notice.kind`: one more kind is one more entry
 * here. The delivery rules (claim, quiet hours, pace, 429/403) are the same for all of them
 * (src/jobs/notice.ts).
 */
export const NOTICE_RENDERERS: Record<string, NoticeRenderer> = {
  request_status: (t, p) => statusNotice(t, p as unknown as StatusPayload),
  reading_window: (t, p) => windowReminder(t, p as unknown as WindowPayload),
  verification: (t, p) => verificationReminder(t, p as unknown as VerificationPayload),
  outage: (t, p) => outageNotice(t, p as unknown as OutagePayload),
  operator_reply: (t, p) => operatorReply(t, p as unknown as ReplyPayload),
};

/** What a kind does once Telegram took it (the message's id): an operator's reply keeps its pair of ids, as the relay does. */
export const NOTICE_SENT: Record<string, (billing: Billing, payload: Record<string, unknown>, to: { chatId: number; messageId: number }) => Promise<unknown>> =
  {
    operator_reply: (billing, p, to) => {
      const r = p as unknown as ReplyPayload;
      return billing.chats.recordReplySent({
        conversationId: r.conversationId,
        fromChatId: r.fromChatId,
        fromMessageId: r.messageId,
        toChatId: to.chatId,
        toMessageId: to.messageId,
      });
    },
  };
