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
import { MAIL_PER_SECOND } from './jobs/notice.ts';
import { memoryPace, redisPace } from './jobs/pace.ts';
import { createMail, createMailer } from './mail/index.ts';
import { buildWeb, type PartState } from './web/app.ts';
import { workerRenderer } from './pdf/renderer.ts';
import { localFileStore } from './files/store.ts';
import { memoryLimits, redisLimits } from './bot/limits.ts';
import os from 'node:os';
import { Redis } from 'ioredis';

const redisState = (redis: Redis): PartState =>
  redis.status === 'ready' ? 'up' : redis.status === 'wait' || redis.status === 'connecting' || redis.status === 'connect' ? 'starting' : 'down';

async function main() {
  const config = readConfig();
  const log = createLogger(config.logLevel);
  // First what everything else stands on: the database, the jobs, the web. Telegram comes after, in the background.
  let db = await connectDatabase(config, log);
  if (config.seedDemo) {
    const seeded = await seedDemoIfEmpty(db.orm);
    if (seeded) {
      log.info({ accounts: seeded.accounts }, 'the database was empty: demo data loaded');
      // The embedded PostgreSQL's WebAssembly memory grew to load the demo data, and such memory is
      // never handed back: it is started afresh on the same files, as the next start would.
      if (config.database.kind === 'embedded') {
        await db.close();
        db = await connectDatabase(config, log);
      }
    }
  }

  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { keyPrefix: config.redisKeyPrefix, maxRetriesPerRequest: 2, lazyConnect: false, enableAutoPipelining: true })
    : null;
  redis?.on('error', (err) => log.warn({ err: err.message }, 'redis: connection problem'));
  const billing = createBilling({ orm: db.orm });
  const translator = createTranslator();
  const mailer = createMailer({
    smtpUrl: config.mail.smtpUrl,
    from: { name: translator('ru')('mail-sender'), address: config.mail.from },
    outboxDir: config.mail.outboxDir,
    log,
  });
  // PDFs in worker threads, started when asked for: at most one per spare core, at least one.
  const renderer = workerRenderer({ threads: Math.max(1, os.availableParallelism() - 1) });
  const mail = createMail({ billing, mailer, renderer, translator, publicUrl: config.publicUrl, log });
  const runner = createJobRunner({ url: db.url, poolMax: db.poolMax, log, schedule: true });

  // The tries against enumeration, counted together for the bot and the web pages.
  const limits = redis ? redisLimits(redis) : memoryLimits();
  // What residents send (meter photos, the requests' photos and documents), one store for all.
  const files = localFileStore({ dir: config.filesDir });
  const web = await buildWeb({
    billing,
    translator,
    log,
    limits,
    redis,
    renderer,
    mail,
    files,
    jobs: runner.jobs,
    telegramLogin: config.bot.enabled && config.publicUrlGiven ? { botToken: config.bot.token, publicUrl: config.publicUrl } : null,
    secret: config.webSecret,
    secure: config.publicUrl.startsWith('https://'),
    botUsername: () => bot?.username ?? null,
    readiness: {
      database: async () => ((await db.orm.isConnected()) ? 'up' : 'down'),
      jobs: () => (runner.state === 'stopped' ? 'down' : runner.state),
      ...(redis ? { redis: () => redisState(redis) } : {}),
      ...(config.bot.enabled ? { bot: () => (bot!.state === 'stopped' ? 'down' : bot!.state) } : {}),
    },
  });
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
        operatorSignatures: config.operatorChat.signatures,
        limits,
        mountWebhook: (path, handler) => web.post(path, handler),
        servicesUp: async () => (await db.orm.isConnected()) && (!redis || (await redis.ping()) === 'PONG'),
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
      relayLimits: { perWindow: config.operatorChat.groupPerMinute, windowMs: 60_000 },
      // One rate for all instances: a token bucket in Redis (or this process's, without Redis).
      pace: redis ? redisPace(redis, config.noticesPerSecond) : memoryPace(config.noticesPerSecond),
      // The letters at the mail server's own pace, never Telegram's bucket.
      mailPace: redis ? redisPace(redis, MAIL_PER_SECOND, '', 'mail') : memoryPace(MAIL_PER_SECOND),
    }),
  );
  const address = await web.listen({ host: config.http.host, port: config.http.port });

  log.info(
    { database: db.where, sessions: redis ? 'redis' : 'in memory', http: address, mail: mailer.where, bot: bot ? `connecting (${bot.mode})` : 'off' },
    `vodokanal is running: database ${db.where}; jobs on it (pg-boss); web pages ${config.publicUrl}/ (listening on ${address}); health check ${address}/healthz, readiness ${address}/readyz; mail ${config.mail.smtpUrl ? `via ${mailer.where}` : `written to ${mailer.where} (set SMTP_URL to send)`}; bot ${bot ? `connecting to Telegram (${bot.mode})` : 'off (set BOT_TOKEN to start it)'}`,
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
    const started = Date.now();
    const left = () => Math.max(0, config.shutdownTimeoutMs - (Date.now() - started));
    log.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down');
    // Whatever hangs (a Bot API that does not answer, a database gone), the process exits in time.
    setTimeout(() => {
      log.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown: not finished in time; exiting now');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    /** One step of the shutdown, given at most what is left of the time (a step that hangs is left behind). */
    const step = async (what: string, work: () => Promise<unknown> | unknown, share = 1) => {
      const budget = left() * share;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), budget);
      });
      try {
        const outcome = await Promise.race([Promise.resolve().then(work), late]);
        if (outcome === 'late') log.warn({ step: what, budgetMs: Math.round(budget) }, 'shutdown: a step did not finish in its time; going on');
      } catch (err) {
        log.error({ err, step: what }, 'shutdown: a step failed; going on');
      } finally {
        clearTimeout(timer);
      }
    };
    // First no new updates (what is being handled may finish: it has half the time), then the jobs
    // in hand (those not finished stay in PostgreSQL and are done after the next start).
    await step('bot', () => bot?.stop(), 0.5);
    await step('jobs', () => runner.stop(Math.max(0, left() - 1_000)), 0.8);
    await step('pdf', () => renderer.close(), 0.3);
    mailer.close();
    await step('web', () => web.close(), 0.5);
    redis?.disconnect();
    await step('database', () => db.close());
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
