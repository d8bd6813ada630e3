// npm run bench:outage [-- --updates 50 --outage 30 --webhook --dump]
// The real process (node dist/main.mjs, as `npm start` builds and runs it) in long polling against a Bot API stand-in in
// this process, on a Redis and a PostgreSQL of this script's own (spare ports; the machine's
// shared servers stay up). For each service: stop it for --outage seconds, meanwhile send
// --updates /help updates from distinct residents (and a few /start and button presses), bring it
// back, wait up to 60 s, and count the residents answered with the /help text. With --webhook the
// same in webhook mode, Telegram's redelivery simulated: an update answered 5xx is posted again
// every 5 s. --dump: what the pressing residents got, and the log's warnings.
import { ownPostgres, ownRedis } from '../support/servers.ts';
import { BENCH_TOKEN, spawnApp } from '../support/app-process.ts';
import { startBotApiServer, type BotApiServer } from '../support/bot-api-server.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const K = arg('updates', 50);
const OUTAGE_S = arg('outage', 30);
const WEBHOOK = process.argv.includes('--webhook');
const SECRET = 'bench-webhook-secret-0123456789';
const HELP = 'Что умеет бот';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let nextUser = 200_000;
let messageId = 1;
const helpUpdate = (id: number) => ({
  message: {
    message_id: ++messageId,
    date: Math.floor(Date.now() / 1000),
    chat: { id, type: 'private', first_name: 'F' },
    from: { id, is_bot: false, first_name: 'F', language_code: 'ru' },
    text: '/help',
    entities: [{ type: 'bot_command', offset: 0, length: 5 }],
  },
});
const startUpdate = (id: number) => ({
  message: {
    message_id: ++messageId,
    date: Math.floor(Date.now() / 1000),
    chat: { id, type: 'private', first_name: 'F' },
    from: { id, is_bot: false, first_name: 'F', language_code: 'ru' },
    text: '/start',
    entities: [{ type: 'bot_command', offset: 0, length: 6 }],
  },
});
let cb = 0;
const press = (id: number, data: string) => ({
  callback_query: {
    id: `out-cb-${++cb}`,
    from: { id, is_bot: false, first_name: 'F', language_code: 'ru' },
    chat_instance: '1',
    message: { message_id: 1, date: 0, chat: { id, type: 'private' }, text: 'x' },
    data,
  },
});

