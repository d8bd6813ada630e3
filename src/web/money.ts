import type { FastifyInstance } from 'fastify';
import { balanceLines } from '../bot/screens/balance-lines.ts';
import { day, monthRow, rub } from '../format.ts';
import { accountHeading, activeAccount, guards, pageOf, residentOf, type SignedInDeps } from './signed-in.ts';

const MONTHS = 12;
const PAYMENTS = 20;
const month = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * The money of the active account: the balance with the month table (seed 000 §8: opening,
 * charged with its volume and recalculation, benefits, paid, closing; 12 months a page, the bot's
 * `balance.statements`) and the payment history (seed 001 (`web-payments-title`)). The account is the
 * resident's active one, never one named in the address.
 */
export function moneyRoutes(deps: SignedInDeps) {
  return async (web: FastifyInstance) => {
    const guard = guards(web, deps);

    web.get<{ Querystring: { before?: string } }>('/account/balance', { preHandler: guard.page }, async (req, reply) => {
      const title = req.t('web-balance-title');
      const account = await activeAccount(deps, req, reply, title);
      if (!account) return reply;
      const actor = residentOf(req);
      const before = month.test(req.query.before ?? '') ? req.query.before : undefined;
      const [balance, page] = await Promise.all([
        deps.billing.balance.get({ actor, accountId: account.accountId }),
        deps.billing.balance.statements({ actor, accountId: account.accountId, limit: MONTHS, ...(before ? { before } : {}) }),
      ]);
      if (!balance.ok || !page.ok) throw new Error(`balance: ${balance.ok ? '' : balance.error.code} ${page.ok ? '' : page.error.code}`);
      const items = page.value.items;
      const oldest = items.at(-1)?.month;
      return reply.page('balance', {
        title,
        account: accountHeading(req, account),
        lines: balanceLines(req.t, balance.value),
        rows: items.map((s) => monthRow(req.t, s, '—')),
        older: page.value.hasMore && oldest ? `/account/balance?before=${oldest}` : null,
        newer: page.value.newerBefore ? `/account/balance?before=${page.value.newerBefore}` : null,
      });
    });

    web.get<{ Querystring: { page?: string } }>('/account/payments', { preHandler: guard.page }, async (req, reply) => {
      const title = req.t('web-payments-title');
      const account = await activeAccount(deps, req, reply, title);
      if (!account) return reply;
      const n = pageOf(req.query.page);
      const page = await deps.billing.balance.payments({ actor: residentOf(req), accountId: account.accountId, limit: PAYMENTS, offset: (n - 1) * PAYMENTS });
      if (!page.ok) throw new Error(`payments: ${page.error.code}`);
      return reply.page('payments', {
        title,
        account: accountHeading(req, account),
        rows: page.value.items.map((p) => ({
          received: day(p.receivedOn),
          kind: p.kind,
          processed: p.processedOn ? day(p.processedOn) : '—',
          amount: rub(p.amount),
        })),
        older: n * PAYMENTS < page.value.total ? `/account/payments?page=${n + 1}` : null,
        newer: n > 1 ? `/account/payments?page=${n - 1}` : null,
      });
    });
  };
}
