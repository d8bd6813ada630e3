import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { AccountLink, Branch, OperatorChat, OperatorChatMessage, OperatorTopic, Resident, ServiceRequest } from '../../db/entities/index.ts';
import { getAccountSummary, type AccountSummary } from './accounts.ts';
import { getBalance, type Balance } from './balance.ts';
import { telegramIdOf, type OperatorActor } from './actor.ts';
import { isOpen } from './requests/lifecycle.ts';
import { fail, ok } from './result.ts';
import { id } from './schemas.ts';
import { defineOperatorService, defineResidentService, defineSystemService, type BillingDeps } from './service.ts';

/**
 * The «💬 Оператор» chat: a resident's conversation with the operators of their branch, through a
 * forum topic of the operators' group. What goes either way is a row of OperatorChatMessage in
 * arrival order, drained per target chat by the `chat.relay` job; a row sent is the pair of message
 * ids that keeps replies and edits in their thread.
 */

/** The purpose of a conversation's topic in OperatorTopic: made once per group, like the requests'. */
export const chatTopicPurpose = (telegramId: number) => `resident:${telegramId}`;
const TOPIC_PREFIX = 'resident:';

const groupChatId = z.number().int().negative();
const messageId = z.number().int().positive();
const mediaGroupId = z.string().min(1).max(64).nullable().default(null);
const entities = z.array(z.record(z.string(), z.unknown())).max(200).nullable().default(null);

/** A first name as the card shows it: the first two letters, «Ал***»; nothing else of it is kept. */
export function maskName(name: string | null | undefined): string {
  const n = name?.trim();
  if (!n) return '';
  return `${[...n].slice(0, 2).join('')}***`;
}

/** The branch's operators at work now (its working days and hours, branch time, not on a day off)? */
export function inWorkingHours(b: Pick<Branch, 'timezone' | 'workDays' | 'workHourFrom' | 'workHourTo' | 'daysOff'>, now: Date): boolean {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: b.timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const weekday = String(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday ?? '') + 1);
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const hour = Number(parts.hour);
  if ((b.daysOff ?? '').split(',').includes(date)) return false;
  return b.workDays.includes(weekday) && hour >= b.workHourFrom && hour < b.workHourTo;
}

/**
 * Present or away: the resident is present while their conversation is open and they opened it,
 * wrote, edited, closed or rated in it less than this many minutes ago. An operator's reply to a
 * resident who is present goes straight through the relay (in order, in its thread); to one away it
 * is a notice of the outbox (kind `operator_reply`: the quiet hours, the global rate, 403 and at most once).
 */
export const AWAY_AFTER_MINUTES = 60;

/** Whether the resident of Telegram user `telegramId` is in their conversation now (AWAY_AFTER_MINUTES). */
export async function residentPresent(em: EntityManager, telegramId: number, now: Date): Promise<boolean> {
  const c = await em.findOne(OperatorChat, { telegramId }, { fields: ['state', 'residentSeenAt'] });
  return isPresent(c, now);
}

const isPresent = (c: Pick<OperatorChat, 'state' | 'residentSeenAt'> | null, now: Date) =>
  c?.state === 'open' && c.residentSeenAt != null && now.getTime() - c.residentSeenAt.getTime() < AWAY_AFTER_MINUTES * 60_000;

/** The resident did something in the conversation: present from now. */
const seen = (em: EntityManager, telegramId: number, now: Date) => em.nativeUpdate(OperatorChat, { telegramId }, { residentSeenAt: now });

export interface ChatHours {
  branchName: string;
  workDays: string;
  hourFrom: number;
  hourTo: number;
  phones: string | null;
  inHours: boolean;
}

/** The resident's branch: their active account's, else the first that the group for all serves. */
async function branchOf(em: EntityManager, telegramId: number): Promise<{ branch: Branch | null; linked: boolean; consent: boolean }> {
  const resident = await em.findOne(Resident, { telegramId }, { populate: ['activeAccount.branch'] });
  const link = resident ? await em.findOne(AccountLink, { resident }, { populate: ['account.branch'], orderBy: { linkedAt: 'asc', id: 'asc' } }) : null;
  const account = resident?.activeAccount?.$ ?? link?.account.$ ?? null;
  if (account) return { branch: account.branch.$, linked: true, consent: true };
  const fallback = await em.findOne(Branch, { operatorsChatId: null }, { orderBy: { code: 'asc' } });
  return { branch: fallback, linked: false, consent: resident !== null };
}

