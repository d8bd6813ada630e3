// npm run bench:bot [-- --residents 2000 --concurrency 16,32,64]
// Simulated residents, each doing /start → consent → balance through the real middleware stack
// (Redis sessions, PostgreSQL billing), with the Bot API answered in-process. Beside it, on the
// same harness, a bare grammY bot that answers every update with one message: the ceiling.
// Target for ours: ≥ 1,500 updates/s and p99 ≤ 50 ms on this 2-core machine. Each number of updates
// in flight is a run of its own, with the sessions in Redis emptied before it: the throughput is
// close at each, but the latency is bound by Little's law (64 in flight at 1,600/s is 40 ms mean).
import { Bot } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { Redis } from 'ioredis';
import pg from 'pg';
import os from 'node:os';
import { Account } from '../../db/entities/index.ts';
import { createBilling } from '../../src/billing/index.ts';
import { createBot } from '../../src/bot/create-bot.ts';
import { redisLimits } from '../../src/bot/limits.ts';
import { seedDemoIfEmpty } from '../../src/db/demo.ts';
import { migrate, openOrm } from '../../src/db/orm.ts';
import { createLogger } from '../../src/logger.ts';
import { createTranslator } from '../../src/i18n.ts';
import { createMail, createMailer } from '../../src/mail/index.ts';
import { inlineRenderer } from '../../src/pdf/renderer.ts';
import { viaTelegram } from '../../src/billing/index.ts';
import { localFileStore } from '../../src/files/store.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RESIDENTS = arg('residents', 2000);
const i = process.argv.indexOf('--concurrency');
const CONCURRENCIES = (i > 0 ? process.argv[i + 1]! : '16,32,64').split(',').map(Number);
const SERVER = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const BOT_INFO = { id: 1, is_bot: true, first_name: 'Bench', username: 'bench_bot' } as UserFromGetMe;

/**
 * The Bot API, answered at once and in-process. The answer is JSON text that grammY parses, as
 * it would parse Telegram's; it is not wrapped in a WHATWG Response (Node's costs ~35 µs to
 * build and read, several times the bot's own work for a call), because grammY only calls
 * `json()` on it. Both bots below get the same stand-in.
 */
const localApi = (async (input: string | URL | Request, init?: RequestInit) => {
  const url = String(input instanceof Request ? input.url : input);
  const method = url.slice(url.lastIndexOf('/') + 1);
  const p = typeof init?.body === 'string' ? JSON.parse(init.body) : {};
  const result = method === 'sendMessage' ? { message_id: 1, date: 0, chat: { id: p.chat_id, type: 'private' }, text: p.text } : true;
  const text = JSON.stringify({ ok: true, result });
  return { ok: true, status: 200, json: async () => JSON.parse(text) } as unknown as Response;
}) as typeof fetch;

let updateId = 1;
const message = (user: number, text: string): Update => ({
  update_id: updateId++,
  message: {
    message_id: updateId,
    date: 0,
    chat: { id: user, type: 'private', first_name: 'R' },
    from: { id: user, is_bot: false, first_name: 'R' },
    text,
    ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.length }] } : {}),
  } as never,
});
const press = (user: number, data: string): Update => ({
  update_id: updateId++,
  callback_query: {
    id: String(updateId),
    from: { id: user, is_bot: false, first_name: 'R' },
    chat_instance: 'c',
    data,
    message: { message_id: 1, date: 0, chat: { id: user, type: 'private' }, text: '' },
  } as never,
});

