import { Composer } from 'grammy';
import { hears } from '@grammyjs/i18n';
import type { Message } from 'grammy/types';
import { CHAT_COMMANDS, type ChatCommand, type ChatHours, type OperatorActor } from '../../billing/index.ts';
import type { Translate } from '../../i18n.ts';
import { chatCardKeyboard, chatCardText } from '../../jobs/chat-relay.ts';
import { actorOf } from '../actor.ts';
import { buttons } from '../callback-data.ts';
import type { BotContext, BotDeps } from '../context.ts';
import type { MenuKey } from '../menu-labels.ts';
import { chatMenu, mainMenu } from '../screens/menu.ts';
import { deskOperator } from './operator-desk.ts';

/**
 * What an operator writes in a conversation's topic that is not for the resident: a note to the
 * other operators, starting with «!» or «#note». Commands («/close») are not relayed either.
 */
export const isInternalNote = (text: string) => /^\s*(!|#note\b)/i.test(text);

/** A message with something to relay (not a service message: a topic made or renamed, a member joined). */
const hasContent = (m: Message) =>
  Boolean(
    m.text ||
      m.photo ||
      m.video ||
      m.document ||
      m.voice ||
      m.audio ||
      m.video_note ||
      m.sticker ||
      m.animation ||
      m.location ||
      m.contact ||
      m.venue ||
      m.poll ||
      m.dice,
  );

/** The working days as words: consecutive days as a range (Monday to Friday as one, chat-days-range), others listed. */
export function workDaysText(t: Translate, days: string): string {
  const list = [...days].map(Number).sort();
  const parts: string[] = [];
  for (let i = 0; i < list.length; ) {
    let j = i;
    while (j + 1 < list.length && list[j + 1] === list[j]! + 1) j++;
    const name = (d: number) => t('chat-weekday', { day: d });
    parts.push(
      j - i >= 2
        ? `${name(list[i]!)}–${name(list[j]!)}`
        : list
            .slice(i, j + 1)
            .map(name)
            .join(', '),
    );
    i = j + 1;
  }
  return parts.join(', ');
}

const hoursVars = (t: Translate, h: ChatHours) => ({
  branch: h.branchName,
  days: workDaysText(t, h.workDays),
  from: String(h.hourFrom),
  to: String(h.hourTo),
  phones: h.phones ?? 'none',
});

/**
 * The resident's side of the operators' chat (menu-chat): /operator and the menu button open the conversation and say
 * the branch's hours; then whatever the resident sends outside a dialogue goes to the operators
 * (queued, in order) until menu-chat-end or the operator closes it. Commands and menu buttons
 * are never taken for the chat: they do what they say. The state lives in PostgreSQL.
 */
export function residentChatFeature(deps: BotDeps, labels: Map<string, MenuKey>) {
  const c = new Composer<BotContext>();
  const consented = (ctx: BotContext) => ctx.session.consent === 'accepted';
  const drain = (chatId: number) => deps.jobs.send('chat.relay', { chatId });

  // The resident blocked the bot: marked, and the topic says so.
  c.on('my_chat_member', async (ctx, next) => {
    if (ctx.myChatMember.new_chat_member.status !== 'kicked') return next();
    const marked = await deps.billing.chats.residentBlocked({ telegramId: ctx.myChatMember.from.id });
    if (marked.ok && marked.value.chatId !== null) await drain(marked.value.chatId);
  });

  const open = async (ctx: BotContext) => {
    const opened = await deps.billing.chats.open({
      actor: actorOf(ctx),
      firstName: ctx.from?.first_name ?? null,
      language: ctx.session.language ?? 'ru',
      defaultChatId: deps.operatorsChatId ?? null,
    });
    if (!opened.ok) {
      const phones = 'phones' in opened.error ? (opened.error.phones ?? 'none') : 'none';
      const key = opened.error.code === 'chat_banned' ? 'chat-banned' : opened.error.code === 'no_operators' ? 'chat-no-operators' : 'error-generic';
      return ctx.reply(ctx.t(key, { phones }), { reply_markup: mainMenu(ctx.t, consented(ctx)) });
    }
    await drain(opened.value.chatId);
    const h = opened.value.hours;
    const key = !h ? 'chat-opened' : h.inHours ? 'chat-opened-in-hours' : 'chat-opened-off-hours';
    await ctx.reply(h ? ctx.t(key, hoursVars(ctx.t, h)) : ctx.t(key), { reply_markup: chatMenu(ctx.t, consented(ctx)) });
  };
  c.command('operator', open);
  c.filter(hears('menu-operator'), open);

  c.filter(hears('menu-chat-end'), async (ctx) => {
    const closed = await deps.billing.chats.close({ actor: actorOf(ctx) });
    if (!closed.ok) return ctx.reply(ctx.t('chat-not-open'), { reply_markup: mainMenu(ctx.t, consented(ctx)) });
    for (const chatId of closed.value.chats) await drain(chatId);
    await ctx.reply(ctx.t('chat-ended'), { reply_markup: mainMenu(ctx.t, consented(ctx)) });
  });

  c.callbackQuery(buttons.chat.rate.filter, async (ctx) => {
    const mark = buttons.chat.rate.unpack(ctx.callbackQuery.data)!.mark;
    const rated = await deps.billing.chats.rate({ actor: actorOf(ctx), mark });
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    if (!rated.ok) return ctx.answerCallbackQuery({ text: ctx.t(rated.error.code === 'already_rated' ? 'chat-rate-already' : 'stale-button') });
    await drain(rated.value.chatId);
    await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('chat-rate-thanks'), { reply_markup: mainMenu(ctx.t, consented(ctx)) });
  });

  // An edit of a message already relayed is mirrored in the topic.
  c.on('edited_message', async (ctx, next) => {
    const m = ctx.editedMessage;
    const edited = await deps.billing.chats.edit({
      actor: actorOf(ctx),
      messageId: m.message_id,
      text: m.text ?? null,
      caption: m.text === undefined ? (m.caption ?? '') : null,
      entities: ((m.text !== undefined ? m.entities : m.caption_entities) ?? null) as Record<string, unknown>[] | null,
    });
    if (!edited.ok) return next();
    await drain(edited.value.chatId);
  });

  // Everything else the resident sends while the conversation is open goes to the operators.
  c.on('message', async (ctx, next) => {
    const m = ctx.message;
    if (m.text && (m.text.startsWith('/') || labels.has(m.text))) return next();
    const state = await deps.billing.chats.state({ actor: actorOf(ctx) });
    if (!state.ok || !state.value.open) return next();
    if (state.value.banned) return ctx.reply(ctx.t('chat-banned-answer'));
    const relayed = await deps.billing.chats.relay({
      actor: actorOf(ctx),
      messageId: m.message_id,
      mediaGroupId: m.media_group_id ?? null,
      replyToMessageId: m.reply_to_message?.message_id ?? null,
    });
    if (!relayed.ok) return next();
    // Back after being away: the operators' replies that waited in the outbox go now.
    if (relayed.value.repliesWaiting > 0) await deps.jobs.send('notices.deliver', {});
    if (relayed.value.duplicate) return;
    await drain(relayed.value.chatId);
    if (relayed.value.tellQueue) await ctx.reply(ctx.t('chat-queue-long'));
  });

  return c;
}

