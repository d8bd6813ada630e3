// The Bot API on a loopback port, for what goes through TELEGRAM_API_ROOT itself: the start-up
// calls and long polling in tests (test/start-bot.test.ts, test/faults.test.ts), and the scripts
// that drive the real process (npm run fuzz, bench:outage, bench:bot). getMe, getUpdates from a
// queue (a long poll: held until an update is pushed), every other method answered ok with a
// plausible result; records every call and tells listeners of each as it arrives.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Update } from 'grammy/types';
import { BOT_INFO } from './telegram.ts';

export interface BotApiCall {
  method: string;
  /** The JSON body; of a multipart upload (sendDocument) its plain fields. */
  payload: Record<string, any>;
  /** What was answered (a sent message, with its id). */
  result: unknown;
  /** When it arrived (performance.now() of this process). */
  at: number;
}

// A 1×1 JPEG, for the files the bot downloads (meter photos).
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
const SENDS = new Set(['sendMessage', 'sendPhoto', 'sendDocument', 'sendLocation', 'forwardMessage']);
const EDITS = new Set(['editMessageText', 'editMessageReplyMarkup', 'editMessageCaption']);
/** Longest a getUpdates with nothing to give is held (Telegram holds it for its `timeout`). */
const LONG_POLL_MS = 1_000;

/** The plain fields of a multipart/form-data body (files skipped). */
function formFields(body: Buffer, contentType: string): Record<string, string> {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (!boundary) return {};
  const fields: Record<string, string> = {};
  for (const part of body.toString('latin1').split(`--${boundary}`)) {
    const m = /^\r\ncontent-disposition:\s*form-data;\s*name="([^"]+)"\r\n\r\n([\s\S]*)\r\n$/i.exec(part);
    if (m) fields[m[1]!] = Buffer.from(m[2]!, 'latin1').toString('utf8');
  }
  return fields;
}

export async function startBotApiServer(port = 0) {
  const queue: Update[] = [];
  let nextId = 0;
  /** The highest update id the bot confirmed (asked getUpdates with an offset past it). */
  let confirmed = -1;
  const calls: BotApiCall[] = [];
  const answeredCallbacks = new Set<string>();
  const methods = new Map<string, number>();
  const listeners = new Set<(call: BotApiCall) => void>();
  /** getUpdates requests held until an update comes. */
  const polls = new Set<() => void>();
  let lastCallAt = Date.now();
  let messageId = 1;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '';
      if (url.startsWith('/file/')) {
        res.setHeader('content-type', 'image/jpeg');
        return res.end(JPEG);
      }
      const method = url.split('/').pop() ?? '';
      const type = req.headers['content-type'] ?? '';
      const body = Buffer.concat(chunks);
      let payload: Record<string, any> = {};
      try {
        if (type.includes('json') && body.length) payload = JSON.parse(body.toString('utf8'));
        else if (type.includes('multipart/form-data')) payload = formFields(body, type);
      } catch {
        payload = {};
      }
      methods.set(method, (methods.get(method) ?? 0) + 1);
      const answer = (result: unknown) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true, result }));
      };
      const record = (result: unknown) => {
        const call: BotApiCall = { method, payload, result, at: performance.now() };
        calls.push(call);
        return call;
      };
      if (method === 'getMe') return answer(record(BOT_INFO).result);
      if (method === 'getUpdates') {
        record(true);
        const offset = Number(payload.offset ?? 0);
        if (offset > 0) confirmed = Math.max(confirmed, offset - 1);
        while (queue.length && queue[0]!.update_id < offset) queue.shift();
        const limit = Math.min(100, Number(payload.limit ?? 100));
        if (queue.length) return answer(queue.slice(0, limit));
        // Nothing yet: held until an update is pushed (or the poll's time is up), as Telegram does.
        const give = () => {
          polls.delete(give);
          clearTimeout(timer);
          answer(queue.slice(0, limit));
        };
        const timer = setTimeout(give, Math.min(LONG_POLL_MS, Number(payload.timeout ?? 1) * 1000));
        polls.add(give);
        res.once('close', () => {
          polls.delete(give);
          clearTimeout(timer);
        });
        return;
      }
      lastCallAt = Date.now();
      const chatId = payload.chat_id === undefined ? undefined : Number.isNaN(Number(payload.chat_id)) ? payload.chat_id : Number(payload.chat_id);
      if (method === 'answerCallbackQuery') answeredCallbacks.add(String(payload.callback_query_id));
      const message = () => ({
        message_id: ++messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chatId, type: typeof chatId === 'number' && chatId < 0 ? 'supergroup' : 'private' },
        from: BOT_INFO,
        ...(typeof payload.text === 'string' ? { text: payload.text } : {}),
      });
      let result: unknown = true;
      if (method === 'copyMessage') result = { message_id: ++messageId };
      else if (SENDS.has(method) || EDITS.has(method)) result = message();
      else if (method === 'getFile')
        result = { file_id: payload.file_id, file_unique_id: `u${payload.file_id}`, file_size: JPEG.length, file_path: `photos/${messageId}.jpg` };
      else if (method === 'getChatMember') result = { status: 'administrator', user: BOT_INFO, can_manage_topics: true };
      else if (method === 'getChat') result = { id: chatId, type: 'private' };
      else if (method === 'createForumTopic') result = { message_thread_id: ++messageId, name: payload.name, icon_color: 0 };
      else if (method === 'getMyCommands') result = [];
      if (chatId !== undefined) payload = { ...payload, chat_id: chatId };
      const call = record(result);
      answer(result);
      for (const listener of listeners) listener(call);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    root: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Every call, in order (a getUpdates with `result` true: what it gave is in the queue's history). */
    calls,
    /** Queues updates for getUpdates, under their own ids or fresh ones (returns the ids). */
    push(...updates: (Omit<Update, 'update_id'> & { update_id?: number })[]) {
      const ids = updates.map((u) => {
        const id = u.update_id ?? nextId;
        nextId = Math.max(nextId, id + 1);
        queue.push({ ...u, update_id: id } as Update);
        return id;
      });
      for (const give of [...polls]) give();
      return ids;
    },
    /** An id for an update posted some other way (webhook). */
    nextId: () => nextId++,
    /** Called with each call as it arrives (returns the way to stop). */
    onCall(listener: (call: BotApiCall) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get confirmed() {
      return confirmed;
    },
    get pending() {
      return queue.length;
    },
    get lastCallAt() {
      return lastCallAt;
    },
    answeredCallbacks,
    methods,
    close: () =>
      new Promise<void>((resolve) => {
        for (const give of [...polls]) give();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type BotApiServer = Awaited<ReturnType<typeof startBotApiServer>>;
