import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { type Billing, viaWeb } from '../billing/index.ts';
import type { Translate } from '../i18n.ts';
import { addressLine } from '../words.ts';
import { originOf } from './lookups.ts';

/**
 * What the signed-in pages share: the preHandler that lets a signed-in resident through (it sets
 * `req.session`; `requireSignedIn` of session.ts), the actor, and the
 * account a page is about.
 */
export interface SignedInDeps {
  billing: Billing;
  signedIn: preHandlerAsyncHookHandler;
}

export type Body = Record<string, string | undefined>;
export const text = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : '');
/** Posts of the signed-in pages: bursts are cut per minute. */
export const strict = { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } };

export const actorOf = (req: FastifyRequest) => viaWeb(req.session!.residentId, originOf(req.ip));

/** An id typed into a URL or a form: a positive integer, else null (the services decide whose it is). */
export const idOf = (v: unknown): number | null => (typeof v === 'string' && /^\d{1,9}$/.test(v) && Number(v) > 0 ? Number(v) : null);

/**
 * The resident's accounts, and the one a page is about: `?account=` if given (the services refuse
 * one that is not the resident's), else the active one. Null when the resident is gone (the
 * consent withdrawn elsewhere): the caller sends them to sign in.
 */
export async function accountsOf(deps: SignedInDeps, req: FastifyRequest, asked: unknown) {
  const me = await deps.billing.residents.get({ actor: actorOf(req) });
  if (!me.ok) return null;
  const accounts = me.value.accounts.map((a) => ({ id: a.accountId, number: a.longNumber, address: addressLine(req.t, a.address), active: a.active }));
  const chosen = idOf(asked) ?? me.value.activeAccountId;
  return { accounts, chosen, resident: me.value };
}

/** The resident is gone (consent withdrawn in the bot, or deleted): the session is useless. */
export const goneToSignIn = (reply: FastifyReply) => reply.redirect('/signin', 303);

/** A page about an account that is not the resident's (or not there): one answer for both. */
export const notYours = (req: FastifyRequest, reply: FastifyReply, t: Translate = req.t) =>
  reply.code(404).page('message', { title: t('web-more-not-found-title'), message: t('web-more-not-found'), back: true });
