import { Meter, Reading } from '../../db/entities/index.ts';
import type { ReadingSource } from '../../db/entities/index.ts';
import { todayIn } from './calendar.ts';
import { fail, ok } from './result.ts';
import { id, page } from './schemas.ts';
import { defineAccountService } from './service.ts';

export interface ReadingRow {
  takenOn: string;
  source: ReadingSource;
  value: number;
  /** Thousandths of m³ since the reading in force before it; null for the first one. */
  volume: number | null;
  /** The billing month the reading counts for, 'YYYY-MM'. */
  period: string;
  /** When it reached the billing (passed or loaded), its date in the branch's timezone, 'YYYY-MM-DD'. */
  recordedOn: string;
  /** Only on a reading that a correction replaced (it stays in the history): when, 'YYYY-MM-DD'. */
  replacedOn?: string;
}

/**
 * Seed 000 §7 «История показаний» of one meter of the account, newest first: every reading,
 * also those a correction replaced, which are marked; each volume is counted from the reading
 * in force before it.
 */
export const getReadingHistory = defineAccountService('read', { meterId: id, ...page }, async (input, { em, access }) => {
  const meter = await em.findOne(Meter, { id: input.meterId, account: access.accountId }, { populate: ['service', 'account.branch'] });
  if (!meter) return fail({ code: 'meter_not_found' as const });
  const [rows, total] = await em.findAndCount(
    Reading,
    { meter },
    { orderBy: { takenOn: 'desc', recordedAt: 'desc', id: 'desc' }, limit: input.limit, offset: input.offset },
  );
  const oldest = rows.at(-1);
  // The reading in force just before the page, for the volume of its oldest rows.
  let inForce = oldest
    ? await em.findOne(
        Reading,
        { meter, supersededAt: null, $or: [{ takenOn: { $lt: oldest.takenOn } }, { takenOn: oldest.takenOn, recordedAt: { $lt: oldest.recordedAt } }] },
        { orderBy: { takenOn: 'desc', recordedAt: 'desc', id: 'desc' } },
      )
    : null;
  const timezone = meter.account.$.branch.$.timezone;
  const items: ReadingRow[] = [];
  for (const r of [...rows].reverse()) {
    items.push({
      takenOn: r.takenOn,
      source: r.source,
      value: r.value,
      volume: inForce ? r.value - inForce.value : null,
      period: r.period.slice(0, 7),
      recordedOn: todayIn(timezone, r.recordedAt),
      ...(r.supersededAt ? { replacedOn: todayIn(timezone, r.supersededAt) } : {}),
    });
    if (!r.supersededAt) inForce = r;
  }
  return ok({
    meter: { meterId: meter.id, serial: meter.serial, service: meter.service.$.code, status: meter.status, place: meter.place ?? null },
    items: items.reverse(),
    total,
  });
});
