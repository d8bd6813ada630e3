import type { Update, UserFromGetMe } from 'grammy/types';
import { Redis } from 'ioredis';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createBilling, type Billing } from '../../src/billing/index.ts';
import { createBot } from '../../src/bot/create-bot.ts';
import { localFileStore } from '../../src/files/store.ts';
import { redisLimits } from '../../src/bot/limits.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { createTranslator } from '../../src/i18n.ts';
import { createJobRunner } from '../../src/jobs/runner.ts';
import { jobHandlers } from '../../src/jobs/index.ts';
import type { RelayLimits } from '../../src/jobs/chat-relay.ts';
import { createMail, createMailer } from '../../src/mail/index.ts';
import { inlineRenderer } from '../../src/pdf/inline-renderer.ts';
import type { Orm } from '../../src/db/orm.ts';
import { NOW } from './fixture.ts';

export const BOT_INFO: UserFromGetMe = {
  id: 7000001,
  is_bot: true,
  first_name: 'Водоканал',
  username: 'vodokanal_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as UserFromGetMe;

export interface ApiCall {
  method: string;
  payload: Record<string, any>;
  /** What the stand-in answered (a sent message, with its id). */
  result?: any;
  /** When the call was made (ms), to check a rate limit over a window. */
  at?: number;
}

/**
 * A stand-in for the Bot API: records every call the bot makes and answers it as Telegram
 * would, without any network.
 */
export class ApiRecorder {
  calls: ApiCall[] = [];
  private messageId = 1000;
  readonly fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes('/file/bot')) {
      const file = this.files.get(url.slice(url.indexOf('/file/bot')).split('/').slice(3).join('/'));
      return file ? new Response(new Uint8Array(file)) : new Response('not found', { status: 404 });
    }
    const method = url.slice(url.lastIndexOf('/') + 1);
    const body = init?.body;
    let payload: Record<string, any> = typeof body === 'string' && body ? JSON.parse(body) : {};
    if (body && typeof body !== 'string') payload = await this.readMultipart(body, init?.headers);
    const call: ApiCall = { method, payload };
    Object.defineProperty(call, 'at', { value: Date.now(), enumerable: false });
    this.calls.push(call);
    const failure = this.failures.get(method)?.(payload) ?? refusedAsTelegramWould(method, payload);
    if (failure)
      return new Response(JSON.stringify({ ok: false, ...failure }), { status: failure.error_code, headers: { 'content-type': 'application/json' } });
    if (this.delays.get(method)) await new Promise((resolve) => setTimeout(resolve, this.delays.get(method)));
    const result = this.result(method, payload);
    // Not enumerable: tests that compare calls by method and payload see no difference.
    Object.defineProperty(call, 'result', { value: result, enumerable: false });
    return new Response(JSON.stringify({ ok: true, result }), { headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;

  /** Files the bot uploaded (sendDocument and the like), newest last. */
  readonly documents: { method: string; chatId: number; filename: string; bytes: Buffer; caption?: string }[] = [];

  /** A multipart upload as grammY sends it: the string fields become the payload, files are kept. */
  private async readMultipart(body: unknown, headers: RequestInit['headers']): Promise<Record<string, any>> {
    const chunks: Buffer[] = [];
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
    const contentType = new Headers(headers).get('content-type') ?? '';
    const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
    if (!boundary) throw new Error('multipart without boundary');
    // A small reader of multipart/form-data (Node 20's own parser refuses grammY's framing).
    const raw = Buffer.concat(chunks);
    const delimiter = Buffer.from(`--${boundary}`);
    const payload: Record<string, any> = {};
    const files: { filename: string; bytes: Buffer }[] = [];
    let at = raw.indexOf(delimiter);
    while (at !== -1) {
      const start = at + delimiter.length;
      const next = raw.indexOf(delimiter, start);
      if (next === -1) break;
      const part = raw.subarray(start, next);
      const headerEnd = part.indexOf('\r\n\r\n');
      if (headerEnd !== -1) {
        const head = part.subarray(0, headerEnd).toString('utf8');
        let content = part.subarray(headerEnd + 4);
        if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
        const name = /;\s*name="?([^";\r\n]+)"?/i.exec(head)?.[1];
        const filename = /filename="?([^";\r\n]*)"?/i.exec(head)?.[1];
        if (filename !== undefined) files.push({ filename, bytes: Buffer.from(content) });
        else if (name) {
          const value = content.toString('utf8');
          payload[name] = /^[[{]/.test(value) ? JSON.parse(value) : value;
        }
      }
      at = next;
    }
    if (payload.chat_id !== undefined) payload.chat_id = Number(payload.chat_id);
    for (const f of files) this.documents.push({ method: 'upload', chatId: payload.chat_id, caption: payload.caption, ...f });
    return payload;
  }

  /** Telegram's refusals to play: method → an answer `{error_code, description}` for a payload, or undefined to answer normally. */
  readonly failures = new Map<string, (payload: Record<string, any>) => { error_code: number; description: string } | undefined>();
  /** Milliseconds a method takes (to let concurrent callers overlap). */
  readonly delays = new Map<string, number>();
  /** What getChatMember says of the bot in a group, and getChat of the group: an administrator who may manage topics, in a forum. */
  member: Record<string, unknown> = { status: 'administrator', can_manage_topics: true };
  forum = true;
  private threadId = 500;

  /** Files the stand-in holds, by their file_path: what getFile points at. */
  readonly files = new Map<string, Buffer>();

  private result(method: string, p: Record<string, any>): unknown {
    if (method === 'getFile') {
      const filePath = `photos/${p.file_id}.jpg`;
      return { file_id: p.file_id, file_unique_id: p.file_id, file_size: this.files.get(filePath)?.length ?? 0, file_path: filePath };
    }
    const chat = { id: p.chat_id, type: p.chat_id < 0 ? 'supergroup' : 'private' };
    const thread = p.message_thread_id ? { message_thread_id: p.message_thread_id } : {};
    if (method === 'sendDocument') {
      const fileId = typeof p.document === 'string' ? p.document : 'd';
      return { message_id: ++this.messageId, date: 0, chat, ...thread, document: { file_id: fileId, file_unique_id: fileId } };
    }
    if (method === 'sendPhoto')
      return { message_id: ++this.messageId, date: 0, chat, ...thread, photo: [{ file_id: p.photo, file_unique_id: p.photo, width: 1, height: 1 }] };
    if (method === 'sendMessage' || method === 'editMessageText') {
      return {
        message_id: p.message_id ?? ++this.messageId,
        date: 0,
        chat,
        text: p.text,
        ...(p.message_thread_id ? { message_thread_id: p.message_thread_id } : {}),
      };
    }
    if (method === 'sendLocation') return { message_id: ++this.messageId, date: 0, chat, location: { latitude: p.latitude, longitude: p.longitude } };
    if (method === 'sendMediaGroup')
      return (p.media as { type: string; media: string }[]).map((m) => ({
        message_id: ++this.messageId,
        date: 0,
        chat,
        ...thread,
        ...(m.type === 'document'
          ? { document: { file_id: m.media, file_unique_id: m.media } }
          : { photo: [{ file_id: m.media, file_unique_id: m.media, width: 1, height: 1 }] }),
      }));
    if (method === 'copyMessage') return { message_id: ++this.messageId };
    if (method === 'copyMessages') return (p.message_ids as number[]).map(() => ({ message_id: ++this.messageId }));
    if (method === 'editMessageCaption') return { message_id: p.message_id, date: 0, chat, caption: p.caption };
    if (method === 'createForumTopic') return { message_thread_id: ++this.threadId, name: p.name, icon_color: 7322096 };
    if (method === 'getChatMember') return { user: BOT_INFO, ...this.member };
    if (method === 'getChat')
      return {
        id: p.chat_id,
        type: 'supergroup',
        title: 'Операторы',
        is_forum: this.forum,
        accent_color_id: 0,
        max_reaction_count: 0,
        accepted_gift_types: {},
      };
    return true;
  }

  clear() {
    this.calls = [];
  }
}

