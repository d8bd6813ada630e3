import { z } from 'zod';
import { Outage } from '../../../db/entities/index.ts';
import { ok } from '../result.ts';
import { defineSystemService } from '../service.ts';
import { notifyOutage, type OutageChange } from './notify.ts';

/**
 * The notices of every outage version not yet told (the import writes outages without them), and
 * of every outage in force again: the residents linked inside it since it was announced get it
 * too. Recomputed from the database on each run, and made once (the notice's unique key): a missed
 * run, a second instance or a restart just makes what is missing. The sweep queues those due now.
 */
export const notifyOutages = defineSystemService(z.object({ limit: z.number().int().min(1).max(500).default(100) }), async (input, { em, now }) => {
  const ids = await em.execute<{ id: number }[]>(
    `select id from outage where notified_version < version or (status in ('announced', 'updated') and expected_end_at > ?)
      order by notified_version < version desc, id limit ?`,
    [now, input.limit],
  );
  const due = ids.length ? await em.find(Outage, { id: { $in: ids.map((r) => Number(r.id)) } }, { populate: ['branch'], orderBy: { id: 'asc' } }) : [];
  const notices: number[] = [];
  for (const o of due) {
    const made = await notifyOutage(em, o, o.branch.$, o.status as OutageChange, now);
    notices.push(...made.now);
  }
  return ok({ outages: due.length, notices });
});
