import { z } from 'zod';
import { channelIdOf } from './actor.ts';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account, Charge, Meter, Reading, Service, Tariff } from '../../db/entities/index.ts';
import type { ServiceCode } from '../../db/entities/index.ts';
import { chargeFor } from '../money/exact.ts';
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

type MeterRow = NonNullable<Awaited<ReturnType<typeof loadMeters>>>['rows'][number];

async function loadMeters(em: EntityManager, accountId: number, now: Date, lock = false) {
  const account = await em.findOne(Account, accountId, { populate: ['branch'] });
  if (!account) return null;
  const today = todayIn(account.branch.$.timezone, now);
  const rows = await em.find(
    Meter,
    { account, status: 'active' },
    {
      populate: ['service'],
      orderBy: { service: { id: 'asc' }, serial: 'asc' },
      ...(lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, lockTableAliases: ['m0'] } : {}),
    },
  );
  const readings = rows.length
    ? await em.find(Reading, { meter: { $in: rows }, supersededAt: null }, { orderBy: { takenOn: 'desc', recordedAt: 'desc' } })
    : [];
  const byMeter = new Map<number, Reading[]>();
  for (const r of readings) byMeter.set(r.meter.id, [...(byMeter.get(r.meter.id) ?? []), r]);
  return { account, today, rows, byMeter };
}

function usualMonthly(history: Reading[], today: string): number | null {
  const since = addDays(today, -183);
  const recent = history.filter((r) => r.takenOn >= since);
  if (recent.length < 2) return null;
  const newest = recent[0]!;
  const oldest = recent[recent.length - 1]!;
  const days = daysBetween(oldest.takenOn, newest.takenOn);
  if (days < 28) return null;
  return Math.round(((newest.value - oldest.value) * 30.44) / days);
}

