import Fastify from 'fastify';
import { Redis } from 'ioredis';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBilling } from '../src/billing/index.ts';
import { importFiles } from '../src/billing/import/index.ts';
import { startBot, WEBHOOK_PATH } from '../src/bot/start-bot.ts';
import { createTranslator } from '../src/i18n.ts';
import { createLogger } from '../src/logger.ts';
import { createMail, createMailer } from '../src/mail/index.ts';
import { inlineRenderer } from '../src/pdf/renderer.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { FIXTURE_DIR } from './support/fixture.ts';
import { startBotApiServer } from './support/bot-api-server.ts';

const TOKEN = '7000001:TEST-TOKEN-FOR-VITEST-ONLY-xxxxxxxx';
let db: TestDatabase;
let redis: Redis;

beforeAll(async () => {
  db = await freshDatabase();
  await importFiles(db.orm, [FIXTURE_DIR]);
  redis = new Redis('redis://127.0.0.1:6379', { keyPrefix: `test:startbot:${process.pid}:${Date.now()}:` });
});
afterAll(async () => {
  await redis.quit();
  await db.drop();
});

function deps() {
  const log = createLogger('silent');
  const billing = createBilling({ orm: db.orm });
  const translator = createTranslator();
  const renderer = inlineRenderer(translator);
  const mail = createMail({ billing, mailer: createMailer({ from: { name: 'V', address: 'v@x.test' }, outboxDir: os.tmpdir(), log }), renderer, translator, publicUrl: 'http://x', log });
  return { billing, mail, renderer, jobs: { send: () => Promise.reject(new Error('these tests hand over no jobs')) }, redis, log, photoDir: os.tmpdir() };
}
const help = (updateId: number, user: number) => ({
  update_id: updateId,
  message: { message_id: 1, date: 0, chat: { id: user, type: 'private' as const, first_name: 'T' }, from: { id: user, is_bot: false, first_name: 'T' }, text: '/help', entities: [{ type: 'bot_command' as const, offset: 0, length: 5 }] },
});

describe('starting the bot through TELEGRAM_API_ROOT', () => {
  it('in webhook mode: registers the commands and the webhook with its secret, mounts the route, answers updates posted to it', async () => {
    const api = await startBotApiServer();
    const web = Fastify();
    try {
      const bot = await startBot({
        ...deps(),
        config: { enabled: true, token: TOKEN, apiRoot: api.root, mode: { kind: 'webhook', url: 'https://bot.example.org/telegram/webhook', secret: 'webhook-secret-0123456789' } },
        mountWebhook: (path, handler) => web.post(path, handler as never),
      });
      expect(bot.mode).toBe('webhook');
      expect(api.calls.filter((c) => c.method === 'setMyCommands').map((c) => c.payload.language_code ?? 'default')).toEqual(['default', 'ru', 'en']);
      expect(api.calls.find((c) => c.method === 'setWebhook')?.payload).toEqual({
        url: 'https://bot.example.org/telegram/webhook', secret_token: 'webhook-secret-0123456789', allowed_updates: ['message', 'edited_message', 'callback_query'],
      });
      expect(api.calls.some((c) => c.method === 'getUpdates' || c.method === 'deleteWebhook')).toBe(false);

      const refused = await web.inject({ method: 'POST', url: WEBHOOK_PATH, payload: help(93_000_001, 6_900_001) });
      expect(refused.statusCode).toBe(401);
      const handled = await web.inject({ method: 'POST', url: WEBHOOK_PATH, payload: help(93_000_002, 6_900_001), headers: { 'x-telegram-bot-api-secret-token': 'webhook-secret-0123456789' } });
      expect(handled.statusCode).toBe(200);
      const replies = api.calls.filter((c) => c.method === 'sendMessage');
      expect(replies.map((c) => c.payload.chat_id)).toEqual([6_900_001]);
      expect(replies[0]!.payload.text).toMatch(/^Что умеет бот/);
      await bot.stop();
    } finally {
      await web.close();
      await api.close();
    }
  });

  it('in long polling mode: drops a webhook, polls, answers, and stops cleanly', async () => {
    const api = await startBotApiServer();
    try {
      const bot = await startBot({
        ...deps(),
        config: { enabled: true, token: TOKEN, apiRoot: api.root, mode: { kind: 'polling' } },
        mountWebhook: () => {
          throw new Error('no route in long polling mode');
        },
      });
      expect(bot.mode).toBe('long polling');
      expect(api.calls.some((c) => c.method === 'deleteWebhook')).toBe(true);
      api.updates.push(help(93_000_101, 6_900_002) as never);
      const deadline = Date.now() + 5000;
      while (!api.calls.some((c) => c.method === 'sendMessage') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(api.calls.filter((c) => c.method === 'sendMessage').map((c) => c.payload.chat_id)).toEqual([6_900_002]);
      await bot.stop();
    } finally {
      await api.close();
    }
  });
});
