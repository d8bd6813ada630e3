import { GrammyError, InlineKeyboard, type Api } from 'grammy';
import { REQUEST_KINDS, REQUEST_STATUSES, type Billing } from '../billing/index.ts';
import { buttons } from '../bot/callback-data.ts';
import type { Translate, Translator } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import type { JobHandler } from './handler.ts';
import { outageNotice, type OutagePayload } from './outage-notice.ts';

export interface NoticeDeps {
  api: Api;
  billing: Billing;
  translator: Translator;
  log: Logger;
}

interface StatusPayload {
  requestId: number;
  number: string;
  /** The request's kind (older notices may lack it: then the line names none). */
  kind?: string;
  status: string;
  comment: string | null;
  /** Who moved it: the clock's refusal of an unanswered needs_info has its own words (notice-no-answer). */
  by?: 'resident' | 'operator' | 'system';
  /** Whether the recipient filed it (answers and rates it), or joined an accident (only told). Older notices have none: their author's. */
  own?: boolean;
}

// A payload is JSON from the outbox: only the statuses and kinds the domain knows have words.
const STATUSES = new Set<string>(REQUEST_STATUSES);
const KINDS = new Set<string>(REQUEST_KINDS);

/** A kind's name (request-kind-*) inside a sentence: lower case. */
const lowerFirst = (s: string) => s.charAt(0).toLocaleLowerCase() + s.slice(1);

/**
 * notice-status-<status> (notices.ftl): what the request was, what its status
 * means and what comes next; the operator's words (notice-reason, notice-asked, notice-comment); the
 * buttons of the one who can act on it (request-answer, request-rate-good / request-rate-bad).
 */
export function statusNotice(t: Translate, p: StatusPayload): { text: string; reply_markup?: InlineKeyboard } {
  const status = STATUSES.has(p.status) ? p.status : 'sent';
  const kind = p.kind && KINDS.has(p.kind) ? lowerFirst(t(`request-kind-${p.kind}`)) : null;
  // Older notices carry no kind: the line is the same without the brackets.
  const title = t(`notice-status-${status}`, { number: p.number, kind: kind ?? '' });
  const lines = [kind ? title : title.replace(' ()', '')];
  if (p.by === 'system' && p.status === 'refused') lines.push(t(p.own === false ? 'notice-no-answer-follower' : 'notice-no-answer'));
  else if (p.comment)
    lines.push(t(status === 'refused' ? 'notice-reason' : status === 'needs_info' ? 'notice-asked' : 'notice-comment', { comment: p.comment }));
  // One who joined an accident cannot answer or rate it: told the status only, without buttons.
  if (p.own === false) return { text: lines.join('\n') };
  if (p.status === 'needs_info') {
    lines.push(t('notice-needs-info'));
    return { text: lines.join('\n'), reply_markup: new InlineKeyboard().text(t('request-answer'), buttons.requests.answer.pack({ requestId: p.requestId })) };
  }
  if (p.status === 'done') {
    lines.push(t('notice-done'));
    return {
      text: lines.join('\n'),
      reply_markup: new InlineKeyboard()
        .text(t('request-rate-good'), buttons.requests.rate.pack({ requestId: p.requestId, mark: 'good' }))
        .text(t('request-rate-bad'), buttons.requests.rate.pack({ requestId: p.requestId, mark: 'bad' })),
    };
  }
  return { text: lines.join('\n') };
}

type Rendered = { text: string; reply_markup?: InlineKeyboard };

/** The words of each kind of notice; a kind without words is not sent. */
const RENDERERS: Record<string, (t: Translate, payload: Record<string, unknown>) => Rendered> = {
  request_status: (t, p) => statusNotice(t, p as unknown as StatusPayload),
  outage: (t, p) => outageNotice(t, p as unknown as OutagePayload),
};

/**
 * `notice`: one notice of the outbox to its resident, at most once — it is claimed in PostgreSQL
 * before it is sent, so a second job for it (a repeat, the sweep, another instance) finds it
 * taken and does nothing. A send that Telegram refuses (400, 403) is recorded as failed; one it
 * could not take now (429 after the retries, a 5xx) is put back to pending and the job throws, so
 * that pg-boss tries again; one whose outcome is unknown (the network) stays claimed and is not
 * sent again.
 */
export function noticeJob(deps: NoticeDeps): JobHandler<'notice'> {
  const log = deps.log.child({ part: 'notices' });
  return async (p) => {
    const claim = await deps.billing.notices.claim({ noticeId: p.noticeId });
    if (!claim.ok) return;
    const n = claim.value;
    const finish = (sent: boolean) => deps.billing.notices.finish({ noticeId: p.noticeId, sent });
    const render = RENDERERS[n.kind];
    if (!render) {
      log.warn({ noticeId: p.noticeId, kind: n.kind }, 'notices: unknown kind; not sent');
      await finish(false);
      return;
    }
    const { text, reply_markup } = render(deps.translator(n.language), n.payload);
    try {
      await deps.api.sendMessage(n.telegramId, text, reply_markup ? { reply_markup } : {});
    } catch (err) {
      if (!(err instanceof GrammyError)) {
        log.error({ err, noticeId: p.noticeId }, 'notices: the outcome of sending is unknown; not sent again');
        return;
      }
      if (err.error_code === 429 || err.error_code >= 500) {
        const released = await deps.billing.notices.release({ noticeId: p.noticeId });
        if (!released.ok) log.error({ noticeId: p.noticeId, code: released.error.code }, 'notices: could not put the notice back');
        throw new Error(`notices: Telegram could not take notice ${p.noticeId} now (${err.error_code}); to be tried again`);
      }
      await finish(false);
      if (err.error_code === 403) {
        await deps.billing.residents.markBlocked({ telegramId: n.telegramId });
        log.info({ noticeId: p.noticeId }, 'notices: the resident has blocked the bot');
      } else log.warn({ err, noticeId: p.noticeId }, 'notices: Telegram refused the notice');
      return;
    }
    await finish(true);
  };
}
