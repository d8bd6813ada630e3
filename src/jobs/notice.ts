import { GrammyError, type Api } from 'grammy';
import { RETRY_MAIL_SECONDS, type Billing, type NoticeChannel } from '../billing/index.ts';
import type { Translator } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import type { Mail } from '../mail/index.ts';
import type { JobHandler } from './handler.ts';
import { NOTICE_RENDERERS, NOTICE_SENT } from './notice-kinds.ts';
import { memoryPace, type Pace } from './pace.ts';

export { statusNotice } from './notice-status.ts';

export interface NoticeDeps {
  /** An Api without auto-retry: a 429 must reach the pace, which pauses every sender. Null: no bot, nothing by Telegram. */
  api?: Api | null;
  billing: Billing;
  translator: Translator;
  log: Logger;
  /** Telegram's pace shared by all instances (default: this process's, 25 messages/s). */
  pace?: Pace;
  /** The e-mail channel (the monthly receipts, notices to residents without Telegram); absent: nothing by e-mail. */
  mail?: Mail | null;
  /** The mail server's pace, its own (default: this process's, MAIL_PER_SECOND). */
  mailPace?: Pace;
}

/** What became of one try: sent; not sent (and why); nothing due; to be tried again; moved to e-mail; unknown. */
export type DeliveryOutcome = 'sent' | 'blocked' | 'refused' | 'deferred' | 'expired' | 'unreachable' | 'rerouted' | 'none' | 'retry' | 'unknown';

/** The default pace of one process (NOTICES_PER_SECOND sets the one of the app). */
export const DEFAULT_NOTICES_PER_SECOND = 25;
/** The letters a second to the mail server, all instances together: not Telegram's bucket (`{mail}` keys). */
export const MAIL_PER_SECOND = 50;

type Paced = NoticeDeps & { pace: Pace };

const settled = (code: string): DeliveryOutcome =>
  code === 'notice_blocked'
    ? 'blocked'
    : code === 'notice_expired'
      ? 'expired'
      : code === 'notice_deferred'
        ? 'deferred'
        : code === 'notice_unreachable'
          ? 'unreachable'
          : code === 'notice_rerouted'
            ? 'rerouted'
            : 'none';

/**
 * The delivery rules of every notice, whatever its kind or channel, in one place: wait for the
 * channel's pace, claim the notice (by id, or the next due one of the channel) — the claim itself
 * keeps the expiry, the quiet hours and the blocked residents of Telegram, and moves a notice of a
 * resident without Telegram to e-mail or settles it `unreachable` —, render it by its kind, send
 * it, settle it. By Telegram (NOTICE_RENDERERS): a 429 pauses every sender for its `retry_after`
 * and puts the notice back; a 5xx puts it back; a 403 marks the resident blocked; another refusal
 * fails it. By e-mail (Mail.sendNotice): a 4xx or no connection puts it back for 10 minutes (five
 * tries in all), a 5xx fails it. A send whose outcome is unknown stays claimed and is not sent again.
 */
export async function deliverNotice(deps: Paced, noticeId?: number, channel: NoticeChannel = 'telegram'): Promise<DeliveryOutcome> {
  if (channel === 'email') return deliverLetter(deps, noticeId);
  const log = deps.log;
  const api = deps.api;
  if (!api) return 'none';
  await deps.pace.take();
  const claim = await deps.billing.notices.claim({ channel: 'telegram', ...(noticeId ? { noticeId } : {}) });
  if (!claim.ok) {
    const outcome = settled(claim.error.code);
    // A resident without Telegram: this very notice goes on by e-mail.
    if (outcome === 'rerouted' && noticeId && deps.mail) return deliverLetter(deps, noticeId);
    return outcome;
  }
  const n = claim.value;
  const telegramId = n.telegramId!;
  const finish = (sent: boolean, outcome?: 'blocked' | 'refused' | 'unknown_kind') =>
    deps.billing.notices.finish({ noticeId: n.noticeId, sent, ...(outcome ? { outcome } : {}) });
  const render = NOTICE_RENDERERS[n.kind];
  if (!render) {
    log.warn({ noticeId: n.noticeId, kind: n.kind }, 'notices: unknown kind; not sent');
    await finish(false, 'unknown_kind');
    return 'refused';
  }
  const rendered = render(deps.translator(n.language), n.payload);
  // Another sender may have met a 429 since this one's token: it waits too, the notice back in line.
  if (await deps.pace.paused()) {
    await deps.billing.notices.release({ noticeId: n.noticeId });
    return 'retry';
  }
  let messageId: number;
  try {
    if ('copy' in rendered) {
      const { copy, ...other } = rendered;
      messageId = (await api.copyMessage(telegramId, copy.fromChatId, copy.messageId, other)).message_id;
    } else {
      const { text, ...other } = rendered;
      messageId = (await api.sendMessage(telegramId, text, other)).message_id;
    }
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
      await deps.billing.residents.markBlocked({ telegramId });
      log.info({ noticeId: n.noticeId }, 'notices: the resident has blocked the bot');
      return 'blocked';
    }
    await finish(false, 'refused');
    log.warn({ err, noticeId: n.noticeId }, 'notices: Telegram refused the notice');
    return 'refused';
  }
  await finish(true);
  const after = NOTICE_SENT[n.kind];
  if (after)
    await after(deps.billing, n.payload, { chatId: telegramId, messageId }).catch((err: unknown) =>
      log.error({ err, noticeId: n.noticeId }, 'notices: sent, but what follows the sending failed'),
    );
  return 'sent';
}

