/** Dates as the resident's branch sees them. All dates are ISO strings 'YYYY-MM-DD'; months 'YYYY-MM'. */

// Making an Intl.DateTimeFormat costs about a tenth of a millisecond; a branch's timezone never
// changes, so each is made once.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** Today's date in the given IANA timezone. */
export function todayIn(timezone: string, now: Date): string {
  let format = dayFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timezone, format);
  }
  return format.format(now);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 'YYYY-MM' → 'YYYY-MM-01'. */
export const monthStart = (month: string): string => `${month}-01`;

/** 'YYYY-MM-DD' → 'YYYY-MM'. */
export const monthOf = (date: string): string => date.slice(0, 7);

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + n;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** First day after the end of the month. */
export const nextMonthStart = (month: string): string => monthStart(addMonths(month, 1));

export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

const hourFormats = new Map<string, Intl.DateTimeFormat>();

/** The hour of the day (0–23) in the given IANA timezone. */
export function hourIn(timezone: string, now: Date): number {
  let format = hourFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', hourCycle: 'h23' });
    hourFormats.set(timezone, format);
  }
  return Number(format.format(now));
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The timezone's offset from UTC at that moment, in minutes (Moscow: +180). */
function offsetMinutes(timezone: string, at: Date): number {
  let format = offsetFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormats.set(timezone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((x) => [x.type, x.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The moment `hour`:00 on `date` ('YYYY-MM-DD') in the given timezone. */
export function atLocalHour(date: string, hour: number, timezone: string): Date {
  const guess = Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
  const first = guess - offsetMinutes(timezone, new Date(guess)) * 60_000;
  // Once more at the moment found, in case the offset changes between the guess and it.
  return new Date(guess - offsetMinutes(timezone, new Date(first)) * 60_000);
}

/** Quiet hours: nothing is sent from 21:00 to 09:00 in the branch's timezone. */
export const QUIET_FROM_HOUR = 21;
export const QUIET_TO_HOUR = 9;

/** Whether `now` falls in the quiet hours of `timezone`. */
export function isQuiet(timezone: string, now: Date): boolean {
  const h = hourIn(timezone, now);
  return h >= QUIET_FROM_HOUR || h < QUIET_TO_HOUR;
}

/** The end of the quiet hours `now` falls in: 09:00 today (before it) or tomorrow (after 21:00). */
export function quietEnds(timezone: string, now: Date): Date {
  const today = todayIn(timezone, now);
  return hourIn(timezone, now) < QUIET_TO_HOUR ? atLocalHour(today, QUIET_TO_HOUR, timezone) : atLocalHour(addDays(today, 1), QUIET_TO_HOUR, timezone);
}
