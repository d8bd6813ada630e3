import { GrammyError, InlineKeyboard, type Api } from 'grammy';
import type { Billing } from '../billing/index.ts';
import { buttons } from '../bot/callback-data.ts';
import type { Translate, Translator } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import type { JobHandler } from './handler.ts';

export interface NoticeDeps {
  api: Api;
  billing: Billing;
  translator: Translator;
  log: Logger;
}

interface StatusPayload {
  requestId: number;
  number: string;
  status: string;
  comment: string | null;
  /** Who moved it: the clock's refusal of an unanswered «На исправление» has its own words. */
  by?: 'resident' | 'operator' | 'system';
  /** The author's notice (older notices lack it: theirs); one who joined an accident has no answer or rating to give. */
  own?: boolean;
}

/** «Заявка К-000001: статус «Принято»», the comment, and what the resident can do next. */
export function statusNotice(t: Translate, p: StatusPayload): { text: string; reply_markup?: InlineKeyboard } {
  const lines = [t('notice-request-status', { number: p.number, status: t(`request-status-${p.status}`) })];
  if (p.by === 'system' && p.status === 'refused') lines.push(t('notice-no-answer'));
  else if (p.comment) lines.push(t('notice-comment', { comment: p.comment }));
  if (p.own === false) return { text: lines.join('\n') };
  if (p.status === 'needs_info') {
    lines.push(t('notice-needs-info'));
    return { text: lines.join('\n'), reply_markup: new InlineKeyboard().text(t('notice-answer'), buttons.requests.answer.pack({ requestId: p.requestId })) };
  }
  if (p.status === 'done') {
    lines.push(t('notice-done'));
    return {
      text: lines.join('\n'),
      reply_markup: new InlineKeyboard()
        .text(t('notice-rate-good'), buttons.requests.rate.pack({ requestId: p.requestId, mark: 'good' }))
        .text(t('notice-rate-bad'), buttons.requests.rate.pack({ requestId: p.requestId, mark: 'bad' })),
    };
  }
  return { text: lines.join('\n') };
}

/**
 * `notice`: one notice of the outbox to its resident, at most once — it is claimed in PostgreSQL
 * before it is sent, so a second job for it (a repeat, the sweep, another instance) finds it
 * taken and does nothing. A send that fails with Telegram's answer is recorded as failed; one
 * whose outcome is unknown (the network) stays claimed and is not sent again.
 */
export function noticeJob(deps: NoticeDeps): JobHandler<'notice'> {
  const log = deps.log.child({ part: 'notices' });
  return async (p) => {
    const claim = await deps.billing.notices.claim({ noticeId: p.noticeId });
    if (!claim.ok) return;
    const n = claim.value;
    const finish = (sent: boolean) => deps.billing.notices.finish({ noticeId: p.noticeId, sent });
    if (n.kind !== 'request_status') {
      log.warn({ noticeId: p.noticeId, kind: n.kind }, 'notices: unknown kind; not sent');
      await finish(false);
      return;
    }
    const { text, reply_markup } = statusNotice(deps.translator(n.language), n.payload as unknown as StatusPayload);
    try {
      await deps.api.sendMessage(n.telegramId, text, reply_markup ? { reply_markup } : {});
    } catch (err) {
      if (!(err instanceof GrammyError)) {
        log.error({ err, noticeId: p.noticeId }, 'notices: the outcome of sending is unknown; not sent again');
        return;
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