const hoursOf = (b: Branch, now: Date): ChatHours => ({
  branchName: b.name,
  workDays: b.workDays,
  hourFrom: b.workHourFrom,
  hourTo: b.workHourTo,
  phones: b.phones ?? null,
  inHours: inWorkingHours(b, now),
});

/**
 * «💬 Оператор»: the conversation is opened (or opened again) with the operators' group of the
 * resident's branch, and the resident told its hours. Works without consent or a linked account:
 * then the group for all (`defaultChatId`) answers and the card says so.
 */
export const openChat = defineResidentService(
  'write',
  { firstName: z.string().max(128).nullable().default(null), language: z.string().max(8).default('ru'), defaultChatId: groupChatId.nullable() },
  async (input, { em, actor, now }) => {
    const telegramId = telegramIdOf(actor);
    if (telegramId === null) return fail({ code: 'chat_not_found' as const });
    const { branch, linked } = await branchOf(em, telegramId);
    const chatId = branch?.operatorsChatId ?? input.defaultChatId;
    const hours = branch ? hoursOf(branch, now) : null;
    const existing = await em.findOne(OperatorChat, { telegramId });
    if (existing?.banned) return fail({ code: 'chat_banned' as const, phones: hours?.phones ?? null });
    if (chatId === null) return fail({ code: 'no_operators' as const, phones: hours?.phones ?? null });
    const fields = {
      chatId,
      branchCode: linked ? (branch?.code ?? null) : null,
      maskedName: maskName(input.firstName),
      language: input.language,
      state: 'open' as const,
      openedAt: now,
      closedAt: null,
      rating: null,
      residentSeenAt: now,
    };
    const wasOpen = existing?.state === 'open';
    if (existing) {
      // Opened again: the operators see it in the topic they already have (a note without a topic goes nowhere).
      if (!wasOpen && existing.chatId === chatId) queueNote(em, existing, chatId, 'chat-note-resident-reopened', {}, now);
      em.assign(existing, fields);
    } else em.create(OperatorChat, { telegramId, ...fields, banned: false, createdAt: now });
    await em.flush();
    return ok({ hours, alreadyOpen: wasOpen, chatId });
  },
);

/** Whether the resident is talking to the operators now (asked for every message outside a dialogue). */
export const chatState = defineResidentService('read', {}, async (_input, { em, actor }) => {
  const telegramId = telegramIdOf(actor);
  const c = telegramId === null ? null : await em.findOne(OperatorChat, { telegramId }, { fields: ['state', 'banned'] });
  return ok(c ? { open: c.state === 'open', banned: c.banned } : { open: false, banned: false });
});

/** The operators' replies to this resident waiting in the outbox (held by the quiet hours) made due now; how many. */
async function replyNoticesDueNow(em: EntityManager, telegramId: number, now: Date): Promise<number> {
  const result = await em.execute(
    `update notice set due_at = ? where kind = 'operator_reply' and state = 'pending' and due_at > ?
       and resident_id = (select id from resident where telegram_id = ?)`,
    [now, now, telegramId],
    'run',
  );
  return Number((result as { affectedRows?: number }).affectedRows ?? 0);
}

const QUEUE_AHEAD_SQL = `select count(*)::int as n from operator_chat_message where to_chat_id = ? and state = 'pending' and id < ?`;

/** A message of the resident into the group is queued there when more than this many wait before it: the resident is told (at most every 5 minutes). */
export const LONG_QUEUE = 20;

/**
 * What the resident sent goes to the operators: a row in arrival order, once per message whichever
 * instance took the update. `ahead`: how many wait before it in the group; `tellQueue`: the
 * resident should hear the answer may take a while.
 */
