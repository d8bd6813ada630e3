import { Meter, Reading } from '../../db/entities/index.ts';
import type { ReadingSource } from '../../db/entities/index.ts';
import { fail, ok } from './result.ts';
import { id, page } from './schemas.ts';
import { defineAccountService } from './service.ts';

export interface ReadingRow {
  takenOn: string;
  source: ReadingSource;
  value: number;
  /** Thousandths of m³ since the reading before it; null for the first one. */
  volume: number | null;
  period: string;
}

/** Seed 000 §7 «История показаний» of one meter of the account, newest first. */
export const getReadingHistory = defineAccountService('read', { meterId: id, ...page }, async (input, { em, access }) => {
  const meter = await em.findOne(Meter, { id: input.meterId, account: access.accountId }, { populate: ['service'] });
  if (!meter) return fail({ code: 'meter_not_found' as const });
  // One row more than the page, so the oldest row on the page still has a volume.
  const [rows, total] = await em.findAndCount(
    Reading,
    { meter, supersededAt: null },
    { orderBy: { takenOn: 'desc', recordedAt: 'desc' }, limit: input.limit + 1, offset: input.offset },
  );
  const items = rows.slice(0, input.limit).map((r, i): ReadingRow => {
    const previous = rows[i + 1];
    return {
      takenOn: r.takenOn,
      source: r.source,
      value: r.value,
      volume: previous ? r.value - previous.value : null,
      period: r.period.slice(0, 7),
    };
  });
  return ok({
    meter: { meterId: meter.id, serial: meter.serial, service: meter.service.$.code, status: meter.status, place: meter.place ?? null },
    items,
    total,
  });
});
