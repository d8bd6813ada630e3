import type { Billing } from '../billing/index.ts';
import type { Logger } from '../logger.ts';
import type { JobHandler } from './handler.ts';
import type { Jobs } from './queues.ts';

/**
 * `reminders.plan` (every 5 minutes): what is due today in each branch's timezone goes into the
 * outbox (each once: the unique key), then the delivery is queued. The log says how many, never to whom.
 */
export function remindersPlanJob(deps: { billing: Billing; jobs: Jobs; log: Logger }): JobHandler<'reminders.plan'> {
  const log = deps.log.child({ part: 'reminders' });
  return async (_p, meta) => {
    const started = Date.now();
    const planned = await deps.billing.reminders.plan({ queue: true });
    if (!planned.ok) throw new Error(`reminders: ${planned.error.code}`);
    const queued = planned.value.queued!;
    if (queued.reading_window || queued.verification) log.info({ job: meta.jobId, planned: queued, ms: Date.now() - started }, 'reminders: planned');
    await deps.jobs.send('notices.deliver', {});
  };
}
