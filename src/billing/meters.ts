import type { ReadingSource } from '../../db/entities/index.ts';
import { Account, Meter, Reading } from '../../db/entities/index.ts';
import { meterFields, type MeterFields } from './accounts.ts';
import { verificationOf, type Verification } from './balance.ts';
import { addMonths, monthOf, todayIn } from './calendar.ts';
import { fail, ok } from './result.ts';
import { defineAccountService } from './service.ts';

/** How many billing months the average consumption looks back (seeds 001/002 «Информация об ИПУ»). */
export const AVERAGE_MONTHS = 6;

export interface AverageConsumption {
  /** Thousandths of m³ a month, rounded half up to a whole thousandth. */
  monthly: number;
  /** The billing months it is over: 6, or fewer when the meter's history is shorter. */
  months: number;
}

export interface MeterCard extends MeterFields {
  /** The verification date with how near it is; null when billing has none. */
  verification: Verification | null;
  lastReading: { value: number; takenOn: string; source: ReadingSource } | null;
  average: AverageConsumption | null;
}

const monthsBetween = (from: string, to: string) => {
  const [fy, fm] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  return ty * 12 + tm - (fy * 12 + fm);
};

/**
 * The average monthly consumption over the last 6 billing months up to the meter's latest
 * reading in force: from the reading in force at the end of the month 6 months before it (or,
 * with a shorter history, the first one) to the latest, divided by the months between their
 * periods. Integer thousandths throughout, rounded half up once at the end. Null with fewer than
 * two readings in different months.
 */
export function averageConsumption(readings: readonly { value: number; period: string }[]): AverageConsumption | null {
  if (readings.length < 2) return null;
  // Newest first, as read: by period, then as the caller ordered them within it.
  const sorted = [...readings].map((r, i) => ({ ...r, i })).sort((a, b) => (a.period === b.period ? a.i - b.i : a.period < b.period ? 1 : -1));
  const latest = sorted[0]!;
  const latestMonth = monthOf(latest.period);
  const since = addMonths(latestMonth, -AVERAGE_MONTHS);
  const base = sorted.find((r) => monthOf(r.period) <= since) ?? sorted.at(-1)!;
  const months = monthsBetween(monthOf(base.period), latestMonth);
  if (months <= 0) return null;
  const volume = latest.value - base.value;
  // Half up, in integers: floor((2·v + m) / 2m).
  const monthly = Math.floor((2 * volume + months) / (2 * months));
  return { monthly, months };
}

/**
 * Seeds 001/002 «Информация об ИПУ», seed 000 §5: every meter of the account, active ones
 * first — what it is and where, its verification date with how near it is, its status, the
 * last reading in force and the average monthly consumption.
 */
export const getAccountMeters = defineAccountService('read', {}, async (_input, { em, now, access }) => {
  const account = await em.findOne(Account, access.accountId, { populate: ['branch'] });
  if (!account) return fail({ code: 'account_not_found' as const });
  const today = todayIn(account.branch.$.timezone, now);
  const meters = await em.find(Meter, { account }, { populate: ['service'], orderBy: { status: 'asc', service: { id: 'asc' }, serial: 'asc' } });
  const readings = meters.length
    ? await em.find(Reading, { meter: { $in: meters }, supersededAt: null }, { orderBy: { takenOn: 'desc', recordedAt: 'desc', id: 'desc' } })
    : [];
  const byMeter = new Map<number, Reading[]>();
  for (const r of readings) byMeter.set(r.meter.id, [...(byMeter.get(r.meter.id) ?? []), r]);
  return ok({
    accountId: account.id,
    longNumber: account.longNumber,
    today,
    meters: meters.map((m): MeterCard => {
      const history = byMeter.get(m.id) ?? [];
      const last = history[0];
      return {
        ...meterFields(m),
        verification: verificationOf(today, m.verificationDue ?? null),
        lastReading: last ? { value: last.value, takenOn: last.takenOn, source: last.source } : null,
        average: averageConsumption(history),
      };
    }),
  });
});