function meterView(m: MeterRow, all: Reading[], today: string, period: string): MeterForReading {
  const due = m.verificationDue ?? null;
  const passed = all.find((r) => r.period === period && r.source === 'telegram');
  const history = all.filter((r) => r !== passed);
  const last = history[0];
  return {
    meterId: m.id,
    serial: m.serial,
    service: m.service.$.code,
    serviceName: m.service.$.name,
    place: m.place ?? null,
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
    const loaded = await loadMeters(em, access.accountId, now);
    if (!loaded) return fail({ code: 'account_not_found' as const });
    const { account, today, rows, byMeter } = loaded;
    const branch = account.branch.$;
    const window = readingWindow(today, branch.readingDayFrom, branch.readingDayTo);
    return ok({ today, window, meters: rows.map((m) => meterView(m, byMeter.get(m.id) ?? [], today, window.period)) });
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

/**
 * Seed 000 §6: once a reading is in the base it is charged. The month's accrual per service is
 * the volume between each meter's last reading before the month and its current one in it;
 * sewage is cold plus hot water. A reading passed outside the window belongs to the period of
 * the next window (`readingWindow`), and so does its charge: it is stored under that period at
 * once, but the balance counts a period's charges only from the day its window opens (balance.ts),
 * so nothing reaches this month's balance, month table or receipt before the day readings-charge-later names.
 */
async function chargePeriod(em: EntityManager, account: Account, period: string): Promise<ChargeSummary> {
  const meters = await em.find(Meter, { account }, { populate: ['service'] });
  const volumes = new Map<ServiceCode, number>([
    ['cold_water', 0],
    ['hot_water', 0],
  ]);
  for (const m of meters) {
    const [inPeriod] = await em.find(Reading, { meter: m, period, supersededAt: null }, { orderBy: { takenOn: 'desc', recordedAt: 'desc' }, limit: 1 });
    if (!inPeriod) continue;
    const [before] = await em.find(
      Reading,
      { meter: m, supersededAt: null, period: { $lt: period } },
      { orderBy: { takenOn: 'desc', recordedAt: 'desc' }, limit: 1 },
    );
    if (!before) continue;
    const code = m.service.$.code;
    volumes.set(code, (volumes.get(code) ?? 0) + Math.max(0, inPeriod.value - before.value));
  }
  volumes.set('sewerage', (volumes.get('cold_water') ?? 0) + (volumes.get('hot_water') ?? 0));
  const amounts = new Map<ServiceCode, number>();
  for (const [code, volume] of volumes) {
    const service = await em.findOneOrFail(Service, { code });
    const [tariff] = await em.find(Tariff, { branch: account.branch, service, validFrom: { $lte: period } }, { orderBy: { validFrom: 'desc' }, limit: 1 });
    if (!tariff) continue;
    const amount = chargeFor(volume, tariff.price);
    amounts.set(code, amount);
    const existing = await em.findOne(Charge, { account, service, period, kind: 'accrual' });
    if (existing) Object.assign(existing, { volume, tariff: tariff.price, amount });
    else em.create(Charge, { account, service, period, kind: 'accrual', volume, tariff: tariff.price, amount });
  }
  const water = (amounts.get('cold_water') ?? 0) + (amounts.get('hot_water') ?? 0);
  const sewage = amounts.get('sewerage') ?? 0;
  return { period, water, sewage, total: water + sewage };
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
      .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, 'not a date')
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
    // Meters are locked first, so two submissions for one account run one after the other.
    const loaded = await loadMeters(em, access.accountId, now, true);
    if (!loaded) return fail({ code: 'account_not_found' as const });
    const { account, today, rows, byMeter } = loaded;
    const branch = account.branch.$;
    // The window and the period are those of the day the values were taken, not of the day they are passed.
    const takenOn = input.takenOn ?? today;
    if (takenOn > today) return fail({ code: 'taken_in_future' as const, today });
    const ofTaken = readingWindow(takenOn, branch.readingDayFrom, branch.readingDayTo);
    // Taken earlier, in a window already open, the reading counts at once.
    const window: ReadingWindow = { ...ofTaken, open: ofTaken.open || (takenOn < today && today >= ofTaken.opensOn) };
    const meters = new Map(rows.map((m) => [m.id, m]));
    if (input.entries.some((e) => !meters.has(e.meterId))) return fail({ code: 'meter_not_found' as const });

    const result = (repeated: boolean, readings: { meterId: number; value: number; volume: number | null; corrected: boolean }[], charges: ChargeSummary) =>
      ok<SubmitOutcome>({ status: 'stored', repeated, window, readings, charges });

    // The same submission again: answer what was stored.
    const already = await em.find(Reading, { meter: { $in: rows }, submission: input.submission });
    if (already.length) {
      const charges = await chargePeriod(em, account, window.period);
      await em.flush();
      return result(
        true,
        already.map((r) => ({ meterId: r.meter.id, value: r.value, volume: null, corrected: false })),
        charges,
      );
    }

    const refusals: Extract<SubmitOutcome, { status: 'refused' }>['refusals'] = [];
    const unusual: Extract<SubmitOutcome, { status: 'needs_confirmation' }>['unusual'] = [];
    const plans: { meter: MeterRow; value: number; photoPath: string | null; previous: Reading | undefined; replaces: Reading | undefined; same: boolean }[] =
      [];
    for (const entry of input.entries) {
      const meter = meters.get(entry.meterId)!;
      const history = byMeter.get(meter.id) ?? [];
      if (meter.verificationDue && meter.verificationDue < today) {
        refusals.push({ meterId: meter.id, reason: 'verification_expired' });
        continue;
      }
      // A Telegram reading already passed for this period is corrected, not stacked.
      const replaces = history.find((r) => r.period === window.period && r.source === 'telegram');
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
        meter,
        value,
        photoPath: entry.photoPath ?? null,
        previous,
        replaces,
        same: replaces?.value === value && replaces.takenOn === takenOn && !entry.photoPath,
      });
    }
    if (refusals.length) return ok<SubmitOutcome>({ status: 'refused', refusals });
    const submitted = new Set(input.entries.map((e) => e.meterId));
    const missing = rows.filter((m) => !submitted.has(m.id) && !(m.verificationDue && m.verificationDue < today)).map((m) => m.id);
    if (unusual.length || (missing.length && !input.confirmPartial)) {
      return ok<SubmitOutcome>({ status: 'needs_confirmation', missing: input.confirmPartial ? [] : missing, unusual });
    }

    const stored: { meterId: number; value: number; volume: number | null; corrected: boolean }[] = [];
    let repeated = true;
    for (const plan of plans) {
      const volume = plan.previous ? plan.value - plan.previous.value : null;
      if (plan.same) {
        stored.push({ meterId: plan.meter.id, value: plan.value, volume, corrected: false });
        continue;
      }
      repeated = false;
      if (plan.replaces) plan.replaces.supersededAt = now;
      // The correction must leave the index of current readings before the new row enters it.
      await em.flush();
      em.create(Reading, {
        meter: plan.meter,
        value: plan.value,
        takenOn,
        recordedAt: now,
        source: 'telegram',
        period: window.period,
        sentBy,
        submission: input.submission,
        photoPath: plan.photoPath,
      });
      stored.push({ meterId: plan.meter.id, value: plan.value, volume, corrected: plan.replaces !== undefined });
    }
    await em.flush();
    const charges = await chargePeriod(em, account, window.period);
    await em.flush();
    return result(repeated, stored, charges);
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
