import { z } from 'zod';
import { Branch, OperatorTopic, RequestAttachment, ServiceRequest } from '../../../db/entities/index.ts';
import { fail, ok } from '../result.ts';
import { id } from '../schemas.ts';
import { defineSystemService } from '../service.ts';
import { recordMove } from './common.ts';
import { CLOSE_AFTER_DONE_DAYS, REFUSE_UNANSWERED_DAYS } from './lifecycle.ts';
import { viewOf } from './view.ts';

/** A request for the job that posts or edits its card in the operators' group. */
export const requestForCard = defineSystemService(z.object({ requestId: id }), async (input, { em }) => {
  const r = await em.findOne(ServiceRequest, { id: input.requestId }, { populate: ['branch'], strategy: 'joined' });
  if (!r) return fail({ code: 'request_not_found' as const });
  const branch = r.branch.$;
  return ok({
    ...(await viewOf(em, r, { kind: 'operator' })),
    operatorsChatId: branch.operatorsChatId ?? null,
    branchName: branch.name,
    timezone: branch.timezone,
  });
});

/** The operators' groups the branches name (the one for all, OPERATORS_CHAT_ID, is the caller's): checked at start. */
export const listDesks = defineSystemService(z.object({}), async (_input, { em }) => {
  const rows = await em.find(Branch, { operatorsChatId: { $ne: null } }, { fields: ['code', 'operatorsChatId'], orderBy: { code: 'asc' } });
  const desks = new Map<number, string[]>();
  for (const b of rows) desks.set(b.operatorsChatId!, [...(desks.get(b.operatorsChatId!) ?? []), b.code]);
  return ok([...desks].map(([chatId, branchCodes]) => ({ chatId, branchCodes })));
});

const WITHOUT_CARD_SQL = `select r.id from service_request r join branch b on b.id = r.branch_id
  where r.card_chat_id is null and r.created_at < ? and (b.operators_chat_id is not null or ?::bigint is not null)
  order by r.created_at, r.id limit ?`;

/**
 * Requests whose card was never posted (its job lost, or out of retries) after `olderThanSeconds`,
 * where there is a group to post it to: the branch's own, or the one for all (`defaultChatId`,
 * OPERATORS_CHAT_ID, null if none). The sweep queues their card again.
 */
export const requestsWithoutCard = defineSystemService(
  z.object({
    olderThanSeconds: z.number().int().min(0).default(300),
    defaultChatId: z.number().int().nullable(),
    limit: z.number().int().min(1).max(1000).default(200),
  }),
  async (input, { em, now }) => {
    const rows = await em.execute<{ id: number }[]>(WITHOUT_CARD_SQL, [
      new Date(now.getTime() - input.olderThanSeconds * 1000),
      input.defaultChatId,
      input.limit,
    ]);
    return ok(rows.map((r) => Number(r.id)));
  },
);

export const setRequestCard = defineSystemService(z.object({ requestId: id, chatId: z.number().int(), messageId: id }), async (input, { em }) => {
  const n = await em.nativeUpdate(ServiceRequest, { id: input.requestId }, { cardChatId: input.chatId, cardMessageId: input.messageId });
  return n ? ok(null) : fail({ code: 'request_not_found' as const });
});

const topicKey = z.object({ chatId: z.number().int(), purpose: z.string().min(1).max(64) });

const CLAIM_TOPIC_SQL = `insert into operator_topic (chat_id, purpose, thread_id, created_at) values (?, ?, null, ?)
  on conflict (chat_id, purpose) do nothing returning id`;
const TAKE_OVER_SQL = `update operator_topic set created_at = ? where chat_id = ? and purpose = ? and thread_id is null and created_at < ? returning id`;

/**
 * A forum topic is made once per group and purpose, also with several instances: the first to
 * insert the row makes it (`claimed`), the others see `exists` or wait (`pending`). A claim left
 * by an instance that died is taken over after `staleSeconds`.
 */
export const claimTopic = defineSystemService(topicKey.extend({ staleSeconds: z.number().int().min(1).default(60) }), async (input, { em, now }) => {
  const existing = await em.findOne(OperatorTopic, { chatId: input.chatId, purpose: input.purpose });
  if (existing?.threadId != null) return ok({ state: 'exists' as const, threadId: existing.threadId });
  if (!existing) {
    const [row] = await em.execute<{ id: number }[]>(CLAIM_TOPIC_SQL, [input.chatId, input.purpose, now]);
    return ok(row ? { state: 'claimed' as const } : { state: 'pending' as const });
  }
  const [taken] = await em.execute<{ id: number }[]>(TAKE_OVER_SQL, [now, input.chatId, input.purpose, new Date(now.getTime() - input.staleSeconds * 1000)]);
  return ok(taken ? { state: 'claimed' as const } : { state: 'pending' as const });
});

export const setTopic = defineSystemService(topicKey.extend({ threadId: id.nullable() }), async (input, { em }) => {
  if (input.threadId === null) {
    await em.nativeDelete(OperatorTopic, { chatId: input.chatId, purpose: input.purpose, threadId: null });
    return ok(null);
  }
  await em.nativeUpdate(OperatorTopic, { chatId: input.chatId, purpose: input.purpose }, { threadId: input.threadId });
  return ok(null);
});

/**
 * The clock's moves: done for 7 days without objection → closed; needs_info for 3 days without
 * the resident's answer → refused. Each recorded and told like any other.
 */