export const relayFromResident = defineResidentService(
  'write',
  { messageId, mediaGroupId, replyToMessageId: messageId.nullable().default(null) },
  async (input, { em, actor, now }) => {
    const telegramId = telegramIdOf(actor);
    if (telegramId === null) return fail({ code: 'chat_not_found' as const });
    const c = await em.findOne(OperatorChat, { telegramId });
    if (c?.state !== 'open') return fail({ code: 'chat_not_open' as const });
    if (c.banned) return fail({ code: 'chat_banned' as const });
    // Back in the conversation: the operators' replies still waiting in the outbox are due now (not held by the quiet hours: the claim sees the resident present).
    const wasAway = !isPresent(c, now);
    await seen(em, telegramId, now);
    const repliesWaiting = wasAway ? await replyNoticesDueNow(em, telegramId, now) : 0;
    const [row] = await em.execute<{ id: string }[]>(
      `insert into operator_chat_message (conversation_id, kind, to_chat_id, from_chat_id, from_message_id, media_group_id, payload, created_at)
       values (?, 'copy', ?, ?, ?, ?, ?, ?) on conflict do nothing returning id`,
      [c.id, c.chatId, telegramId, input.messageId, input.mediaGroupId, JSON.stringify({ replyTo: input.replyToMessageId }), now],
    );
    if (!row) return ok({ chatId: c.chatId, duplicate: true, ahead: 0, tellQueue: false, repliesWaiting });
    const [{ n: ahead } = { n: 0 }] = await em.execute<{ n: number }[]>(QUEUE_AHEAD_SQL, [c.chatId, row.id]);
    const tellQueue = ahead >= LONG_QUEUE && (!c.queueToldAt || now.getTime() - c.queueToldAt.getTime() > 5 * 60_000);
    if (tellQueue) await em.nativeUpdate(OperatorChat, { id: c.id }, { queueToldAt: now });
    return ok({ chatId: c.chatId, duplicate: false, ahead, tellQueue, repliesWaiting });
  },
);

const editShape = {
  messageId,
  text: z.string().max(4096).nullable().default(null),
  caption: z.string().max(1024).nullable().default(null),
  entities,
};

async function queueEdit(em: EntityManager, from: { chatId: number; messageId: number }, edit: z.output<z.ZodObject<typeof editShape>>, now: Date) {
  const original = await em.findOne(
    OperatorChatMessage,
    { kind: 'copy', fromChatId: from.chatId, fromMessageId: from.messageId },
    { populate: ['conversation'] },
  );
  if (!original) return null;
  em.create(OperatorChatMessage, {
    conversation: original.conversation,
    kind: 'edit',
    toChatId: original.toChatId,
    fromChatId: from.chatId,
    fromMessageId: from.messageId,
    mediaGroupId: null,
    payload: { text: edit.text, caption: edit.caption, entities: edit.entities },
    state: 'pending',
    createdAt: now,
  });
  await em.flush();
  return original.toChatId;
}

/** The resident edited a message already relayed (or queued): the copy is edited after it is sent, in order. */
export const editFromResident = defineResidentService('write', editShape, async (input, { em, actor, now }) => {
  const telegramId = telegramIdOf(actor);
  if (telegramId !== null) await seen(em, telegramId, now);
  const target = telegramId === null ? null : await queueEdit(em, { chatId: telegramId, messageId: input.messageId }, input, now);
  return target === null ? fail({ code: 'message_not_relayed' as const }) : ok({ chatId: target });
});

/** A note of the bot's own into the topic or the resident's chat, in order with the messages: a Fluent key and its values. */
function queueNote(em: EntityManager, c: OperatorChat, to: number, key: string, vars: Record<string, unknown>, now: Date) {
  em.create(OperatorChatMessage, {
    conversation: c,
    kind: 'note',
    toChatId: to,
    fromChatId: null,
    fromMessageId: null,
    mediaGroupId: null,
    payload: { key, vars },
    state: 'pending',
    createdAt: now,
  });
}

/** «Завершить разговор»: closed, the operators told, the resident asked to rate it. The chats to drain. */
export const closeChatByResident = defineResidentService('write', {}, async (_input, { em, actor, now }) => {
  const telegramId = telegramIdOf(actor);
  if (telegramId === null) return fail({ code: 'chat_not_found' as const });
  const c = await em.findOne(OperatorChat, { telegramId });
  if (c?.state !== 'open') return fail({ code: 'chat_not_open' as const });
  c.state = 'closed';
  c.closedAt = now;
  c.residentSeenAt = now;
  queueNote(em, c, c.chatId, 'chat-note-resident-closed', {}, now);
  queueNote(em, c, telegramId, 'chat-rate-ask', { rate: true }, now);
  await em.flush();
  return ok({ chats: [c.chatId, telegramId] });
});

