import { createConcurrentSink, createRunner, createSource, createUpdateFetcher, type RunnerHandle } from '@grammyjs/runner';
import type { Update } from 'grammy/types';
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
import { botApiFetch } from './bot-api-fetch.ts';
import { createBot, registerCommands, type VodokanalBot } from './create-bot.ts';
import { type AttemptLimits, memoryLimits, redisLimits } from './limits.ts';
import { isOutage, waitUntil } from '../outage.ts';

// Changed with the text of consent-text in templates (a new version is recorded with each new consent).
// .3: the consent names the phone a resident may share (issue 14).
export const CONSENT_VERSION = '2026-12-01.3';
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
  /** OPERATOR_SIGNATURES: operators' replies signed with their first name. */
  operatorSignatures?: boolean;
  /** The attempt limits, shared with the web pages so that one account's tries add up across both (default: Redis or memory). */
  limits?: AttemptLimits;
  /** Mounts the webhook route on the HTTP server (webhook mode only), before it listens. */
  mountWebhook: (path: string, handler: (request: FastifyRequest, reply: FastifyReply) => unknown) => void;
  /** Waits between attempts to reach the Bot API: `firstMs`, doubling up to `maxMs` (1 s to 60 s). */
  backoff?: { firstMs: number; maxMs: number };
  /**
   * Whether PostgreSQL and Redis answer: in long polling, an update that failed because one of
   * them was unavailable is kept and handled again once this says true (asked with a back-off).
   */
  servicesUp?: () => Promise<boolean>;
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
    // Through grammY's public client option: a leaner HTTP client than its default (see the file).
    fetch: botApiFetch(),
    redis: o.redis,
    files: o.files,
    deps: {
      billing: o.billing,
      mail: o.mail,
      renderer: o.renderer,
      jobs: o.jobs,
      limits: o.limits ?? (o.redis ? redisLimits(o.redis) : memoryLimits()),
      log,
      consentVersion: CONSENT_VERSION,
      operatorsChatId: o.operatorsChatId ?? null,
      operatorSignatures: o.operatorSignatures ?? false,
    },
  });
  const mode = o.config.mode;
  let state: BotState = 'starting';
  let runner: RunnerHandle | null = null;
  const stopping = new AbortController();

  if (mode.kind === 'webhook') {
    const handle = webhookHandler(bot, mode.secret);
    o.mountWebhook(WEBHOOK_PATH, async (request, reply) => {
      if (state !== 'up') {
        if (request.headers['x-telegram-bot-api-secret-token'] !== mode.secret) return reply.code(401).send();
        return reply.code(503).header('retry-after', '5').send({ bot: state });
      }
      // Only an update: an object with its id (Telegram never sends anything else; a stranger's body is refused plainly).
      const body = request.body as { update_id?: unknown } | null;
      if (
        request.headers['x-telegram-bot-api-secret-token'] === mode.secret &&
        (typeof body !== 'object' || body === null || !Number.isSafeInteger(body.update_id))
      )
        return reply.code(400).send({ error: 'not an update' });
      try {
        return await handle(request, reply);
      } catch (err) {
        // PostgreSQL or Redis unavailable: the update was not marked handled; Telegram delivers it again after a 5xx.
        if (isOutage(err)) {
          log.warn({ updateId: body?.update_id }, 'bot: a service is unavailable; Telegram is to deliver the update again');
          return reply.code(503).header('retry-after', '5').send({ error: 'unavailable' });
        }
        log.error({ err, updateId: body?.update_id }, 'bot: an update could not be handled');
        return reply.code(500).send({ error: 'internal' });
      }
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
    runner = pollDurably();
  }

  /**
   * Long polling where an outage loses nothing: an update that fails because PostgreSQL or Redis
   * is unavailable (it was not marked handled, nothing of it was kept) is held and handled again
   * once they answer; meanwhile no further updates are fetched (they wait at Telegram). The same
   * parts as grammY runner's `run`, with that consumer.
   */
  function pollDurably(): RunnerHandle {
    let down: Promise<boolean> | null = null;
    const servicesBack = () => {
      down ??= waitUntil(o.servicesUp ?? (async () => true), { firstMs: 250, maxMs: 5_000, signal: stopping.signal }).finally(() => {
        down = null;
      });
      return down;
    };
    const fetchUpdates = createUpdateFetcher(bot, { fetch: { allowed_updates: [...ALLOWED_UPDATES] }, silent: true });
    const source = createSource<Update>({
      supply: async (batchSize, abort) => {
        if (down) await down;
        return fetchUpdates(batchSize, abort);
      },
    });
    const sink = createConcurrentSink<Update, unknown>(
      {
        consume: async (update) => {
          for (let attempt = 1; ; attempt++) {
            try {
              await bot.handleUpdate(update);
              return;
            } catch (err) {
              if (!isOutage(err) || stopping.signal.aborted) throw err;
              if (attempt === 1)
                log.warn({ updateId: update.update_id }, 'bot: a service is unavailable; the update is held and handled again once it is back');
              if (!(await servicesBack())) throw err;
            }
          }
        },
      },
      async (err) => log.error({ err }, 'bot: an update could not be handled'),
    );
    const handle = createRunner(source, sink);
    handle.start();
    return handle;
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
