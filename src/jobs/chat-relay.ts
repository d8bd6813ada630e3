import { GrammyError, InlineKeyboard, type Api } from 'grammy';
import type { MessageEntity } from 'grammy/types';
import { chatTopicPurpose, operatorViaTelegram, type Billing, type ChatContext, type RelayRow } from '../billing/index.ts';
import { buttons } from '../bot/callback-data.ts';
import { cut, day, m3, rub } from '../format.ts';
import type { Translate, Translator } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import { addressLine } from '../words.ts';
import type { JobHandler } from './handler.ts';
import type { Jobs } from './queues.ts';
import { escapeHtml } from './request-card.ts';

export interface RelayLimits {
  /** Messages into one group per window (Telegram allows about 20 a minute). */
  perWindow: number;
  windowMs: number;
  /** How long the parts of an album are waited for before it is copied (they arrive as separate updates). */
  albumGatherMs: number;
  /** How long one job drains before it hands the rest to the next one. */
  budgetMs: number;
}
export const DEFAULT_RELAY_LIMITS: RelayLimits = { perWindow: 20, windowMs: 60_000, albumGatherMs: 1_500, budgetMs: 10 * 60_000 };

export interface ChatRelayDeps {
  api: Api;
  billing: Billing;
  translator: Translator;
  log: Logger;
  jobs: Jobs;
  operatorsChatId: number | null;
  limits?: Partial<RelayLimits>;
  /** How long a group where no topic can be made is not told again (an hour). */
  noRightsMs?: number;
}

const isBadRequest = (err: unknown) => err instanceof GrammyError && err.error_code === 400;
const isForbidden = (err: unknown) => err instanceof GrammyError && err.error_code === 403;
const threadGone = (err: unknown) =>
  isBadRequest(err) && /message thread not found|topic_deleted|topic deleted|topic_id_invalid|thread_id_invalid/i.test((err as GrammyError).description);
const notModified = (err: unknown) => isBadRequest(err) && /message is not modified/i.test((err as GrammyError).description);

/** Telegram's limit for a forum topic's name. */
const TITLE_LIMIT = 128;
const MESSAGE_LIMIT = 4096;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The topic's name: the account's short number and branch, or who writes when no account is linked (≤ 128). */
export function topicTitle(t: Translate, c: ChatContext): string {
  const title = c.account
    ? t('chat-topic-title', { number: c.account.shortNumber, branch: c.account.branchName })
    : t('chat-topic-title-unlinked', { name: c.maskedName || '—', id: String(c.telegramId).slice(-4) });
  return cut(title, TITLE_LIMIT);
}

/** A link to a message of a supergroup (t.me/c/…), for the request cards in their topics. */
const messageLink = (chatId: number, messageId: number) => `https://t.me/c/${String(chatId).replace(/^-100/, '')}/${messageId}`;

/** The context card: who writes, their account, balance, readings, open requests; HTML, within 4096 characters. */
export function chatCardText(t: Translate, c: ChatContext, timezoneNote?: string): string {
  const e = escapeHtml;
  const lines = [
    t('chat-card-head', { name: e(c.maskedName || '—'), language: c.language }),
    c.consent ? (c.linked ? t('chat-card-linked') : t('chat-card-not-linked')) : t('chat-card-no-consent'),
  ];
  if (c.blocked) lines.push(t('chat-card-blocked'));
  if (c.banned) lines.push(t('chat-card-banned'));
  if (c.state === 'closed') lines.push(t('chat-card-closed'));
  if (c.account) {
    lines.push(
      '',
      t('chat-card-account', { number: c.account.longNumber, short: c.account.shortNumber, owner: e(c.account.owner) }),
      t('chat-card-address', { address: e(addressLine(t, c.account.address)) }),
      t('chat-card-branch', { branch: e(c.account.branchName) }),
    );
    if (c.balance) {
      const b = c.balance.balance;
      lines.push(b > 0 ? t('chat-card-debt', { amount: rub(b) }) : b < 0 ? t('chat-card-overpaid', { amount: rub(-b) }) : t('chat-card-settled'));
    }
    if (c.readings.length) {
      lines.push(t('chat-card-readings'));
      for (const r of c.readings.slice(0, 6))
        lines.push(t('chat-card-reading', { serial: e(r.serial), service: t(`service-${r.service}`), value: m3(r.value), date: day(r.takenOn) }));
    } else lines.push(t('chat-card-no-readings'));
  }
  if (c.requests.length) {
    lines.push('', t('chat-card-requests'));
    for (const r of c.requests)
      lines.push(
        t('chat-card-request', {
          number: r.card ? `<a href="${messageLink(r.card.chatId, r.card.messageId)}">${e(r.number)}</a>` : e(r.number),
          kind: t(`request-kind-${r.kind}`),
          status: t(`request-status-${r.status}`),
        }),
      );
  } else lines.push('', t('chat-card-no-requests'));
  if (timezoneNote) lines.push('', timezoneNote);
  lines.push('', t('chat-card-commands'));
  let text = lines.join('\n');
  while (text.length > MESSAGE_LIMIT && lines.length > 3) {
    lines.splice(lines.length - 3, 1);
    text = lines.join('\n');
  }
  return text;
}

