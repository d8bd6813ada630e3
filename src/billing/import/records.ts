import { z } from 'zod';
import { CHARGE_KINDS, METER_ISSUES, METER_STATUSES, OUTAGE_KINDS, READING_SOURCES, SERVICE_CODES } from '../../../db/entities/index.ts';
import { houseKey } from '../normalize.ts';
import {
  bool,
  date,
  dateList,
  digits,
  intOr,
  money,
  moneyOrZero,
  oneOf,
  opt,
  optDate,
  optDegrees,
  optDigits,
  optGroupChatId,
  optInt,
  optOneOf,
  period,
  req,
  volume,
  weekdays,
} from './fields.ts';

/**
 * The import format, one schema per kind of record. Field names are the CSV column names and
 * the JSON keys alike; src/billing/import/FORMAT.md describes them for the utility's IT.
 */
const timezone = req(64).refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'not an IANA timezone (e.g. Europe/Moscow)');

/** A check across fields runs only when those fields themselves are good (it would repeat their error). */
const validFields =
  (...fields: string[]) =>
  (payload: { issues: { path?: PropertyKey[] }[] }) =>
    !payload.issues.some((i) => fields.includes(String(i.path?.[0])));
const AREA_FIELDS = ['area_latitude', 'area_longitude', 'area_radius_km'] as const;

const accountRef = digits(15);

/** A moment in the branch's time, «2026-12-02 09:00» (kept as typed: the writer puts it in the branch's timezone). */
const localMomentText = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().replace('T', ' ') : v),
  z
    .string({ error: 'required' })
    .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d$/, 'not a date and time YYYY-MM-DD HH:MM (branch time)'),
);

/**
 * An outage's streets: `<street>: 7, 9, 11 | <street>` (examples in FORMAT.md) — streets as billing names them
 * (in the row's settlement), each with its houses after «:» or, without them, every house.
 */
const outageStreets = z.preprocess(
  (v) => (v === undefined || v === null ? '' : String(v)),
  z.string().transform((s, ctx) => {
    const out: { street: string; houses: string[] | null }[] = [];
    for (const part of s.split('|')) {
      const [street, houses] = part.split(':');
      if (!street?.trim()) {
        if (part.trim() || houses !== undefined) ctx.addIssue({ code: 'custom', message: 'a street without a name' });
        continue;
      }
      const keys =
        houses === undefined
          ? null
          : [
              ...new Set(
                houses
                  .split(',')
                  .map((h) => houseKey(h))
                  .filter(Boolean),
              ),
            ];
      if (keys && keys.length === 0) ctx.addIssue({ code: 'custom', message: `no houses after «${street.trim()}:» (leave out the «:» for all of them)` });
      out.push({ street: street.trim(), houses: keys });
    }
    if (out.length > 50) ctx.addIssue({ code: 'custom', message: 'more than 50 streets' });
    return out;
  }),
);
const OUTAGE_CIRCLE = ['latitude', 'longitude', 'radius_km'] as const;
const service = oneOf(SERVICE_CODES);

