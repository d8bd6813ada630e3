import { z } from 'zod';
import { channelIdOf } from './actor.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReadingSource, ServiceCode } from '../../db/entities/index.ts';
import { chargeFor, formatScaled, KOPECKS, MILLI, parseScaled } from '../money/exact.ts';
import { addDays, daysBetween, todayIn } from './calendar.ts';
import { verificationOf, type VerificationState } from './balance.ts';
import { compareWithPrevious, readingWindow, type ReadingWindow } from './readings-rules.ts';
import { placeProof, proveByPlace } from './place-proof.ts';
import { fail, ok } from './result.ts';
import { id } from './schemas.ts';
import { defineAccountService, defineService } from './service.ts';
import { claimant } from './actor.ts';
import { clearFailures, lockedUntil, pointedAccount, recordFailure, whoOf } from './ownership-limits.ts';

export interface MeterForReading {
  meterId: number;
  serial: string;
  service: ServiceCode;
  serviceName: string;
  place: string | null;
  digitsBefore: number;
  digitsAfter: number;
  verificationDue: string | null;
  verificationState: VerificationState | null;
  /** The last reading before this period's own (which a new value would correct). */
  last: { value: number; takenOn: string } | null;
  /** A reading already passed through Telegram for this period, if any. */
  passedThisPeriod: { value: number; takenOn: string } | null;
  /** Average monthly volume over the last 6 months, thousandths of m³; null without history. */
  usualMonthly: number | null;
}

/** A reading in force (not superseded) as the rules need it. */
interface InForce {
  id: number;
  value: number;
  takenOn: string;
  /** When it was recorded, microseconds since the epoch: the order of two readings taken the same day. */
  recordedUs: number;
  period: string;
  source: ReadingSource;
  /** Passed through this product (it has a submission key), not loaded from billing. */
  mine: boolean;
}

/**
 * The sources of readings passed through this product: `telegram` from the bot (its operators'
 * desk included), `portal` from the web pages (the personal account, as the history names it:
 * `source-portal` in templates/locales). One passed this period through
 * either is corrected by the next, through either.
 */
type SelfService = Extract<ReadingSource, 'telegram' | 'portal'>;
/**
 * Billing's own records use `portal` for its former portal, loaded by the import: only one passed
 * here (it has a submission key) counts. A `telegram` one counts either way (billing gives the
 * bot's readings back under that source).
 */
const passedHere = (r: InForce) => r.source === 'telegram' || (r.source === 'portal' && r.mine);

interface LoadedMeter extends Pick<MeterForReading, 'serial' | 'service' | 'serviceName' | 'place' | 'digitsBefore' | 'digitsAfter' | 'verificationDue'> {
  id: number;
  active: boolean;
  /** Newest first: by the day taken, then the moment recorded. */
  readings: InForce[];
}

interface LoadedAccount {
  timezone: string;
  readingDayFrom: number;
  readingDayTo: number;
  /** Every meter of the account (the disconnected too: the period's charge counts them), by service, then serial. */
  meters: LoadedMeter[];
  /** The branch's tariffs, newest first. */
  tariffs: { validFrom: string; service: ServiceCode; price: number }[];
  /** Readings (in force or not) of the account's active meters stored under this submission's key. */
  already: { meterId: number; value: number }[];
}

type LoadRow = {
  timezone: string;
  reading_day_from: number;
  reading_day_to: number;
  meters: {
    id: number;
    active: boolean;
    serial: string;
    service: ServiceCode;
    service_name: string;
    place: string | null;
    digits_before: number;
    digits_after: number;
    verification_due: string | null;
    /** The value this meter has under the submission's key (active meters only). */
    already: string | null;
    readings: [number, string, string, number, string, ReadingSource, boolean][];
  }[];
  tariffs: [string, ServiceCode, string][];
};

/**
 * Everything a submission's rules need, in one round trip: `readings_state` (migration
 * Migration20261202010000_readings_functions), which with `lock` first locks the account's active
 * meters, so two submissions for one account run one after the other, and then reads the branch's
 * window and timezone, the account's meters with their readings in force, the branch's tariffs, and
 * what this submission's key already stored. A PL/pgSQL function keeps its statements' plans for
 * the session: at the month-end peak PostgreSQL does not plan this read again for every
 * submission (planning was most of its cost). Values come as text and are read exactly (numeric,
 * never a float).
 */
