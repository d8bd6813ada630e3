import { InlineKeyboard } from 'grammy';
import { REQUEST_KINDS, REQUEST_STATUSES } from '../billing/index.ts';
import { buttons } from '../bot/callback-data.ts';
import type { Translate } from '../i18n.ts';

export interface StatusPayload {
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
