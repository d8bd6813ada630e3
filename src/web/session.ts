import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Billing, viaWeb } from '../billing/index.ts';
import type { WebSessionStage } from '../billing/web-sessions.ts';

const COOKIE = 'sid';

/**
 * The resident of the web pages: `new` after the consent (linking and the e-mail still to come),
 * `in` once an e-mail code was typed. The session is kept server-side by billing
 * (`webSessions`, PostgreSQL): the cookie carries only a random token (HttpOnly, SameSite=Lax,
 * Secure behind TLS), the table its hash. Signing out ends it; withdrawing the consent, through
 * any door, deletes the resident and their sessions with them; 30 minutes without a request, or
 * 12 hours in all, end it too.
 */
export interface WebSession {
  residentId: number;
  stage: WebSessionStage;
}

export interface SessionDeps {
  billing: Billing;
  /** Served over HTTPS: the cookie is `Secure`. */
  secure: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireSignedIn` (and by `readSession`) for the route's handler. */
    session?: WebSession;
  }
}

const tokenOf = (req: FastifyRequest) => {
  const raw = req.cookies[COOKIE];
  return raw && /^[A-Za-z0-9_-]{43}$/.test(raw) ? raw : null;
};

const setCookie = (reply: FastifyReply, token: string, maxAge: number, secure: boolean) =>
  reply.setCookie(COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge });

/** The live session of the request's cookie (its idle time starts again), or null. */
export async function readSession(deps: SessionDeps, req: FastifyRequest, reply: FastifyReply): Promise<WebSession | null> {
  const token = tokenOf(req);
  if (!token) return null;
  const resumed = await deps.billing.webSessions.resume({ token });
  if (!resumed.ok) {
    reply.clearCookie(COOKIE, { path: '/' });
    return null;
  }
  setCookie(reply, token, resumed.value.idleSeconds, deps.secure);
  const session = { residentId: resumed.value.residentId, stage: resumed.value.stage };
  req.session = session;
  return session;
}

/**
 * A new session for the resident (after the consent, or an e-mail code), in place of the
 * request's own: the token seen before never carries the new stage.
 */
export async function startSession(deps: SessionDeps, req: FastifyRequest, reply: FastifyReply, session: WebSession) {
  const replaces = tokenOf(req);
  const opened = await deps.billing.webSessions.open({ actor: viaWeb(session.residentId), stage: session.stage, ...(replaces ? { replaces } : {}) });
  if (!opened.ok) throw new Error(`web session: ${opened.error.code}`);
  setCookie(reply, opened.value.token, opened.value.idleSeconds, deps.secure);
  req.session = session;
}

/** Signing out: the cookie's session ends in the store, and the cookie goes. */
export async function endSession(deps: Pick<SessionDeps, 'billing'>, req: FastifyRequest, reply: FastifyReply) {
  const token = tokenOf(req);
  if (token) await deps.billing.webSessions.end({ token });
  reply.clearCookie(COOKIE, { path: '/' });
}

/**
 * The preHandler of a page for residents: sets `req.session`, or sends the visitor where they
 * can get one — to sign in, or (signed up, the e-mail not yet confirmed) back to the sign-up.
 * Put it after `web.csrfProtection` on a form's route.
 */
export function requireSignedIn(deps: SessionDeps, o: { stages?: readonly WebSessionStage[] } = {}) {
  const stages = o.stages ?? ['in'];
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const s = await readSession(deps, req, reply);
    if (!s || !stages.includes(s.stage)) return reply.redirect(s ? '/signup/account' : '/signin', 303);
  };
}