/** The resident's 👍 or 👎 for the conversation last closed; the topic is told. */
export const rateChat = defineResidentService('write', { mark: z.enum(['good', 'bad']) }, async (input, { em, actor, now }) => {
  const telegramId = telegramIdOf(actor);
  const c = telegramId === null ? null : await em.findOne(OperatorChat, { telegramId });
  if (c?.state !== 'closed' || c.closedAt === null) return fail({ code: 'nothing_to_rate' as const });
  if (c.rating !== null) return fail({ code: 'already_rated' as const });
  c.rating = input.mark === 'good' ? 1 : -1;
  c.residentSeenAt = now;
  queueNote(em, c, c.chatId, input.mark === 'good' ? 'chat-note-rated-good' : 'chat-note-rated-bad', {}, now);
  await em.flush();
  return ok({ chatId: c.chatId });
});

/** Telegram said the resident blocked the bot (my_chat_member): marked, and the topic says so. */
export const chatResidentBlocked = defineSystemService(z.object({ telegramId: z.number().int().positive() }), async (input, { em, now }) => {
  await em.nativeUpdate(Resident, { telegramId: input.telegramId }, { blocked: true });
  const c = await em.findOne(OperatorChat, { telegramId: input.telegramId });
  if (!c) return ok({ chatId: null });
  queueNote(em, c, c.chatId, 'chat-note-blocked', {}, now);
  await em.flush();
  return ok({ chatId: c.chatId });
});

/** The conversation of a topic, within the operator's branches and in the group they act in. */
async function ofTopic(em: EntityManager, actor: OperatorActor, chatId: number, threadId: number) {
  const topic = await em.findOne(OperatorTopic, { chatId, threadId, purpose: { $like: `${TOPIC_PREFIX}%` } });
  if (!topic) return fail({ code: 'not_a_chat_topic' as const });
  const c = await em.findOne(OperatorChat, { telegramId: Number(topic.purpose.slice(TOPIC_PREFIX.length)) });
  if (!c || c.chatId !== chatId) return fail({ code: 'not_a_chat_topic' as const });
  if (c.branchCode != null && !actor.branchCodes.includes(c.branchCode)) return fail({ code: 'not_permitted' as const });
  return ok(c);
}
const topicShape = { chatId: groupChatId, threadId: messageId };

/** Which conversation a topic is (null-free: not_a_chat_topic for a request kind's topic or the general chat). */
export const chatOfTopic = defineOperatorService('read', topicShape, async (input, { em, actor }) => {
  const found = await ofTopic(em, actor, input.chatId, input.threadId);
  if (!found.ok) return found;
  const c = found.value;
  return ok({ conversationId: c.id, telegramId: c.telegramId, state: c.state, banned: c.banned, language: c.language });
});

/**
 * What an operator wrote in the topic goes to the resident, in order (albums whole). Not while the
 * conversation is closed: the operator reopens it first. `signature`: the operator's first name,
 * when the utility signs the replies.
 */
