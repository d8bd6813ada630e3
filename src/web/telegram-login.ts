import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Billing, viaTelegram } from '../billing/index.ts';
import type { AttemptLimits } from '../bot/limits.ts';
import { CONSENT_VERSION } from '../bot/start-bot.ts';
import { cspDirectives } from './house.ts';
import type { Body } from './resident-pages.ts';

/** How old the widget's data may be: Telegram signs it when the resident confirms, a day is plenty. */
export const TELEGRAM_LOGIN_MAX_AGE_SECONDS = 24 * 3600;
/** The Telegram user who came without consent, kept while the consent page is read (signed cookie). */
const PENDING_COOKIE = 'tgc';
const PENDING_SECONDS = 15 * 60;

export type TelegramLoginCheck = { ok: true; telegramId: number; authDate: number } | { ok: false; reason: 'malformed' | 'hash' | 'stale' };

/**
 * The Telegram Login Widget's data checked as Telegram documents it: the data-check-string (every
 * field received but `hash`, as `key=value`, sorted, joined by line feeds) signed by HMAC-SHA256
 * with SHA-256 of the bot's token as the key must give `hash`; and `auth_date` must be fresh.
 */
export function checkTelegramLogin(data: Record<string, unknown>, botToken: string, nowMs = Date.now()): TelegramLoginCheck {
  const fields = Object.entries(data).filter(([k, v]) => k !== 'hash' && typeof v === 'string') as [string, string][];
  const hash = typeof data.hash === 'string' ? data.hash : '';
  const id = fields.find(([k]) => k === 'id')?.[1] ?? '';
  const authDate = fields.find(([k]) => k === 'auth_date')?.[1] ?? '';
  if (!/^[0-9a-f]{64}$/.test(hash) || !/^\d{1,15}$/.test(id) || !/^\d{1,12}$/.test(authDate)) return { ok: false, reason: 'malformed' };
  const checkString = fields
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('\n');
  const key = createHash('sha256').update(botToken).digest();
  const expected = createHmac('sha256', key).update(checkString).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) return { ok: false, reason: 'hash' };
  const age = nowMs / 1000 - Number(authDate);
  // A little ahead of our clock is Telegram's clock; far ahead or too old is refused.
  if (age > TELEGRAM_LOGIN_MAX_AGE_SECONDS || age < -300) return { ok: false, reason: 'stale' };
  return { ok: true, telegramId: Number(id), authDate: Number(authDate) };
}

export interface TelegramLoginDeps {
  billing: Billing;
  /** The bot's token: the widget's data is signed with it. */
  botToken: string;
  /** The bot's @username (known once the bot is connected): the widget names it. */
  botUsername: () => string | null;
  /** PUBLIC_URL: where Telegram sends the resident back. */
  publicUrl: string;
  secure: boolean;
  /** One use of each signed login (a replayed address is refused), shared by the instances. */
  limits: AttemptLimits;
  /** Starts the signed-in session of resident `residentId`. */
  startSession: (req: FastifyRequest, reply: FastifyReply, residentId: number) => void | Promise<void>;
}

/**
 * «Войти через Telegram» (the Telegram Login Widget): a page with the widget — the only page whose
 * CSP lets telegram.org's script and oauth.telegram.org's frame in; without JavaScript it says so
 * and offers the e-mail code — and the callback that checks Telegram's signature and lands on the
 * same resident as the bot's (by the Telegram id). A Telegram user who has not given the consent
 * (or withdrew it) reads the consent first; agreeing to it creates them as the bot's consent does.
 */
export function telegramLoginRoutes(deps: TelegramLoginDeps) {
  return async (web: FastifyInstance) => {
    const callback = `${deps.publicUrl}/signin/telegram/callback`;
    const widgetCsp = {
      contentSecurityPolicy: { directives: cspDirectives(deps.secure, { scriptSrc: ['https://telegram.org'], frameSrc: ['https://oauth.telegram.org'] }) },
    };
    const title = (req: FastifyRequest) => req.t('web-telegram-title');
    const refused = (req: FastifyRequest, reply: FastifyReply, key: string) =>
      reply.code(401).page('message', { title: title(req), message: req.t(key), back: true });
    const limit = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };

    web.get('/signin/telegram', { helmet: widgetCsp }, async (req, reply) => {
      const username = deps.botUsername();
      if (!username) return reply.code(503).page('message', { title: title(req), message: req.t('web-telegram-unavailable'), back: true });
      return reply.page('telegram-signin', { title: title(req), username, callback });
    });

    // The signed data is in the address: the request's log line (which prints it) is kept off.
    web.get<{ Querystring: Record<string, string> }>('/signin/telegram/callback', { logLevel: 'warn', ...limit }, async (req, reply) => {
      const checked = checkTelegramLogin(req.query, deps.botToken);
      if (!checked.ok) return refused(req, reply, checked.reason === 'stale' ? 'web-telegram-stale' : 'web-telegram-invalid');
      // Each signed login once: the same address opened again (from a history, a shared link) signs nobody in.
      if (!(await deps.limits.allow(`tg-login:${req.query.hash}`, 1, TELEGRAM_LOGIN_MAX_AGE_SECONDS))) return refused(req, reply, 'web-telegram-used');
      const me = await deps.billing.residents.get({ actor: viaTelegram(checked.telegramId) });
      if (me.ok) {
        await deps.startSession(req, reply, me.value.residentId);
        return reply.redirect('/account', 303);
      }
      reply.setCookie(PENDING_COOKIE, `${checked.telegramId}.${Math.floor(Date.now() / 1000)}`, {
        signed: true,
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.secure,
        path: '/signin/telegram',
        maxAge: PENDING_SECONDS,
      });
      return reply.redirect('/signin/telegram/consent', 303);
    });

    const pending = (req: FastifyRequest): number | null => {
      const raw = req.cookies[PENDING_COOKIE];
      const unsigned = raw ? req.unsignCookie(raw) : null;
      const m = unsigned?.valid && unsigned.value ? /^(\d{1,15})\.(\d{1,12})$/.exec(unsigned.value) : null;
      if (!m || Date.now() / 1000 - Number(m[2]) > PENDING_SECONDS) return null;
      return Number(m[1]);
    };
    const consentPage = (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, code = 200) =>
      reply.code(code).page('telegram-consent', { title: req.t('web-signup-title'), ...extra });

    web.get('/signin/telegram/consent', async (req, reply) => (pending(req) === null ? reply.redirect('/signin/telegram', 303) : consentPage(req, reply)));
    web.post<{ Body: Body }>('/signin/telegram/consent', { preHandler: web.csrfProtection, ...limit }, async (req, reply) => {
      const telegramId = pending(req);
      if (telegramId === null) return reply.redirect('/signin/telegram', 303);
      if (req.body?.agree !== 'yes') return consentPage(req, reply, { errors: { agree: 'web-error-consent' } }, 400);
      const actor = viaTelegram(telegramId);
      const given = await deps.billing.residents.giveConsent({ actor, version: CONSENT_VERSION, language: req.lang });
      if (!given.ok) throw new Error(`telegram sign-in: consent ${given.error.code}`);
      const me = await deps.billing.residents.get({ actor });
      if (!me.ok) throw new Error(`telegram sign-in: ${me.error.code}`);
      reply.clearCookie(PENDING_COOKIE, { path: '/signin/telegram' });
      await deps.startSession(req, reply, me.value.residentId);
      return reply.redirect('/account', 303);
    });
  };
}