/** One notice of the e-mail channel, at the mail server's pace (never Telegram's). */
async function deliverLetter(deps: Paced, noticeId?: number): Promise<DeliveryOutcome> {
  const mail = deps.mail;
  if (!mail) return 'none';
  await (deps.mailPace ?? defaultMailPace()).take();
  const claim = await deps.billing.notices.claim({ channel: 'email', ...(noticeId ? { noticeId } : {}) });
  if (!claim.ok) return settled(claim.error.code);
  const n = claim.value;
  let outcome: Awaited<ReturnType<Mail['sendNotice']>>;
  try {
    outcome = await mail.sendNotice(n);
  } catch (err) {
    // Before the letter reached the server (reading the receipt, rendering): known not sent.
    deps.log.error({ err, noticeId: n.noticeId }, 'notices: the letter could not be made; tried again later');
    outcome = 'retry';
  }
  switch (outcome) {
    case 'sent':
      await deps.billing.notices.finish({ noticeId: n.noticeId, sent: true });
      return 'sent';
    case 'retry': {
      const released = await deps.billing.notices.release({ noticeId: n.noticeId, retryInSeconds: RETRY_MAIL_SECONDS });
      return released.ok && released.value.gaveUp ? 'refused' : 'retry';
    }
    case 'unknown':
      deps.log.error({ noticeId: n.noticeId }, 'notices: the outcome of the letter is unknown; not sent again');
      return 'unknown';
    case 'unknown_kind':
    case 'unsubscribed':
    case 'refused':
      await deps.billing.notices.finish({ noticeId: n.noticeId, sent: false, outcome });
      return 'refused';
  }
}

let processMailPace: Pace | null = null;
const defaultMailPace = () => (processMailPace ??= memoryPace(MAIL_PER_SECOND));

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
const noCounts = (): DrainCounts => ({ sent: 0, blocked: 0, refused: 0, deferred: 0, expired: 0, unreachable: 0, rerouted: 0, retry: 0, unknown: 0 });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends the due notices of the outbox, oldest due first, until none is due or `budgetMs` has
 * passed: by Telegram `parallel` at a time (with an Api), by e-mail `mailParallel` at a time (with
 * the mail; the SMTP pool and the PDF workers kept busy). Several of these (other instances) may
 * run at once — the claim keeps each notice single, each channel's pace keeps the rate of all of
 * them together. `channels`: only these.
 */
export async function drainNotices(
  deps: NoticeDeps & { pace: Pace },
  o: { budgetMs: number; parallel: number; mailParallel?: number; channels?: NoticeChannel[]; stop?: () => boolean },
): Promise<DrainCounts> {
  const counts = noCounts();
  const deadline = Date.now() + o.budgetMs;
  const channels = o.channels ?? ['telegram', 'email'];
  const loop = async (channel: NoticeChannel) => {
    while (Date.now() < deadline && !o.stop?.()) {
      let outcome: DeliveryOutcome;
      try {
        outcome = await deliverNotice(deps, undefined, channel);
      } catch (err) {
        deps.log.error({ err }, 'notices: delivery failed');
        await sleep(1000);
        continue;
      }
      if (outcome === 'none') return;
      counts[outcome]++;
      // A 5xx: give Telegram a moment (a 429 has paused every sender already: the next take waits it out).
      if (outcome === 'retry' && channel === 'telegram' && !(await deps.pace.paused())) await sleep(500);
    }
  };
  const loops = [
    ...(deps.api && channels.includes('telegram') ? Array.from({ length: o.parallel }, () => loop('telegram')) : []),
    ...(deps.mail && channels.includes('email') ? Array.from({ length: o.mailParallel ?? 4 }, () => loop('email')) : []),
  ];
  await Promise.all(loops);
  return counts;
}

/** `notices.deliver` (every minute, and after each planning run): the due notices of both channels, for up to 50 s. */
export function noticesDeliverJob(deps: NoticeDeps & { parallel?: number; budgetMs?: number }): JobHandler<'notices.deliver'> {
  const log = deps.log.child({ part: 'notices' });
  const d = { ...deps, log, pace: deps.pace ?? memoryPace(DEFAULT_NOTICES_PER_SECOND) };
  return async (_p, meta) => {
    const counts = await drainNotices(d, { budgetMs: deps.budgetMs ?? 50_000, parallel: deps.parallel ?? 4 });
    if (Object.values(counts).some((n) => n > 0))
      log.info(
        { job: meta.jobId, ...counts },
        'notices: delivered (blocked: skipped or refused with 403; deferred: quiet hours; unreachable: no Telegram and no address; rerouted: to e-mail)',
      );
  };
}