export const replyToResident = defineOperatorService(
  'write',
  {
    ...topicShape,
    messageId,
    mediaGroupId,
    replyToMessageId: messageId.nullable().default(null),
    /** With a signature the text or caption is sent anew with the name under it (a copy cannot change a text). */
    signature: z.string().max(64).nullable().default(null),
    text: z.string().max(4096).nullable().default(null),
    caption: z.string().max(1024).nullable().default(null),
    entities,
  },
  async (input, { em, actor, now }) => {
    const found = await ofTopic(em, actor, input.chatId, input.threadId);
    if (!found.ok) return found;
    const c = found.value;
    if (c.state !== 'open') return fail({ code: 'chat_not_open' as const });
    const signed = input.signature ? { signature: input.signature, text: input.text, caption: input.caption, entities: input.entities } : {};
    const resident = await em.findOne(Resident, { telegramId: c.telegramId }, { fields: ['id'] });
    // Away (or an earlier reply still in the outbox, so that they keep their order): a notice of the
    // outbox. A writer without consent has no resident row to hold one: the relay, as when present.
    if (resident && (!isPresent(c, now) || (await repliesInOutbox(em, resident.id, now)))) {
      const pair =
        input.replyToMessageId === null
          ? []
          : await em.execute<{ id: number | null }[]>(COUNTERPART_SQL, counterpartParams(input.chatId, input.replyToMessageId));
      const branch = c.branchCode ? await em.findOne(Branch, { code: c.branchCode }, { fields: ['timezone'] }) : null;
      const [made] = await em.execute<{ id: number }[]>(
        `insert into notice (resident_id, kind, subject, payload, state, created_at, due_at, timezone, channel)
         values (?, 'operator_reply', ?, ?, 'pending', ?, ?, ?, 'telegram') on conflict do nothing returning id`,
        [
          resident.id,
          `reply:${input.chatId}:${input.messageId}`,
          JSON.stringify({
            conversationId: c.id,
            fromChatId: input.chatId,
            messageId: input.messageId,
            replyTo: pair[0]?.id ?? null,
            ...signed,
          }),
          now,
          now,
          branch?.timezone ?? null,
        ],
      );
      return ok({ telegramId: c.telegramId, via: 'outbox' as const, noticeId: made ? Number(made.id) : null });
    }
    await em.execute(
      `insert into operator_chat_message (conversation_id, kind, to_chat_id, from_chat_id, from_message_id, media_group_id, payload, created_at)
       values (?, 'copy', ?, ?, ?, ?, ?, ?) on conflict do nothing`,
      [c.id, c.telegramId, input.chatId, input.messageId, input.mediaGroupId, JSON.stringify({ replyTo: input.replyToMessageId, ...signed }), now],
    );
    return ok({ telegramId: c.telegramId, via: 'relay' as const, noticeId: null });
  },
);

/** Whether an operator's reply to this resident is still waiting in the outbox (pending, or being sent). */
async function repliesInOutbox(em: EntityManager, residentId: number, now: Date): Promise<boolean> {
  const [row] = await em.execute<{ n: number }[]>(
    `select count(*)::int as n from notice where resident_id = ? and kind = 'operator_reply'
       and (state = 'pending' or (state = 'sending' and claimed_at > ?::timestamptz - interval '1 minute'))`,
    [residentId, now],
  );
  return (row?.n ?? 0) > 0;
}

/**
 * An operator's reply sent through the outbox reached the resident: its pair of message ids is
 * kept, as the relay keeps it, so that the resident's reply and an edit keep their thread.
 */
export const recordReplySent = defineSystemService(
  z.object({ conversationId: id, fromChatId: groupChatId, fromMessageId: messageId, toChatId: z.number().int().positive(), toMessageId: messageId }),
  async (input, { em, now }) => {
    await em.execute(
      `insert into operator_chat_message (conversation_id, kind, to_chat_id, from_chat_id, from_message_id, media_group_id, payload, state, to_message_id, created_at, sent_at)
       values (?, 'copy', ?, ?, ?, null, ?, 'sent', ?, ?, ?) on conflict do nothing`,
      [input.conversationId, input.toChatId, input.fromChatId, input.fromMessageId, JSON.stringify({ outbox: true }), input.toMessageId, now, now],
    );
    return ok(null);
  },
);

/** An operator edited a message already relayed: the resident's copy is edited too. */
export const editToResident = defineOperatorService('write', { ...editShape, chatId: groupChatId }, async (input, { em, actor, now }) => {
  const original = await em.findOne(
    OperatorChatMessage,
    { kind: 'copy', fromChatId: input.chatId, fromMessageId: input.messageId },
    { populate: ['conversation'] },
  );
  if (!original) return fail({ code: 'message_not_relayed' as const });
  const c = original.conversation.$;
  if (c.branchCode != null && !actor.branchCodes.includes(c.branchCode)) return fail({ code: 'not_permitted' as const });
  const target = await queueEdit(em, { chatId: input.chatId, messageId: input.messageId }, input, now);
  return target === null ? fail({ code: 'message_not_relayed' as const }) : ok({ chatId: target });
});

export const CHAT_COMMANDS = ['close', 'reopen', 'ban', 'unban'] as const;
export type ChatCommand = (typeof CHAT_COMMANDS)[number];