/** What Telegram refuses whatever the test: an album of fewer than 2 or more than 10 items, documents mixed with photos. */
function refusedAsTelegramWould(method: string, p: Record<string, any>): { error_code: number; description: string } | undefined {
  if (method !== 'sendMediaGroup') return undefined;
  const media = (p.media ?? []) as { type: string }[];
  if (media.length < 2 || media.length > 10) return { error_code: 400, description: 'Bad Request: wrong number of media in the album (2-10)' };
  const documents = media.filter((m) => m.type === 'document').length;
  if (documents && documents !== media.length) return { error_code: 400, description: "Bad Request: documents can't be mixed with other media types" };
  return undefined;
}

let updateId = Math.floor(Math.random() * 1e6) * 1000;

/** The test world: a real bot on real PostgreSQL (through billing) and real Redis. */
export interface TestBotOptions {
  now?: () => Date;
  /** Letters go to this SMTP server (one started in the test); otherwise into a temporary outbox. */
  smtpUrl?: string;
  /** OPERATORS_CHAT_ID of this instance. */
  operatorsChatId?: number;
  /** The Telegram this instance talks to: another instance's, for two instances of one bot. */
  api?: ApiRecorder;
  /** A Redis of the test's own (one it stops and starts); the machine's by default. */
  redisUrl?: string;
  /** The log of this instance (silent by default). */
  log?: Logger;
  /** The «💬 Оператор» relay's limits (a fast window in tests) and operators' signatures. */
  relayLimits?: Partial<RelayLimits>;
  operatorSignatures?: boolean;
}