export const recordSchemas = {
  branch: z
    .object({
      code: req(32, { regex: /^[a-z0-9_-]+$/, message: 'only a-z, 0-9, _ and -' }),
      name: req(200),
      timezone: z.preprocess((v) => (v === undefined || v === null || v === '' ? 'Europe/Moscow' : v), timezone),
      reading_day_from: intOr(20, 1, 31),
      reading_day_to: intOr(25, 1, 31),
      phones: opt(200),
      address: opt(300),
      hours: opt(200),
      email: opt(200),
      requires_pin: bool(false),
      payee_name: opt(300),
      payee_inn: z
        .preprocess(
          (v) => (v === '' ? null : v),
          z
            .union([digits(10), digits(12)])
            .nullable()
            .optional(),
        )
        .transform((v) => v ?? null),
      payee_kpp: optDigits(9),
      bank_name: opt(300),
      bank_bic: optDigits(9),
      bank_account: optDigits(20),
      bank_corr_account: optDigits(20),
      dispatcher_phone: opt(200),
      visit_days: weekdays('12345'),
      visit_hour_from: intOr(8, 0, 24),
      visit_hour_to: intOr(17, 0, 24),
      visit_within_days: intOr(15, 1, 60),
      work_days: weekdays('12345'),
      work_hour_from: intOr(8, 0, 24),
      work_hour_to: intOr(17, 0, 24),
      days_off: dateList,
      operators_chat_id: optGroupChatId,
      area_latitude: optDegrees(90),
      area_longitude: optDegrees(180),
      area_radius_km: optInt(1, 200),
    })
    .refine((b) => b.reading_day_from <= b.reading_day_to, { message: 'after reading_day_to', path: ['reading_day_from'] })
    .refine((b) => b.visit_hour_from < b.visit_hour_to, {
      message: 'not before visit_hour_to',
      path: ['visit_hour_from'],
      when: validFields('visit_hour_from', 'visit_hour_to'),
    })
    .refine((b) => b.work_hour_from < b.work_hour_to, {
      message: 'not before work_hour_to',
      path: ['work_hour_from'],
      when: validFields('work_hour_from', 'work_hour_to'),
    })
    .superRefine(
      (b, ctx) => {
        // The area is a circle: its centre and its radius, all three or none.
        const given = AREA_FIELDS.filter((f) => b[f] !== null).length;
        if (given === 0 || given === AREA_FIELDS.length) return;
        for (const field of AREA_FIELDS) {
          if (b[field] === null) ctx.addIssue({ code: 'custom', path: [field], message: 'required with the other area_ fields (latitude, longitude, radius)' });
        }
      },
      { when: validFields(...AREA_FIELDS) },
    ),

  inspector_reason: z.strictObject({
    code: req(32),
    name: req(200),
    use_in_bot: bool(true),
    sort: intOr(0, 0, 32767),
    meter_issue: optOneOf(METER_ISSUES),
  }),
  damage_type: z.strictObject({ code: req(32), name: req(200), use_in_bot: bool(true), sort: intOr(0, 0, 32767) }),

  tariff: z.strictObject({ branch: req(32), service, valid_from: date, price: money }),

  norm: z.strictObject({ branch: req(32), code: req(32), service, description: req(500), per_person: volume }),

  account: z.strictObject({
    branch: req(32),
    long_number: accountRef,
    short_number: req(15, { regex: /^\d+$/, message: 'not digits' }),
    settlement: req(120),
    street: req(120),
    house: req(32),
    flat: opt(16),
    flat_prefix: opt(16),
    owner_full_name: req(200),
    residents: intOr(0, 0, 999),
    area: z
      .preprocess((v) => (v === '' ? null : v), z.union([z.string(), z.number()]).nullable().optional())
      .transform((v, ctx) => {
        if (v === null || v === undefined) return null;
        const s = String(v).trim().replace(',', '.');
        if (!/^\d{1,8}(\.\d{1,2})?$/.test(s)) {
          ctx.addIssue({ code: 'custom', message: 'not an area in m² with at most 2 decimals' });
          return z.NEVER;
        }
        return s;
      }),
    phone: opt(40),
    email: opt(200),
    pin: opt(32),
    norm_code: opt(32),
    paper_receipt_opt_out: bool(false),
  }),

  meter: z.strictObject({
    account: accountRef,
    serial: req(32),
    service,
    model: opt(120),
    place: opt(60),
    installed_on: optDate,
    verification_due: optDate,
    sealed_on: optDate,
    status: oneOf(METER_STATUSES, 'active'),
    digits_before: intOr(5, 1, 9),
    digits_after: intOr(3, 0, 3),
  }),

  reading: z
    .object({
      account: accountRef,
      meter: req(32),
      taken_on: date,
      value: volume,
      source: oneOf(READING_SOURCES, 'receipt'),
      period: z.preprocess((v) => (v === '' ? undefined : v), period.optional()),
    })
    .refine((r) => r.value >= 0, { message: 'negative', path: ['value'] })
    .transform((r) => ({ ...r, period: r.period ?? `${r.taken_on.slice(0, 7)}-01` })),

  charge: z.strictObject({
    account: accountRef,
    service,
    period,
    kind: oneOf(CHARGE_KINDS, 'accrual'),
    volume,
    tariff: money,
    amount: money,
    recalc_from: z.preprocess((v) => (v === '' ? undefined : v), period.optional()).transform((v) => v ?? null),
    recalc_to: z.preprocess((v) => (v === '' ? undefined : v), period.optional()).transform((v) => v ?? null),
  }),

  payment: z.strictObject({
    account: accountRef,
    ref: req(64),
    kind: req(120),
    received_on: date,
    processed_on: optDate,
    amount: money,
  }),

  statement: z
    .object({
      account: accountRef,
      period,
      opening: money,
      charged: money,
      recalculation: moneyOrZero,
      volume,
      benefits: moneyOrZero,
      paid: moneyOrZero,
      closing: money,
    })
    .refine((s) => s.closing === s.opening + s.charged - s.benefits - s.paid, {
      message: 'does not balance: closing must equal opening + charged − benefits − paid',
      path: ['closing'],
    }),

  /** The detail by service (seeds 001/002, 004): the month's balance of one service. */
  service_statement: z
    .object({
      account: accountRef,
      service,
      period,
      opening: money,
      charged: money,
      recalculation: moneyOrZero,
      benefits: moneyOrZero,
      paid: moneyOrZero,
      closing: money,
    })
    .refine((s) => s.closing === s.opening + s.charged - s.benefits - s.paid, {
      message: 'does not balance: closing must equal opening + charged − benefits − paid',
      path: ['closing'],
    }),
  outage: z
    .object({
      branch: req(32),
      external_id: req(64),
      kind: oneOf(OUTAGE_KINDS),
      status: oneOf(['announced', 'resolved', 'cancelled'] as const, 'announced'),
      settlement: opt(120),
      streets: outageStreets,
      latitude: optDegrees(90),
      longitude: optDegrees(180),
      radius_km: z.preprocess(
        (v) => (v === undefined || v === null || v === '' ? null : String(v).trim().replace(',', '.')),
        z
          .string()
          .regex(/^\d{1,2}(\.\d{1,2})?$/, 'not a radius in km with at most 2 decimals')
          .refine((r) => Number(r) >= 0.05 && Number(r) <= 50, 'not from 0.05 to 50 km')
          .nullable(),
      ),
      reason: req(300),
      starts_at: localMomentText,
      ends_at: localMomentText,
    })
    .refine((o) => o.ends_at > o.starts_at, { message: 'not after starts_at', path: ['ends_at'], when: validFields('starts_at', 'ends_at') })
    .refine((o) => o.streets.length === 0 || o.settlement !== null, { message: 'required with streets', path: ['settlement'] })
    .superRefine((o, ctx) => {
      const given = OUTAGE_CIRCLE.filter((f) => o[f] !== null).length;
      if (given !== 0 && given !== OUTAGE_CIRCLE.length)
        for (const field of OUTAGE_CIRCLE)
          if (o[field] === null)
            ctx.addIssue({ code: 'custom', path: [field], message: 'required with the other circle fields (latitude, longitude, radius_km)' });
      if (given === 0 && o.streets.length === 0) ctx.addIssue({ code: 'custom', path: ['streets'], message: 'an outage needs streets or a circle' });
    }),
} as const;