/**
 * The topic's commands: close (the resident is asked to rate), reopen, ban and unban (a banned
 * resident gets a polite fixed answer; nothing of theirs reaches the group). Each is noted in the
 * topic; the resident hears of close and reopen. `changed`: false if it was so already.
 */
export const chatCommand = defineOperatorService('write', { ...topicShape, command: z.enum(CHAT_COMMANDS) }, async (input, { em, actor, now }) => {
  const found = await ofTopic(em, actor, input.chatId, input.threadId);
  if (!found.ok) return found;
  const c = found.value;
  const by = { operator: actor.operatorId };
  let changed = true;
  switch (input.command) {
    case 'close':
      if (c.state === 'closed') changed = false;
      else {
        c.state = 'closed';
        c.closedAt = now;
        c.rating = null;
        queueNote(em, c, c.chatId, 'chat-note-closed', by, now);
        queueNote(em, c, c.telegramId, 'chat-closed-by-operator', { rate: true }, now);
      }
      break;
    case 'reopen':
      if (c.state === 'open') changed = false;
      else {
        c.state = 'open';
        c.openedAt = now;
        c.closedAt = null;
        queueNote(em, c, c.chatId, 'chat-note-reopened', by, now);
        queueNote(em, c, c.telegramId, 'chat-reopened', {}, now);
      }
      break;
    case 'ban':
    case 'unban':
      if (c.banned === (input.command === 'ban')) changed = false;
      else {
        c.banned = input.command === 'ban';
        queueNote(em, c, c.chatId, input.command === 'ban' ? 'chat-note-banned' : 'chat-note-unbanned', by, now);
      }
      break;
  }
  await em.flush();
  return ok({ changed, state: c.state, banned: c.banned, chats: [c.chatId, c.telegramId] });
});

export interface ChatContext {
  conversationId: number;
  telegramId: number;
  maskedName: string;
  language: string;
  state: 'open' | 'closed';
  banned: boolean;
  consent: boolean;
  linked: boolean;
  blocked: boolean;
  account: Pick<AccountSummary, 'accountId' | 'longNumber' | 'shortNumber' | 'branchName' | 'owner' | 'address'> | null;
  balance: Pick<Balance, 'balance' | 'asOfMonth'> | null;
  /** The last reading of each meter, with its date; the newest date first. */
  readings: { serial: string; service: string; value: number; takenOn: string }[];
  requests: { requestId: number; number: string; kind: string; status: string; card: { chatId: number; messageId: number } | null }[];
}

/**
 * The context card of a conversation, for an operator of its branch: who writes (masked name,
 * language, consent, linked or not, blocked), their active account with its address and branch,
 * the balance, the last readings and their date, the open requests. Built from the account
 * services with the operator as the actor, so what an operator may see of an account is decided
 * in one place.
 */
export function getChatContext(deps: BillingDeps) {
  const summary = getAccountSummary(deps);
  const balance = getBalance(deps);
  return defineOperatorService('read', { chatId: groupChatId, conversationId: id }, async (input, { em, actor }) => {
    const c = await em.findOne(OperatorChat, { id: input.conversationId });
    if (!c || c.chatId !== input.chatId) return fail({ code: 'chat_not_found' as const });
    if (c.branchCode != null && !actor.branchCodes.includes(c.branchCode)) return fail({ code: 'not_permitted' as const });
    const resident = await em.findOne(Resident, { telegramId: c.telegramId }, { populate: ['activeAccount'] });
    const link = resident ? await em.findOne(AccountLink, { resident }, { orderBy: { linkedAt: 'asc', id: 'asc' } }) : null;
    const accountId = resident?.activeAccount?.id ?? link?.account.id ?? null;
    const context: ChatContext = {
      conversationId: c.id,
      telegramId: c.telegramId,
      maskedName: c.maskedName,
      language: c.language,
      state: c.state,
      banned: c.banned,
      consent: resident !== null,
      linked: accountId !== null,
      blocked: resident?.blocked ?? false,
      account: null,
      balance: null,
      readings: [],
      requests: [],
    };
    if (accountId !== null) {
      const s = await summary({ actor, accountId });
      if (s.ok) {
        const a = s.value;
        context.account = {
          accountId: a.accountId,
          longNumber: a.longNumber,
          shortNumber: a.shortNumber,
          branchName: a.branchName,
          owner: a.owner,
          address: a.address,
        };
        context.readings = a.meters
          .filter((m) => m.lastReading)
          .map((m) => ({ serial: m.serial, service: m.service, value: m.lastReading!.value, takenOn: m.lastReading!.takenOn }))
          .sort((x, y) => y.takenOn.localeCompare(x.takenOn));
        const b = await balance({ actor, accountId });
        if (b.ok) context.balance = { balance: b.value.balance, asOfMonth: b.value.asOfMonth };
      }
    }
    if (resident) {
      const rows = await em.find(ServiceRequest, { resident, branch: { code: { $in: actor.branchCodes } } }, { orderBy: { createdAt: 'desc' }, limit: 50 });
      context.requests = rows
        .filter((r) => isOpen(r.status))
        .slice(0, 10)
        .map((r) => ({
          requestId: r.id,
          number: r.number,
          kind: r.kind,
          status: r.status,
          card: r.cardChatId != null && r.cardMessageId != null ? { chatId: r.cardChatId, messageId: r.cardMessageId } : null,
        }));
    }
    return ok(context);
  })(deps);
}

