// The one place that reads configuration, opens connections, starts serving and shuts down.
import { existsSync } from 'node:fs';
import Fastify from 'fastify';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './logger.ts';
import { connectDatabase } from './db/connect.ts';
import { seedDemoIfEmpty } from './db/demo.ts';
import { createBilling } from './billing/index.ts';
import { startBot } from './bot/start-bot.ts';
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

  const web = Fastify({ loggerInstance: log.child({ part: 'web' }) });
  web.get('/healthz', async () => ({ status: 'ok' }));
  web.get('/readyz', async (_req, reply) => {
    const alive = await db.orm.isConnected();
    return reply.code(alive ? 200 : 503).send({ database: alive ? 'up' : 'down' });
  });
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false }) : null;
  redis?.on('error', (err) => log.warn({ err: err.message }, 'redis: connection problem'));
  const billing = createBilling({ orm: db.orm });
  const bot = config.bot.enabled ? await startBot({ config: config.bot, billing, redis, log, photoDir: config.photoDir, mountWebhook: (path, handler) => web.post(path, handler as never) }) : null;
  const address = await web.listen({ host: config.http.host, port: config.http.port });

  log.info(
    { database: db.where, sessions: redis ? 'redis' : 'in memory', http: address, bot: bot ? `@${bot.username} (${bot.mode})` : 'off' },
    `vodokanal is running: database ${db.where}; health check ${address}/healthz; bot ${bot ? `@${bot.username}, ${bot.mode}` : 'off (set BOT_TOKEN to start it)'}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await bot?.stop();
    await web.close();
    redis?.disconnect();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
