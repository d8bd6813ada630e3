import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { NOTICE_CHANNELS, Notice, Resident, type NoticeChannel } from '../../db/entities/index.ts';
import { isQuiet, quietEnds } from './calendar.ts';
import { residentPresent } from './chats.ts';
import { fail, ok } from './result.ts';
import { id } from './schemas.ts';
import { defineSystemService } from './service.ts';

/*
 * The outbox's rules, the same for every kind of notice (request statuses, reminders, outages,
 * operators' replies, monthly receipts): claimed once before it is sent, not before its `due_at`,
 * not after its `expires_at`. Each channel is claimed on its own (`telegram`, `email`), so each
 * keeps its own pace; Telegram also keeps the quiet hours of the branch and never writes to a
 * resident who has blocked the bot.
 */

/** The timezone of a notice made without a branch's (Branch.timezone's default). */
const DEFAULT_TIMEZONE = 'Europe/Moscow';

/**
 * The kinds a resident without Telegram (signed up on the web) gets by e-mail, to their confirmed
 * address; any other kind is `unreachable` for them. `receipt_email` is an e-mail from the start.
 */
export const EMAIL_NOTICE_KINDS = ['request_status', 'outage', 'reading_window', 'verification', 'receipt_email'] as const;
const BY_EMAIL = new Set<string>(EMAIL_NOTICE_KINDS);
/** The same kinds as an SQL list (constants of the code, never input). */
const EMAIL_KINDS_SQL = EMAIL_NOTICE_KINDS.map((k) => `'${k}'`).join(', ');

/** A letter the mail server refused is tried again this many times in all, RETRY_MAIL_SECONDS apart. */
export const MAIL_ATTEMPTS = 5;
export const RETRY_MAIL_SECONDS = 10 * 60;

/** The operators' replies of one resident go in order: one waits while the one before is pending, or claimed less than this ago. */
const REPLY_ORDER_SECONDS = 60;

// One pending notice of the channel that is due, by id or the next in line; SKIP LOCKED: two
// claimers never wait for each other nor take the same row. An operator's reply is not taken
// while an earlier reply to the same resident waits or is being sent (the order of a conversation).
// The e-mail channel also takes the Telegram notices of a resident who has no Telegram and a
// confirmed address, for the kinds that go by e-mail: they reach the resident even while no bot runs.
const CLAIM_SQL = (byId: boolean) => `with picked as (
    select id from notice n0 where state = 'pending' and due_at <= ?${byId ? ' and id = ?' : ''}
      and (channel = ? or (?::text = 'email' and channel = 'telegram' and kind in (${EMAIL_KINDS_SQL}) and exists (
        select 1 from resident r0 where r0.id = n0.resident_id and r0.telegram_id is null and r0.email is not null)))
      and (kind <> 'operator_reply' or not exists (
        select 1 from notice e where e.resident_id = n0.resident_id and e.kind = 'operator_reply' and e.id < n0.id
          and (e.state = 'pending' or (e.state = 'sending' and e.claimed_at > ?::timestamptz - interval '${REPLY_ORDER_SECONDS} seconds'))))
    order by due_at, id limit 1 for update skip locked
  )
  update notice n set state = 'sending', channel = ?, attempts = n.attempts + 1, claimed_at = ? from picked, resident r
  where n.id = picked.id and r.id = n.resident_id
  returning n.id, n.kind, n.payload, n.timezone, n.expires_at, n.attempts, r.id as resident_id, r.telegram_id, r.email, r.language, r.blocked`;

interface ClaimedRow {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  timezone: string | null;
  expires_at: Date | null;
  attempts: number;
  resident_id: number;
  telegram_id: string | null;
  email: string | null;
  language: string;
  blocked: boolean;
}

/** A notice claimed: to be sent now by its channel, then settled (finish or release). */
export interface ClaimedNotice {
  noticeId: number;
  kind: string;
  payload: Record<string, unknown>;
  channel: NoticeChannel;
  residentId: number;
  /** The resident's Telegram user id (null: signed up on the web). */
  telegramId: number | null;
  /** The confirmed address (for the e-mail channel, never null). */
  address: string | null;
  language: string;
  /** This claim's number, 1 for the first. */
  attempt: number;
  blocked: boolean;
}

const settle = (em: EntityManager, noticeId: number, outcome: string) => em.nativeUpdate(Notice, { id: noticeId }, { state: 'failed', outcome });

/**
 * At most once: a notice is claimed (`pending → sending`) before it is sent; a claim whose
 * outcome is unknown stays `sending` and is not sent again. Without `noticeId`, the next due one
 * of the channel. One that may not go now is settled in the same step: past its moment → failed
 * (`expired`). By Telegram: a resident without Telegram → over to the e-mail channel if the kind
 * goes by e-mail and there is a confirmed address (`notice_rerouted`), else failed
 * (`unreachable`); blocked resident → failed (`blocked`); in the quiet hours → pending again until
 * 09:00 branch time (an operator's reply to a resident who is in the conversation now is not held).
 * By e-mail: no confirmed address → failed (`unreachable`); no quiet hours (a letter waits in the
 * mailbox, it does not ring).
 */
