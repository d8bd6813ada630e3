import type { Logger } from '../logger.ts';
import type { Mail } from '../mail/index.ts';
import type { JobHandler } from './handler.ts';

/**
 * `mailing.monthly` (every 15 minutes, and on demand): the due subscriptions, batch by batch,
 * for at most `budgetMs`; what is left is taken up by the next run. Each letter is claimed in
 * PostgreSQL before it is sent, so overlapping runs on several instances send it once.
 */
export function monthlyMailingJob(deps: { mail: Mail; log?: Logger; budgetMs?: number; batch?: number }): JobHandler<'mailing.monthly'> {
  return async (_payload, meta) => {
    const result = await deps.mail.sendDueReceipts({ batch: deps.batch, deadline: Date.now() + (deps.budgetMs ?? 10 * 60_000) });
    deps.log?.info({ job: meta.jobId, ...result }, 'jobs: monthly mailing run done');
  };
}
