import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addressLine } from '../words.ts';
import { endSession } from './session.ts';
import { type Body, guards, idOf, notYours, residentOf, type SignedInDeps, sensitive } from './signed-in.ts';
import { linkByProof } from './sign.ts';

const DONE = ['linked', 'active', 'unlinked'] as const;

/**
 * «Выбор лицевого счёта» (seeds 001/002): the resident's accounts, the active one marked; another
 * linked by the proof of the sign-up (number, house, flat, surname); one made active; one unlinked
 * after a confirmation. Every change names the account by its id in the form, and billing refuses
 * an id that is not the resident's own (`account_not_linked`), whatever the form was made to say.
 */
export function accountsRoutes(deps: SignedInDeps) {
  return async (web: FastifyInstance) => {
    const guard = guards(web, deps);

    /** The resident's accounts, or null when the resident is gone (then signed out and sent to sign in). */
    const residentAccounts = async (req: FastifyRequest, reply: FastifyReply) => {
      const resident = await deps.billing.residents.get({ actor: residentOf(req) });
      if (resident.ok) return resident.value.accounts;
      await endSession(deps, req, reply);
      await reply.redirect('/signin', 303);
      return null;
    };

    web.get<{ Querystring: { done?: string } }>('/account/accounts', { preHandler: guard.page }, async (req, reply) => {
      const accounts = await residentAccounts(req, reply);
      if (!accounts) return reply;
      const done = DONE.find((d) => d === req.query.done);
      return reply.page('accounts', {
        title: req.t('web-accounts-title'),
        done: done ? req.t(`web-accounts-done-${done}`) : null,
        accounts: accounts.map((a) => ({ id: a.accountId, number: a.longNumber, address: addressLine(req.t, a.address), owner: a.owner, active: a.active })),
      });
    });

    web.get('/account/accounts/link', { preHandler: guard.page }, async (req, reply) =>
      reply.page('signup-account', { title: req.t('web-link-title'), action: '/account/accounts/link' }),
    );
    web.post<{ Body: Body }>('/account/accounts/link', { preHandler: guard.form, ...sensitive }, async (req, reply) =>
      linkByProof(deps, req, reply, { action: '/account/accounts/link', done: '/account/accounts?done=linked' }),
    );

    web.post<{ Body: Body }>('/account/accounts/active', { preHandler: guard.form, ...sensitive }, async (req, reply) => {
      const accountId = idOf(req.body?.account);
      if (accountId === null) return reply.code(400).page('account-message', { title: req.t('web-error-title'), message: req.t('web-error-bad-request') });
      const switched = await deps.billing.residents.setActiveAccount({ actor: residentOf(req), accountId });
      if (!switched.ok) return notYours(req, reply);
      return reply.redirect('/account/accounts?done=active', 303);
    });

    // Unlinking asks first: the confirmation names the account, found among the resident's own only.
    web.get<{ Querystring: { account?: string } }>('/account/accounts/unlink', { preHandler: guard.page }, async (req, reply) => {
      const accounts = await residentAccounts(req, reply);
      if (!accounts) return reply;
      const accountId = idOf(req.query.account);
      const account = accounts.find((a) => a.accountId === accountId);
      if (!account) return notYours(req, reply);
      return reply.page('accounts-unlink', {
        title: req.t('web-accounts-unlink-title'),
        account: { id: account.accountId, number: account.longNumber, address: addressLine(req.t, account.address) },
      });
    });
    web.post<{ Body: Body }>('/account/accounts/unlink', { preHandler: guard.form, ...sensitive }, async (req, reply) => {
      const accountId = idOf(req.body?.account);
      if (accountId === null) return reply.code(400).page('account-message', { title: req.t('web-error-title'), message: req.t('web-error-bad-request') });
      const unlinked = await deps.billing.residents.unlinkAccount({ actor: residentOf(req), accountId });
      if (!unlinked.ok) return notYours(req, reply);
      return reply.redirect('/account/accounts?done=unlinked', 303);
    });
  };
}
