import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { fileURLToPath } from 'node:url';
import type { Translate, Translator } from '../i18n.ts';

export const WEB_TEMPLATES = fileURLToPath(new URL('../../templates/web', import.meta.url));
export type Lang = 'ru' | 'en';

export interface HouseOptions {
  translator: Translator;
  /** Signs the cookies (the form token's secret). */
  secret: string;
  /** Served over HTTPS (PUBLIC_URL): cookies are `secure`, HSTS and upgrade-insecure-requests are sent. */
  secure: boolean;
  /** Rate limits shared by all instances; null: counted in this process. */
  redis: Redis | null;
}

/** A field's error: the Fluent key of the words and the field's id. */
export type FieldErrors = Record<string, string>;

export interface PageData {
  title: string;
  [k: string]: unknown;
}

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
    t: Translate;
  }
  interface FastifyReply {
    /** Renders templates/web/<name>.eta inside the layout, with the language, words and a fresh form token. */
    page(name: string, data: PageData): Promise<FastifyReply>;
  }
}

/** The language of the page: `?lang=` (remembered in a cookie), then the cookie, then Russian. */
function languageOf(req: FastifyRequest, reply: FastifyReply): Lang {
  const asked = (req.query as { lang?: unknown } | undefined)?.lang;
  if (asked === 'ru' || asked === 'en') {
    reply.setCookie('lang', asked, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600 });
    return asked;
  }
  const kept = req.cookies.lang;
  return kept === 'en' ? 'en' : 'ru';
}

/**
 * The pages' Content-Security-Policy: `'self'` only, no inline scripts or styles, no framing. A
 * page that needs a source more (the sign-in through Telegram: its widget) adds it for itself.
 */
export function cspDirectives(secure: boolean, more: { scriptSrc?: string[]; frameSrc?: string[] } = {}) {
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", ...(more.scriptSrc ?? [])],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    ...(more.frameSrc ? { frameSrc: more.frameSrc } : {}),
    upgradeInsecureRequests: secure ? [] : null,
  };
}

/**
 * One plugin per concern, as the Fastify examples do, registered on the root (not encapsulated) so that every route
 * of the web pages has them: security headers (a CSP without inline scripts or styles), cookies,
 * form tokens (checked in `preHandler`, where the body is parsed), form bodies, rate limits (per
 * route; Redis when configured), the stylesheet, and the pages (eta, escaped by default).
 */
export async function registerHouse(web: FastifyInstance, o: HouseOptions) {
  await web.register(helmet, {
    contentSecurityPolicy: { directives: cspDirectives(o.secure) },
    hsts: o.secure,
    referrerPolicy: { policy: 'no-referrer' },
  });
  await web.register(cookie, { secret: o.secret });
  await web.register(csrf, { cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: o.secure } });
  await web.register(formbody, { bodyLimit: 16 * 1024 });
  await web.register(rateLimit, { global: false, ...(o.redis ? { redis: o.redis, nameSpace: 'web-rl:' } : {}) });
  await web.register(fastifyStatic, { root: `${WEB_TEMPLATES}/assets`, prefix: '/assets/', maxAge: '1h', index: false });
  await web.register(view, {
    engine: { eta: new Eta({ views: WEB_TEMPLATES, autoEscape: true, cache: true }) },
    root: WEB_TEMPLATES,
  });

  web.decorateRequest('lang', 'ru');
  web.decorateRequest('t', () => '');
  web.addHook('onRequest', async (req, reply) => {
    req.lang = languageOf(req, reply);
    req.t = o.translator(req.lang);
  });

  web.decorateReply('page', async function page(this: FastifyReply, name: string, data: PageData) {
    const req = this.request;
    const path = req.url.split('?')[0]!;
    this.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    const csrfToken = this.generateCsrf();
    return this.view(name, {
      ...data,
      t: req.t,
      lang: req.lang,
      other: req.lang === 'ru' ? 'en' : 'ru',
      path,
      csrfToken,
      // A signed-in resident's pages carry the navigation of the personal account (templates/web/_account-nav.eta).
      signedIn: req.session?.stage === 'in',
      errors: (data.errors as FieldErrors | undefined) ?? {},
      values: (data.values as Record<string, string> | undefined) ?? {},
    });
  });

  // Polite pages for what goes wrong: an outdated form, too many tries, a page that is not there.
  web.setErrorHandler(async (err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) req.log.error({ err }, 'web: request failed');
    const key =
      err.code?.startsWith('FST_CSRF') === true
        ? 'web-error-stale-form'
        : status === 429
          ? 'web-error-too-many'
          : status === 413
            ? 'web-error-too-large'
            : status < 500
              ? 'web-error-bad-request'
              : 'web-error-generic';
    reply.code(err.code?.startsWith('FST_CSRF') ? 403 : status);
    return reply.page('message', { title: req.t('web-error-title'), message: req.t(key), back: true });
  });
  web.setNotFoundHandler(async (req, reply) => {
    reply.code(404);
    return reply.page('message', { title: req.t('web-not-found-title'), message: req.t('web-not-found'), back: true });
  });
}
