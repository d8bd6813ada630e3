// The one place that reads configuration, opens connections, starts serving and shuts down.
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { connectDatabase } from './db/connect.ts';
import { seedDemoIfEmpty } from './db/demo.ts';
import { createBilling } from './billing/index.ts';
import { startBot } from './bot/start-bot.ts';
import { createBackground } from './background.ts';
import { createTranslator } from './i18n.ts';
import { createMail, createMailer } from './mail/index.ts';
import { scheduleMonthlyReceipts } from './mail/schedule.ts';
import { buildWeb } from './web/app.ts';
import { workerRenderer } from './pdf/renderer.ts';
import os from 'node:os';
import { Redis } from 'ioredis';

function readConfig(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

async function main() {
  const config = readConfig();
  const log = createLogger(config.logLevel);
  const db = await connectDatabase(config, log);
  if (config.seedDemo) {
    const seeded = await seedDemoIfEmpty(db.orm);
    if (seeded) log.info({ accounts: seeded.accounts }, 'the database was empty: demo data loaded');
  }

  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false, enableAutoPipelining: true }) : null;
  redis?.on('error', (err) => log.warn({ err: err.message }, 'redis: connection problem'));
  const billing = createBilling({ orm: db.orm });
  const translator = createTranslator();
  const mailer = createMailer({ smtpUrl: config.mail.smtpUrl, from: { name: translator('ru')('mail-sender'), address: config.mail.from }, outboxDir: config.mail.outboxDir, log });
  // PDFs in worker threads: one per spare core, at least one.
  const renderer = workerRenderer({ threads: Math.max(1, os.availableParallelism() - 1) });
  const mail = createMail({ billing, mailer, renderer, translator, publicUrl: config.publicUrl, log });
  const background = createBackground(log);
  const web = await buildWeb({ billing, translator, log, databaseUp: () => db.orm.isConnected() });
  const monthly = scheduleMonthlyReceipts(mail, log);
  const bot = config.bot.enabled ? await startBot({ config: config.bot, billing, mail, renderer, background, redis, log, photoDir: config.photoDir, mountWebhook: (path, handler) => web.post(path, handler as never) }) : null;
  const address = await web.listen({ host: config.http.host, port: config.http.port });

  log.info(
    { database: db.where, sessions: redis ? 'redis' : 'in memory', http: address, mail: mailer.where, bot: bot ? `@${bot.username} (${bot.mode})` : 'off' },
    `vodokanal is running: database ${db.where}; health check ${address}/healthz; mail ${config.mail.smtpUrl ? `via ${mailer.where}` : `written to ${mailer.where} (set SMTP_URL to send)`}; bot ${bot ? `@${bot.username}, ${bot.mode}` : 'off (set BOT_TOKEN to start it)'}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await bot?.stop();
    await monthly.stop();
    await background.idle();
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
