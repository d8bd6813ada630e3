import { z } from 'zod';
import { parseScaled } from '../../money/exact.ts';

/** Field parsers for import rows: CSV gives strings, JSON may give numbers and booleans. */

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

export const req = (max: number, pattern?: { regex: RegExp; message: string }) =>
  z.preprocess(
    (v) => (blank(v) ? undefined : trimmed(typeof v === 'number' ? String(v) : v)),
    pattern
      ? z.string({ error: 'required' }).max(max, `longer than ${max} characters`).regex(pattern.regex, pattern.message)
      : z.string({ error: 'required' }).max(max, `longer than ${max} characters`),
  );

export const opt = (max: number) =>
  z.preprocess((v) => (blank(v) ? null : trimmed(typeof v === 'number' ? String(v) : v)), z.string().max(max, `longer than ${max} characters`).nullable());

function scaled(scale: number, what: string) {
  return z.preprocess(
    (v) => (blank(v) ? undefined : v),
    z.union([z.string(), z.number()], { error: 'required' }).transform((v, ctx) => {
      const n = parseScaled(String(v), scale);
      if (n === null) {
        ctx.addIssue({ code: 'custom', message: `not ${what} with at most ${scale} decimals` });
        return z.NEVER;
      }
      return n;
    }),
  );
}
/** Roubles with kopecks («1141.42», «1 141,42») → integer kopecks. */
export const money = scaled(2, 'an amount');
/** m³ («18.272», «18,272») → integer thousandths. */
export const volume = scaled(3, 'a volume');
export const moneyOrZero = z.preprocess((v) => (blank(v) ? '0' : v), money);

export const int = (min: number, max: number) =>
  z.preprocess(
    (v) => (blank(v) ? undefined : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z
      .number({ error: (issue) => (issue.input === undefined ? 'required' : 'not a whole number') })
      .int('not a whole number')
      .min(min, `less than ${min}`)
      .max(max, `more than ${max}`),
  );
export const intOr = (fallback: number, min: number, max: number) => z.preprocess((v) => (blank(v) ? fallback : v), int(min, max));
/** A whole number in range, or null when not given. */
export const optInt = (min: number, max: number) => z.preprocess((v) => (blank(v) ? null : v), int(min, max).nullable());

export const bool = (fallback: boolean) =>
  z.preprocess(
    (v) => {
      if (blank(v)) return fallback;
      if (typeof v === 'boolean') return v;
      const s = String(v).trim().toLowerCase();
      if (['true', '1', 'yes', 'y'].includes(s)) return true;
      if (['false', '0', 'no', 'n'].includes(s)) return false;
      return s;
    },
    z.boolean({ error: 'not a boolean (true/false)' }),
  );

const realDates = new Map<string, boolean>();
/** Exports repeat the same few hundred dates millions of times: remember the answer. */
export function isRealDate(iso: string): boolean {
  let known = realDates.get(iso);
  if (known === undefined) {
    const d = new Date(`${iso}T00:00:00Z`);
    known = !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
    if (realDates.size < 100_000) realDates.set(iso, known);
  }
  return known;
}

/** «2026-10-25» or «25.10.2026» → '2026-10-25'. */
const dateText = z.string().transform((v, ctx) => {
  const s = v.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) ?? /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(s);
  const iso = m ? (m[1]!.length === 4 ? `${m[1]}-${m[2]}-${m[3]}` : `${m[3]}-${m[2]}-${m[1]}`) : null;
  if (!iso || !isRealDate(iso)) {
    ctx.addIssue({ code: 'custom', message: 'not a date (YYYY-MM-DD or DD.MM.YYYY)' });
    return z.NEVER;
  }
  return iso;
});
export const date = z.preprocess((v) => (blank(v) ? undefined : v), z.string({ error: 'required' }).pipe(dateText));
export const optDate = z.preprocess((v) => (blank(v) ? null : v), dateText.nullable());

