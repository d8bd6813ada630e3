import { Bot, MemorySessionStorage, session, type Transformer } from 'grammy';
import { actorOf } from './actor.ts';
import type { UserFromGetMe } from 'grammy/types';
import { conversations, createConversation, type ConversationData, type VersionedState } from '@grammyjs/conversations';
import { I18n } from '@grammyjs/i18n';
import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import type { Redis } from 'ioredis';
import { i18nOptions } from '../i18n.ts';
import { linkAccount } from '../../conversations/link-account.ts';
import { publicBalance } from '../../conversations/public-balance.ts';
import { setEmail } from '../../conversations/set-email.ts';
import { submitReadings } from '../../conversations/submit-readings.ts';
import { inspectorCall } from '../../conversations/inspector-call.ts';
import { commissionMeter } from '../../conversations/commission-meter.ts';
import { buttons } from './callback-data.ts';
import { requestEntryFeature } from './features/request-entry.ts';
import { reportAccident } from '../../conversations/report-accident.ts';
import { answerRequest } from '../../conversations/answer-request.ts';
import { rateReason } from '../../conversations/rate-reason.ts';
import type { BotContext, BotDeps, ConversationContext, SessionData } from './context.ts';
import type { FileStore } from '../files/store.ts';
import { dedupeUpdates, memoryUpdateMarks, redisUpdateMarks } from './dedupe.ts';
import { heldDialogues } from './held-writes.ts';
import { RedisJsonStore } from './redis-json-store.ts';
import { isOutage } from '../outage.ts';
import { hasTelegramShape } from './update-shape.ts';
import { mainMenu } from './screens/menu.ts';
import { menuLabels } from './menu-labels.ts';
import { accountsFeature } from './features/accounts.ts';
import { balanceFeature } from './features/balance.ts';
import { consentFeature } from './features/consent.ts';
import { fallbackFeature, generalFeature } from './features/general.ts';
import { settingsFeature } from './features/settings.ts';
import { serviceDetailFeature } from './features/service-detail.ts';
import { reachabilityFeature, remindersFeature } from './features/reminders.ts';
import { emailFeature } from './features/email.ts';
import { readingHistoryFeature } from './features/reading-history.ts';
import { metersFeature } from './features/meters.ts';
import { receiptFeature } from './features/receipt.ts';
import { accidentFeature, myRequestsFeature } from './features/my-requests.ts';
import { memoryPrompts, operatorDeskFeature, redisPrompts } from './features/operator-desk.ts';
import { operatorChatFeature, residentChatFeature } from './features/operator-chat.ts';
import { memoryDrafts, outageDeskFeature, redisDrafts } from './features/outage-desk.ts';

export interface CreateBotOptions {
  token: string;
  deps: Omit<BotDeps, 'files' | 'telegramFile'>;
  /** Where files residents send are kept. */
  files: FileStore;
  /** Sessions, conversations and update de-duplication; null keeps them in memory. */
  redis: Redis | null;
  apiRoot?: string;
  /** Known bot identity (tests, or to skip getMe at start). */
  botInfo?: UserFromGetMe;
  /** HTTP client for the Bot API (tests record calls through it; start-bot gives it botApiFetch). */
  fetch?: typeof fetch;
}

export function createI18n() {
  return new I18n<BotContext>({
    ...i18nOptions<BotContext>(),
    localeNegotiator: (ctx) => ctx.session?.language ?? 'ru',
  });
}

/** The payload with no empty row in its inline keyboard (the same object when there is none). */
export function withoutEmptyRows<P>(payload: P): P {
  const markup = (payload as { reply_markup?: { inline_keyboard?: unknown[][] } } | undefined)?.reply_markup;
  const rows = markup?.inline_keyboard;
  if (!Array.isArray(rows) || rows.every((r) => r.length > 0)) return payload;
  return { ...payload, reply_markup: { ...markup, inline_keyboard: rows.filter((r) => r.length > 0) } };
}

/** Buttons that leave any dialogue in progress before they do what they say. */
const LEAVING_BUTTONS = [
  buttons.requests.inspectorFor,
  buttons.requests.start,
  buttons.requests.answer,
  buttons.requests.rate,
  buttons.requests.open,
  buttons.requests.list,
  buttons.meters.pass,
  buttons.chat.rate,
];

/** The commands in Telegram's menu, in this order. */
const COMMANDS = [
  'start',
  'readings',
  'balance',
  'meters',
  'debt',
  'receipt',
  'inspector',
  'accident',
  'requests',
  'operator',
  'accounts',
  'settings',
  'help',
  'cancel',
] as const;

/**
 * Redis keys are hash-tagged by the resident (`{<user id>}`; a private chat's id is its user's),
 * so that on a Redis Cluster a resident's session and dialogue live in one slot and no command
 * spans two residents.
 */
