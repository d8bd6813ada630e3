import type { Billing } from '../billing/index.ts';
import type { Logger } from '../logger.ts';
import type { Mail } from '../mail/index.ts';
import type { JobHandler } from './handler.ts';
import { drainNotices } from './notice.ts';
import { memoryPace, type Pace } from './pace.ts';
import type { Translator } from '../i18n.ts';

export interface MailingDeps {
  billing: Billing;
  mail: Mail;
  translator: Translator;
  log: Logger;
  /** The mail server's pace for all instances (src/jobs/pace.ts, `{mail}` keys); default this process's own. */
  mailPace?: Pace;
  /** How long one run sends letters; what is left is sent by `notices.deliver` and the next run. */
  budgetMs?: number;
  /** Subscriptions planned per statement. */
  batch?: number;
  /** Letters at a time. */
  parallel?: number;
}

/**
 * `mailing.monthly` (every 15 minutes, and on demand): the new months' receipts of the
 * subscriptions into the outbox (kind `receipt_email`, batch by batch), then the letters due, for
 * at most `budgetMs`, through the outbox's delivery on the e-mail channel (its claim makes each
 * letter single whichever run or instance sends it; `notices.deliver` sends what is left).
 */
export function monthlyMailingJob(deps: MailingDeps): JobHandler<'mailing.monthly'> {
  const log = deps.log.child({ part: 'mail' });
  return async (_payload, meta) => {
    const started = Date.now();
    let planned = 0;
    for (let after = 0; ; ) {
      const batch = await deps.billing.mailings.plan({ after, ...(deps.batch ? { limit: deps.batch } : {}) });
      if (!batch.ok || batch.value.last === null) break;
      planned += batch.value.planned;
      after = batch.value.last;
    }
    const counts = await drainNotices(
      {
        billing: deps.billing,
        translator: deps.translator,
        log: deps.log,
        mail: deps.mail,
        pace: memoryPace(1),
        ...(deps.mailPace ? { mailPace: deps.mailPace } : {}),
      },
      { budgetMs: Math.max(0, (deps.budgetMs ?? 10 * 60_000) - (Date.now() - started)), parallel: 0, mailParallel: deps.parallel ?? 4, channels: ['email'] },
    );
    log.info(
      { job: meta.jobId, planned, sent: counts.sent, failed: counts.refused, retry: counts.retry, unknown: counts.unknown },
      'jobs: monthly mailing run done',
    );
  };
}