export const sweepRequests = defineSystemService(z.object({}), async (_input, { em, now }) => {
  const day = 86_400_000;
  const due = await em.find(
    ServiceRequest,
    {
      $or: [
        { status: 'done', statusChangedAt: { $lt: new Date(now.getTime() - CLOSE_AFTER_DONE_DAYS * day) } },
        { status: 'needs_info', statusChangedAt: { $lt: new Date(now.getTime() - REFUSE_UNANSWERED_DAYS * day) } },
      ],
    },
    { limit: 500, orderBy: { id: 'asc' } },
  );
  const moved: { requestId: number; status: string; notices: number[] }[] = [];
  for (const r of due) {
    const from = r.status;
    const to = from === 'done' ? 'closed' : 'refused';
    // Only if it still has the status it had when found, since as long: a status set again meanwhile
    // (the resident answered and the operator asked again) starts its days anew.
    const n = await em.nativeUpdate(ServiceRequest, { id: r.id, status: from, statusChangedAt: r.statusChangedAt }, { status: to, statusChangedAt: now });
    if (!n) continue;
    await em.refresh(r);
    // No words of a person: the front doors say what the clock did (by 'system').
    const result = await recordMove(em, r, from, 'system', null, now, null);
    moved.push({ requestId: r.id, status: to, notices: result.notices });
  }
  return ok(moved);
});

/** Attachments not yet copied to the file store (those it refused are not fetched again). */
export const pendingAttachments = defineSystemService(z.object({ requestId: id }), async (input, { em }) => {
  const rows = await em.find(
    RequestAttachment,
    { request: input.requestId, storedPath: null, refused: null, telegramFileId: { $ne: null } },
    { orderBy: { id: 'asc' } },
  );
  return ok(rows.map((a) => ({ attachmentId: a.id, telegramFileId: a.telegramFileId!, role: a.role })));
});

export const attachmentStored = defineSystemService(
  z.object({ attachmentId: id, path: z.string().min(1).max(300), mime: z.string().max(64), size: z.number().int().min(0) }),
  async (input, { em }) => {
    await em.nativeUpdate(RequestAttachment, { id: input.attachmentId }, { storedPath: input.path, mime: input.mime, size: input.size });
    return ok(null);
  },
);

/** The file store refused an attachment (too big for Telegram to give, another type): kept by its file id only, not fetched again. */
export const attachmentRefused = defineSystemService(z.object({ attachmentId: id, reason: z.enum(['too_big', 'wrong_type']) }), async (input, { em }) => {
  await em.nativeUpdate(RequestAttachment, { id: input.attachmentId, storedPath: null }, { refused: input.reason });
  return ok(null);
});

/** These attachments were shown in the operators' group. */
export const attachmentsPosted = defineSystemService(z.object({ attachmentIds: z.array(id).min(1).max(100) }), async (input, { em, now }) => {
  await em.nativeUpdate(RequestAttachment, { id: { $in: input.attachmentIds }, postedAt: null }, { postedAt: now });
  return ok(null);
});

/** Telegram says a topic is gone (deleted in the group): its row is dropped, so the next card makes a new one. Only that topic: one made meanwhile stays. */
export const forgetTopic = defineSystemService(topicKey.extend({ threadId: id }), async (input, { em }) => {
  await em.nativeDelete(OperatorTopic, { chatId: input.chatId, purpose: input.purpose, threadId: input.threadId });
  return ok(null);
});

/**
 * Every attachment of a request as the card job sees it: how Telegram holds it, whose it is (the
 * request's own or an answer's), whether the store kept or refused it, whether it was shown.
 */
export const cardAttachments = defineSystemService(z.object({ requestId: id }), async (input, { em }) => {
  const rows = await em.find(RequestAttachment, { request: input.requestId }, { orderBy: { id: 'asc' } });
  return ok(
    rows.map((a) => ({
      attachmentId: a.id,
      telegramFileId: a.telegramFileId ?? null,
      /** Where the store keeps it: what the card sends when there is no Telegram file id (an upload on the web pages). */
      storedPath: a.storedPath ?? null,
      media: a.media,
      role: a.role,
      stored: a.storedPath != null,
      refused: a.refused ?? null,
      posted: a.postedAt != null,
    })),
  );
});

const WITH_PENDING_FILES_SQL = `select distinct a.request_id id from request_attachment a
  where a.stored_path is null and a.refused is null and a.created_at < ? order by a.request_id limit ?`;

/** Requests with attachments neither copied nor refused after `olderThanSeconds` (their files job lost, or out of retries): the sweep queues it again. */
export const requestsWithPendingFiles = defineSystemService(
  z.object({ olderThanSeconds: z.number().int().min(0).default(600), limit: z.number().int().min(1).max(1000).default(200) }),
  async (input, { em, now }) => {
    const rows = await em.execute<{ id: number }[]>(WITH_PENDING_FILES_SQL, [new Date(now.getTime() - input.olderThanSeconds * 1000), input.limit]);
    return ok(rows.map((r) => Number(r.id)));
  },
);

/** The thread of a group's topic, as it is now (null: none made); never claims one. */
export const topicThread = defineSystemService(topicKey, async (input, { em }) => {
  const row = await em.findOne(OperatorTopic, { chatId: input.chatId, purpose: input.purpose });
  return ok(row?.threadId ?? null);
});
