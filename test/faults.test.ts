import Fastify from 'fastify';
import type { Update } from 'grammy/types';
import { Redis } from 'ioredis';
import os from 'node:os';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../src/billing/import/index.ts';
import { startBot, WEBHOOK_PATH } from '../src/bot/start-bot.ts';
import { migrate, openOrm, type Orm } from '../src/db/orm.ts';
import { localFileStore } from '../src/files/store.ts';
import { isOutage } from '../src/outage.ts';
import { startBotApiServer } from './support/bot-api-server.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { FIXTURE_DIR } from './support/fixture.ts';
import { quietDeps } from './support/quiet-deps.ts';
import { ownPostgres, ownRedis } from './support/servers.ts';
import { createTestBot, Resident, type TestBot } from './support/telegram.ts';

const TOKEN = '7000001:TEST-TOKEN-FOR-VITEST-ONLY-xxxxxxxx';
const OUTAGE_RU = /^Сейчас не получается сохранить/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

const help = (updateId: number, user: number): Update =>
  ({
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 0,
      chat: { id: user, type: 'private', first_name: 'T' },
      from: { id: user, is_bot: false, first_name: 'T' },
      text: '/help',
      entities: [{ type: 'bot_command', offset: 0, length: 5 }],
    },
  }) as Update;

describe('Redis stops and starts again', () => {
  let db: TestDatabase;
  let redisServer: Awaited<ReturnType<typeof ownRedis>>;
  let redis: Redis;

  beforeAll(async () => {
    db = await freshDatabase();
    await importFiles(db.orm, [FIXTURE_DIR]);
    redisServer = await ownRedis();
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 2, enableAutoPipelining: true });
    redis.on('error', () => undefined);
  });
  afterAll(async () => {
    redis.disconnect();
    await redisServer.stop();
    await db.drop();
  });

  const deps = () => {
    const { billing, mail, renderer, log } = quietDeps(db.orm);
    return {
      billing,
      mail,
      renderer,
      log,
      redis,
      jobs: { send: () => Promise.reject(new Error('no jobs here')) },
      files: localFileStore({ dir: os.tmpdir() }),
      servicesUp: async () => (await redis.ping()) === 'PONG',
      backoff: { firstMs: 50, maxMs: 200 },
    };
  };

  it('in long polling: updates sent while it is down are held and all answered once it is back, each once', async () => {
    const api = await startBotApiServer();
    const bot = startBot({
      ...deps(),
      config: { enabled: true, token: TOKEN, apiRoot: api.root, mode: { kind: 'polling' } },
      mountWebhook: () => {
        throw new Error('no route in long polling mode');
      },
    });
    try {
      expect(await bot.ready).toBe(true);
      await redisServer.stop();
      const users = [6_910_001, 6_910_002, 6_910_003, 6_910_004, 6_910_005, 6_910_006];
      api.push(...users.map((u, i) => help(94_000_001 + i, u)));
      await sleep(1500);
      // While it is down nothing is answered as if it had worked.
      expect(api.calls.filter((c) => c.method === 'sendMessage' && /^Что умеет бот/.test(c.payload.text))).toEqual([]);
      await redisServer.start();
      const answered = () => api.calls.filter((c) => c.method === 'sendMessage' && /^Что умеет бот/.test(c.payload.text));
      expect(await eventually(() => answered().length >= users.length)).toBe(true);
      await sleep(300);
      expect(
        answered()
          .map((c) => c.payload.chat_id)
          .sort(),
      ).toEqual(users);
    } finally {
      await bot.stop();
      await api.close();
    }
  });

  it('in webhook mode: 503 while it is down (Telegram delivers again), and the update delivered again is answered', async () => {
    const api = await startBotApiServer();
    const web = Fastify();
    const secret = 'webhook-secret-0123456789';
    const bot = startBot({
      ...deps(),
      config: { enabled: true, token: TOKEN, apiRoot: api.root, mode: { kind: 'webhook', url: 'https://bot.example.org/telegram/webhook', secret } },
      mountWebhook: (path, handler) => web.post(path, handler),
    });
    try {
      expect(await bot.ready).toBe(true);
      const post = (payload: unknown) =>
        web.inject({ method: 'POST', url: WEBHOOK_PATH, payload: payload as never, headers: { 'x-telegram-bot-api-secret-token': secret } });
      await redisServer.stop();
      const during = await post(help(94_000_101, 6_910_101));
      expect(during.statusCode).toBe(503);
      expect(during.body).not.toMatch(/redis|Connection|MaxRetries|ECONN/i);
      await redisServer.start();
      await eventually(() => redis.status === 'ready', 5000);
      const again = await post(help(94_000_101, 6_910_101));
      expect(again.statusCode).toBe(200);
      expect(api.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === 6_910_101).map((c) => c.payload.text)).toEqual([
        expect.stringMatching(/^Что умеет бот/),
      ]);
      // A body that is no update is refused plainly, without the error's text.
      const nothing = await post(null);
      expect(nothing.statusCode).toBe(400);
      expect(nothing.body).not.toMatch(/Cannot read|null/);
    } finally {
      await bot.stop();
      await web.close();
      await api.close();
    }
  });
});