export async function createTestBot(orm: Orm, options: TestBotOptions = {}) {
  const redis = new Redis(options.redisUrl ?? 'redis://127.0.0.1:6379', {
    enableAutoPipelining: true,
    // As in production (src/main.ts): a command fails after two reconnection attempts rather than waiting for ever.
    maxRetriesPerRequest: 2,
    keyPrefix: `test:${process.pid}:${Date.now()}:${Math.random().toString(36).slice(2)}:`,
  });
  const billing: Billing = createBilling({ orm, now: options.now ?? (() => NOW) });
  const api = options.api ?? new ApiRecorder();
  const filesDir = await mkdtemp(path.join(os.tmpdir(), 'files-'));
  const files = localFileStore({ dir: filesDir, fetch: api.fetch });
  const log = options.log ?? createLogger('silent');
  const outboxDir = await mkdtemp(path.join(os.tmpdir(), 'outbox-'));
  const mailer = createMailer({ smtpUrl: options.smtpUrl, from: { name: 'Vodokanal', address: 'no-reply@vodokanal.test' }, outboxDir, log });
  const translator = createTranslator();
  const renderer = inlineRenderer(translator);
  const mail = createMail({ billing, mailer, renderer, translator, publicUrl: 'http://vodokanal.test', log });
  // The real job runner (pg-boss) on the test's database; nothing on a schedule.
  const runner = createJobRunner({ url: orm.config.get('clientUrl')!, poolMax: 2, log, pollingIntervalSeconds: 0.5 });
  const { bot, i18n } = createBot({
    token: '7000001:TEST-TOKEN-FOR-VITEST-ONLY-xxxxxxxx',
    botInfo: BOT_INFO,
    fetch: api.fetch,
    redis,
    files,
    deps: {
      billing,
      mail,
      renderer,
      jobs: runner.jobs,
      limits: redisLimits(redis),
      log,
      consentVersion: 'test-1',
      operatorsChatId: options.operatorsChatId ?? null,
      operatorSignatures: options.operatorSignatures ?? false,
      now: options.now ?? (() => NOW),
    },
  });
  await bot.init();
  await runner.start(
    jobHandlers({
      billing,
      mail,
      renderer,
      translator,
      log,
      api: bot.api,
      jobs: runner.jobs,
      operatorsChatId: options.operatorsChatId ?? null,
      files,
      relayLimits: { albumGatherMs: 300, ...options.relayLimits },
    }),
  );
  return {
    bot,
    i18n,
    api,
    redis,
    billing,
    mail,
    runner,
    files,
    filesDir,
    outboxDir,
    close: async () => {
      await runner.drained();
      await runner.stop();
      mailer.close();
      await redis.quit();
      await rm(filesDir, { recursive: true, force: true });
      await rm(outboxDir, { recursive: true, force: true });
    },
  };
}
export type TestBot = Awaited<ReturnType<typeof createTestBot>>;