/** «2026-10», «10.2026» or «2026-10-01» → '2026-10-01' (the first day of the month). */
export const period = z.preprocess(
  (v) => (blank(v) ? undefined : v),
  z.string({ error: 'required' }).transform((v, ctx) => {
    const s = v.trim();
    const m = /^(\d{4})-(\d{2})(?:-01)?$/.exec(s) ?? /^(\d{2})\.(\d{4})$/.exec(s);
    const iso = m ? (m[1]!.length === 4 ? `${m[1]}-${m[2]}-01` : `${m[2]}-${m[1]}-01`) : null;
    if (!iso || !isRealDate(iso)) {
      ctx.addIssue({ code: 'custom', message: 'not a month (YYYY-MM or MM.YYYY)' });
      return z.NEVER;
    }
    return iso;
  }),
);

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T, fallback?: T[number]) =>
  z.preprocess((v) => (blank(v) ? fallback : trimmed(v)), z.enum(values, { error: `one of: ${values.join(', ')}` }));
/** One of the listed values, or null when not given. */
export const optOneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (blank(v) ? null : trimmed(v)), z.enum(values, { error: `one of: ${values.join(', ')}` }).nullable());

/** ISO weekdays as digits, 1 = Monday … 7 = Sunday, each once: «12345» → '12345' (sorted). */
export const weekdays = (fallback: string) =>
  z.preprocess(
    (v) => (blank(v) ? fallback : String(trimmed(v))),
    z
      .string()
      .regex(/^[1-7]{1,7}$/, 'not weekdays as digits 1–7 (1 = Monday), e.g. 12345')
      .refine((s) => new Set(s).size === s.length, 'a weekday given twice')
      .transform((s) => [...s].sort().join('')),
  );

/**
 * Dates separated by commas, «2027-01-01, 2027-01-02» (a JSON array of them too) → sorted,
 * without repeats: '2027-01-01,2027-01-02'; null when not given. Each must be a real date.
 */
export const dateList = z.preprocess(
  (v) => (Array.isArray(v) ? v.join(',') : blank(v) ? null : v),
  z
    .string({ error: 'not a list of dates (YYYY-MM-DD, separated by commas)' })
    .transform((v, ctx) => {
      const items = v
        .split(',')
        .map((d) => d.trim())
        .filter((d) => d !== '');
      const bad = items.find((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || !isRealDate(d));
      if (bad !== undefined) {
        ctx.addIssue({ code: 'custom', message: `not a date (YYYY-MM-DD): ${bad.slice(0, 20)}` });
        return z.NEVER;
      }
      if (items.length > 1000) {
        ctx.addIssue({ code: 'custom', message: 'more than 1000 dates' });
        return z.NEVER;
      }
      return items.length ? [...new Set(items)].sort().join(',') : null;
    })
    .nullable(),
);

/** Decimal degrees with at most 6 decimals, within ±`limit` («44.044», «44,044») → '44.044'; null when not given. */
export const optDegrees = (limit: number) =>
  z.preprocess(
    (v) => (blank(v) ? null : String(v).trim().replace(',', '.')),
    z
      .string()
      .transform((s, ctx) => {
        if (!/^[+-]?\d{1,3}(\.\d{1,6})?$/.test(s) || Math.abs(Number(s)) > limit) {
          ctx.addIssue({ code: 'custom', message: `not degrees from -${limit} to ${limit} with at most 6 decimals` });
          return z.NEVER;
        }
        return s.replace(/^\+/, '');
      })
      .nullable(),
  );

/** A Telegram group's chat id: a negative whole number («-1001234567890»); null when not given. */
export const optGroupChatId = z.preprocess(
  (v) => (blank(v) ? null : String(trimmed(v))),
  z
    .string()
    .regex(/^-[1-9]\d{0,14}$/, 'not a Telegram group id (a negative whole number, e.g. -1001234567890)')
    .transform(Number)
    .nullable(),
);

export const digits = (length: number) =>
  z.preprocess(
    (v) => (blank(v) ? undefined : String(v).replace(/[\s-]/g, '')),
    z.string({ error: 'required' }).regex(new RegExp(`^\\d{${length}}$`), `not ${length} digits`),
  );
export const optDigits = (length: number) =>
  z.preprocess(
    (v) => (blank(v) ? null : String(v).replace(/[\s-]/g, '')),
    z
      .string()
      .regex(new RegExp(`^\\d{${length}}$`), `not ${length} digits`)
      .nullable(),
  );
