/** How numbers and dates look to a resident: «1 234,56», «10.12.2026». Exact, no floats. */

import type { StatementRow } from './billing/index.ts';

const NBSP = '\u00a0';

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
}

/** Kopecks → «1 234,56» (no sign; the words say debt or overpayment). */
export function rub(kopecks: number): string {
  const abs = Math.abs(kopecks);
  return `${group(String(Math.floor(abs / 100)))},${String(abs % 100).padStart(2, '0')}`;
}

/** Thousandths of m³ → «18,272». */
export function m3(milli: number): string {
  const abs = Math.abs(milli);
  return `${milli < 0 ? '−' : ''}${group(String(Math.floor(abs / 1000)))},${String(abs % 1000).padStart(3, '0')}`;
}

/** 'YYYY-MM-DD' → 'DD.MM.YYYY'. */
export function day(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}.${m}.${y}`;
}

/** 'YYYY-MM' → its month number and year, for a Fluent message to name. */
export function monthParts(month: string): { month: number; year: number } {
  const [y, m] = month.split('-').map(Number);
  return { month: m!, year: y! };
}

const zoned = new Map<string, Intl.DateTimeFormat>();

/** The calendar parts of an instant in a timezone (a branch's), on the 24-hour clock. */
function partsIn(iso: string, timezone: string): Record<string, string> {
  let f = zoned.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    zoned.set(timezone, f);
  }
  return Object.fromEntries(f.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
}

/** An instant → its date in the timezone: «15.12.2026». */
export function localDate(iso: string, timezone: string): string {
  const p = partsIn(iso, timezone);
  return `${p.day}.${p.month}.${p.year}`;
}

/** An instant → its date and time in the timezone: «23.11.2026 12:00». */
export function localDateTime(iso: string, timezone: string): string {
  const p = partsIn(iso, timezone);
  return `${p.day}.${p.month}.${p.year} ${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}

/** At most `max` characters (whole code points) of a plain text, «…» marking a cut. */
export function cut(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * A month of the month table (seed 000 §8) as a resident reads it, the same on the bot and the
 * web pages: an overpayment said in words (statements-overpaid before the amount), a recalculation
 * with its sign (it may lower the charge: a refund of earlier months), `none` where there was none.
 */
export function monthRow(t: (key: string, vars?: Record<string, string | number>) => string, s: StatementRow, none: string) {
  const signed = (kopecks: number) => (kopecks < 0 ? t('statements-overpaid', { amount: rub(kopecks) }) : rub(kopecks));
  return {
    month: t('month-name', monthParts(s.month)),
    opening: signed(s.opening),
    charged: rub(s.charged),
    recalculation: s.recalculation === 0 ? none : `${s.recalculation < 0 ? '−' : ''}${rub(s.recalculation)}`,
    volume: m3(s.volume),
    benefits: rub(s.benefits),
    paid: rub(s.paid),
    closing: signed(s.closing),
  };
}
