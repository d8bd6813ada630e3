import Fastify from 'fastify';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../src/billing/import/index.ts';
import { startBot, WEBHOOK_PATH } from '../src/bot/start-bot.ts';
import { createTranslator } from '../src/i18n.ts';
import { createLogger } from '../src/logger.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { FIXTURE_DIR } from './support/fixture.ts';
import { startBotApiServer } from './support/bot-api-server.ts';
import { buildWeb } from '../src/web/app.ts';
import { quietDeps } from './support/quiet-deps.ts';
import { localFileStore } from '../src/files/store.ts';

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
  const { billing, mail, renderer, log } = quietDeps(db.orm);
  return {
    billing,
    mail,
    renderer,
    jobs: { send: () => Promise.reject(new Error('these tests hand over no jobs')) },
    redis,
    log,
    files: localFileStore({ dir: os.tmpdir() }),
  };
}
const help = (updateId: number, user: number) => ({
  update_id: updateId,
  message: {
    message_id: 1,
    date: 0,
    chat: { id: user, type: 'private' as const, first_name: 'T' },
    from: { id: user, is_bot: false, first_name: 'T' },
    text: '/help',
    entities: [{ type: 'bot_command' as const, offset: 0, length: 5 }],
  },
});

describe('starting the bot through TELEGRAM_API_ROOT', () => {
  it('in webhook mode: registers the commands and the webhook with its secret, mounts the route, answers updates posted to it', async () => {
    const api = await startBotApiServer();
    const web = Fastify();
    try {
      const bot = startBot({
        ...deps(),
        config: {
          enabled: true,
          token: TOKEN,
          apiRoot: api.root,
          mode: { kind: 'webhook', url: 'https://bot.example.org/telegram/webhook', secret: 'webhook-secret-0123456789' },
        },
        mountWebhook: (path, handler) => web.post(path, handler),
      });
      expect(bot.mode).toBe('webhook');
      expect(await bot.ready).toBe(true);
      expect(api.calls.filter((c) => c.method === 'setMyCommands').map((c) => c.payload.language_code ?? 'default')).toEqual(['default', 'ru', 'en']);
      expect(api.calls.find((c) => c.method === 'setWebhook')?.payload).toEqual({
        url: 'https://bot.example.org/telegram/webhook',
        secret_token: 'webhook-secret-0123456789',
        allowed_updates: ['message', 'edited_message', 'callback_query', 'my_chat_member'],
      });
      expect(api.calls.some((c) => c.method === 'getUpdates' || c.method === 'deleteWebhook')).toBe(false);

      const refused = await web.inject({ method: 'POST', url: WEBHOOK_PATH, payload: help(93_000_001, 6_900_001) });
      expect(refused.statusCode).toBe(401);
      const handled = await web.inject({
        method: 'POST',
        url: WEBHOOK_PATH,
        payload: help(93_000_002, 6_900_001),
        headers: { 'x-telegram-bot-api-secret-token': 'webhook-secret-0123456789' },
      });
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
      const bot = startBot({
        ...deps(),
        config: { enabled: true, token: TOKEN, apiRoot: api.root, mode: { kind: 'polling' } },
        mountWebhook: () => {
          throw new Error('no route in long polling mode');
        },
      });
      expect(bot.mode).toBe('long polling');
      expect(await bot.ready).toBe(true);
      expect(api.calls.some((c) => c.method === 'deleteWebhook')).toBe(true);
      api.push(help(93_000_101, 6_900_002));
      const deadline = Date.now() + 5000;
      while (!api.calls.some((c) => c.method === 'sendMessage') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(api.calls.filter((c) => c.method === 'sendMessage').map((c) => c.payload.chat_id)).toEqual([6_900_002]);
      await bot.stop();
    } finally {
      await api.close();
    }
  });
});

/** A loopback port nothing listens on (yet). */
async function closedPort() {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('when the Bot API cannot be reached', () => {
  it('the web serves and /readyz says the bot is down (still ready: the web works); the webhook answers 503; the bot comes up once Telegram answers', async () => {
    const port = await closedPort();
    const lines: string[] = [];
    const log = createLogger('info', { write: (line: string) => void lines.push(line) });
    const web = await buildWeb({
      ...deps(),
      translator: createTranslator(),
      log: createLogger('silent'),
      readiness: { database: () => 'up', bot: () => (bot.state === 'stopped' ? 'down' : bot.state) },
    });
    const bot = startBot({
      ...deps(),
      log,
      config: {
        enabled: true,
        token: TOKEN,
        apiRoot: `http://127.0.0.1:${port}`,
        mode: { kind: 'webhook', url: 'https://bot.example.org/telegram/webhook', secret: 'webhook-secret-0123456789' },
      },
      mountWebhook: (path, handler) => web.post(path, handler),
      backoff: { firstMs: 50, maxMs: 200 },
    });
    let api: Awaited<ReturnType<typeof startBotApiServer>> | undefined;
    try {
      await web.listen({ host: '127.0.0.1', port: 0 });
      expect(bot.state).toBe('starting');
      // Several attempts fail (connection refused); the web answers all along.
      const deadline = Date.now() + 5000;
      while (lines.filter((l) => l.includes('trying again')).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const retries = lines.filter((l) => l.includes('trying again')).map((l) => JSON.parse(l));
      expect(retries.length).toBeGreaterThanOrEqual(3);
      // Back-off: 50, 100, 200, 200 ms.
      expect(retries.slice(0, 4).map((r) => r.retryInMs)).toEqual([50, 100, 200, 200].slice(0, Math.min(4, retries.length)));
      expect(lines.join('')).not.toContain(TOKEN.split(':')[1]);
      expect((await web.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      const ready = await web.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ database: 'up', redis: 'off', bot: 'down', jobs: 'off' });
      const early = await web.inject({
        method: 'POST',
        url: WEBHOOK_PATH,
        payload: help(93_000_201, 6_900_003),
        headers: { 'x-telegram-bot-api-secret-token': 'webhook-secret-0123456789' },
      });
      expect(early.statusCode).toBe(503);
      expect((await web.inject({ method: 'POST', url: WEBHOOK_PATH, payload: help(93_000_202, 6_900_003) })).statusCode).toBe(401);

      // Telegram is reachable again, on the same address.
      api = await startBotApiServer(port);
      expect(await bot.ready).toBe(true);
      expect(bot.state).toBe('up');
      expect(api.calls.map((c) => c.method)).toEqual(['getMe', 'setMyCommands', 'setMyCommands', 'setMyCommands', 'setWebhook']);
      expect((await web.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ database: 'up', redis: 'off', bot: 'up', jobs: 'off' });
      const handled = await web.inject({
        method: 'POST',
        url: WEBHOOK_PATH,
        payload: help(93_000_203, 6_900_003),
        headers: { 'x-telegram-bot-api-secret-token': 'webhook-secret-0123456789' },
      });
      expect(handled.statusCode).toBe(200);
      expect(api.calls.filter((c) => c.method === 'sendMessage').map((c) => c.payload.chat_id)).toEqual([6_900_003]);
    } finally {
      await bot.stop();
      await web.close();
      await api?.close();
    }
  });

  it('stops cleanly while it is still trying', async () => {
    const port = await closedPort();
    const bot = startBot({
      ...deps(),
      config: { enabled: true, token: TOKEN, apiRoot: `http://127.0.0.1:${port}`, mode: { kind: 'polling' } },
      mountWebhook: () => undefined,
      backoff: { firstMs: 10_000, maxMs: 60_000 },
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(bot.state).toBe('down');
    const started = Date.now();
    await bot.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await bot.ready).toBe(false);
  });
});

describe('/readyz', () => {
  it('names each part, 200 while none configured is down, 503 when one is', async () => {
    const web = await buildWeb({
      ...deps(),
      translator: createTranslator(),
      readiness: { database: () => 'up', redis: () => 'up', bot: () => 'starting', jobs: () => 'up' },
    });
    const down = await buildWeb({
      ...deps(),
      translator: createTranslator(),
      readiness: {
        database: async () => {
          throw new Error('connection refused');
        },
        jobs: () => 'up',
      },
    });
    try {
      const ok = await web.inject({ method: 'GET', url: '/readyz' });
      expect([ok.statusCode, ok.json()]).toEqual([200, { database: 'up', redis: 'up', bot: 'starting', jobs: 'up' }]);
      const bad = await down.inject({ method: 'GET', url: '/readyz' });
      expect([bad.statusCode, bad.json()]).toEqual([503, { database: 'down', redis: 'off', bot: 'off', jobs: 'up' }]);
    } finally {
      await web.close();
      await down.close();
    }
  });
});
