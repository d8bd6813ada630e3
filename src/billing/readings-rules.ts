/**
 * The rules of a meter reading that need no database: how a typed value is read, when a
 * reading counts (the branch's window, ПП 354 п. 31), and how a new value compares with the
 * previous one. The readings service applies them; the bot and the web word their answers.
 */
import { addMonths, monthOf } from './calendar.ts';

export interface MeterDigits {
  /** Digits of the register before the decimal point (whole m³). */
  digitsBefore: number;
  /** Digits after it (at most 3: thousandths of m³). */
  digitsAfter: number;
}

export type ValueError = 'empty' | 'not_a_number' | 'negative' | 'too_many_decimals' | 'too_many_digits';

/** The unit a resident may type after the value: «м3», «м³», «m3», «куб», «куб. м», «кубов», «кубометров». */
const UNIT = /(?:[мm][3³]|куб(?:ометр(?:а|ов)?|ов|а)?\.?(?:м\.?)?)\.?$/iu;

/**
 * «123», «123,45», «123.456», «00123,4», «1 234,5», «113,6 м3» → thousandths of m³ (read from the
 * digits, never through a float). Refused with a reason: letters, a negative number, more
 * decimals than the meter shows, more digits than its register.
 */
export function parseReadingValue(text: string, meter: MeterDigits): { ok: true; milli: number } | { ok: false; error: ValueError } {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '').replace(UNIT, '');
  if (compact === '') return { ok: false, error: 'empty' };
  if (/^[-−–]\s*\d/.test(compact)) return { ok: false, error: 'negative' };
  const m = /^(\d+)(?:[.,](\d+))?$/.exec(compact);
  if (!m) return { ok: false, error: 'not_a_number' };
  const whole = m[1]!.replace(/^0+(?=\d)/, '');
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > Math.min(meter.digitsAfter, 3)) return { ok: false, error: 'too_many_decimals' };
  if (whole.length > meter.digitsBefore) return { ok: false, error: 'too_many_digits' };
  return { ok: true, milli: Number(whole) * 1000 + Number(frac.padEnd(3, '0')) };
}

/** Thousandths of m³ → «123,450» with as many decimals as the meter shows. */
export function formatReadingValue(milli: number, meter: Pick<MeterDigits, 'digitsAfter'>): string {
  const whole = Math.floor(milli / 1000);
  const decimals = Math.min(meter.digitsAfter, 3);
  if (decimals === 0) return String(whole);
  return `${whole},${String(milli % 1000)
    .padStart(3, '0')
    .slice(0, decimals)}`;
}

export interface ReadingWindow {
  /** Whether today is inside the branch's window for passing readings. */
  open: boolean;
  /** The billing month the reading counts for: 'YYYY-MM-01'. */
  period: string;
  /** First and last day of that month's window (clamped to the month's length). */
  opensOn: string;
  closesOn: string;
}

const daysInMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
};
const dayOf = (month: string, day: number) => `${month}-${String(Math.min(day, daysInMonth(month))).padStart(2, '0')}`;

/** The first day of the window of the month `period` ('YYYY-MM' or 'YYYY-MM-01'): from then its readings count. */
export function windowOpensOn(period: string, from: number): string {
  return dayOf(monthOf(period), from);
}

/**
 * Where `today` (in the branch's timezone) falls against the window of days `from`–`to`:
 * inside it a reading counts for this month; before it, for this month once the window opens;
 * after it, for the next month.
 */
export function readingWindow(today: string, from: number, to: number): ReadingWindow {
  const month = monthOf(today);
  const closesThisMonth = dayOf(month, to);
  const target = today > closesThisMonth ? addMonths(month, 1) : month;
  const opensOn = dayOf(target, from);
  const closesOn = dayOf(target, to);
  return { open: today >= opensOn && today <= closesOn, period: `${target}-01`, opensOn, closesOn };
}

export type Comparison =
  | { kind: 'first' }
  | { kind: 'ok'; volume: number }
  | { kind: 'below_previous'; previous: number }
  | { kind: 'unusually_high'; volume: number; limit: number };

/** A flat's meter hardly passes more than this in a month; above it the resident is asked to confirm. */
export const PHYSICAL_CAP_MILLI_PER_MONTH = 50_000;

/**
 * The new value against the previous reading: never below it (a replaced meter needs an
 * inspector); a volume above 3× the usual monthly consumption, or above the physical cap, asks
 * for confirmation.
 */
export function compareWithPrevious(value: number, previous: number | null, usualMonthly: number | null): Comparison {
  if (previous === null) return { kind: 'first' };
  if (value < previous) return { kind: 'below_previous', previous };
  const volume = value - previous;
  const limit = usualMonthly && usualMonthly > 0 ? Math.min(usualMonthly * 3, PHYSICAL_CAP_MILLI_PER_MONTH) : PHYSICAL_CAP_MILLI_PER_MONTH;
  return volume > limit ? { kind: 'unusually_high', volume, limit } : { kind: 'ok', volume };
}

/**
 * The day the values were read off the meter, as a resident types it: «20.11.2026», «5.1.2026»,
 * «20.11.26», «20/11/2026» → 'YYYY-MM-DD'; null for anything that is not a calendar day.
 */
export function parseTakenOn(text: string): string | null {
  const m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$/.exec(text.replace(/\s/g, '').replace(/г\.?$/u, ''));
  if (!m) return null;
  const year = m[3]!.length === 2 ? `20${m[3]}` : m[3]!;
  const iso = `${year}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso ? iso : null;
}

/**
 * What a resident types at a meter: the value, or (seeds 001/002 «объём изменения») the volume
 * since the last reading with a plus sign — «+2,5», «+ 2,5 м3».
 */
export function parseReadingInput(text: string, meter: MeterDigits): { ok: true; kind: 'value' | 'volume'; milli: number } | { ok: false; error: ValueError } {
  const volume = /^\s*\+/.exec(text);
  const parsed = parseReadingValue(volume ? text.slice(volume[0].length) : text, meter);
  return parsed.ok ? { ok: true, kind: volume ? 'volume' : 'value', milli: parsed.milli } : parsed;
}