const sessionKey = (userId: number | undefined) => (userId === undefined ? undefined : `sess:{${userId}}`);
/** Dialogues run in private chats only (installed on `dm` below): stored as `conv:{<chat id>}`. */
const dialogueKey = (chatId: number | undefined) => (chatId === undefined ? undefined : `conv:{${chatId}}`);
const SESSION_TTL_SECONDS = 90 * 24 * 3600;
const CONVERSATION_TTL_SECONDS = 24 * 3600;
/** How long an update id is remembered as handled. */
const DEDUPE_TTL_SECONDS = 24 * 3600;
/** A chat is told of an outage once in this long. */
const OUTAGE_TOLD_MS = 5 * 60_000;

/** A set of the last `max` keys added (the oldest forgotten first). */
function recentSet(max: number) {
  const keys = new Set<string>();
  return {
    add(key: string) {
      keys.add(key);
      if (keys.size > max) keys.delete(keys.values().next().value!);
    },
    has: (key: string) => keys.has(key),
  };
}

/** Builds the bot; starts nothing, opens nothing. */
export function createBot(o: CreateBotOptions) {
  const apiRoot = o.apiRoot ?? 'https://api.telegram.org';
  const deps: BotDeps = {
    ...o.deps,
    files: o.files,
    telegramFile: (filePath) => ({ url: `${apiRoot}/file/bot${o.token}/${filePath}` }),
  };
  const bot = new Bot<BotContext>(o.token, {
    ...(o.botInfo ? { botInfo: o.botInfo } : {}),
    client: { ...(o.apiRoot ? { apiRoot: o.apiRoot } : {}), ...(o.fetch ? { fetch: o.fetch } : {}) },
  });
  // 429 and 5xx: wait as Telegram asks, but never hang an update for long. A network failure is
  // thrown at once (the plugin would otherwise retry it without end, up to an hour apart): the
  // start-up retries with its own back-off, a job tells the resident.
  // A keyboard built row by row may end with an empty row (a `.row()` after the last button);
  // Telegram's clients draw nothing for it at best, so none is sent.
  const answeredPresses = recentSet(10_000);
  const transformers: Transformer[] = [
    autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 30, rethrowHttpErrors: true }),
    (prev, method, payload, signal) => prev(method, withoutEmptyRows(payload), signal),
    // A button's answer to a press handled late (redelivered after an outage) is refused by
    // Telegram as too old: the press has done its work, so that refusal is no failure of it.
    // The presses answered: an update that fails after its answer is not answered a second time
    // (Telegram refuses that), whether it was answered inside a dialogue or outside.
    async (prev, method, payload, signal) => {
      const answer = await prev(method, payload, signal);
      if (method !== 'answerCallbackQuery') return answer;
      const id = String((payload as { callback_query_id?: unknown }).callback_query_id);
      if (answer.ok) answeredPresses.add(id);
      else if (/query is too old|query ID is invalid/i.test(answer.description)) return { ok: true, result: true } as unknown as typeof answer;
      return answer;
    },
  ];
  bot.api.config.use(...transformers);

  const i18n = createI18n();
  const labels = menuLabels(i18n);
  // Session and conversation state in Redis as JSON (read with GETEX, written only when changed).
  const sessions = o.redis ? new RedisJsonStore<SessionData>(o.redis, SESSION_TTL_SECONDS) : undefined;
  const redisDialogues = o.redis ? new RedisJsonStore<VersionedState<ConversationData>>(o.redis, CONVERSATION_TTL_SECONDS) : undefined;
  const conversationStore = redisDialogues ?? new MemorySessionStorage<VersionedState<ConversationData>>();
  // Stored as `conv:{<chat id>}`, written once the update is handled (dropped after an outage).
  const dialogues = heldDialogues(conversationStore, (ctx) => dialogueKey(ctx.chatId));

  // What comes from nobody (a channel's post, a poll's state, a body posted by a stranger) is not
  // for this bot: dropped before anything is stored or logged. So is what is not in the Bot API's
  // shape (a text that is a number, a chat without an id): noted by its id only.
  bot.use(async (ctx, next) => {
    if (!hasTelegramShape(ctx.update)) {
      o.deps.log.warn({ updateId: (ctx.update as { update_id?: unknown }).update_id }, 'bot: an update not in the Bot API’s shape was ignored');
      return;
    }
    if (ctx.from) await next();
  });
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  // In a private chat (the chat is its user's, so `sequentialize` holds back both keys) the session
  // and the dialogue state are read ahead, as the update's mark is set: the three commands leave in
  // one write to Redis (ioredis auto-pipelining, on in main.ts), the reads are taken further on.
  // After `sequentialize`, so that the chat's previous update has written what it changed.
  if (sessions && redisDialogues)
    bot.use(async (ctx, next) => {
      if (ctx.chat?.type !== 'private' || !ctx.from) return next();
      const session = sessionKey(ctx.from.id)!;
      const dialogue = dialogueKey(ctx.chat.id)!;
      sessions.prefetch(session);
      redisDialogues.prefetch(dialogue);
      try {
        await next();
      } finally {
        sessions.forget(session);
        redisDialogues.forget(dialogue);
      }
    });
  // In memory the marks are kept for an hour (as before), so the map stays small.
  bot.use(dedupeUpdates(o.redis ? redisUpdateMarks(o.redis, DEDUPE_TTL_SECONDS) : memoryUpdateMarks(3600)));

  /** Chats told of the outage in the last few minutes: told once, not at every update handled again. */
  const toldOfOutage = new Map<number, number>();
  const app = bot.errorBoundary(async (err) => {
    if (isOutage(err.error)) {
      // PostgreSQL or Redis is unavailable: the update is not lost, it is handled again once they are back
      // (redelivered by Telegram after the webhook's 5xx, or kept by the polling loop). Told once, the truth.
      deps.log.warn({ err: err.error, updateId: err.ctx.update.update_id }, 'update: a service is unavailable; to be handled again');
      const chatId = err.ctx.chat?.type === 'private' ? err.ctx.chat.id : undefined;
      const now = Date.now();
      if (chatId !== undefined && (toldOfOutage.get(chatId) ?? 0) < now) {
        toldOfOutage.set(chatId, now + OUTAGE_TOLD_MS);
        if (toldOfOutage.size > 10_000) for (const [k, until] of toldOfOutage) if (until < now) toldOfOutage.delete(k);
        const language = err.ctx.from?.language_code === 'en' ? 'en' : 'ru';
        await err.ctx.api.sendMessage(chatId, i18n.t(language, 'error-outage-retrying')).catch(() => undefined);
      }
      throw err.error;
    }
    deps.log.error({ err: err.error, updateId: err.ctx.update.update_id }, 'update failed');
    try {
      if (err.ctx.callbackQuery && !answeredPresses.has(err.ctx.callbackQuery.id)) await err.ctx.answerCallbackQuery().catch(() => undefined);
      const t = (key: string) => (typeof err.ctx.t === 'function' ? err.ctx.t(key) : i18n.t('ru', key));
      if (err.ctx.chat) await err.ctx.api.sendMessage(err.ctx.chat.id, t('error-generic'));
    } catch (e) {
      deps.log.warn({ err: e }, 'could not tell the resident about the failure');
    }
  });

  // Every press gets its answer, so that the resident's button stops spinning: one that nothing
  // answered (a press without its message's chat, a kind of button the bot has none of, one a
  // dialogue in progress took without a word) is answered plainly once it is handled.
  app.use(async (ctx, next) => {
    await next();
    const press = ctx.callbackQuery;
    if (press && !answeredPresses.has(press.id)) await ctx.answerCallbackQuery();
  });
  // Without Redis: grammY's in-memory storage (one instance only).
  app.use(session({ initial: (): SessionData => ({}), ...(sessions ? { storage: sessions } : {}), getSessionKey: (ctx) => sessionKey(ctx.from?.id) }));
  app.use(i18n);

  // A conversation's topic in the operators' group: what operators write there goes to the resident (its commands too).
  app.use(operatorChatFeature(deps, { t: (key, vars) => i18n.t('ru', key, vars) }));
  // In groups the bot shows nothing personal: it only points to the private chat.
  // command() also skips commands addressed to another bot (/start@other_bot).
  app.chatType(['group', 'supergroup']).command([...COMMANDS], (ctx) => ctx.reply(ctx.t('group-private-only')));
  // The operators' desk answers its own buttons wherever they are pressed (refusing outside a desk group).
  app.use(operatorDeskFeature(deps, { t: (key, vars) => i18n.t('ru', key, vars), prompts: o.redis ? redisPrompts(o.redis) : memoryPrompts() }));
  // Outages announced from the operators' group (/outage) and the buttons under them.
  app.use(outageDeskFeature(deps, { t: (key, vars) => i18n.t('ru', key, vars), drafts: o.redis ? redisDrafts(o.redis) : memoryDrafts() }));
  app.chatType(['group', 'supergroup', 'channel']).use(() => undefined);
  // Blocked and unblocked by a resident: before any dialogue could take the update.
  app.use(reachabilityFeature(deps));
  const dm = app.chatType('private');

  dm.use(dialogues.guard);
  dm.use(
    conversations<BotContext, ConversationContext>({
      // Version 1: the plugins below take one `external` per step (replays of older state would not match).
      storage: dialogues.storage,
      // Each context made inside a dialogue gets i18n in the resident's language, as the outside
      // context has negotiated it for this update (from the session it has already read): one
      // `conversation.external` per step, which replays from the dialogue's log without a call.
      plugins: (conversation) => [
        // The plugin gives each context inside a dialogue an Api of its own: the same transformers as bot.api.
        async (ctx: ConversationContext, next: () => Promise<void>) => {
          ctx.api.config.use(...transformers);
          await next();
        },
        i18n.middleware() as never,
        async (ctx: ConversationContext, next: () => Promise<void>) => {
          ctx.i18n.useLocale(await conversation.external((outside) => outside.i18n.getLocale()));
          await next();
        },
      ],
    }),
  );

  // The session is a cache: if it was lost (Redis restarted, a new instance), the consent
  // recorded in the database still counts.
  dm.use(async (ctx, next) => {
    if (ctx.session.consent === undefined && ctx.from) {
      const resident = await deps.billing.residents.consent({ actor: actorOf(ctx) });
      if (resident.ok) {
        ctx.session.consent = 'accepted';
        ctx.session.language ??= resident.value.language;
        await ctx.i18n.renegotiateLocale();
      }
    }
    await next();
  });

  // /cancel and «Отмена» leave any conversation; a menu button or a command leaves it too and
  // then does what it says, so a resident is never stuck inside a dialogue.
  dm.use(async (ctx, next) => {
    const text = ctx.message?.text;
    const key = text ? labels.get(text) : undefined;
    const running = await ctx.conversation.active();
    const active = Object.keys(running).length > 0;
    if (text === '/cancel' || key === 'menu-cancel') {
      await ctx.conversation.exitAll();
      await ctx.reply(ctx.t(active ? 'cancelled' : 'nothing-to-cancel'), { reply_markup: mainMenu(ctx.t, ctx.session.consent === 'accepted') });
      return;
    }
    if (active && (key || text?.startsWith('/'))) await ctx.conversation.exitAll();
    // A button that opens another dialogue (the inspector under a refused reading) or answers a
    // notice that came in meanwhile (answer, rating, «Мои заявки») leaves this one.
    const data = ctx.callbackQuery?.data;
    // «Что не так?» after 👎 answers a rating button itself (a second 👎 is told to answer, another leaves it).
    const asking = running['rate-reason'] !== undefined && data !== undefined && buttons.requests.rate.filter.test(data);
    if (active && data && !asking && LEAVING_BUTTONS.some((b) => b.filter.test(data))) await ctx.conversation.exitAll();
    await next();
  });

  dm.use(createConversation(linkAccount(deps), 'link-account'));
  dm.use(createConversation(publicBalance(deps), 'public-balance'));
  dm.use(createConversation(submitReadings(deps), 'submit-readings'));
  dm.use(createConversation(setEmail(deps), 'set-email'));
  dm.use(createConversation(inspectorCall(deps), 'inspector-call'));
  dm.use(createConversation(commissionMeter(deps), 'commission-meter'));
  dm.use(createConversation(reportAccident(deps), 'report-accident'));
  dm.use(createConversation(answerRequest(deps), 'answer-request'));
  dm.use(createConversation(rateReason(deps), 'rate-reason'));

  // «💬 Оператор»: after the dialogues (a dialogue in progress takes its answers), before the
  // features, which still get every command and menu button.
  dm.use(residentChatFeature(deps, labels));
  dm.use(consentFeature(deps));
  dm.use(accountsFeature(deps));
  dm.use(balanceFeature(deps));
  dm.use(readingHistoryFeature(deps));
  dm.use(metersFeature(deps));
  dm.use(receiptFeature(deps));
  dm.use(settingsFeature(deps));
  dm.use(remindersFeature(deps));
  dm.use(emailFeature(deps));
  dm.use(serviceDetailFeature(deps));
  dm.use(requestEntryFeature(deps));
  dm.use(accidentFeature());
  dm.use(myRequestsFeature(deps));
  dm.use(generalFeature());
  dm.use(fallbackFeature());

  return { bot, i18n };
}

export type VodokanalBot = ReturnType<typeof createBot>['bot'];

/** The command menu in Telegram, in Russian by default and in English for English clients. */
export async function registerCommands(bot: VodokanalBot, i18n: I18n<BotContext>) {
  const list = (locale: string) => COMMANDS.map((command) => ({ command, description: i18n.t(locale, `cmd-${command}`) }));
  await bot.api.setMyCommands(list('ru'));
  await bot.api.setMyCommands(list('ru'), { language_code: 'ru' });
  await bot.api.setMyCommands(list('en'), { language_code: 'en' });
}