export type RecordKind = keyof typeof recordSchemas;

/** The fields each kind may have: anything else in a row is an error, not silently dropped. */
export const allowedFields: Record<RecordKind, Set<string>> = Object.fromEntries(
  Object.entries(recordSchemas).map(([kind, schema]) => {
    const s = schema as unknown as { shape?: object; in?: { shape?: object } };
    return [kind, new Set(Object.keys(s.shape ?? s.in?.shape ?? {}))];
  }),
) as Record<RecordKind, Set<string>>;
export type ImportRow<K extends RecordKind> = z.output<(typeof recordSchemas)[K]>;

/** The order in which kinds are written, so that every reference points at a written row. */
export const KIND_ORDER: RecordKind[] = [
  'branch',
  'inspector_reason',
  'damage_type',
  'tariff',
  'norm',
  'account',
  'meter',
  'reading',
  'charge',
  'payment',
  'statement',
  'service_statement',
  'outage',
];

/** A key that identifies the row in the database: two rows with one key in one import are an error. */
export const naturalKey: { [K in RecordKind]: (r: ImportRow<K>) => string } = {
  branch: (r) => r.code,
  inspector_reason: (r) => r.code,
  damage_type: (r) => r.code,
  tariff: (r) => `${r.branch}|${r.service}|${r.valid_from}`,
  norm: (r) => `${r.branch}|${r.code}|${r.service}`,
  account: (r) => r.long_number,
  meter: (r) => `${r.account}|${r.serial}`,
  reading: (r) => `${r.account}|${r.meter}|${r.taken_on}|${r.source}`,
  charge: (r) => `${r.account}|${r.service}|${r.period}|${r.kind}`,
  payment: (r) => `${r.account}|${r.ref}`,
  statement: (r) => `${r.account}|${r.period}`,
  service_statement: (r) => `${r.account}|${r.service}|${r.period}`,
  outage: (r) => `${r.branch}|${r.external_id}`,
};

const ALIASES: Record<string, RecordKind> = {
  branches: 'branch',
  inspector_reasons: 'inspector_reason',
  inspector_call_reasons: 'inspector_reason',
  damage_types: 'damage_type',
  tariffs: 'tariff',
  norms: 'norm',
  accounts: 'account',
  meters: 'meter',
  readings: 'reading',
  charges: 'charge',
  payments: 'payment',
  statements: 'statement',
  service_statements: 'service_statement',
  outages: 'outage',
};

export function kindFromName(name: string): RecordKind | null {
  const key = name.trim().toLowerCase().replace(/-/g, '_');
  if (key in recordSchemas) return key as RecordKind;
  return ALIASES[key] ?? null;
}
