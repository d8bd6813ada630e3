import type { FastifyReply, FastifyRequest } from 'fastify';

/** How long a web session lives without a request; every page seen starts the time again. */
export const SESSION_IDLE_SECONDS = 30 * 60;
const COOKIE = 'sid';

/**
 * The resident of the web pages: `new` after the consent (linking and the e-mail still to come),
 * `in` once an e-mail code was typed. The cookie is signed (the WEB_SESSION_SECRET), HttpOnly,
 * SameSite=Lax and Secure behind TLS; it carries the resident's id and the time it was last
 * used, so a session idle for longer than SESSION_IDLE_SECONDS is refused even if a browser keeps
 * the cookie. Withdrawing the consent deletes the resident: every service refuses the id after that.
 */
export interface WebSession {
  residentId: number;
  stage: 'new' | 'in';
}

export function readSession(req: FastifyRequest, now = Date.now()): WebSession | null {
  const raw = req.cookies[COOKIE];
  if (!raw) return null;
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  const m = /^(\d{1,12})\.(new|in)\.(\d{1,12})$/.exec(unsigned.value);
  if (!m) return null;
  if (now / 1000 - Number(m[3]) > SESSION_IDLE_SECONDS) return null;
  return { residentId: Number(m[1]), stage: m[2] as WebSession['stage'] };
}

export function writeSession(reply: FastifyReply, session: WebSession, secure: boolean, now = Date.now()) {
  reply.setCookie(COOKIE, `${session.residentId}.${session.stage}.${Math.floor(now / 1000)}`, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: SESSION_IDLE_SECONDS,
  });
}

export function endSession(reply: FastifyReply) {
  reply.clearCookie(COOKIE, { path: '/' });
}