// ---- The relay job's bookkeeping ----

export interface RelayRow {
  id: number;
  kind: 'copy' | 'edit' | 'note';
  conversationId: number;
  telegramId: number;
  groupChatId: number;
  language: string;
  toChatId: number;
  fromChatId: number | null;
  fromMessageId: number | null;
  mediaGroupId: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
}

/** The rows waiting for a target chat, oldest first. */
export const pendingRelays = defineSystemService(
  z.object({ toChatId: z.number().int(), limit: z.number().int().min(1).max(200).default(50) }),
  async (input, { em }) => {
    const rows = await em.find(
      OperatorChatMessage,
      { toChatId: input.toChatId, state: 'pending' },
      { populate: ['conversation'], orderBy: { id: 'asc' }, limit: input.limit },
    );
    return ok(
      rows.map(
        (r): RelayRow => ({
          id: r.id,
          kind: r.kind,
          conversationId: r.conversation.id,
          telegramId: r.conversation.$.telegramId,
          groupChatId: r.conversation.$.chatId,
          language: r.conversation.$.language,
          toChatId: r.toChatId,
          fromChatId: r.fromChatId ?? null,
          fromMessageId: r.fromMessageId ?? null,
          mediaGroupId: r.mediaGroupId ?? null,
          payload: r.payload,
          createdAt: r.createdAt.toISOString(),
        }),
      ),
    );
  },
);

/** How many messages went to a chat since a moment, and the oldest of them: the per-group limit's window. */
export const sentSince = defineSystemService(z.object({ toChatId: z.number().int(), since: z.coerce.date() }), async (input, { em }) => {
  const [row] = await em.execute<{ n: number; oldest: Date | null }[]>(
    `select count(*)::int as n, min(sent_at) as oldest from operator_chat_message where to_chat_id = ? and sent_at > ?`,
    [input.toChatId, input.since],
  );
  return ok({ count: row?.n ?? 0, oldest: row?.oldest ? new Date(row.oldest).toISOString() : null });
});

/** Rows sent (with the copy's message id, their pair) or failed for good. */
export const finishRelays = defineSystemService(
  z.object({
    rows: z
      .array(z.object({ id, toMessageId: messageId.nullable() }))
      .min(1)
      .max(200),
    state: z.enum(['sent', 'failed']),
    /** The sender's clock: the group's window is counted on it. */
    at: z.coerce.date(),
  }),
  async (input, { em }) => {
    for (const r of input.rows)
      await em.nativeUpdate(
        OperatorChatMessage,
        { id: r.id, state: 'pending' },
        { state: input.state, toMessageId: r.toMessageId, sentAt: input.state === 'sent' ? input.at : null },
      );
    return ok(null);
  },
);

