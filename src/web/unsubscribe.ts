import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { Billing } from '../billing/index.ts';
import type { Translator } from '../i18n.ts';
import { renderPage } from './page.ts';

interface Params {
  token: string;
}
interface Query {
  lang?: string;
}

/**
 * The unsubscribe link of a monthly receipt letter. GET asks (link checkers and previews open
 * links; they must not unsubscribe anyone); POST does it — from the page's button, or from the
 * mail client's one-click unsubscribe (RFC 8058, List-Unsubscribe-Post).
 */
export function unsubscribeRoutes(deps: { billing: Billing; translator: Translator }) {
  return async (web: FastifyInstance) => {
    await web.register(formbody);
    const page = (lang: string, title: string, message: string, form?: { action: string; button: string }) => {
      const t = deps.translator(lang);
      return renderPage({ lang, sender: t('mail-sender'), title: t(title), message, ...(form ? { form } : {}) });
    };
    // The token is in the path: Fastify's request log lines (which print it) are kept off.
    const quiet = { logLevel: 'warn' as const };
    const language = (q: Query) => (q.lang === 'en' ? 'en' : 'ru');

    web.get<{ Params: Params; Querystring: Query }>('/mail/unsubscribe/:token', quiet, async (req, reply) => {
      const lang = language(req.query);
      const t = deps.translator(lang);
      const found = await deps.billing.receipts.subscriptionByToken({ token: req.params.token });
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      if (!found.ok) return reply.code(404).send(page(lang, 'web-unsubscribe-title', t('web-unsubscribe-unknown')));
      return page(lang, 'web-unsubscribe-title', t('web-unsubscribe-ask', { number: found.value.longNumber }), {
        action: `/mail/unsubscribe/${req.params.token}?lang=${lang}`,
        button: t('web-unsubscribe-button'),
      });
    });

    web.post<{ Params: Params; Querystring: Query }>('/mail/unsubscribe/:token', quiet, async (req, reply) => {
      const lang = language(req.query);
      const t = deps.translator(lang);
      const done = await deps.billing.receipts.unsubscribeByToken({ token: req.params.token });
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      if (!done.ok) return reply.code(404).send(page(lang, 'web-unsubscribe-title', t('web-unsubscribe-unknown')));
      const said = t('web-unsubscribe-done', { number: done.value.longNumber });
      // The paper receipt declined with the subscription comes back with its end: said on the page too.
      return page(lang, 'web-unsubscribe-title', done.value.paperBack ? `${said} ${t('web-unsubscribe-paper-back')}` : said);
    });
  };
}
