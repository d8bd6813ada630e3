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
