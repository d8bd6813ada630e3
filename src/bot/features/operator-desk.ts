import { Composer } from 'grammy';
import type { Redis } from 'ioredis';
import { needsComment, operatorViaTelegram, type OperatorActor } from '../../billing/index.ts';
import type { Translate } from '../../i18n.ts';
import { buttons } from '../callback-data.ts';
import type { BotContext, BotDeps } from '../context.ts';

type Move = NonNullable<ReturnType<typeof buttons.desk.move.unpack>>;

/** A comment asked of an operator (force_reply): which move the reply completes, and whose reply (the presser's Telegram id) it takes. */
export interface Prompt {
  move: Move;
  by: number;
}

export interface PromptStore {
  put(chatId: number, messageId: number, prompt: Prompt): Promise<void>;
  peek(chatId: number, messageId: number): Promise<Prompt | null>;
  /** Taken once: two replies to one prompt make one move. */
  take(chatId: number, messageId: number): Promise<Prompt | null>;
}

const PROMPT_TTL_SECONDS = 24 * 3600;
/** Hash-tagged by the group, like the residents' keys by the resident. */
const promptKey = (chatId: number, messageId: number) => `desk:{${chatId}}:prompt:${messageId}`;

export function redisPrompts(redis: Redis): PromptStore {
  const parse = (v: string | null) => (v ? (JSON.parse(v) as Prompt) : null);
  return {
    put: async (c, m, prompt) => void (await redis.set(promptKey(c, m), JSON.stringify(prompt), 'EX', PROMPT_TTL_SECONDS)),
    peek: async (c, m) => parse(await redis.get(promptKey(c, m))),
    take: async (c, m) => parse(await redis.getdel(promptKey(c, m))),
  };
}

export function memoryPrompts(): PromptStore {
  const map = new Map<string, { prompt: Prompt; until: number }>();
  const live = (k: string) => {
    const v = map.get(k);
    if (v && v.until < Date.now()) map.delete(k);
    return v && v.until >= Date.now() ? v.prompt : null;
  };
  return {
    put: async (c, m, prompt) => void map.set(promptKey(c, m), { prompt, until: Date.now() + PROMPT_TTL_SECONDS * 1000 }),
    peek: async (c, m) => live(promptKey(c, m)),
    take: async (c, m) => {
      const v = live(promptKey(c, m));
      map.delete(promptKey(c, m));
      return v;
    },
  };
}

/** The longest comment a move takes (billing.requests.move). */
const COMMENT_MAX = 1000;

const isGroup = (type: string | undefined) => type === 'group' || type === 'supergroup';

/** The operator acting in a desk group: whoever it is, for the branches the group serves; null outside a desk. */
export async function deskOperator(deps: BotDeps, chat: { id: number; type: string } | undefined, userId: number): Promise<OperatorActor | null> {
  if (!chat || !isGroup(chat.type)) return null;
  const branches = await deps.billing.operators.branchesOfDesk({ chatId: chat.id, defaultChatId: deps.operatorsChatId ?? null });
  return branches.ok && branches.value.length ? operatorViaTelegram(userId, branches.value) : null;
}

/**
 * The operators' desk in the operators' forum group: the buttons of the request cards, and the
 * operators' replies to the bot's request for a comment. Only a group that serves branches (its
 * own, or OPERATORS_CHAT_ID for those that name none) is a desk; there the operator is whoever
 * presses, acting for the branches the group serves, and the billing service records their
 * Telegram id with the move. A desk button pressed anywhere else is refused.
 */
