import { z } from 'zod';
import { Notice, Resident } from '../../db/entities/index.ts';
import { isQuiet, quietEnds } from './calendar.ts';
import { fail, ok } from './result.ts';
import { id } from './schemas.ts';
import { defineSystemService } from './service.ts';

/*
 * The outbox's rules, the same for every kind of notice (request statuses, reminders, outages):
 * claimed once before it is sent, not before its `due_at`, not in the quiet hours of its branch,
 * not after its `expires_at`, never to a resident who has blocked the bot.
 */

/** The timezone of a notice made without a branch's (Branch.timezone's default). */
const DEFAULT_TIMEZONE = 'Europe/Moscow';

// One pending notice that is due, by id or the next in line; SKIP LOCKED: two claimers never wait
// for each other nor take the same row.
const CLAIM_SQL = (byId: boolean) => `with picked as (
    select id from notice where state = 'pending' and due_at <= ?${byId ? ' and id = ?' : ''}
    order by due_at, id limit 1 for update skip locked
  )
  update notice n set state = 'sending' from picked, resident r
  where n.id = picked.id and r.id = n.resident_id
  returning n.id, n.kind, n.payload, n.timezone, n.expires_at, r.telegram_id, r.language, r.blocked`;

interface ClaimedRow {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  timezone: string | null;
  expires_at: Date | null;
  telegram_id: string;
  language: string;
  blocked: boolean;
}

/**
 * At most once: a notice is claimed (`pending → sending`) before it is sent; a claim whose
 * outcome is unknown stays `sending` and is not sent again. Without `noticeId`, the next due one.
 * One that may not go now is settled in the same step: blocked resident → failed (`blocked`), past
 * its moment → failed (`expired`), in the quiet hours → pending again until 09:00 branch time.
 */
export const claimNotice = defineSystemService(z.object({ noticeId: id.optional() }), async (input, { em, now }) => {
  const params: unknown[] = input.noticeId ? [now, input.noticeId] : [now];
  const [row] = await em.execute<ClaimedRow[]>(CLAIM_SQL(input.noticeId !== undefined), params);
  if (!row) return fail({ code: 'notice_not_pending' as const });
  const noticeId = Number(row.id);
  if (row.blocked) {
    await em.nativeUpdate(Notice, { id: noticeId }, { state: 'failed', outcome: 'blocked' });
    return fail({ code: 'notice_blocked' as const, noticeId });
  }
  if (row.expires_at && new Date(row.expires_at) <= now) {
    await em.nativeUpdate(Notice, { id: noticeId }, { state: 'failed', outcome: 'expired' });
    return fail({ code: 'notice_expired' as const, noticeId });
  }
  const timezone = row.timezone ?? DEFAULT_TIMEZONE;
  if (isQuiet(timezone, now)) {
    const until = quietEnds(timezone, now);
    await em.nativeUpdate(Notice, { id: noticeId }, { state: 'pending', dueAt: until });
    return fail({ code: 'notice_deferred' as const, until: until.toISOString(), noticeId });
  }
  return ok({ noticeId, kind: row.kind, payload: row.payload, telegramId: Number(row.telegram_id), language: row.language, blocked: false });
});

/** How a claimed notice went: sent, or refused by Telegram (`outcome` says why). */
export const finishNotice = defineSystemService(
  z.object({ noticeId: id, sent: z.boolean(), outcome: z.enum(['blocked', 'refused', 'unknown_kind']).optional() }),
  async (input, { em, now }) => {
    await em.nativeUpdate(
      Notice,
      { id: input.noticeId, state: 'sending' },
      { state: input.sent ? 'sent' : 'failed', sentAt: input.sent ? now : null, outcome: input.sent ? null : (input.outcome ?? 'refused') },
    );
    return ok(null);
  },
);

/**
 * Telegram could not take the notice now (429 Too Many Requests, a 5xx): it is put back to
 * `pending`, so that a later try sends it; only the claim's holder releases it.
 */
export const releaseNotice = defineSystemService(z.object({ noticeId: id }), async (input, { em }) => {
  const n = await em.nativeUpdate(Notice, { id: input.noticeId, state: 'sending' }, { state: 'pending' });
  return n ? ok(null) : fail({ code: 'notice_not_sending' as const });
});

/** Notices due for more than `olderThanSeconds` and still pending (their job was lost): to be queued again. */
export const pendingNotices = defineSystemService(
  z.object({ olderThanSeconds: z.number().int().min(0).default(60), limit: z.number().int().min(1).max(1000).default(200) }),
  async (input, { em, now }) => {
    const rows = await em.find(
      Notice,
      { state: 'pending', dueAt: { $lt: new Date(now.getTime() - input.olderThanSeconds * 1000) } },
      { fields: ['id'], orderBy: { dueAt: 'asc', id: 'asc' }, limit: input.limit },
    );
    return ok(rows.map((n) => n.id));
  },
);

/** Telegram said the resident blocked the bot (403): nothing more is sent to them until they write again. */
export const markResidentBlocked = defineSystemService(z.object({ telegramId: z.number().int().positive() }), async (input, { em }) => {
  const n = await em.nativeUpdate(Resident, { telegramId: input.telegramId }, { blocked: true });
  return n ? ok(null) : fail({ code: 'resident_not_found' as const });
});

/**
 * The resident wrote to the bot again (or unblocked it): reachable. The bot calls it only when
 * Telegram tells it so (my_chat_member) or when it knows the resident is marked, so that an
 * ordinary update writes nothing.
 */
export const clearResidentBlocked = defineSystemService(z.object({ telegramId: z.number().int().positive() }), async (input, { em }) => {
  const n = await em.nativeUpdate(Resident, { telegramId: input.telegramId, blocked: true }, { blocked: false });
  return ok({ cleared: n > 0 });
});
