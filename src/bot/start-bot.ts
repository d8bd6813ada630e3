import { run, type RunnerHandle } from '@grammyjs/runner';
import { webhookCallback } from 'grammy';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import type { Background } from '../background.ts';
import type { Billing } from '../billing/index.ts';
import type { Mail } from '../mail/index.ts';
import type { ReceiptRenderer } from '../pdf/renderer.ts';
import type { Logger } from '../logger.ts';
import { createBot, registerCommands, type VodokanalBot } from './create-bot.ts';
import { memoryLimits, redisLimits } from './limits.ts';

// Changed with the text of consent-text in templates (a new version is recorded with each new consent).
export const CONSENT_VERSION = '2026-11-22.2';
export const WEBHOOK_PATH = '/telegram/webhook';

type BotConfig = Extract<Config['bot'], { enabled: true }>;

/**
 * The webhook route's handler: a request without the right X-Telegram-Bot-Api-Secret-Token
 * gets 401. Telegram is answered within 9 s even if an update takes longer; it goes on.
 */
export function webhookHandler(bot: VodokanalBot, secret: string) {
  return webhookCallback(bot, 'fastify', { secretToken: secret, onTimeout: 'return', timeoutMilliseconds: 9_000 });
}

/** Starts the bot in the configured mode; returns how to stop it. */
export interface StartBotOptions {
  config: BotConfig;
  billing: Billing;
  mail: Mail;
  renderer: ReceiptRenderer;
  background: Background;
  redis: Redis | null;
  log: Logger;
  photoDir: string;
  /** Mounts the webhook route on the HTTP server (webhook mode only). */
  mountWebhook: (path: string, handler: (request: never, reply: never) => unknown) => void;
}

export async function startBot(o: StartBotOptions) {
  const log = o.log.child({ part: 'bot' });
  const { bot, i18n } = createBot({
    token: o.config.token,
    apiRoot: o.config.apiRoot,
    redis: o.redis,
    photoDir: o.photoDir,
    deps: { billing: o.billing, mail: o.mail, renderer: o.renderer, background: o.background, limits: o.redis ? redisLimits(o.redis) : memoryLimits(), log, consentVersion: CONSENT_VERSION },
  });
  await bot.init();
  await registerCommands(bot, i18n);

  if (o.config.mode.kind === 'webhook') {
    o.mountWebhook(WEBHOOK_PATH, webhookHandler(bot, o.config.mode.secret) as never);
    await bot.api.setWebhook(o.config.mode.url, { secret_token: o.config.mode.secret, allowed_updates: ['message', 'edited_message', 'callback_query'] });
    log.info({ bot: bot.botInfo.username }, 'bot: webhook set');
    return { username: bot.botInfo.username, mode: 'webhook', stop: async () => undefined };
  }
  await bot.api.deleteWebhook();
  const runner: RunnerHandle = run(bot, { runner: { fetch: { allowed_updates: ['message', 'edited_message', 'callback_query'] } } });
  log.info({ bot: bot.botInfo.username }, 'bot: long polling');
  return { username: bot.botInfo.username, mode: 'long polling', stop: () => runner.isRunning() ? runner.stop() : Promise.resolve() };
}
