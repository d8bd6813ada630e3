import type { FastifyInstance } from 'fastify';
import { sendPdf } from './send-pdf.ts';
import { monthParts } from '../format.ts';
import type { ReceiptRenderer } from '../pdf/renderer.ts';
import { accountsOf, actorOf, type Body, goneToSignIn, idOf, notYours, type SignedInDeps, strict } from './resident-pages.ts';

interface Deps extends SignedInDeps {
  renderer: ReceiptRenderer;
}

/** Months on one page, as the bot's picker. */
const MONTHS_PAGE = 12;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** A PDF takes tens of milliseconds of CPU: a resident may fetch a few a minute. */
const pdfLimit = { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } };

/**
 * `web-receipts-title`: the months with a statement of one of the resident's accounts, 12 a page, each a
 * PDF made by the same receipt service and renderer as the bot's; and the monthly receipt by
 * e-mail for that account, on or off (the same services as the bot's receipt screen). An
 * account id in the address is only a choice: the services refuse one that is not the resident's.
 */
export function receiptRoutes(deps: Deps) {
  return async (web: FastifyInstance) => {
    web.get<{ Querystring: { account?: string; before?: string } }>('/receipts', { preHandler: deps.signedIn }, async (req, reply) => {
      const title = req.t('web-receipts-title');
      const mine = await accountsOf(deps, req, req.query.account);
      if (!mine) return goneToSignIn(reply);
      if (mine.chosen === null) return reply.page('receipts', { title, accounts: [], months: [] });
      const actor = actorOf(req);
      const before = MONTH.test(req.query.before ?? '') ? req.query.before : undefined;
      const [page, email] = await Promise.all([
        deps.billing.receipts.months({ actor, accountId: mine.chosen, limit: MONTHS_PAGE, ...(before ? { before } : {}) }),
        deps.billing.email.get({ actor }),
      ]);
      if (!page.ok) return notYours(req, reply);
      const accountId = mine.chosen;
      const { months, hasOlder, hasNewer, newerBefore } = page.value;
      const oldest = months.at(-1);
      return reply.page('receipts', {
        title,
        accounts: mine.accounts,
        accountId,
        number: mine.accounts.find((a) => a.id === accountId)?.number ?? '',
        months: months.map((m) => ({ month: m, name: req.t('month-name', monthParts(m)), href: `/receipts/pdf?account=${accountId}&month=${m}` })),
        older: hasOlder && oldest ? `/receipts?account=${accountId}&before=${oldest}` : null,
        newer: hasNewer ? `/receipts?account=${accountId}${newerBefore ? `&before=${newerBefore}` : ''}` : null,
        address: email.ok ? email.value.address : null,
        subscribed: email.ok && email.value.subscribedAccountIds.includes(accountId),
        said: typeof (req.query as { said?: unknown }).said === 'string' ? sayings[(req.query as { said: string }).said] : undefined,
      });
    });

    web.get<{ Querystring: { account?: string; month?: string } }>('/receipts/pdf', { preHandler: deps.signedIn, ...pdfLimit }, async (req, reply) => {
      const accountId = idOf(req.query.account);
      const month = req.query.month ?? '';
      if (accountId === null || !MONTH.test(month)) return notYours(req, reply);
      const receipt = await deps.billing.receipts.forMonth({ actor: actorOf(req), accountId, month });
      if (!receipt.ok) {
        if (receipt.error.code === 'resident_not_found') return goneToSignIn(reply);
        return notYours(req, reply);
      }
      const file = await deps.renderer.render(receipt.value, req.lang);
      return sendPdf(reply, file);
    });

    // The monthly receipt by e-mail, on or off; the service checks the link and the confirmed address.
    web.post<{ Body: Body }>('/receipts/subscription', { preHandler: [web.csrfProtection, deps.signedIn], ...strict }, async (req, reply) => {
      const accountId = idOf(req.body?.account);
      if (accountId === null) return notYours(req, reply);
      const actor = actorOf(req);
      const back = (said: string) => reply.redirect(`/receipts?account=${accountId}&said=${said}`, 303);
      if (req.body?.on === 'no') {
        const off = await deps.billing.receipts.unsubscribe({ actor, accountId });
        if (!off.ok) return off.error.code === 'resident_not_found' ? goneToSignIn(reply) : notYours(req, reply);
        return back(off.value.paperBack ? 'off-paper' : 'off');
      }
      const on = await deps.billing.receipts.subscribe({ actor, accountId });
      if (!on.ok) {
        if (on.error.code === 'email_not_confirmed') return back('no-email');
        return on.error.code === 'resident_not_found' ? goneToSignIn(reply) : notYours(req, reply);
      }
      return back('on');
    });
  };
}

/** What the page says after a change (a key in the address: nothing of the resident's). */
const sayings: Record<string, string> = {
  on: 'web-receipts-subscribed',
  off: 'web-receipts-unsubscribed',
  'off-paper': 'web-receipts-unsubscribed-paper-back',
  'no-email': 'web-receipts-need-email',
};
