import schedule from 'node-schedule';
import type { Logger } from '../logger.ts';
import type { Mail } from './index.ts';

/**
 * The monthly receipts by e-mail: every 15 minutes the subscriptions with a new statement are
 * mailed (a statement appears when the billing export is imported). Runs never overlap in one
 * instance; across instances the billing service's claim keeps each letter single.
 */
export function scheduleMonthlyReceipts(mail: Mail, log: Logger, rule = '*/15 * * * *') {
  let running: Promise<unknown> | null = null;
  const job = schedule.scheduleJob('monthly receipts by e-mail', rule, () => {
    if (running) return;
    running = mail
      .sendDueReceipts()
      .catch((err: unknown) => log.error({ err }, 'mail: monthly receipts run failed'))
      .finally(() => (running = null));
  });
  return {
    /** Stops the timer and waits for a run in progress. */
    async stop() {
      job?.cancel();
      await running;
    },
  };
}
