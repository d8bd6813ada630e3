import { CHARGE_KINDS, READING_SOURCES, SERVICE_CODES } from '../../../db/entities/index.ts';
import { formatScaled, kopecksToDecimal, parseScaled } from '../../money/exact.ts';
import { isRealDate } from './fields.ts';
import type { StagedKind } from './stage.ts';

/*
 * The plain rows of the staged kinds, checked without zod. An export has millions of rows, nearly
 * all of them plain (canonical dates, amounts with a point, every field given or blank): for those
 * the zod schema's work per row (preprocess, pipe, issues) was most of the reader's time. Each
 * function here accepts only values the kind's schema (records.ts) accepts and returns the row as
 * `toStage` would make it from the schema's output; anything else (an odd format, a bad value, a
 * number from JSON) returns null, and the row goes through the schema, which reports its errors.
 */

type Data = Record<string, unknown>;
/** A value that does not take the fast way. */
const NO = Symbol('no');
type Maybe<T> = T | typeof NO;

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

const account = (v: unknown): Maybe<string> => (typeof v === 'string' && v.length === 15 && /^\d{15}$/.test(v) ? v : NO);
const text = (v: unknown, max: number): Maybe<string> => {
  if (typeof v !== 'string') return NO;
  const s = v.trim();
  return s === '' || s.length > max ? NO : s;
};
const date = (v: unknown): Maybe<string> => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && isRealDate(v) ? v : NO);
const optDate = (v: unknown): Maybe<string | null> => (isBlank(v) ? null : date(v));
const month = (v: unknown): Maybe<string> => {
  if (typeof v !== 'string') return NO;
  const m = /^(\d{4})-(\d{2})(?:-01)?$/.exec(v);
  const iso = m ? `${m[1]}-${m[2]}-01` : null;
  return iso && isRealDate(iso) ? iso : NO;
};
/** As the schemas' optional months: only a missing or empty value is none. */
const optMonth = (v: unknown): Maybe<string | null> => (v === undefined || v === '' ? null : month(v));
const scaled = (v: unknown, scale: number): Maybe<number> => {
  if (typeof v !== 'string' || v.trim() === '') return NO;
  return parseScaled(v, scale) ?? NO;
};
const scaledOrZero = (v: unknown, scale: number): Maybe<number> => (isBlank(v) ? 0 : scaled(v, scale));
/** Decimals already written as `formatScaled` writes them (`-1234.50`, at most 13 digits before the point), by scale. */
const CANONICAL: Record<number, RegExp> = { 2: /^-?(?:0|[1-9]\d{0,12})\.\d{2}$/, 3: /^-?(?:0|[1-9]\d{0,12})\.\d{3}$/ };
/**
 * A decimal as staged: the text itself when it is already what parsing and formatting would give
 * (most of an export: this skips both), else parsed and formatted.
 */
const decimal = (v: unknown, scale: 2 | 3): Maybe<string> => {
  if (typeof v === 'string' && CANONICAL[scale]!.test(v) && !(v.charCodeAt(0) === 45 && /^-0\.0+$/.test(v))) return v;
  const n = scaled(v, scale);
  return n === NO ? NO : formatScaled(n, scale);
};
const oneOf =
  (values: readonly string[], fallback?: string) =>
  (v: unknown): Maybe<string> => {
    if (isBlank(v)) return fallback ?? NO;
    if (typeof v !== 'string') return NO;
    const s = v.trim();
    return values.includes(s) ? s : NO;
  };
const service = oneOf(SERVICE_CODES);
const chargeKind = oneOf(CHARGE_KINDS, 'accrual');
const readingSource = oneOf(READING_SOURCES, 'receipt');

/** Whether any value is `NO`. */
const anyNo = (values: unknown[]) => values.includes(NO);

/** A statement's balance (whole or of one service): the five sums as staged, or null where one is not plain or they do not add up. */
function balance(d: Data): Record<'opening' | 'charged' | 'recalculation' | 'benefits' | 'paid' | 'closing', string> | null {
  const v = [
    scaled(d.opening, 2),
    scaled(d.charged, 2),
    scaledOrZero(d.recalculation, 2),
    scaledOrZero(d.benefits, 2),
    scaledOrZero(d.paid, 2),
    scaled(d.closing, 2),
  ];
  if (anyNo(v)) return null;
  const [opening, charged, recalculation, benefits, paid, closing] = v as number[];
  if (closing !== opening! + charged! - benefits! - paid!) return null;
  return {
    opening: kopecksToDecimal(opening!),
    charged: kopecksToDecimal(charged!),
    recalculation: kopecksToDecimal(recalculation!),
    benefits: kopecksToDecimal(benefits!),
    paid: kopecksToDecimal(paid!),
    closing: kopecksToDecimal(closing!),
  };
}

export const fastStage: Partial<Record<StagedKind, (d: Data) => Data | null>> = {
  reading: (d) => {
    const v = [account(d.account), text(d.meter, 32), date(d.taken_on), decimal(d.value, 3), readingSource(d.source), optMonth(d.period)] as const;
    if (anyNo([...v])) return null;
    const [acc, meter, takenOn, value, source, period] = v as unknown as [string, string, string, string, string, string | null];
    if (value.startsWith('-')) return null;
    return { account: acc, meter, taken_on: takenOn, value, source, period: period ?? `${takenOn.slice(0, 7)}-01` };
  },
  charge: (d) => {
    const v = [
      account(d.account),
      service(d.service),
      month(d.period),
      chargeKind(d.kind),
      decimal(d.volume, 3),
      decimal(d.tariff, 2),
      decimal(d.amount, 2),
      optMonth(d.recalc_from),
      optMonth(d.recalc_to),
    ];
    if (anyNo(v)) return null;
    const [acc, svc, period, kind, volume, tariff, amount, from, to] = v as (string | null)[];
    return { account: acc, service: svc, period, kind, volume, tariff, amount, recalc_from: from, recalc_to: to };
  },
  payment: (d) => {
    const v = [account(d.account), text(d.ref, 64), text(d.kind, 120), date(d.received_on), optDate(d.processed_on), decimal(d.amount, 2)];
    if (anyNo(v)) return null;
    const [acc, ref, kind, received, processed, amount] = v as [string, string, string, string, string | null, string];
    return { account: acc, ref, kind, received_on: received, processed_on: processed, amount };
  },
  statement: (d) => {
    const acc = account(d.account);
    const period = month(d.period);
    const volume = decimal(d.volume, 3);
    const money = balance(d);
    if (acc === NO || period === NO || volume === NO || !money) return null;
    return { account: acc, period, volume, ...money };
  },
  service_statement: (d) => {
    const acc = account(d.account);
    const svc = service(d.service);
    const period = month(d.period);
    const money = balance(d);
    if (acc === NO || svc === NO || period === NO || !money) return null;
    return { account: acc, service: svc, period, ...money };
  },
};