/** A message of the bot's own sent into a chat outside the queue (the card): counted in the chat's window. */
export const recordSent = defineSystemService(
  z.object({ conversationId: id, toChatId: z.number().int(), toMessageId: messageId, at: z.coerce.date() }),
  async (input, { em, now }) => {
    em.create(OperatorChatMessage, {
      conversation: input.conversationId,
      kind: 'note',
      toChatId: input.toChatId,
      fromChatId: null,
      fromMessageId: null,
      mediaGroupId: null,
      payload: { key: 'chat-card' },
      state: 'sent',
      toMessageId: input.toMessageId,
      createdAt: now,
      sentAt: input.at,
    });
    await em.flush();
    return ok(null);
  },
);

const COUNTERPART_SQL = `select case when to_chat_id = ? and to_message_id = ? then from_message_id else to_message_id end as id
  from operator_chat_message
  where kind = 'copy' and state = 'sent' and ((to_chat_id = ? and to_message_id = ?) or (from_chat_id = ? and from_message_id = ?))
  limit 1`;

/** The message in the other chat that is the pair of this one (for a reply to keep its thread); null if none. */
const counterpartParams = (chatId: number, messageId: number) => [chatId, messageId, chatId, messageId, chatId, messageId];

export const counterpartOf = defineSystemService(z.object({ chatId: z.number().int(), messageId }), async (input, { em }) => {
  const [row] = await em.execute<{ id: number | null }[]>(COUNTERPART_SQL, counterpartParams(input.chatId, input.messageId));
  return ok(row?.id ?? null);
});

/** The copy of a message, once sent (an edit waits behind it in the queue, so it is there by then). */
export const copyOf = defineSystemService(z.object({ fromChatId: z.number().int(), fromMessageId: messageId }), async (input, { em }) => {
  const row = await em.findOne(OperatorChatMessage, { kind: 'copy', fromChatId: input.fromChatId, fromMessageId: input.fromMessageId, state: 'sent' });
  return ok(row?.toMessageId != null ? { toChatId: row.toChatId, toMessageId: row.toMessageId } : null);
});

/** The card of the conversation was posted in its topic. */
export const setChatCard = defineSystemService(z.object({ conversationId: id, messageId: messageId.nullable() }), async (input, { em }) => {
  await em.nativeUpdate(OperatorChat, { id: input.conversationId }, { cardMessageId: input.messageId });
  return ok(null);
});

/** The conversation's topic, title and card as the relay needs them. */
export const chatForRelay = defineSystemService(z.object({ conversationId: id }), async (input, { em }) => {
  const c = await em.findOne(OperatorChat, { id: input.conversationId });
  if (!c) return fail({ code: 'chat_not_found' as const });
  const branch = c.branchCode
    ? await em.findOne(Branch, { code: c.branchCode })
    : await em.findOne(Branch, { operatorsChatId: null }, { orderBy: { code: 'asc' } });
  return ok({
    conversationId: c.id,
    telegramId: c.telegramId,
    chatId: c.chatId,
    branchCode: c.branchCode ?? null,
    language: c.language,
    cardMessageId: c.cardMessageId ?? null,
    phones: branch?.phones ?? null,
    dispatcherPhone: branch?.dispatcherPhone ?? null,
  });
});

/** No topic could be made for the conversation: true the first time (the resident is told to call once). */
export const toldToCall = defineSystemService(z.object({ conversationId: id }), async (input, { em, now }) => {
  const n = await em.nativeUpdate(OperatorChat, { id: input.conversationId, toldToCallAt: null }, { toldToCallAt: now });
  return ok(n > 0);
});

const WARN_SQL = `insert into operator_topic (chat_id, purpose, thread_id, created_at) values (?, ?, null, ?)
  on conflict (chat_id, purpose) do update set created_at = excluded.created_at where operator_topic.created_at < ?
  returning id`;

/**
 * Whether this instance is the one to tell an operators' group something at most once in
 * `everySeconds` (that the bot may not make topics there): one row per group and warning, its
 * time moved on by whoever claims it, so two instances tell it once.
 */
export const claimGroupWarning = defineSystemService(
  z.object({ chatId: z.number().int(), warning: z.enum(['no-topic-rights']), everySeconds: z.number().int().min(1).max(86_400) }),
  async (input, { em, now }) => {
    const rows = await em.execute<{ id: number }[]>(WARN_SQL, [
      input.chatId,
      `warned:${input.warning}`,
      now,
      new Date(now.getTime() - input.everySeconds * 1000),
    ]);
    return ok(rows.length > 0);
  },
);
