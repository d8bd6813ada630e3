import { GrammyError, type Api } from 'grammy';
import type { Billing } from '../billing/index.ts';
import type { Translator } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import type { JobHandler } from './handler.ts';
import { NOTICE_RENDERERS } from './notice-kinds.ts';
import { memoryPace, type Pace } from './pace.ts';

export { statusNotice } from './notice-status.ts';

export interface NoticeDeps {
  /** An Api without auto-retry: a 429 must reach the pace, which pauses every sender. */
  api: Api;
  billing: Billing;
  translator: Translator;
  log: Logger;
  /** The pace shared by all instances (default: this process's, 25 messages/s). */
  pace?: Pace;
}

/** What became of one try: sent; not sent (and why); nothing due; to be tried again; unknown. */
export type DeliveryOutcome = 'sent' | 'blocked' | 'refused' | 'deferred' | 'expired' | 'none' | 'retry' | 'unknown';

/** The default pace of one process (NOTICES_PER_SECOND sets the one of the app). */
export const DEFAULT_NOTICES_PER_SECOND = 25;

/**
 * The delivery rules of every notice, whatever its kind, in one place: wait for the pace (a
 * token of the global rate, no 429 pause), claim the notice (by id, or the next due one) —
 * the claim itself keeps the quiet hours, the expiry and the blocked residents —, render it by
 * its kind (NOTICE_RENDERERS), send it, settle it. A 429 pauses every sender for its
 * `retry_after` and puts the notice back; a 5xx puts it back; a 403 marks the resident blocked;
 * another refusal fails it; a send whose outcome is unknown (the network) stays claimed and is
 * not sent again.
 */
export async function deliverNotice(deps: NoticeDeps & { pace: Pace }, noticeId?: number): Promise<DeliveryOutcome> {
  const log = deps.log;
  await deps.pace.take();
  const claim = await deps.billing.notices.claim(noticeId ? { noticeId } : {});
  if (!claim.ok) {
    const code = claim.error.code;
    return code === 'notice_blocked' ? 'blocked' : code === 'notice_expired' ? 'expired' : code === 'notice_deferred' ? 'deferred' : 'none';
  }
  const n = claim.value;
  const finish = (sent: boolean, outcome?: 'blocked' | 'refused' | 'unknown_kind') =>
    deps.billing.notices.finish({ noticeId: n.noticeId, sent, ...(outcome ? { outcome } : {}) });
  const render = NOTICE_RENDERERS[n.kind];
  if (!render) {
    log.warn({ noticeId: n.noticeId, kind: n.kind }, 'notices: unknown kind; not sent');
    await finish(false, 'unknown_kind');
    return 'refused';
  }
  const { text, reply_markup } = render(deps.translator(n.language), n.payload);
  // Another sender may have met a 429 since this one's token: it waits too, the notice back in line.
  if (await deps.pace.paused()) {
    await deps.billing.notices.release({ noticeId: n.noticeId });
    return 'retry';
  }
  try {
    await deps.api.sendMessage(n.telegramId, text, reply_markup ? { reply_markup } : {});
  } catch (err) {
    if (!(err instanceof GrammyError)) {
      log.error({ err, noticeId: n.noticeId }, 'notices: the outcome of sending is unknown; not sent again');
      return 'unknown';
    }
    if (err.error_code === 429 || err.error_code >= 500) {
      if (err.error_code === 429) await deps.pace.pause(err.parameters.retry_after ?? 1);
      const released = await deps.billing.notices.release({ noticeId: n.noticeId });
      if (!released.ok) log.error({ noticeId: n.noticeId, code: released.error.code }, 'notices: could not put the notice back');
      return 'retry';
    }
    if (err.error_code === 403) {
      await finish(false, 'blocked');
      await deps.billing.residents.markBlocked({ telegramId: n.telegramId });
      log.info({ noticeId: n.noticeId }, 'notices: the resident has blocked the bot');
      return 'blocked';
    }
    await finish(false, 'refused');
    log.warn({ err, noticeId: n.noticeId }, 'notices: Telegram refused the notice');
    return 'refused';
  }
  await finish(true);
  return 'sent';
}

/**
 * `notice`: one notice of the outbox to its resident, at most once — it is claimed in PostgreSQL
 * before it is sent, so a second job for it (a repeat, the sweep, another instance) finds it
 * taken and does nothing. One Telegram could not take now (429, 5xx) is put back and the job
 * throws, so that pg-boss tries again.
 */
export function noticeJob(deps: NoticeDeps): JobHandler<'notice'> {
  const d = { ...deps, log: deps.log.child({ part: 'notices' }), pace: deps.pace ?? memoryPace(DEFAULT_NOTICES_PER_SECOND) };
  return async (p) => {
    const outcome = await deliverNotice(d, p.noticeId);
    if (outcome === 'retry') throw new Error(`notices: Telegram could not take notice ${p.noticeId} now; to be tried again`);
  };
}

export type DrainCounts = Record<Exclude<DeliveryOutcome, 'none'>, number>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends the due notices of the outbox, oldest due first, `parallel` at a time, until none is due
 * or `budgetMs` has passed; several of these (other instances) may run at once — the claim keeps
 * each notice single, the pace keeps the rate of all of them together.
 */
export async function drainNotices(deps: NoticeDeps & { pace: Pace }, o: { budgetMs: number; parallel: number; stop?: () => boolean }): Promise<DrainCounts> {
  const counts: DrainCounts = { sent: 0, blocked: 0, refused: 0, deferred: 0, expired: 0, retry: 0, unknown: 0 };
  const deadline = Date.now() + o.budgetMs;
  const loop = async () => {
    while (Date.now() < deadline && !o.stop?.()) {
      let outcome: DeliveryOutcome;
      try {
        outcome = await deliverNotice(deps);
      } catch (err) {
        deps.log.error({ err }, 'notices: delivery failed');
        await sleep(1000);
        continue;
      }
      if (outcome === 'none') return;
      counts[outcome]++;
      // A 5xx: give Telegram a moment (a 429 has paused every sender already: the next take waits it out).
      if (outcome === 'retry' && !(await deps.pace.paused())) await sleep(500);
    }
  };
  await Promise.all(Array.from({ length: o.parallel }, loop));
  return counts;
}

/** `notices.deliver` (every minute, and after each planning run): the due notices, for up to 50 s. */
export function noticesDeliverJob(deps: NoticeDeps & { parallel?: number; budgetMs?: number }): JobHandler<'notices.deliver'> {
  const log = deps.log.child({ part: 'notices' });
  const d = { ...deps, log, pace: deps.pace ?? memoryPace(DEFAULT_NOTICES_PER_SECOND) };
  return async (_p, meta) => {
    const counts = await drainNotices(d, { budgetMs: deps.budgetMs ?? 50_000, parallel: deps.parallel ?? 4 });
    if (Object.values(counts).some((n) => n > 0))
      log.info({ job: meta.jobId, ...counts }, 'notices: delivered (blocked: skipped or refused with 403; deferred: quiet hours)');
  };
}
