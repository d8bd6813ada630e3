import { addDays, todayIn } from '../calendar.ts';
import { localMoment } from '../requests/calendar.ts';

/**
 * What operators type at the desk (src/bot/features/outage-desk.ts), read into the services'
 * input. Pure functions: the street itself is found by `accounts.searchStreets`.
 */

/** One line of the area: «Ермакова 7, 9, 11», «8 Марта 5», «Пятигорская все» (null houses: all). */
export type AreaLine = { line: string; street: string; houses: string[] | null };

const ALL = /^(?:все|всё|all|все дома|всё дома)$/i;

/** The lines of an area, or the first line without houses. */
export function parseAreaLines(text: string): { ok: true; lines: AreaLine[] } | { ok: false; line: string } {
  const lines: AreaLine[] = [];
  for (const raw of text.split(/\n|;/)) {
    const line = raw.trim().replace(/\s+/g, ' ');
    if (!line) continue;
    // The street is the shortest start with a letter after which come the houses (a number) or «все».
    const m = /^(.*?\p{L}.*?)[\s,]+((?:д\.?\s*)?\d.*|все(?: дома)?|всё(?: дома)?|all)$/iu.exec(line);
    if (!m) return { ok: false, line };
    const street = m[1]!.replace(/[,\s]+$/, '');
    const rest = m[2]!.trim();
    if (ALL.test(rest)) {
      lines.push({ line, street, houses: null });
      continue;
    }
    const houses = rest
      .split(/,/)
      .map((h) => h.replace(/^д\.?\s*/i, '').trim())
      .filter(Boolean);
    if (!houses.length) return { ok: false, line };
    lines.push({ line, street, houses });
  }
  return lines.length ? { ok: true, lines } : { ok: false, line: text.trim() };
}

const MOMENT = /^(?:(\d{1,2})\.(\d{1,2})(?:\.(\d{2}|\d{4}))?\s+)?(\d{1,2})[:.](\d{2})$/;

/** A date and time in the branch's timezone («02.12 09:00», «02.12.2026 9:00», «18:00»: on `defaultDate`). */
function moment(text: string, timezone: string, defaultDate: string, today: string): Date | null {
  const m = MOMENT.exec(text.trim());
  if (!m) return null;
  const [, d, mo, y, h, mi] = m;
  const hour = Number(h);
  const minute = Number(mi);
  if (hour > 23 || minute > 59) return null;
  let date = defaultDate;
  if (d) {
    const year = y ? (y.length === 2 ? 2000 + Number(y) : Number(y)) : Number(today.slice(0, 4));
    date = `${year}-${mo!.padStart(2, '0')}-${d.padStart(2, '0')}`;
    const check = new Date(`${date}T00:00:00Z`);
    if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== date) return null;
    // «05.01» typed in December is next January.
    if (!y && date < addDays(today, -31)) date = `${year + 1}${date.slice(4)}`;
  }
  return new Date(localMoment(timezone, date, 0).getTime() + (hour * 60 + minute) * 60_000);
}

/**
 * «02.12 09:00 – 02.12 18:00», «09:00 – 18:00» (today), «до 18:00» (from now), «до 03.12 10:00».
 * An end without a date is on the start's day, or the next day if that is not after the start.
 */
export function parseOutageTimes(text: string, timezone: string, now: Date): { startsAt: Date; endsAt: Date } | null {
  const today = todayIn(timezone, now);
  const t = text.trim().replace(/\s+/g, ' ');
  const until = /^(?:до|по|until|to)\s+(.+)$/i.exec(t);
  const parts = until ? null : t.replace(/^с\s+/i, '').split(/\s*(?:[–—-]|\sдо\s|\sпо\s)\s*/);
  const startText = until ? null : parts?.[0];
  const endText = until ? until[1]! : parts?.[1];
  if (!endText || (!until && (!startText || parts!.length !== 2))) return null;
  const startsAt = startText ? moment(startText, timezone, today, today) : now;
  if (!startsAt) return null;
  const startDay = todayIn(timezone, startsAt);
  let endsAt = moment(endText, timezone, startDay, today);
  if (!endsAt) return null;
  if (!/\d{1,2}\.\d{1,2}/.test(endText) && endsAt.getTime() <= startsAt.getTime()) endsAt = moment(endText, timezone, addDays(startDay, 1), today);
  return endsAt ? { startsAt, endsAt } : null;
}

/** A new expected end: «18:00» (today, or tomorrow if that has passed), «03.12 10:00». */
export function parseExpectedEnd(text: string, timezone: string, now: Date): Date | null {
  const today = todayIn(timezone, now);
  const at = moment(text, timezone, today, today);
  if (!at) return null;
  if (!/\d{1,2}\.\d{1,2}/.test(text) && at.getTime() <= now.getTime()) return moment(text, timezone, addDays(today, 1), today);
  return at;
}