const STATE_SQL = `select readings_state(?, ?, ?) as state`;

const exact = (text: string, scale: number) => {
  const n = parseScaled(text, scale);
  if (n === null) throw new RangeError(`not an exact numeric value of scale ${scale}`);
  return n;
};

async function loadAccount(em: EntityManager, accountId: number, submission: string | null, lock: boolean): Promise<LoadedAccount | null> {
  const [found] = await em.execute<{ state: LoadRow | null }[]>(STATE_SQL, [accountId, submission, lock]);
  const row = found?.state;
  if (!row) return null;
  return {
    timezone: row.timezone,
    readingDayFrom: row.reading_day_from,
    readingDayTo: row.reading_day_to,
    meters: row.meters.map((m) => ({
      id: m.id,
      active: m.active,
      serial: m.serial,
      service: m.service,
      serviceName: m.service_name,
      place: m.place,
      digitsBefore: m.digits_before,
      digitsAfter: m.digits_after,
      verificationDue: m.verification_due,
      readings: m.readings.map(([id, value, takenOn, recordedUs, period, source, mine]) => ({
        id,
        value: exact(value, MILLI),
        takenOn,
        recordedUs: Number(recordedUs),
        period,
        source,
        mine,
      })),
    })),
    tariffs: row.tariffs.map(([validFrom, service, price]) => ({ validFrom, service, price: exact(price, KOPECKS) })),
    already: row.meters.flatMap((m) => (m.already === null ? [] : [{ meterId: m.id, value: exact(m.already, MILLI) }])),
  };
}

function usualMonthly(history: readonly InForce[], today: string): number | null {
  const since = addDays(today, -183);
  const recent = history.filter((r) => r.takenOn >= since);
  if (recent.length < 2) return null;
  const newest = recent[0]!;
  const oldest = recent[recent.length - 1]!;
  const days = daysBetween(oldest.takenOn, newest.takenOn);
  if (days < 28) return null;
  return Math.round(((newest.value - oldest.value) * 30.44) / days);
}

function meterView(m: LoadedMeter, today: string, period: string): MeterForReading {
  const due = m.verificationDue;
  const passed = m.readings.find((r) => r.period === period && passedHere(r));
  const history = m.readings.filter((r) => r !== passed);
  const last = history[0];
  return {
    meterId: m.id,
    serial: m.serial,
    service: m.service,
    serviceName: m.serviceName,
    place: m.place,
    digitsBefore: m.digitsBefore,
    digitsAfter: m.digitsAfter,
    verificationDue: due,
    verificationState: verificationOf(today, due)?.state ?? null,
    last: last ? { value: last.value, takenOn: last.takenOn } : null,
    passedThisPeriod: passed ? { value: passed.value, takenOn: passed.takenOn } : null,
    usualMonthly: usualMonthly(history, today),
  };
}

/** What the resident needs before typing values: the active meters and the branch's window. */
export const prepareReadings = defineAccountService(
  'read',
  {},
  async (_input, { em, now, access }) => {
    const loaded = await loadAccount(em, access.accountId, null, false);
    if (!loaded) return fail({ code: 'account_not_found' as const });
    const today = todayIn(loaded.timezone, now);
    const window = readingWindow(today, loaded.readingDayFrom, loaded.readingDayTo);
    return ok({ today, window, meters: loaded.meters.filter((m) => m.active).map((m) => meterView(m, today, window.period)) });
  },
  { byPlace: true },
);

export interface ChargeSummary {
  period: string;
  /** Water (cold and hot) and sewage for the period at current tariffs, kopecks. */
  water: number;
  sewage: number;
  total: number;
}

interface PeriodCharge {
  service: ServiceCode;
  volume: number;
  tariff: number;
  amount: number;
}

/** Whether reading `a` is newer than `b`: taken later, or the same day and recorded later. */
const newer = (a: InForce, b: InForce) =>
  a.takenOn > b.takenOn || (a.takenOn === b.takenOn && (a.recordedUs > b.recordedUs || (a.recordedUs === b.recordedUs && a.id > b.id)));

/**
 * Seed 000 §6: once a reading is in the base it is charged. The month's accrual per service is
 * the volume between each meter's last reading before the month and its current one in it;
 * sewage is cold plus hot water; each at the branch's tariff in force for the month (none: no
 * charge of that service). A reading passed outside the window belongs to the period of the next
 * window (`readingWindow`), and so does its charge: it is stored under that period at once, but
 * the balance counts a period's charges only from the day its window opens (balance.ts), so
 * nothing reaches this month's balance, month table or receipt before the day readings-charge-later names.
 * `readings` gives each meter's readings in force once the submission is written.
 */
