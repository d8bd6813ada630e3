// The one place that reads configuration, opens connections, starts serving and shuts down.
import { readConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { connectDatabase } from './db/connect.ts';
import { seedDemoIfEmpty } from './db/demo.ts';
import { createBilling } from './billing/index.ts';
import { startBot } from './bot/start-bot.ts';
import { checkOperatorsGroups } from './bot/operators-group.ts';
import { createTranslator } from './i18n.ts';
import { createJobRunner } from './jobs/runner.ts';
import { jobHandlers } from './jobs/index.ts';
import { memoryPace, redisPace } from './jobs/pace.ts';
import { createMail, createMailer } from './mail/index.ts';
import { buildWeb, type PartState } from './web/app.ts';
import { workerRenderer } from './pdf/renderer.ts';
import { localFileStore } from './files/store.ts';
import os from 'node:os';
import { Redis } from 'ioredis';

const redisState = (redis: Redis): PartState =>
  redis.status === 'ready' ? 'up' : redis.status === 'wait' || redis.status === 'connecting' || redis.status === 'connect' ? 'starting' : 'down';

async function main() {
  const config = readConfig();
  const log = createLogger(config.logLevel);
  // First what everything else stands on: the database, the jobs, the web. Telegram comes after, in the background.
  const db = await connectDatabase(config, log);
  if (config.seedDemo) {
    const seeded = await seedDemoIfEmpty(db.orm);
    if (seeded) log.info({ accounts: seeded.accounts }, 'the database was empty: demo data loaded');
  }

  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false, enableAutoPipelining: true }) : null;
  redis?.on('error', (err) => log.warn({ err: err.message }, 'redis: connection problem'));
  const billing = createBilling({ orm: db.orm });
  const translator = createTranslator();
  const mailer = createMailer({
    smtpUrl: config.mail.smtpUrl,
    from: { name: translator('ru')('mail-sender'), address: config.mail.from },
    outboxDir: config.mail.outboxDir,
    log,
  });
  // PDFs in worker threads: one per spare core, at least one.
  const renderer = workerRenderer({ threads: Math.max(1, os.availableParallelism() - 1) });
  const mail = createMail({ billing, mailer, renderer, translator, publicUrl: config.publicUrl, log });
  const runner = createJobRunner({ url: db.url, poolMax: db.poolMax, log, schedule: true });

  const web = await buildWeb({
    billing,
    translator,
    log,
    readiness: {
      database: async () => ((await db.orm.isConnected()) ? 'up' : 'down'),
      jobs: () => (runner.state === 'stopped' ? 'down' : runner.state),
      ...(redis ? { redis: () => redisState(redis) } : {}),
      ...(config.bot.enabled ? { bot: () => (bot!.state === 'stopped' ? 'down' : bot!.state) } : {}),
    },
  });
  // What residents send (meter photos, the requests' photos and documents), one store for all.
  const files = localFileStore({ dir: config.filesDir });
  // Built now (no network): its webhook route must be on the server before it listens.
  const bot = config.bot.enabled
    ? startBot({
        config: config.bot,
        billing,
        mail,
        renderer,
        jobs: runner.jobs,
        redis,
        log,
        files,
        operatorsChatId: config.operatorsChatId,
        mountWebhook: (path, handler) => web.post(path, handler),
      })
    : null;
  await runner.start(
    jobHandlers({
      billing,
      mail,
      renderer,
      translator,
      log,
      api: bot?.api ?? null,
      jobs: runner.jobs,
      operatorsChatId: config.operatorsChatId,
      files,
      // One rate for all instances: a token bucket in Redis (or this process's, without Redis).
      pace: redis ? redisPace(redis, config.noticesPerSecond) : memoryPace(config.noticesPerSecond),
    }),
  );
  const address = await web.listen({ host: config.http.host, port: config.http.port });

  log.info(
    { database: db.where, sessions: redis ? 'redis' : 'in memory', http: address, mail: mailer.where, bot: bot ? `connecting (${bot.mode})` : 'off' },
    `vodokanal is running: database ${db.where}; jobs on it (pg-boss); health check ${address}/healthz, readiness ${address}/readyz; mail ${config.mail.smtpUrl ? `via ${mailer.where}` : `written to ${mailer.where} (set SMTP_URL to send)`}; bot ${bot ? `connecting to Telegram (${bot.mode})` : 'off (set BOT_TOKEN to start it)'}`,
  );
  void bot?.ready.then(async (up) => {
    if (!up) return;
    log.info({ bot: bot.username }, `bot @${bot.username} is connected (${bot.mode})`);
    // Whether the operators' groups are connected and the bot may work there: logged, never fatal.
    await checkOperatorsGroups({ api: bot.api, billing, botId: bot.bot.botInfo.id, defaultChatId: config.operatorsChatId, log }).catch((err: unknown) =>
      log.warn({ err }, 'desk: the operators’ groups could not be checked'),
    );
  });
  if (!bot) log.info('operators are not connected: the bot is off (set BOT_TOKEN)');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await bot?.stop();
    // Waits for the jobs in hand; those not started stay in PostgreSQL for the next start.
    await runner.stop().catch((err: unknown) => log.error({ err }, 'jobs: stopping failed'));
    await renderer.close();
    mailer.close();
    await web.close();
    redis?.disconnect();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