describe('PostgreSQL stops and starts again while a resident confirms readings', () => {
  let server: Awaited<ReturnType<typeof ownPostgres>>;
  let orm: Orm;
  let kit: TestBot;

  beforeAll(async () => {
    server = await ownPostgres();
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('create database vodokanal');
    await admin.end();
    orm = await openOrm(server.url.replace(/\/postgres$/, '/vodokanal'), 4);
    await migrate(orm);
    await importFiles(orm, [FIXTURE_DIR]);
    kit = await createTestBot(orm);
  }, 60_000);
  afterAll(async () => {
    await kit?.close().catch(() => undefined);
    await orm?.close();
    await server?.remove();
  });

  it('the confirmation is not lost: the resident is told it will be retried, and the same update stores it once the database is back', async () => {
    const r = new Resident(kit, 6_920_001);
    await r.agreeAndLink('002901800602302', '7', '30', 'Михайлова');
    await r.say('📟 Передать показания');
    await r.tap('Все счётчики по очереди');
    await r.say('61');
    await r.tap('Пропустить этот счётчик');
    const confirm = r.lastInlineButtons().find((b) => b.text === '✅ Подтвердить')!;
    const update = {
      update_id: 95_000_001,
      callback_query: {
        id: '95000001',
        from: { id: r.id, is_bot: false, first_name: 'Тест', language_code: 'ru' },
        chat_instance: 'ci',
        data: confirm.callback_data,
        message: { message_id: 1, date: 0, chat: { id: r.id, type: 'private', first_name: 'Тест' }, text: '' },
      },
    } as Update;

    await server.stop();
    const failed = await kit.bot.handleUpdate(update).then(
      () => null,
      (err: unknown) => err,
    );
    // The update is not swallowed: its error goes up as an outage, so the webhook answers 5xx and polling holds it.
    expect(failed).not.toBeNull();
    expect(isOutage(failed)).toBe(true);
    expect(r.messages().at(-1)?.payload.text).toMatch(OUTAGE_RU);
    expect(r.messages().some((m) => /Эта кнопка уже не действует/.test(m.payload.text ?? ''))).toBe(false);

    await server.start();
    // Delivered again later than Telegram takes a button's answer: the press still does its work, and nothing says it failed.
    kit.api.failures.set('answerCallbackQuery', () => ({
      error_code: 400,
      description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
    }));
    await kit.bot.handleUpdate(update);
    kit.api.failures.delete('answerCallbackQuery');
    expect(r.lastText()).toMatch(/^Показания приняты/);
    expect(r.messages().some((m) => /что-то пошло не так/.test(m.payload.text ?? ''))).toBe(false);
    const [row] = await orm.em
      .fork()
      .execute<{ n: number }[]>(
        `select count(*)::int as n from reading r join meter m on m.id = r.meter_id where m.serial = '17356088' and r.source = 'telegram'`,
      );
    expect(row!.n).toBe(1);
    // The same update once more (a second instance, a late redelivery) does nothing more.
    const before = kit.api.calls.length;
    await kit.bot.handleUpdate(update);
    expect(kit.api.calls.length).toBe(before);
  }, 60_000);
});
