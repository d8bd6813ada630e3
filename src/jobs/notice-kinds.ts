import { InlineKeyboard } from 'grammy';
import type { AddressParts } from '../billing/index.ts';
import { buttons } from '../bot/callback-data.ts';
import { day, monthParts } from '../format.ts';
import type { Translate } from '../i18n.ts';
import { addressLine } from '../words.ts';
import { statusNotice, type StatusPayload } from './notice-status.ts';
import { outageNotice, type OutagePayload } from './outage-notice.ts';

/** What a notice says: its text and buttons, from its payload, in the resident's language. */
export interface RenderedNotice {
  text: string;
  reply_markup?: InlineKeyboard;
}
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
};
