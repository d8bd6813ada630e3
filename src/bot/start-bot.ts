import { run, type RunnerHandle } from '@grammyjs/runner';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { webhookCallback } from 'grammy';
import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config.ts';
import type { Billing } from '../billing/index.ts';
import type { Jobs } from '../jobs/queues.ts';
import type { Mail } from '../mail/index.ts';
import type { ReceiptRenderer } from '../pdf/renderer.ts';
import type { FileStore } from '../files/store.ts';
import type { Logger } from '../logger.ts';
import { createBot, registerCommands, type VodokanalBot } from './create-bot.ts';
import { memoryLimits, redisLimits } from './limits.ts';

// Changed with the text of consent-text in templates (a new version is recorded with each new consent).
export const CONSENT_VERSION = '2026-11-22.2';
export const WEBHOOK_PATH = '/telegram/webhook';
// my_chat_member: a resident blocking or unblocking the bot (the outbox's «unreachable» mark).
const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

type BotConfig = Extract<Config['bot'], { enabled: true }>;

/**
 * The webhook route's handler: a request without the right X-Telegram-Bot-Api-Secret-Token
 * gets 401. Telegram is answered within 9 s even if an update takes longer; it goes on.
 */
export function webhookHandler(bot: VodokanalBot, secret: string) {
  return webhookCallback(bot, 'fastify', { secretToken: secret, onTimeout: 'return', timeoutMilliseconds: 9_000 });
}

export interface StartBotOptions {
  config: BotConfig;
  billing: Billing;
  mail: Mail;
  renderer: ReceiptRenderer;
  jobs: Jobs;
  redis: Redis | null;
  log: Logger;
  /** Where files residents send are kept. */
  files: FileStore;
  /** OPERATORS_CHAT_ID (null: only the branches' own groups). */
  operatorsChatId?: number | null;
  /** Mounts the webhook route on the HTTP server (webhook mode only), before it listens. */
  mountWebhook: (path: string, handler: (request: FastifyRequest, reply: FastifyReply) => unknown) => void;
  /** Waits between attempts to reach the Bot API: `firstMs`, doubling up to `maxMs` (1 s to 60 s). */
  backoff?: { firstMs: number; maxMs: number };
}

export type BotState = 'starting' | 'up' | 'down' | 'stopped';

/**
 * Builds the bot and connects it to Telegram in the background (getMe, the commands, then the
 * webhook or long polling), trying again with back-off until the Bot API answers; everything
 * else serves meanwhile. In webhook mode the route is mounted at once and answers 503 (Telegram
 * tries again) until the bot is connected. `ready` resolves true once connected, false if
 * stopped before.
 */
export function startBot(o: StartBotOptions) {
  const log = o.log.child({ part: 'bot' });
  const { bot, i18n } = createBot({
    token: o.config.token,
    apiRoot: o.config.apiRoot,
    redis: o.redis,
    files: o.files,
    deps: {
      billing: o.billing,
      mail: o.mail,
      renderer: o.renderer,
      jobs: o.jobs,
      limits: o.redis ? redisLimits(o.redis) : memoryLimits(),
      log,
      consentVersion: CONSENT_VERSION,
      operatorsChatId: o.operatorsChatId ?? null,
    },
  });
  const mode = o.config.mode;
  let state: BotState = 'starting';
  let runner: RunnerHandle | null = null;
  const stopping = new AbortController();

  if (mode.kind === 'webhook') {
    const handle = webhookHandler(bot, mode.secret);
    o.mountWebhook(WEBHOOK_PATH, (request, reply) => {
      if (state === 'up') return handle(request, reply);
      if (request.headers['x-telegram-bot-api-secret-token'] !== mode.secret) return reply.code(401).send();
      return reply.code(503).header('retry-after', '5').send({ bot: state });
    });
  }

  // What the log may say of a failure: never the token (a URL of the Bot API carries it).
  const reason = (err: unknown) => (err instanceof Error ? err.message : String(err)).split(o.config.token).join('[token]');

  // grammY types its signal after the abort-controller package; Node's is the same at run time.
  const signal = stopping.signal as unknown as NonNullable<Parameters<VodokanalBot['init']>[0]>;
  async function connect() {
    // getMe once per attempt (bot.init would retry a network failure by itself, without end).
    if (!bot.isInited()) bot.botInfo = await bot.api.getMe(signal);
    await registerCommands(bot, i18n);
    if (mode.kind === 'webhook') {
      await bot.api.setWebhook(mode.url, { secret_token: mode.secret, allowed_updates: [...ALLOWED_UPDATES] }, signal);
      return;
    }
    await bot.api.deleteWebhook(undefined, signal);
    if (stopping.signal.aborted) return;
    runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
  }

  const backoff = o.backoff ?? { firstMs: 1_000, maxMs: 60_000 };
  const ready = (async () => {
    let wait = backoff.firstMs;
    for (let attempt = 1; !stopping.signal.aborted; attempt++) {
      try {
        await connect();
        if (stopping.signal.aborted) break;
        state = 'up';
        log.info({ bot: bot.botInfo.username, mode: mode.kind, attempt }, mode.kind === 'webhook' ? 'bot: webhook set' : 'bot: long polling');
        return true;
      } catch (err) {
        if (stopping.signal.aborted) break;
        state = 'down';
        log.warn({ attempt, retryInMs: wait, reason: reason(err) }, 'bot: the Bot API cannot be reached; trying again');
        await sleep(wait, undefined, { signal: stopping.signal }).catch(() => undefined);
        wait = Math.min(wait * 2, backoff.maxMs);
      }
    }
    return false;
  })();

  return {
    bot,
    /** The Bot API client (works before the bot is connected; the job runner sends through it). */
    api: bot.api,
    mode: mode.kind === 'webhook' ? 'webhook' : 'long polling',
    get state(): BotState {
      return state;
    },
    get username(): string | undefined {
      return state === 'up' ? bot.botInfo.username : undefined;
    },
    ready,
    async stop() {
      state = 'stopped';
      stopping.abort();
      await ready;
      const r = runner as RunnerHandle | null;
      if (r?.isRunning()) await r.stop();
    },
  };
}
export type BotHandle = ReturnType<typeof startBot>;