export function chatCardKeyboard(t: Translate, conversationId: number): InlineKeyboard {
  return new InlineKeyboard()
    .text(t('chat-card-refresh'), buttons.chat.refresh.pack({ conversationId }))
    .text(t('chat-card-requests-button'), buttons.chat.requests.pack({ conversationId }));
}

export function rateKeyboard(t: Translate): InlineKeyboard {
  return new InlineKeyboard()
    .text(t('chat-rate-good'), buttons.chat.rate.pack({ mark: 'good' }))
    .text(t('chat-rate-bad'), buttons.chat.rate.pack({ mark: 'bad' }));
}

/** The operators' desk as the job acts for it: the bot, for the branches the group serves. */
export async function deskActor(billing: Billing, api: Api, chatId: number, defaultChatId: number | null) {
  const branches = await billing.operators.branchesOfDesk({ chatId, defaultChatId });
  if (!branches.ok || !branches.value.length) return null;
  return operatorViaTelegram(Number(api.token.split(':')[0]), branches.value);
}

/**
 * `chat.relay`: drains the queue of one target chat — an operators' group or a resident's private
 * chat — in arrival order: copies (an album whole, by copyMessages), mirrors edits, sends the
 * bot's notes. Into a group at most `perWindow` messages per window for all instances together
 * (one job per target at a time, `stately`; the window is counted from what was sent), so a burst
 * is delayed, never dropped. The conversation's topic is made on its first message, with the
 * context card; a deleted topic is made again and says so.
 */