/** A resident in a private chat, whose actions read like the dialogue. */
export class Resident {
  constructor(
    private readonly kit: TestBot,
    readonly id: number,
    private readonly languageCode = 'ru',
  ) {}

  private get from() {
    return { id: this.id, is_bot: false, first_name: 'Тест', language_code: this.languageCode };
  }
  private get chat() {
    return { id: this.id, type: 'private' as const, first_name: 'Тест' };
  }

  async send(update: Omit<Update, 'update_id'>): Promise<ApiCall[]> {
    const before = this.kit.api.calls.length;
    await this.kit.bot.handleUpdate({ update_id: ++updateId, ...update } as Update);
    // What the update handed to the job runner (a PDF, a letter) is part of its answer for a test.
    await this.kit.runner.drained();
    return this.kit.api.calls.slice(before);
  }

  /** /start, the consent, and an account linked by its number through the real dialogue. */
  async agreeAndLink(number: string, house: string, flat: string, surname: string) {
    await this.say('/start');
    await this.tap(/Согласен/);
    await this.tap(/Привязать/);
    await this.tap(/По номеру/);
    for (const answer of [number, house, flat, surname]) await this.say(answer);
    if (!this.lastText().startsWith(`Лицевой счёт ${number} привязан`)) throw new Error(`not linked: ${this.lastText()}`);
    return this;
  }

  /** Types a message (a command if it starts with «/»). */
  say(text: string) {
    const entities = text.startsWith('/') ? [{ type: 'bot_command' as const, offset: 0, length: text.split(' ')[0]!.length }] : undefined;
    return this.send({ message: { message_id: ++updateId, date: 0, chat: this.chat, from: this.from, text, ...(entities ? { entities } : {}) } as never });
  }

  sticker() {
    return this.send({
      message: {
        message_id: ++updateId,
        date: 0,
        chat: this.chat,
        from: this.from,
        sticker: { file_id: 'x', file_unique_id: 'x', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false },
      } as never,
    });
  }

  photo(fileId = 'p', fileSize?: number) {
    const size = { file_id: fileId, file_unique_id: fileId, width: 1, height: 1, ...(fileSize ? { file_size: fileSize } : {}) };
    return this.send({ message: { message_id: ++updateId, date: 0, chat: this.chat, from: this.from, photo: [size] } as never });
  }

  edit(text: string) {
    return this.send({ edited_message: { message_id: 1, date: 0, edit_date: 1, chat: this.chat, from: this.from, text } as never });
  }

  /** Presses an inline button with this callback data (whether or not it is still on screen). */
  press(data: string, messageId = 1) {
    return this.send({
      callback_query: {
        id: String(++updateId),
        from: this.from,
        chat_instance: 'ci',
        data,
        message: { message_id: messageId, date: 0, chat: this.chat, text: '' },
      } as never,
    });
  }

  /** Presses the button whose label matches, in the last message that had inline buttons. */
  tap(label: string | RegExp) {
    const button = this.lastInlineButtons().find((b) => (typeof label === 'string' ? b.text === label : label.test(b.text)));
    if (!button)
      throw new Error(
        `no button ${label} among: ${this.lastInlineButtons()
          .map((b) => b.text)
          .join(' | ')}`,
      );
    return this.press(button.callback_data);
  }