async function drive(name: string, handle: (u: Update) => Promise<void>, users: number[], concurrency: number) {
  // Each resident's three steps are in order; residents run side by side.
  const scripts = users.map((u) => [() => message(u, '/start'), () => press(u, 'consent:yes'), () => message(u, '💰 Баланс')]);
  const latencies: number[] = [];
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < scripts.length) {
        const script = scripts[next++]!;
        for (const step of script) {
          const t = performance.now();
          await handle(step());
          latencies.push(performance.now() - t);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  console.log(
    `${name.padEnd(14)} ${String(latencies.length).padStart(6)} updates  ${Math.round(latencies.length / seconds)
      .toString()
      .padStart(6)} updates/s` +
      `  p50 ${q(0.5).toFixed(1).padStart(5)} ms  p99 ${q(0.99).toFixed(1).padStart(6)} ms  peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
  );
  return { perSecond: latencies.length / seconds, p99: q(0.99) };
}

async function main() {
  const dbName = `vodokanal_botbench_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const redis = new Redis('redis://127.0.0.1:6379', { enableAutoPipelining: true, keyPrefix: `bench:${process.pid}:` });
  const orm = await openOrm(`${SERVER}/${dbName}`, 10);
  try {
    await migrate(orm);
    await seedDemoIfEmpty(orm);
    const billing = createBilling({ orm });
    const accounts = await orm.em.fork().find(Account, {}, { populate: ['premise.building', 'branch'], orderBy: { id: 'asc' } });
    const users = Array.from({ length: RESIDENTS }, (_, i) => 900_000_000 + i);
    // Set-up, not timed: every resident has agreed before and linked one of the demo accounts,
    // so «Баланс» does the real work; the session in Redis starts empty.
    for (const [i, user] of users.entries()) {
      const a = accounts[i % accounts.length]!;
      await billing.residents.giveConsent({ actor: viaTelegram(user), version: 'bench' });
      const premise = a.premise.$;
      const linked = await billing.residents.linkAccount({
        actor: viaTelegram(user),
        proof: {
          by: 'number',
          longNumber: a.longNumber,
          house: premise.building.$.house,
          flat: premise.flat ?? null,
          flatPrefix: premise.flatPrefix ?? null,
          surname: a.ownerFullName.split(' ')[0]!,
          pin: null,
        },
      });
      if (!linked.ok && linked.error.code !== 'pin_required') throw new Error(`set-up: ${linked.error.code}`);
    }
    const log = createLogger('silent');
    const translator = createTranslator();
    const renderer = inlineRenderer(translator);
    const mail = createMail({
      billing,
      mailer: createMailer({ from: { name: 'Bench', address: 'bench@localhost' }, outboxDir: os.tmpdir(), log }),
      renderer,
      translator,
      publicUrl: 'http://localhost',
      log,
    });
    const { bot } = createBot({
      token: '1:BENCH-TOKEN-xxxxxxxxxxxxxxxxxxxxxxxx',
      botInfo: BOT_INFO,
      fetch: localApi,
      redis,
      files: localFileStore({ dir: os.tmpdir() }),
      deps: {
        billing,
        mail,
        renderer,
        jobs: { send: () => Promise.reject(new Error('the benchmark hands over no jobs')) },
        limits: redisLimits(redis),
        log,
        consentVersion: 'bench',
      },
    });
    await bot.init();

    const bare = new Bot('1:BENCH-TOKEN-xxxxxxxxxxxxxxxxxxxxxxxx', { botInfo: BOT_INFO, client: { fetch: localApi } });
    bare.on('message', (ctx) => ctx.reply('ok'));
    bare.on('callback_query', (ctx) => ctx.answerCallbackQuery());
    await bare.init();

    for (const concurrency of CONCURRENCIES) {
      // Every run starts as the first: no session in Redis yet (consent comes back from PostgreSQL).
      const prefix = redis.options.keyPrefix!;
      const own = (await redis.keys('*')).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
      if (own.length) await redis.del(...own);
      console.log(`\n${RESIDENTS} residents × (/start, consent, balance), ${concurrency} at a time; Bot API answered in-process`);
      await drive('bare grammY', (u) => bare.handleUpdate(u), users, concurrency);
      const ours = await drive('vodokanal bot', (u) => bot.handleUpdate(u), users, concurrency);
      console.log(`target ≥ 1500 updates/s and p99 ≤ 50 ms at ${concurrency} in flight: ${ours.perSecond >= 1500 && ours.p99 <= 50 ? 'met' : 'NOT met'}`);
    }
  } finally {
    await orm.close();
    const keys = await redis.keys('*');
    const own = keys.filter((k) => k.startsWith(`bench:${process.pid}:`)).map((k) => k.slice(`bench:${process.pid}:`.length));
    for (let i = 0; i < own.length; i += 1000) await redis.del(...own.slice(i, i + 1000));
    redis.disconnect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

await main();
