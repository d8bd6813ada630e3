import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { Billing } from '../billing/index.ts';
import { type AttemptLimits, memoryLimits } from '../bot/limits.ts';
import type { Translator } from '../i18n.ts';
import type { Logger } from '../logger.ts';
import type { FileStore } from '../files/store.ts';
import type { Jobs } from '../jobs/queues.ts';
import type { Mail } from '../mail/index.ts';
import type { ReceiptRenderer } from '../pdf/renderer.ts';
import { accountsRoutes } from './accounts.ts';
import { chargesRoutes } from './charges.ts';
import { homeRoutes } from './home.ts';
import { registerHouse } from './house.ts';
import { lookupRoutes } from './lookups.ts';
import { metersRoutes } from './meters.ts';
import { moneyRoutes } from './money.ts';
import { readingsRoutes } from './readings.ts';
import { receiptRoutes } from './receipts.ts';
import { requestRoutes } from './requests.ts';
import { settingsRoutes } from './settings.ts';
import { telegramLoginRoutes } from './telegram-login.ts';
import { endSession, requireSignedIn, startSession } from './session.ts';
import { signRoutes } from './sign.ts';
import { unsubscribeRoutes } from './unsubscribe.ts';

export interface WebDeps {
  billing: Billing;
  translator: Translator;
  log: Logger;
  /** Readiness: how each part is; a part left out is not configured ('off'). */
  readiness: { [P in ReadinessPart]?: () => PartState | Promise<PartState> } & { database: () => PartState | Promise<PartState> };
  /** The limits against enumeration, shared with the bot (Redis when configured); default: in memory. */
  limits?: AttemptLimits;
  /** Rate limits across instances; default: in this process. */
  redis?: Redis | null;
  /** The cookie secret (WEB_SESSION_SECRET); default: a random one. */
  secret?: string | null;
  /** The pages are served over HTTPS (PUBLIC_URL): secure cookies, HSTS. */
  secure?: boolean;
  /** Sends the e-mail codes; without it signing up and in is not offered. */
  mail?: Mail;
  /** Makes the receipts' PDFs; without it the last month's charges are not offered. */
  renderer?: ReceiptRenderer;
  /** Keeps what residents upload (the accident photos); without it the accident report is not offered on the web. */
  files?: FileStore | null;
  /** The job runner's front: a request made on the web goes to the operators' group at once (else with the requests' sweep). */
  jobs?: Pick<Jobs, 'send'> | null;
  /** «Войти через Telegram»: offered only with the bot's token and PUBLIC_URL configured. */
  telegramLogin?: { botToken: string; publicUrl: string } | null;
  /** The bot's @username once it is connected, for the home page. */
  botUsername?: () => string | null;
  /** How long a request may take to arrive whole, and how long a socket may send nothing (slow clients are cut off). */
  timeouts?: { requestMs: number; idleMs: number };
}

/**
 * A client that has not sent its whole request in 30 s (408; Node checks this every 30 s), or
 * whose socket sends nothing for 10 s, is cut off: slow bodies hold no socket.
 */
export const TIMEOUTS = { requestMs: 30_000, idleMs: 10_000 };

export type PartState = 'up' | 'down' | 'off' | 'starting';
export const READINESS_PARTS = ['database', 'redis', 'bot', 'jobs'] as const;
export type ReadinessPart = (typeof READINESS_PARTS)[number];

/** The web part: health checks, the resident's pages and the pages a letter links to. Built here, listened on in main. */
export async function buildWeb(deps: WebDeps) {
  const timeouts = deps.timeouts ?? TIMEOUTS;
  const web = Fastify({
    loggerInstance: deps.log.child({ part: 'web' }) as FastifyBaseLogger,
    requestTimeout: timeouts.requestMs,
    connectionTimeout: timeouts.idleMs,
  });
  await registerHouse(web, {
    translator: deps.translator,
    secret: deps.secret ?? randomBytes(32).toString('hex'),
    secure: deps.secure ?? false,
    redis: deps.redis ?? null,
  });
  web.get('/healthz', async () => ({ status: 'ok' }));
  // Each part as it is now, for an orchestrator: 503 while the database, Redis or the jobs (where
  // configured) are down. The bot's state is reported but does not take the instance out: while
  // Telegram cannot be reached the web pages and the mailing still serve, and no update arrives anyway.
  web.get('/readyz', async (_req, reply) => {
    const states = await Promise.all(
      READINESS_PARTS.map(async (part): Promise<PartState> => {
        const probe = deps.readiness[part];
        if (!probe) return 'off';
        return Promise.resolve(probe()).catch(() => 'down' as const);
      }),
    );
    const body = Object.fromEntries(READINESS_PARTS.map((part, i) => [part, states[i]])) as Record<ReadinessPart, PartState>;
    const down = READINESS_PARTS.some((part, i) => part !== 'bot' && states[i] === 'down');
    return reply.code(down ? 503 : 200).send(body);
  });
  const limits = deps.limits ?? memoryLimits();
  await web.register(homeRoutes({ ...deps, charges: deps.renderer !== undefined, signIn: deps.mail !== undefined }));
  await web.register(lookupRoutes({ billing: deps.billing, limits }));
  await web.register(readingsRoutes({ billing: deps.billing }));
  if (deps.renderer) await web.register(chargesRoutes({ billing: deps.billing, renderer: deps.renderer }));
  const signedInDeps = { billing: deps.billing, secure: deps.secure ?? false };
  const signedIn = requireSignedIn(signedInDeps);
  if (deps.mail) await web.register(signRoutes({ ...signedInDeps, mail: deps.mail, telegram: Boolean(deps.telegramLogin) }));
  // The pages of a signed-in resident («Личный кабинет»): accounts, money, meters and readings,
  // receipts, requests and settings.
  for (const routes of [accountsRoutes, moneyRoutes, metersRoutes]) await web.register(routes(signedInDeps));
  if (deps.renderer) await web.register(receiptRoutes({ billing: deps.billing, renderer: deps.renderer, signedIn }));
  await web.register(requestRoutes({ billing: deps.billing, signedIn, files: deps.files ?? null, jobs: deps.jobs ?? null, log: deps.log }));
  await web.register(
    settingsRoutes({
      billing: deps.billing,
      signedIn,
      ...(deps.mail ? { mail: deps.mail } : {}),
      endSession: (req, reply) => endSession(signedInDeps, req, reply),
    }),
  );
  if (deps.telegramLogin) {
    await web.register(
      telegramLoginRoutes({
        billing: deps.billing,
        ...deps.telegramLogin,
        botUsername: deps.botUsername ?? (() => null),
        secure: deps.secure ?? false,
        limits,
        startSession: (req, reply, residentId) => startSession(signedInDeps, req, reply, { residentId, stage: 'in' }),
      }),
    );
  }
  await web.register(unsubscribeRoutes(deps));
  return web;
}