const COMMAND_OF: Record<string, ChatCommand | 'requests'> = Object.fromEntries([...CHAT_COMMANDS.map((k) => [k, k]), ['requests', 'requests']]);

/**
 * The operators' side of the operators' chat, in a conversation's topic of a desk group: what an operator
 * writes goes to the resident (queued, albums whole, replies kept in their thread), except commands
 * and internal notes; edits are mirrored; /close, /reopen, /ban, /unban and /requests; the card's
 * buttons. Anything outside a conversation's topic is left to the rest of the bot.
 */
export function operatorChatFeature(deps: BotDeps, o: { t: Translate }) {
  const { t } = o;
  const c = new Composer<BotContext>();
  const drain = (chatId: number) => deps.jobs.send('chat.relay', { chatId });

  async function topicOf(ctx: BotContext, m: Message): Promise<{ actor: OperatorActor; threadId: number; telegramId: number; conversationId: number } | null> {
    if (!m.is_topic_message || !m.message_thread_id || !ctx.from) return null;
    const actor = await deskOperator(deps, ctx.chat, ctx.from.id);
    if (!actor) return null;
    const found = await deps.billing.operators.chatOfTopic({ actor, chatId: m.chat.id, threadId: m.message_thread_id });
    if (!found.ok) return null;
    return { actor, threadId: m.message_thread_id, telegramId: found.value.telegramId, conversationId: found.value.conversationId };
  }

  const inThread = (m: Message) => ({
    message_thread_id: m.message_thread_id!,
    reply_parameters: { message_id: m.message_id, allow_sending_without_reply: true },
  });

  async function showRequests(ctx: BotContext, actor: OperatorActor, chatId: number, conversationId: number, where: Record<string, unknown>) {
    const found = await deps.billing.operators.chatContext({ actor, chatId, conversationId });
    if (!found.ok) return ctx.api.sendMessage(chatId, t('desk-not-permitted'), where);
    const lines = chatCardText(t, { ...found.value }).split('\n');
    const start = lines.findIndex((l) => l === t('chat-card-requests') || l === t('chat-card-no-requests'));
    const body =
      start >= 0 ? lines.slice(start, lines.indexOf('', start + 1) > 0 ? lines.indexOf('', start + 1) : undefined).join('\n') : t('chat-card-no-requests');
    return ctx.api.sendMessage(chatId, body, { ...where, parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
  }

  c.on('message', async (ctx, next) => {
    const m = ctx.message;
    if (!hasContent(m)) return next();
    const topic = await topicOf(ctx, m);
    if (!topic) return next();
    const text = m.text ?? m.caption ?? '';
    if (m.text?.startsWith('/')) {
      const name = m.text.slice(1).split(/[\s@]/)[0]!.toLowerCase();
      const command = COMMAND_OF[name];
      if (!command) return ctx.api.sendMessage(m.chat.id, t('chat-op-commands'), inThread(m));
      if (command === 'requests') return showRequests(ctx, topic.actor, m.chat.id, topic.conversationId, inThread(m));
      const done = await deps.billing.operators.chatCommand({ actor: topic.actor, chatId: m.chat.id, threadId: topic.threadId, command });
      if (!done.ok) return ctx.api.sendMessage(m.chat.id, t('desk-not-permitted'), inThread(m));
      if (!done.value.changed) return ctx.api.sendMessage(m.chat.id, t(`chat-op-already-${command}`), inThread(m));
      for (const chatId of done.value.chats) await drain(chatId);
      return;
    }
    if (isInternalNote(text)) return;
    const signed = deps.operatorSignatures && !m.sender_chat ? (ctx.from?.first_name ?? null) : null;
    const sent = await deps.billing.operators.chatReply({
      actor: topic.actor,
      chatId: m.chat.id,
      threadId: topic.threadId,
      messageId: m.message_id,
      mediaGroupId: m.media_group_id ?? null,
      // A reply to the topic's first message is no reply: Telegram sets it on every message of a topic.
      replyToMessageId: m.reply_to_message && m.reply_to_message.message_id !== topic.threadId ? m.reply_to_message.message_id : null,
      signature: signed,
      text: m.text ?? null,
      caption: m.text === undefined ? (m.caption ?? null) : null,
      entities: ((m.text !== undefined ? m.entities : m.caption_entities) ?? null) as Record<string, unknown>[] | null,
    });
    if (!sent.ok) {
      if (sent.error.code === 'chat_not_open') return ctx.api.sendMessage(m.chat.id, t('chat-op-closed'), inThread(m));
      return ctx.api.sendMessage(m.chat.id, t('desk-not-permitted'), inThread(m));
    }
    // The resident is away: the reply is a notice of the outbox (quiet hours, the global rate, at most once).
    if (sent.value.via === 'outbox') {
      if (sent.value.noticeId !== null) await deps.jobs.send('notice', { noticeId: sent.value.noticeId });
      return;
    }
    await drain(sent.value.telegramId);
  });

  c.on('edited_message', async (ctx, next) => {
    const m = ctx.editedMessage;
    const topic = await topicOf(ctx, m);
    if (!topic) return next();
    const edited = await deps.billing.operators.chatEdit({
      actor: topic.actor,
      chatId: m.chat.id,
      messageId: m.message_id,
      text: m.text ?? null,
      caption: m.text === undefined ? (m.caption ?? '') : null,
      entities: ((m.text !== undefined ? m.entities : m.caption_entities) ?? null) as Record<string, unknown>[] | null,
    });
    if (edited.ok) await drain(edited.value.chatId);
  });

  c.callbackQuery([buttons.chat.refresh.filter, buttons.chat.requests.filter], async (ctx) => {
    const message = ctx.callbackQuery.message;
    const actor = await deskOperator(deps, message?.chat, ctx.from.id);
    if (!actor || !message) return ctx.answerCallbackQuery({ text: t('desk-not-here'), show_alert: true });
    const data = ctx.callbackQuery.data;
    const refresh = buttons.chat.refresh.unpack(data);
    const conversationId = refresh?.conversationId ?? buttons.chat.requests.unpack(data)!.conversationId;
    const found = await deps.billing.operators.chatContext({ actor, chatId: message.chat.id, conversationId });
    if (!found.ok) return ctx.answerCallbackQuery({ text: t('desk-not-permitted') });
    if (refresh) {
      await ctx.api
        .editMessageText(message.chat.id, message.message_id, chatCardText(t, found.value), {
          parse_mode: 'HTML',
          reply_markup: chatCardKeyboard(t, conversationId),
          link_preview_options: { is_disabled: true },
        })
        .catch((err: unknown) => deps.log.debug({ err }, 'chat: the card is as it was'));
      return ctx.answerCallbackQuery({ text: t('chat-card-refreshed') });
    }
    const thread = 'message_thread_id' in message && message.message_thread_id ? { message_thread_id: message.message_thread_id } : {};
    await showRequests(ctx, actor, message.chat.id, conversationId, {
      ...thread,
      reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
    });
    return ctx.answerCallbackQuery();
  });

  return c;
}