function periodCharges(
  meters: readonly { service: ServiceCode; readings: readonly InForce[] }[],
  tariffs: LoadedAccount['tariffs'],
  period: string,
): { charges: PeriodCharge[]; summary: ChargeSummary } {
  const volumes = new Map<ServiceCode, number>([
    ['cold_water', 0],
    ['hot_water', 0],
  ]);
  for (const m of meters) {
    let inPeriod: InForce | undefined;
    let before: InForce | undefined;
    for (const r of m.readings) {
      if (r.period === period && (!inPeriod || newer(r, inPeriod))) inPeriod = r;
      else if (r.period < period && (!before || newer(r, before))) before = r;
    }
    if (!inPeriod || !before) continue;
    volumes.set(m.service, (volumes.get(m.service) ?? 0) + Math.max(0, inPeriod.value - before.value));
  }
  volumes.set('sewerage', (volumes.get('cold_water') ?? 0) + (volumes.get('hot_water') ?? 0));
  const charges: PeriodCharge[] = [];
  for (const [service, volume] of volumes) {
    const tariff = tariffs.find((t) => t.service === service && t.validFrom <= period);
    if (!tariff) continue;
    charges.push({ service, volume, tariff: tariff.price, amount: chargeFor(volume, tariff.price) });
  }
  const amount = (s: ServiceCode) => charges.find((c) => c.service === s)?.amount ?? 0;
  const water = amount('cold_water') + amount('hot_water');
  const sewage = amount('sewerage');
  return { charges, summary: { period, water, sewage, total: water + sewage } };
}

/**
 * The submission's writes in one round trip, `readings_write` (the same migration): the corrected
 * readings superseded, then the new ones inserted (the correction must leave the index of current
 * readings, one per meter, day and source, before the new row enters it), then the period's charges
 * upserted; the function's plans are kept for the session, as `readings_state`'s.
 */