export function operatorDeskFeature(deps: BotDeps, o: { t: Translate; prompts: PromptStore }) {
  const { t } = o;
  const c = new Composer<BotContext>();
  const operatorIn = (chat: { id: number; type: string } | undefined, userId: number) => deskOperator(deps, chat, userId);

  const refreshCard = (requestId: number) => deps.jobs.send('request.card', { requestId });
  const status = (s: string) => t(`request-status-${s}`);

  /** Makes the move; the words for the operator, and the notices and card handed to the jobs. */
  async function move(actor: OperatorActor, m: Move, comment?: string): Promise<string> {
    const result = await deps.billing.requests.move({ actor, requestId: m.requestId, from: m.from, to: m.to, ...(comment ? { comment } : {}) });
    if (result.ok) {
      for (const noticeId of result.value.notices) await deps.jobs.send('notice', { noticeId });
      await refreshCard(m.requestId);
      return t('desk-moved', { status: status(result.value.status) });
    }
    switch (result.error.code) {
      case 'status_changed':
        await refreshCard(m.requestId);
        return t('desk-status-changed', { status: status(result.error.status) });
      case 'not_permitted':
        return t('desk-not-permitted');
      case 'request_not_found':
        return t('desk-request-not-found');
      case 'move_not_allowed':
        return t('desk-move-not-allowed');
      case 'comment_required':
        return t('desk-comment-empty');
      default:
        deps.log.warn({ code: result.error.code, requestId: m.requestId }, 'desk: a move failed');
        return t('desk-failed');
    }
  }

  c.callbackQuery([buttons.desk.move.filter, buttons.desk.refresh.filter], async (ctx) => {
    const message = ctx.callbackQuery.message;
    const actor = await operatorIn(message?.chat, ctx.from.id);
    if (!actor || !message) return ctx.answerCallbackQuery({ text: t('desk-not-here'), show_alert: true });
    const refresh = buttons.desk.refresh.unpack(ctx.callbackQuery.data);
    if (refresh) {
      const card = await deps.billing.requests.card({ actor, requestId: refresh.requestId });
      if (!card.ok) return ctx.answerCallbackQuery({ text: t(card.error.code === 'not_permitted' ? 'desk-not-permitted' : 'desk-request-not-found') });
      await refreshCard(refresh.requestId);
      return ctx.answerCallbackQuery({ text: t('desk-refreshing') });
    }
    const m = buttons.desk.move.unpack(ctx.callbackQuery.data)!;
    if (!needsComment(m.to)) return ctx.answerCallbackQuery({ text: await move(actor, m) });

    // «На исправление» and «Отказано» need a comment for the resident: asked in the topic, the reply makes the move.
    const card = await deps.billing.requests.card({ actor, requestId: m.requestId });
    if (!card.ok) return ctx.answerCallbackQuery({ text: t(card.error.code === 'not_permitted' ? 'desk-not-permitted' : 'desk-request-not-found') });
    if (card.value.status !== m.from) {
      await refreshCard(m.requestId);
      return ctx.answerCallbackQuery({ text: t('desk-status-changed', { status: status(card.value.status) }) });
    }
    const thread = 'message_thread_id' in message && message.is_topic_message ? { message_thread_id: message.message_thread_id } : {};
    const prompt = await ctx.api.sendMessage(message.chat.id, t('desk-comment-prompt', { number: card.value.number, status: status(m.to) }), {
      ...thread,
      reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
      reply_markup: { force_reply: true, input_field_placeholder: t('desk-comment-placeholder') },
    });
    await o.prompts.put(message.chat.id, prompt.message_id, { move: m, by: ctx.from.id });
    return ctx.answerCallbackQuery({ text: t('desk-comment-asked') });
  });

  // The reply of the operator who pressed the button to the bot's request for a comment completes the move it was asked for.
  c.on('message', async (ctx, next) => {
    const replyTo = ctx.message.reply_to_message;
    if (!replyTo || replyTo.from?.id !== ctx.me.id || !isGroup(ctx.chat.type)) return next();
    const waiting = await o.prompts.peek(ctx.chat.id, replyTo.message_id);
    if (!waiting) return next();
    const answer = { reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true } };
    // An anonymous administrator (or a channel) writes as the group: the move would be recorded for
    // GroupAnonymousBot, not for a person. The prompt stays for a reply of their own.
    if (ctx.message.sender_chat) return ctx.reply(t('desk-comment-anonymous'), answer);
    // The comment is asked of the one who pressed: another operator's words would go out under a move they did not choose.
    if (waiting.by !== ctx.from.id) return ctx.reply(t('desk-comment-not-yours'), answer);
    const actor = await operatorIn(ctx.chat, ctx.from.id);
    if (!actor) return next();
    const comment = (ctx.message.text ?? ctx.message.caption ?? '').trim();
    if (!comment) return ctx.reply(t('desk-comment-empty'), answer);
    if (comment.length > COMMENT_MAX) return ctx.reply(t('desk-comment-too-long', { max: String(COMMENT_MAX), length: String(comment.length) }), answer);
    const taken = await o.prompts.take(ctx.chat.id, replyTo.message_id);
    if (!taken) return;
    await ctx.reply(await move(actor, taken.move, comment), answer);
  });

  return c;
}