async function main() {
  const t0 = performance.now();
  const redis = await ownRedis();
  const postgres = await ownPostgres();
  const standin = await startBotApiServer();
  const app = spawnApp({
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: 'bench-outage:',
    BOT_TOKEN: BENCH_TOKEN,
    TELEGRAM_API_ROOT: standin.root,
    SEED_DEMO: 'true',
    DATA_DIR: `/tmp/vodokanal-outage-${process.pid}`,
    ...(WEBHOOK ? { WEBHOOK_URL: 'https://bot.example.org/telegram/webhook', WEBHOOK_SECRET: SECRET } : {}),
  });

  // Webhook mode: each update is posted until it is answered 2xx (as Telegram does, here every 5 s).
  let address = '';
  const redeliveries = { posts: 0, fiveXx: 0 };
  const inFlight: Promise<void>[] = [];
  const deliver = (u: Record<string, unknown>, s: BotApiServer) => {
    const update = { ...u, update_id: s.nextId() };
    const one = (async () => {
      for (;;) {
        redeliveries.posts++;
        const status = await fetch(`${address}/telegram/webhook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body: JSON.stringify(update),
        })
          .then((r) => r.status)
          .catch(() => 599);
        if (status < 500) return;
        redeliveries.fiveXx++;
        await sleep(5_000);
      }
    })();
    inFlight.push(one);
  };
  const traced = new Set<number>();
  const send = (u: Record<string, unknown>) => {
    if (WEBHOOK) return deliver(u, standin);
    const [id] = standin.push(u);
    if (u.callback_query) traced.add(id!);
  };

  const results: string[] = [];
  try {
    await app.waitFor((l) => l.msg === (WEBHOOK ? 'bot: webhook set' : 'bot: long polling'), 'the bot', 120_000);
    if (WEBHOOK) address = String((await app.waitFor((l) => typeof l.http === 'string' && l.http.startsWith('http'), 'the web')).http);
    // Warm up: one /help answered before any outage.
    const warm = nextUser++;
    send(helpUpdate(warm));
    const deadline0 = Date.now() + 60_000;
    while (!standin.calls.some((c) => c.payload.chat_id === warm) && Date.now() < deadline0) await sleep(100);

    for (const service of [
      { name: 'Redis', server: redis },
      { name: 'PostgreSQL', server: postgres },
    ]) {
      const users = Array.from({ length: K }, () => nextUser++);
      const presses = Array.from({ length: 5 }, () => nextUser++);
      const sentBefore = standin.calls.filter((c) => c.method !== 'getUpdates').length;
      const cbBefore = cb;
      await service.server.stop();
      const stoppedAt = Date.now();
      // Spread over the first two thirds of the outage.
      for (const [i, id] of users.entries()) {
        send(helpUpdate(id));
        await sleep(Math.floor((OUTAGE_S * 1000 * 0.66) / K));
        if (i % 10 === 0) {
          const p = presses[Math.floor(i / 10) % presses.length]!;
          send(startUpdate(p));
          send(press(p, 'consent:yes'));
        }
      }
      await sleep(Math.max(0, OUTAGE_S * 1000 - (Date.now() - stoppedAt)));
      const duringOutage = standin.calls.filter((c) => c.method !== 'getUpdates').length - sentBefore;
      await service.server.start();
      const back = Date.now();
      const answered = () => new Set(standin.calls.filter((c) => c.method === 'sendMessage' && c.payload.text?.startsWith(HELP)).map((c) => c.payload.chat_id));
      const helpAnswered = () => users.filter((u) => answered().has(u)).length;
      const pressSent = Array.from({ length: cb - cbBefore }, (_, n) => `out-cb-${cbBefore + n + 1}`);
      const pressesAnswered = () => pressSent.filter((id) => standin.answeredCallbacks.has(id)).length;
      while ((helpAnswered() < K || pressesAnswered() < pressSent.length) && Date.now() - back < 60_000 && !app.exit) await sleep(200);
      const tookS = (Date.now() - back) / 1000;
      const pressAnswered = pressesAnswered();
      const m = helpAnswered();
      if (process.argv.includes('--dump'))
        for (const p of presses)
          console.log(
            'PRESS USER',
            p,
            JSON.stringify(standin.calls.filter((c) => c.payload.chat_id === p).map((c) => [c.method, c.payload.text?.slice(0, 40)])),
          );
      results.push(
        `updates sent during a ${OUTAGE_S} s outage of ${service.name}: ${K}; answered after it: ${m} (target: all ${K}) ${m === K ? 'met' : 'NOT MET'}; all within ${tookS.toFixed(1)} s of its return; button presses (after /start) during it: ${pressSent.length}, answered: ${pressAnswered}; bot calls made during the outage: ${duringOutage}`,
      );
      console.log(results.at(-1));
    }
    if (process.argv.includes('--dump')) {
      await sleep(10_000);
      for (const l of app.lines.filter((x) => traced.has(x.updateId) || Number(x.level) >= 40)) console.log('LOG', JSON.stringify(l).slice(0, 300));
      console.log(
        'PRESSES ANSWERED at the end',
        [...Array(cb).keys()].filter((n) => standin.answeredCallbacks.has(`out-cb-${n + 1}`)).length,
        'of',
        cb,
        'traced',
        [...traced],
      );
    }
    const errors = app.errors();
    console.log(`npm run bench:outage -- --updates ${K} --outage ${OUTAGE_S}${WEBHOOK ? ' --webhook' : ''} (${WEBHOOK ? 'webhook' : 'long polling'})`);
    for (const r of results) console.log(r);
    if (WEBHOOK) console.log(`webhook posts: ${redeliveries.posts}, answered 5xx (posted again 5 s later): ${redeliveries.fiveXx}`);
    console.log(
      `the process: ${app.exit ? `EXITED ${JSON.stringify(app.exit)}` : 'alive'}; error lines (level >= 50): ${errors.count}${
        errors.count
          ? ` (${[...errors.distinct]
              .slice(0, 5)
              .map(([k, n]) => `${n} × ${k}`)
              .join('; ')})`
          : ''
      }`,
    );
    console.log(`time: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await app.stop();
    await standin.close();
    await redis.stop();
    await postgres.remove();
    process.exit(0);
  }
}

await main();