  /** Everything the bot sent to this chat, newest last. */
  messages(): ApiCall[] {
    return this.kit.api.calls.filter((c) => c.payload.chat_id === this.id && (c.method === 'sendMessage' || c.method === 'editMessageText'));
  }

  lastText(): string {
    return this.messages().at(-1)?.payload.text ?? '';
  }

  lastInlineButtons(): { text: string; callback_data: string }[] {
    const withButtons = this.messages()
      .filter((m) => m.payload.reply_markup?.inline_keyboard)
      .at(-1);
    return (withButtons?.payload.reply_markup.inline_keyboard ?? []).flat();
  }

  /** The labels of the persistent (reply) keyboard last shown. */
  lastMenu(): string[] {
    const withMenu = this.messages()
      .filter((m) => m.payload.reply_markup?.keyboard)
      .at(-1);
    return (withMenu?.payload.reply_markup.keyboard ?? []).flat().map((b: { text: string } | string) => (typeof b === 'string' ? b : b.text));
  }

  /** Texts of the answers to callback queries (toasts). */
  toasts(calls: ApiCall[]): string[] {
    return calls.filter((c) => c.method === 'answerCallbackQuery' && c.payload.text).map((c) => c.payload.text);
  }
}

/** An operator in the operators' forum group: presses the cards' buttons, replies in a topic. */
export class Operator {
  constructor(
    private readonly kit: TestBot,
    readonly id: number,
    readonly chatId: number,
  ) {}

  private get from() {
    return { id: this.id, is_bot: false, first_name: 'Оператор', language_code: 'ru' };
  }
  private get chat() {
    return { id: this.chatId, type: 'supergroup' as const, title: 'Операторы', is_forum: true as const };
  }

  async send(update: Omit<Update, 'update_id'>): Promise<ApiCall[]> {
    const before = this.kit.api.calls.length;
    await this.kit.bot.handleUpdate({ update_id: ++updateId, ...update } as Update);
    await this.kit.runner.drained();
    return this.kit.api.calls.slice(before);
  }

  /** Presses a button of a message in a topic (the card's). */
  press(data: string, message: { messageId: number; threadId?: number } = { messageId: 1 }) {
    return this.send({
      callback_query: {
        id: String(++updateId),
        from: this.from,
        chat_instance: 'group',
        data,
        message: {
          message_id: message.messageId,
          date: 0,
          chat: this.chat,
          from: BOT_INFO,
          text: '',
          ...(message.threadId ? { message_thread_id: message.threadId, is_topic_message: true } : {}),
        },
      } as never,
    });
  }

  /** Writes in the group (a command if it starts with «/»). */
  say(text: string) {
    const entities = text.startsWith('/') ? [{ type: 'bot_command' as const, offset: 0, length: text.split(' ')[0]!.length }] : undefined;
    return this.send({ message: { message_id: ++updateId, date: 0, chat: this.chat, from: this.from, text, ...(entities ? { entities } : {}) } as never });
  }

  /** Replies in a topic to a message of the bot. */
  reply(text: string, to: { messageId: number; threadId?: number }) {
    const thread = to.threadId ? { message_thread_id: to.threadId, is_topic_message: true } : {};
    return this.send({
      message: {
        message_id: ++updateId,
        date: 0,
        chat: this.chat,
        from: this.from,
        text,
        ...thread,
        reply_to_message: { message_id: to.messageId, date: 0, chat: this.chat, from: BOT_INFO, text: '', ...thread },
      } as never,
    });
  }

  /** Toasts this operator was shown. */
  toasts(calls: ApiCall[]): string[] {
    return calls.filter((c) => c.method === 'answerCallbackQuery' && c.payload.text).map((c) => c.payload.text);
  }
}
