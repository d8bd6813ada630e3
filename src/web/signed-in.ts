import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AccountRef, type Billing, type ResidentActor, viaWeb } from '../billing/index.ts';
import { addressLine } from '../words.ts';
import { endSession, requireSignedIn, type SessionDeps } from './session.ts';

/** What the pages of a signed-in resident need: billing, and how the session cookie is set. */
export interface SignedInDeps extends SessionDeps {
  billing: Billing;
}

export type Body = Record<string, string | undefined>;
export const text = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : '');

/** Posts that change something, or are tried against someone else's data: at most 10 a minute from one address. */
export const sensitive = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };

/** The acting resident of a page behind `requireSignedIn`. */
export const residentOf = (req: FastifyRequest): ResidentActor => viaWeb(req.session!.residentId);

/** A positive id as typed into a form or a path (at most 12 digits), else null. */
export const idOf = (v: unknown): number | null => (typeof v === 'string' && /^[1-9]\d{0,11}$/.test(v) ? Number(v) : null);

/** A page number of `?page=` (1 when absent or not a number). */
export const pageOf = (v: unknown): number => {
  const n = typeof v === 'string' && /^\d{1,4}$/.test(v) ? Number(v) : 1;
  return Math.max(n, 1);
};

/** The preHandlers of a signed-in page (GET), and of its forms (the token checked first). */
export function guards(web: { csrfProtection: unknown }, deps: SignedInDeps) {
  const signedIn = requireSignedIn(deps);
  return { page: signedIn, form: [web.csrfProtection as never, signedIn] };
}

/** The header of a page about one account: its number and address. */
export const accountHeading = (req: FastifyRequest, a: AccountRef) => ({
  number: a.longNumber,
  address: addressLine(req.t, a.address),
});

/**
 * The account the pages show: the resident's active one (chosen on the accounts page). Without
 * one, the page says so and offers linking; a resident who is gone (the consent withdrawn) is
 * signed out.
 */
export async function activeAccount(deps: SignedInDeps, req: FastifyRequest, reply: FastifyReply, title: string): Promise<AccountRef | null> {
  const active = await deps.billing.residents.activeAccount({ actor: residentOf(req) });
  if (active.ok) return active.value;
  if (active.error.code === 'resident_not_found') {
    await endSession(deps, req, reply);
    await reply.redirect('/signin', 303);
    return null;
  }
  await reply.page('account-none', { title });
  return null;
}

/** The polite 404 of an account or a meter that is not among the resident's own (the same for one that does not exist). */
export const notYours = (req: FastifyRequest, reply: FastifyReply, key = 'web-account-not-yours') =>
  reply.code(404).page('account-message', { title: req.t('web-error-title'), message: req.t(key) });