export function chatRelayJob(deps: ChatRelayDeps): JobHandler<'chat.relay'> {
  const limits = { ...DEFAULT_RELAY_LIMITS, ...deps.limits };
  const ru = deps.translator('ru');
  const log = deps.log.child({ part: 'chat' });

  /** Waits until one more message (or `n`) fits into the group's window. */
  async function paced(chatId: number, n: number) {
    if (chatId > 0) return;
    for (;;) {
      const now = Date.now();
      const sent = await deps.billing.chats.sentSince({ toChatId: chatId, since: new Date(now - limits.windowMs) });
      if (!sent.ok) throw new Error(`chat: sentSince ${sent.error.code}`);
      if (sent.value.count === 0 || sent.value.count + n <= limits.perWindow) return;
      const oldest = sent.value.oldest ? Date.parse(sent.value.oldest) : now;
      await sleep(Math.max(5, oldest + limits.windowMs - now + 5));
    }
  }

  async function context(chatId: number, conversationId: number): Promise<ChatContext | null> {
    const actor = await deskActor(deps.billing, deps.api, chatId, deps.operatorsChatId);
    if (!actor) return null;
    const found = await deps.billing.operators.chatContext({ actor, chatId, conversationId });
    return found.ok ? found.value : null;
  }

  /** No topic can be made in the group: the group is told once an hour, the resident once per conversation (with the branch's phone). */
  async function cannotMakeTopics(row: RelayRow) {
    // Once an hour for all instances: the claim of the warning in PostgreSQL decides.
    const claim = await deps.billing.chats.claimGroupWarning({
      chatId: row.groupChatId,
      warning: 'no-topic-rights',
      everySeconds: Math.max(1, Math.round((deps.noRightsMs ?? 3_600_000) / 1000)),
    });
    if (claim.ok && claim.value) {
      await paced(row.groupChatId, 1);
      await deps.api
        .sendMessage(row.groupChatId, ru('chat-group-no-rights'))
        .catch((err: unknown) => log.warn({ err, chatId: row.groupChatId }, 'chat: the group could not be told'));
    }
    const first = await deps.billing.chats.toldToCall({ conversationId: row.conversationId });
    if (first.ok && first.value) {
      const c = await deps.billing.chats.forRelay({ conversationId: row.conversationId });
      const phones = c.ok ? (c.value.phones ?? c.value.dispatcherPhone) : null;
      await deps.api
        .sendMessage(row.telegramId, deps.translator(row.language)('chat-call-instead', { phones: phones ?? 'none' }))
        .catch((err: unknown) => log.warn({ err }, 'chat: the resident could not be told to call'));
    }
  }

  /** The conversation's topic: made once (also with two instances), with the card; undefined: none can be made. */
  async function topicOf(row: RelayRow, recreated: boolean): Promise<number | undefined> {
    const chatId = row.groupChatId;
    const purpose = chatTopicPurpose(row.telegramId);
    const deadline = Date.now() + 5_000;
    for (;;) {
      const claim = await deps.billing.operators.claimTopic({ chatId, purpose });
      if (!claim.ok) throw new Error(`chat: claimTopic ${claim.error.code}`);
      if (claim.value.state === 'exists') return claim.value.threadId;
      if (claim.value.state === 'pending') {
        if (Date.now() > deadline) throw new Error('chat: the topic is being made by another job');
        await sleep(100);
        continue;
      }
      const ctx = await context(chatId, row.conversationId);
      const title = ctx ? topicTitle(ru, ctx) : ru('chat-topic-title-unknown');
      let threadId: number;
      try {
        await paced(chatId, 1);
        threadId = (await deps.api.createForumTopic(chatId, title)).message_thread_id;
      } catch (err) {
        await deps.billing.operators.setTopic({ chatId, purpose, threadId: null });
        if (!isBadRequest(err) && !isForbidden(err)) throw err;
        log.warn({ err, chatId }, 'chat: cannot create a topic (is the group a forum, may the bot manage topics?)');
        return undefined;
      }
      const set = await deps.billing.operators.setTopic({ chatId, purpose, threadId });
      if (!set.ok) throw new Error(`chat: setTopic ${set.error.code}`);
      // A topic made is a message in the group too (its first, whose id is the thread's): counted in the window.
      await deps.billing.chats.recordSent({ conversationId: row.conversationId, toChatId: chatId, toMessageId: threadId, at: new Date() });
      if (ctx) {
        await paced(chatId, 1);
        const card = await deps.api.sendMessage(chatId, chatCardText(ru, ctx, recreated ? ru('chat-card-recreated') : undefined), {
          parse_mode: 'HTML',
          message_thread_id: threadId,
          reply_markup: chatCardKeyboard(ru, row.conversationId),
          link_preview_options: { is_disabled: true },
        });
        await deps.billing.chats.recordSent({ conversationId: row.conversationId, toChatId: chatId, toMessageId: card.message_id, at: new Date() });
        await deps.billing.chats.setCard({ conversationId: row.conversationId, messageId: card.message_id });
      }
      return threadId;
    }
  }

  const finish = async (ids: { id: number; toMessageId: number | null }[], state: 'sent' | 'failed') => {
    const done = await deps.billing.chats.finish({ rows: ids, state, at: new Date() });
    if (!done.ok) throw new Error(`chat: finish ${done.error.code}`);
  };

  async function replyTo(row: RelayRow) {
    const source = typeof row.payload.replyTo === 'number' ? row.payload.replyTo : null;
    if (source === null || row.fromChatId === null) return {};
    const pair = await deps.billing.chats.counterpart({ chatId: row.fromChatId, messageId: source });
    return pair.ok && pair.value !== null ? { reply_parameters: { message_id: pair.value, allow_sending_without_reply: true } } : {};
  }

  /** One message or album copied into its target; the copies' ids, in order. */
  async function copy(rows: RelayRow[], where: Record<string, unknown>): Promise<number[]> {
    const first = rows[0]!;
    const reply = await replyTo(first);
    if (rows.length > 1) {
      const ids = rows.map((r) => r.fromMessageId!);
      const sent = await deps.api.copyMessages(first.toChatId, first.fromChatId!, ids, where);
      return sent.map((m) => m.message_id);
    }
    const p = first.payload;
    const signature = typeof p.signature === 'string' && p.signature ? deps.translator(first.language)('chat-signature', { name: p.signature }) : null;
    if (signature && typeof p.text === 'string') {
      const sent = await deps.api.sendMessage(first.toChatId, `${p.text}\n\n${signature}`, {
        ...where,
        ...reply,
        ...(Array.isArray(p.entities) ? { entities: p.entities as MessageEntity[] } : {}),
      });
      return [sent.message_id];
    }
    const caption = signature ? { caption: `${typeof p.caption === 'string' && p.caption ? `${p.caption}\n\n` : ''}${signature}` } : {};
    const captionEntities = signature && Array.isArray(p.entities) ? { caption_entities: p.entities as MessageEntity[] } : {};
    const sent = await deps.api.copyMessage(first.toChatId, first.fromChatId!, first.fromMessageId!, { ...where, ...reply, ...caption, ...captionEntities });
    return [sent.message_id];
  }

  async function edit(row: RelayRow) {
    const copyOf = await deps.billing.chats.copyOf({ fromChatId: row.fromChatId!, fromMessageId: row.fromMessageId! });
    if (!copyOf.ok || !copyOf.value) return finish([{ id: row.id, toMessageId: null }], 'failed');
    const p = row.payload;
    const entities = Array.isArray(p.entities) ? (p.entities as MessageEntity[]) : undefined;
    try {
      if (typeof p.text === 'string') await deps.api.editMessageText(copyOf.value.toChatId, copyOf.value.toMessageId, p.text, entities ? { entities } : {});
      else
        await deps.api.editMessageCaption(copyOf.value.toChatId, copyOf.value.toMessageId, {
          caption: typeof p.caption === 'string' ? p.caption : '',
          ...(entities ? { caption_entities: entities } : {}),
        });
      await finish([{ id: row.id, toMessageId: copyOf.value.toMessageId }], 'sent');
    } catch (err) {
      if (!isBadRequest(err)) throw err;
      // Telegram allows it only within 48 hours, and not for every kind of message.
      await finish([{ id: row.id, toMessageId: null }], notModified(err) ? 'sent' : 'failed');
    }
  }

  /** A note of the bot's: in the topic (only one already made) or in the resident's chat. */
  async function note(row: RelayRow, where: Record<string, unknown>) {
    const p = row.payload as { key?: string; vars?: Record<string, unknown> };
    const toGroup = row.toChatId < 0;
    const t = toGroup ? ru : deps.translator(row.language);
    const vars = Object.fromEntries(Object.entries(p.vars ?? {}).map(([k, v]) => [k, String(v)]));
    const text = t(p.key ?? 'chat-note-unknown', vars);
    const markup = !toGroup && p.vars?.rate ? { reply_markup: rateKeyboard(t) } : {};
    const sent = await deps.api.sendMessage(row.toChatId, text, { ...where, ...markup, ...(toGroup ? { parse_mode: 'HTML' as const } : {}) });
    await finish([{ id: row.id, toMessageId: sent.message_id }], 'sent');
  }

  async function blocked(row: RelayRow) {
    const marked = await deps.billing.chats.residentBlocked({ telegramId: row.telegramId });
    if (marked.ok && marked.value.chatId !== null) await deps.jobs.send('chat.relay', { chatId: marked.value.chatId });
  }

  /** The rows due now; an album at the tail is waited for until no more of it arrives. */
  async function due(chatId: number): Promise<RelayRow[]> {
    let seen = -1;
    for (;;) {
      const found = await deps.billing.chats.pending({ toChatId: chatId, limit: 50 });
      if (!found.ok) throw new Error(`chat: pending ${found.error.code}`);
      const rows = found.value;
      if (!rows.at(-1)?.mediaGroupId || rows.length === 50 || rows.length === seen) return rows;
      seen = rows.length;
      await sleep(limits.albumGatherMs);
    }
  }

  return async (p) => {
    const started = Date.now();
    const toGroup = p.chatId < 0;
    for (;;) {
      const rows = await due(p.chatId);
      if (!rows.length) return;
      let i = 0;
      while (i < rows.length) {
        if (Date.now() - started > limits.budgetMs) {
          // A long queue: the next job takes over (the runner's expiry would cut this one off).
          await deps.jobs.send('chat.relay', { chatId: p.chatId });
          return;
        }
        const row = rows[i]!;
        // An album: the consecutive rows of one media group of one conversation, up to Telegram's 10.
        let n = 1;
        if (row.kind === 'copy' && row.mediaGroupId)
          while (n < 10 && rows[i + n]?.kind === 'copy' && rows[i + n]!.mediaGroupId === row.mediaGroupId && rows[i + n]!.conversationId === row.conversationId)
            n++;
        const group = rows.slice(i, i + n);
        i += n;
        let where: Record<string, unknown> = {};
        if (toGroup && row.kind !== 'edit') {
          let threadId: number | undefined;
          if (row.kind === 'note') {
            const known = await deps.billing.operators.topicThread({ chatId: p.chatId, purpose: chatTopicPurpose(row.telegramId) });
            threadId = known.ok ? (known.value ?? undefined) : undefined;
            // A note about a conversation that has no topic (nothing was ever relayed) has nowhere to go.
            if (threadId === undefined) {
              await finish([{ id: row.id, toMessageId: null }], 'failed');
              continue;
            }
          } else {
            threadId = await topicOf(row, false);
            if (threadId === undefined) {
              await finish(
                group.map((r) => ({ id: r.id, toMessageId: null })),
                'failed',
              );
              await cannotMakeTopics(row);
              continue;
            }
          }
          where = { message_thread_id: threadId };
        }
        await paced(p.chatId, group.length);
        try {
          if (row.kind === 'edit') await edit(row);
          else if (row.kind === 'note') await note(row, where);
          else {
            const ids = await copy(group, where);
            await finish(
              group.map((r, j) => ({ id: r.id, toMessageId: ids[j] ?? null })),
              'sent',
            );
          }
        } catch (err) {
          if (toGroup && threadGone(err)) {
            // The topic was deleted in the group: forgotten; the next round makes it again with the card.
            const threadId = where.message_thread_id as number;
            await deps.billing.operators.forgetTopic({ chatId: p.chatId, purpose: chatTopicPurpose(row.telegramId), threadId });
            log.warn({ chatId: p.chatId, threadId, conversationId: row.conversationId }, 'chat: the topic was deleted in the group; making it again');
            const again = await topicOf(row, true);
            if (again === undefined) {
              await finish(
                group.map((r) => ({ id: r.id, toMessageId: null })),
                'failed',
              );
              await cannotMakeTopics(row);
            }
            break;
          }
          if (!toGroup && isForbidden(err)) {
            // The resident blocked the bot: marked, and the topic says so; the rest waits for nothing.
            await finish(
              rows.slice(i - n).map((r) => ({ id: r.id, toMessageId: null })),
              'failed',
            );
            await blocked(row);
            break;
          }
          if (!isBadRequest(err)) throw err;
          // This message cannot be copied (deleted meanwhile, a kind Telegram does not copy): the rest go on.
          log.warn({ err, chatId: p.chatId, rows: group.map((r) => r.id) }, 'chat: a message could not be relayed');
          await finish(
            group.map((r) => ({ id: r.id, toMessageId: null })),
            'failed',
          );
        }
      }
    }
  };
}
