import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Billing } from '../billing/index.ts';

interface Params {
  token: string;
}

/**
 * The unsubscribe link of a monthly receipt letter. GET asks (link checkers and previews open
 * links; they must not unsubscribe anyone); POST does it — from the page's button, or from the
 * mail client's one-click unsubscribe (RFC 8058, List-Unsubscribe-Post). The POST carries no form
 * token: the mail client sends no cookie, and the token in the path is the secret that proves it.
 */
export function unsubscribeRoutes(deps: { billing: Billing }) {
  return async (web: FastifyInstance) => {
    // The token is in the path: Fastify's request log lines (which print it) are kept off.
    const quiet = { logLevel: 'warn' as const };
    const unknown = (reply: FastifyReply) =>
      reply.code(404).page('message', { title: reply.request.t('web-unsubscribe-title'), message: reply.request.t('web-unsubscribe-unknown') });

    web.get<{ Params: Params }>('/mail/unsubscribe/:token', quiet, async (req, reply) => {
      const found = await deps.billing.receipts.subscriptionByToken({ token: req.params.token });
      if (!found.ok) return unknown(reply);
      return reply.page('message', {
        title: req.t('web-unsubscribe-title'),
        message: req.t('web-unsubscribe-ask', { number: found.value.longNumber }),
        form: { action: `/mail/unsubscribe/${req.params.token}?lang=${req.lang}`, button: req.t('web-unsubscribe-button') },
      });
    });

    web.post<{ Params: Params }>('/mail/unsubscribe/:token', quiet, async (req, reply) => {
      const done = await deps.billing.receipts.unsubscribeByToken({ token: req.params.token });
      if (!done.ok) return unknown(reply);
      const said = req.t('web-unsubscribe-done', { number: done.value.longNumber });
      // The paper receipt declined with the subscription comes back with its end: said on the page too.
      return reply.page('message', {
        title: req.t('web-unsubscribe-title'),
        message: done.value.paperBack ? `${said} ${req.t('web-unsubscribe-paper-back')}` : said,
      });
    });
  };
}