export const claimNotice = defineSystemService(
  z.object({ noticeId: id.optional(), channel: z.enum(NOTICE_CHANNELS).default('telegram') }),
  async (input, { em, now }) => {
    const params: unknown[] = [now, ...(input.noticeId ? [input.noticeId] : []), input.channel, input.channel, now, input.channel, now];
    const [row] = await em.execute<ClaimedRow[]>(CLAIM_SQL(input.noticeId !== undefined), params);
    if (!row) return fail({ code: 'notice_not_pending' as const });
    const noticeId = Number(row.id);
    if (row.expires_at && new Date(row.expires_at) <= now) {
      await settle(em, noticeId, 'expired');
      return fail({ code: 'notice_expired' as const, noticeId });
    }
    const claimed: ClaimedNotice = {
      noticeId,
      kind: row.kind,
      payload: row.payload,
      channel: input.channel,
      residentId: Number(row.resident_id),
      telegramId: row.telegram_id === null ? null : Number(row.telegram_id),
      address: row.email,
      language: row.language,
      attempt: Number(row.attempts),
      blocked: row.blocked,
    };
    if (input.channel === 'email') {
      if (!row.email) {
        await settle(em, noticeId, 'unreachable');
        return fail({ code: 'notice_unreachable' as const, noticeId });
      }
      return ok(claimed);
    }
    if (row.telegram_id === null) {
      if (row.email && BY_EMAIL.has(row.kind)) {
        // Not an attempt: the e-mail channel claims it afresh.
        await em.nativeUpdate(Notice, { id: noticeId }, { state: 'pending', channel: 'email', attempts: Number(row.attempts) - 1 });
        return fail({ code: 'notice_rerouted' as const, noticeId });
      }
      await settle(em, noticeId, 'unreachable');
      return fail({ code: 'notice_unreachable' as const, noticeId });
    }
    if (row.blocked) {
      await settle(em, noticeId, 'blocked');
      return fail({ code: 'notice_blocked' as const, noticeId });
    }
    const timezone = row.timezone ?? DEFAULT_TIMEZONE;
    if (isQuiet(timezone, now) && !(row.kind === 'operator_reply' && (await residentPresent(em, Number(row.telegram_id), now)))) {
      const until = quietEnds(timezone, now);
      await em.nativeUpdate(Notice, { id: noticeId }, { state: 'pending', dueAt: until, attempts: Number(row.attempts) - 1 });
      return fail({ code: 'notice_deferred' as const, until: until.toISOString(), noticeId });
    }
    return ok(claimed);
  },
);

/** How a claimed notice went: sent, or not sent (`outcome` says why). */
export const finishNotice = defineSystemService(
  z.object({
    noticeId: id,
    sent: z.boolean(),
    outcome: z.enum(['blocked', 'refused', 'unknown_kind', 'unreachable', 'unsubscribed']).optional(),
  }),
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
 * The channel could not take the notice now (Telegram's 429 or 5xx, the mail server's refusal or
 * absence): it is put back to `pending`, due again after `retryInSeconds`, so that a later try
 * sends it; only the claim's holder releases it. A letter refused MAIL_ATTEMPTS times fails (`refused`).
 */
export const releaseNotice = defineSystemService(
  z.object({ noticeId: id, retryInSeconds: z.number().int().min(0).max(86_400).default(0) }),
  async (input, { em, now }) => {
    const found = await em.findOne(Notice, { id: input.noticeId, state: 'sending' }, { fields: ['channel', 'attempts'] });
    if (!found) return fail({ code: 'notice_not_sending' as const });
    if (found.channel === 'email' && found.attempts >= MAIL_ATTEMPTS) {
      await em.nativeUpdate(Notice, { id: input.noticeId, state: 'sending' }, { state: 'failed', outcome: 'refused' });
      return ok({ gaveUp: true });
    }
    await em.nativeUpdate(
      Notice,
      { id: input.noticeId, state: 'sending' },
      { state: 'pending', ...(input.retryInSeconds ? { dueAt: new Date(now.getTime() + input.retryInSeconds * 1000) } : {}) },
    );
    return ok({ gaveUp: false });
  },
);

/** Notices due for more than `olderThanSeconds` and still pending (their job was lost): to be queued again. */
export const pendingNotices = defineSystemService(
  z.object({ olderThanSeconds: z.number().int().min(0).default(60), limit: z.number().int().min(1).max(1000).default(200) }),
  async (input, { em, now }) => {
    const rows = await em.find(
      Notice,
      { state: 'pending', channel: 'telegram', dueAt: { $lt: new Date(now.getTime() - input.olderThanSeconds * 1000) } },
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