const WRITE_SQL = `select readings_write(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

async function write(
  em: EntityManager,
  w: {
    accountId: number;
    now: Date;
    takenOn: string;
    period: string;
    sentBy: string | null;
    source: SelfService;
    submission: string;
    supersede: number[];
    readings: { meterId: number; value: number; photoPath: string | null }[];
    charges: PeriodCharge[];
  },
) {
  await em.execute(WRITE_SQL, [
    w.now,
    JSON.stringify(w.supersede),
    w.takenOn,
    w.period,
    w.sentBy,
    w.submission,
    JSON.stringify(w.readings.map((r) => ({ meter_id: r.meterId, value: formatScaled(r.value, MILLI), photo_path: r.photoPath }))),
    w.accountId,
    JSON.stringify(
      w.charges.map((c) => ({
        service: c.service,
        volume: formatScaled(c.volume, MILLI),
        tariff: formatScaled(c.tariff, KOPECKS),
        amount: formatScaled(c.amount, KOPECKS),
      })),
    ),
    w.source,
  ]);
}

export type SubmitOutcome =
  | { status: 'needs_confirmation'; missing: number[]; unusual: { meterId: number; volume: number; limit: number }[] }
  | { status: 'refused'; refusals: { meterId: number; reason: 'below_previous' | 'verification_expired'; previous?: number }[] }
  | {
      status: 'stored';
      /** True when this submission (or the same values today) was already stored: nothing new was written. */
      repeated: boolean;
      window: ReadingWindow;
      readings: { meterId: number; value: number; volume: number | null; corrected: boolean }[];
      charges: ChargeSummary;
    };

/**
 * Passes readings (seed 000 §6, seed 003): below the previous value or on an expired meter they
 * are refused; only some meters, or an unusual volume, need the resident's confirmation; a
 * reading already passed this period is corrected (the history keeps both); the same submission
 * twice — a double tap, a re-delivered update, two sessions at once — is stored once.
 */
export const submitReadings = defineAccountService(
  'write',
  {
    submission: z.string().min(8).max(64),
    entries: z
      .array(
        z
          .object({
            meterId: id,
            value: z.number().int().min(0).optional(),
            /** Seeds 001/002, the volume of change: the volume since the last reading in force, instead of the value. */
            volume: z.number().int().min(0).optional(),
            photoPath: z.string().min(1).max(300).optional(),
          })
          .refine((e) => (e.value === undefined) !== (e.volume === undefined), 'either the value or the volume'),
      )
      .min(1)
      .max(20),
    confirmPartial: z.boolean().default(false),
    confirmUnusual: z.array(id).default([]),
    /** The day the values were read off the meters (seeds 001/002); today by default. */
    takenOn: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .refine((d) => {
        const t = new Date(`${d}T00:00:00Z`);
        return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
      }, 'not a date')
      .optional(),
  },
  async (
    input,
    { em, now, access },
  ): Promise<
    | ReturnType<typeof ok<SubmitOutcome>>
    | ReturnType<
        typeof fail<
          | { code: 'account_not_found' }
          | { code: 'meter_not_found' }
          | { code: 'invalid_input'; issues: { path: string; message: string }[] }
          | { code: 'taken_in_future'; today: string }
          | { code: 'taken_before_last'; meterId: number; lastOn: string }
        >
      >
  > => {
    // Who passed it, as the history shows; nothing is kept of someone who proved only the place (seeds 001/002).
    const sentBy =
      access.by === 'place' || access.actor.kind === 'visitor'
        ? null
        : access.actor.kind === 'operator'
          ? `operator:${access.actor.operatorId}`
          : channelIdOf(access.actor);
    // Passed on the web pages (signed in, or by the place without registration): the personal account's source.
    const source: SelfService = access.actor.kind === 'visitor' || (access.actor.kind === 'resident' && access.actor.channel === 'web') ? 'portal' : 'telegram';
    // Meters are locked first, so two submissions for one account run one after the other; what the
    // rules read comes after the lock, in a statement of its own (in the same function), so that it sees what the other wrote.
    const loaded = await loadAccount(em, access.accountId, input.submission, true);
    if (!loaded) return fail({ code: 'account_not_found' as const });
    const today = todayIn(loaded.timezone, now);
    // The window and the period are those of the day the values were taken, not of the day they are passed.
    const takenOn = input.takenOn ?? today;
    if (takenOn > today) return fail({ code: 'taken_in_future' as const, today });
    const ofTaken = readingWindow(takenOn, loaded.readingDayFrom, loaded.readingDayTo);
    // Taken earlier, in a window already open, the reading counts at once.
    const window: ReadingWindow = { ...ofTaken, open: ofTaken.open || (takenOn < today && today >= ofTaken.opensOn) };
    const active = loaded.meters.filter((m) => m.active);
    const meters = new Map(active.map((m) => [m.id, m]));
    if (input.entries.some((e) => !meters.has(e.meterId))) return fail({ code: 'meter_not_found' as const });

    const stored = async (
      repeated: boolean,
      readings: { meterId: number; value: number; volume: number | null; corrected: boolean }[],
      after: { supersede: number[]; written: { meterId: number; value: number; photoPath: string | null }[] },
    ) => {
      // The period's charge from the readings in force once these are written: the new ones recorded `now`,
      // after any row already there of the same moment (as their ids would order them).
      const superseded = new Set(after.supersede);
      const recordedUs = now.getTime() * 1000;
      const inForce = loaded.meters.map((m) => ({
        service: m.service,
        readings: [
          ...m.readings.filter((r) => !superseded.has(r.id)),
          ...after.written
            .filter((w) => w.meterId === m.id)
            .map((w) => ({ id: Number.MAX_SAFE_INTEGER, value: w.value, takenOn, recordedUs, period: window.period, source, mine: true })),
        ],
      }));
      const { charges, summary } = periodCharges(inForce, loaded.tariffs, window.period);
      await write(em, {
        accountId: access.accountId,
        now,
        takenOn,
        period: window.period,
        sentBy,
        source,
        submission: input.submission,
        supersede: after.supersede,
        readings: after.written,
        charges,
      });
      return ok<SubmitOutcome>({ status: 'stored', repeated, window, readings, charges: summary });
    };

    // The same submission again: answer what was stored.
    if (loaded.already.length) {
      return stored(
        true,
        loaded.already.map((r) => ({ meterId: r.meterId, value: r.value, volume: null, corrected: false })),
        { supersede: [], written: [] },
      );
    }

    const refusals: Extract<SubmitOutcome, { status: 'refused' }>['refusals'] = [];
    const unusual: Extract<SubmitOutcome, { status: 'needs_confirmation' }>['unusual'] = [];
    const plans: { meterId: number; value: number; photoPath: string | null; previous: InForce | undefined; replaces: InForce | undefined; same: boolean }[] =
      [];
    for (const entry of input.entries) {
      const meter = meters.get(entry.meterId)!;
      const history = meter.readings;
      if (meter.verificationDue && meter.verificationDue < today) {
        refusals.push({ meterId: meter.id, reason: 'verification_expired' });
        continue;
      }
      // A reading already passed through the bot or the web pages for this period is corrected, not stacked.
      // So is one of billing's own in force on the same day under the same source (its former
      // portal's, loaded by the import): the day has one current reading of a source.
      const replaces = history.find((r) => r.period === window.period && (passedHere(r) || (r.source === source && r.takenOn === takenOn)));
      const previous = history.find((r) => r !== replaces);
      // Never before the last reading in force: the history runs forward only.
      if (previous && takenOn < previous.takenOn) return fail({ code: 'taken_before_last' as const, meterId: meter.id, lastOn: previous.takenOn });
      // A volume is added to the last reading in force; without one there is nothing to add it to.
      if (entry.value === undefined && !previous) {
        return fail({ code: 'invalid_input' as const, issues: [{ path: 'entries.volume', message: 'no previous reading to add the volume to' }] });
      }
      const value = entry.value ?? previous!.value + entry.volume!;
      const comparison = compareWithPrevious(
        value,
        previous?.value ?? null,
        usualMonthly(
          history.filter((r) => r !== replaces),
          today,
        ),
      );
      if (comparison.kind === 'below_previous') refusals.push({ meterId: meter.id, reason: 'below_previous', previous: comparison.previous });
      else if (comparison.kind === 'unusually_high' && !input.confirmUnusual.includes(meter.id)) {
        unusual.push({ meterId: meter.id, volume: comparison.volume, limit: comparison.limit });
      }
      plans.push({
        meterId: meter.id,
        value,
        photoPath: entry.photoPath ?? null,
        previous,
        replaces,
        same: replaces?.value === value && replaces.takenOn === takenOn && !entry.photoPath,
      });
    }
    if (refusals.length) return ok<SubmitOutcome>({ status: 'refused', refusals });
    const submitted = new Set(input.entries.map((e) => e.meterId));
    const missing = active.filter((m) => !submitted.has(m.id) && !(m.verificationDue && m.verificationDue < today)).map((m) => m.id);
    if (unusual.length || (missing.length && !input.confirmPartial)) {
      return ok<SubmitOutcome>({ status: 'needs_confirmation', missing: input.confirmPartial ? [] : missing, unusual });
    }

    const readings: { meterId: number; value: number; volume: number | null; corrected: boolean }[] = [];
    const supersede: number[] = [];
    const written: { meterId: number; value: number; photoPath: string | null }[] = [];
    for (const plan of plans) {
      const volume = plan.previous ? plan.value - plan.previous.value : null;
      readings.push({ meterId: plan.meterId, value: plan.value, volume, corrected: !plan.same && plan.replaces !== undefined });
      if (plan.same) continue;
      if (plan.replaces) supersede.push(plan.replaces.id);
      written.push({ meterId: plan.meterId, value: plan.value, photoPath: plan.photoPath });
    }
    return stored(written.length === 0, readings, { supersede, written });
  },
  { byPlace: true },
);

/**
 * Seeds 001/002, readings without registration: the account number, house and flat are
 * enough to pass readings; nothing else about the account is given back.
 */
/**
 * Readings without linking (seeds 001/002): the account found by its number with house and flat.
 * Counted like linking (ownership-limits.ts): whoever asks is known by their channel, with or
 * without consent, and a wrong answer is one of their tries.
 */
export const findAccountForReadings = defineService(z.object({ actor: claimant }).and(placeProof), async (input, { em, now }) => {
  const who = whoOf(input.actor);
  const target = await pointedAccount(em, { longNumber: input.longNumber });
  const until = await lockedUntil(em, who, target, now);
  if (until) return fail({ code: 'ownership_locked' as const, until: until.toISOString() });
  const accountId = await proveByPlace(em, input);
  if (!accountId) {
    await recordFailure(em, who, target, now);
    return fail({ code: 'account_not_found' as const });
  }
  await clearFailures(em, who, accountId);
  return ok({ accountId, longNumber: input.longNumber });
});
