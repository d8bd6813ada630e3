import { run, type RunnerHandle } from '@grammyjs/runner';
import { webhookCallback } from 'grammy';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { Billing } from '../billing/index.ts';
import type { Logger } from '../logger.ts';
import { createBot, registerCommands } from './create-bot.ts';
import { memoryLimits, redisLimits } from './limits.ts';

export const CONSENT_VERSION = '2026-11-22';
export const WEBHOOK_PATH = '/telegram/webhook';

type BotConfig = Extract<Config['bot'], { enabled: true }>;

/** Starts the bot in the configured mode; returns how to stop it. */
export async function startBot(o: { config: BotConfig; billing: Billing; redis: Redis | null; /** Mounts the webhook route on the HTTP server (webhook mode only). */
  mountWebhook: (path: string, handler: (request: never, reply: never) => unknown) => void; log: Logger }) {
  const log = o.log.child({ part: 'bot' });
  const { bot, i18n } = createBot({
    token: o.config.token,
    apiRoot: o.config.apiRoot,
    redis: o.redis,
    deps: { billing: o.billing, limits: o.redis ? redisLimits(o.redis) : memoryLimits(), log, consentVersion: CONSENT_VERSION },
  });
  await bot.init();
  await registerCommands(bot, i18n);

  if (o.config.mode.kind === 'webhook') {
    // Telegram waits at most ~60 s for an answer; answer sooner and let the update finish.
    const handle = webhookCallback(bot, 'fastify', { secretToken: o.config.mode.secret, onTimeout: 'return', timeoutMilliseconds: 9_000 });
    o.mountWebhook(WEBHOOK_PATH, handle as never);
    await bot.api.setWebhook(o.config.mode.url, { secret_token: o.config.mode.secret, allowed_updates: ['message', 'edited_message', 'callback_query'] });
    log.info({ bot: bot.botInfo.username }, 'bot: webhook set');
    return { username: bot.botInfo.username, mode: 'webhook', stop: async () => undefined };
  }
  await bot.api.deleteWebhook();
  const runner: RunnerHandle = run(bot, { runner: { fetch: { allowed_updates: ['message', 'edited_message', 'callback_query'] } } });
  log.info({ bot: bot.botInfo.username }, 'bot: long polling');
  return { username: bot.botInfo.username, mode: 'long polling', stop: () => runner.isRunning() ? runner.stop() : Promise.resolve() };
}
