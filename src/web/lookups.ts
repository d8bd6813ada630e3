import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Billing } from '../billing/index.ts';
import { type AttemptLimits, PUBLIC_LOOKUP } from '../bot/limits.ts';
import { balanceLines } from '../bot/screens/balance-lines.ts';
import type { FieldErrors } from './house.ts';

interface Deps {
  billing: Billing;
  limits: AttemptLimits;
}

/**
 * The visitor's origin for the limits against enumeration and the failed ownership checks: a
 * hash of their address (the bot counts a Telegram user), so no address is kept.
 */
export const originOf = (ip: string) => createHash('sha256').update(`vodokanal-web:${ip}`).digest('base64url').slice(0, 32);
export const visitor = (ip: string) => `web:${originOf(ip)}`;
const digits = (v: unknown) => (typeof v === 'string' ? v.replace(/[\s-]/g, '') : '');
/** Bursts are cut by the rate limit; the hourly allowance is the bot's (PUBLIC_LOOKUP), counted in the same store. */
const burst = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };

/**
 * Seed 000 §10 without signing in: the debt or overpayment and the nearest verification date by
 * the 15-digit number; the 15-digit number from the short one and the branch (§4). The same
 * services and the same hourly limit as the bot's debt lookup by number (menu-debt-by-number).
 */
export function lookupRoutes(deps: Deps) {
  return async (web: FastifyInstance) => {
    const branches = async () => {
      const listed = await deps.billing.branches.list({});
      return listed.ok ? listed.value.map((b) => ({ code: b.code, name: b.name })) : [];
    };

    web.get('/debt', async (req, reply) => reply.page('debt', { title: req.t('web-debt-title') }));

    web.post<{ Body: { number?: unknown } }>('/debt', { preHandler: web.csrfProtection, ...burst }, async (req, reply) => {
      const title = req.t('web-debt-title');
      const number = digits(req.body?.number);
      const values = { number: typeof req.body?.number === 'string' ? req.body.number.slice(0, 32) : '' };
      if (!/^\d{15}$/.test(number)) return reply.code(400).page('debt', { title, values, errors: { number: 'web-error-long-number' } });
      if (!(await deps.limits.allow(`public:${visitor(req.ip)}`, PUBLIC_LOOKUP.max, PUBLIC_LOOKUP.windowSeconds)))
        return reply.code(429).page('debt', { title, values, limited: true });
      const found = await deps.billing.balance.getPublic({ longNumber: number });
      if (!found.ok) return reply.code(404).page('debt', { title, values, errors: { number: 'web-error-not-found' } });
      return reply.page('debt', { title, result: { number, lines: balanceLines(req.t, found.value) } });
    });

    web.get('/number', async (req, reply) => reply.page('number', { title: req.t('web-number-title'), branches: await branches() }));

    web.post<{ Body: { branch?: unknown; short?: unknown } }>('/number', { preHandler: web.csrfProtection, ...burst }, async (req, reply) => {
      const title = req.t('web-number-title');
      const list = await branches();
      const branchCode = typeof req.body?.branch === 'string' ? req.body.branch : '';
      const shortNumber = digits(req.body?.short);
      const values = { branch: branchCode, short: typeof req.body?.short === 'string' ? req.body.short.slice(0, 32) : '' };
      const errors: FieldErrors = {};
      if (!list.some((b) => b.code === branchCode)) errors.branch = 'web-error-branch';
      if (!/^\d{1,14}$/.test(shortNumber)) errors.short = 'web-error-short-number';
      if (Object.keys(errors).length) return reply.code(400).page('number', { title, branches: list, values, errors });
      if (!(await deps.limits.allow(`public:${visitor(req.ip)}`, PUBLIC_LOOKUP.max, PUBLIC_LOOKUP.windowSeconds)))
        return reply.code(429).page('number', { title, branches: list, values, limited: true });
      const resolved = await deps.billing.accounts.resolveShortNumber({ branchCode, shortNumber });
      if (!resolved.ok) return reply.code(404).page('number', { title, branches: list, values, errors: { short: 'web-error-short-not-found' } });
      return reply.page('number', { title, branches: list, values, found: resolved.value.longNumber });
    });
  };
}
