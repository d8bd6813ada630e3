import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { WebSession } from '../../db/entities/index.ts';
import { fail, ok } from './result.ts';
import { defineResidentService, defineService } from './service.ts';

/** How long a web session lives without a request; every page seen starts the time again. */
export const WEB_SESSION_IDLE_SECONDS = 30 * 60;
/** However busy, a session ends this long after it began: the resident signs in again by a code. */
export const WEB_SESSION_MAX_SECONDS = 12 * 60 * 60;

export const WEB_SESSION_STAGES = ['new', 'in'] as const;
export type WebSessionStage = (typeof WEB_SESSION_STAGES)[number];

/** 32 random bytes, base64url: what the browser's cookie carries. */
const token = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
const hashOf = (t: string) => createHash('sha256').update(t).digest('hex');
const ago = (now: Date, seconds: number) => new Date(now.getTime() - seconds * 1000);

/**
 * A session of the web pages for the resident acting (the front door calls it right after the
 * consent, or after an e-mail code proved the address): a new random token, of which only the
 * hash is kept. `replaces` ends the session it grows out of (signed up → signed in), so that a
 * token seen before signing in never carries a signed-in session. Sessions left idle, of anyone,
 * are cleared here too: the table holds only live ones and what went idle since the last sign-in.
 */
export const openWebSession = defineResidentService(
  'write',
  { stage: z.enum(WEB_SESSION_STAGES), replaces: token.optional() },
  async (input, { em, now, resident }) => {
    const found = await resident();
    if (!found) return fail({ code: 'resident_not_found' as const });
    await em.execute(
      `delete from web_session where last_seen_at < ? or created_at < ?`,
      [ago(now, WEB_SESSION_IDLE_SECONDS), ago(now, WEB_SESSION_MAX_SECONDS)],
      'run',
    );
    // The token is the proof of the session it names, whoever's it was: the browser holds only the new one.
    if (input.replaces) await em.nativeDelete(WebSession, { tokenHash: hashOf(input.replaces) });
    const fresh = randomBytes(32).toString('base64url');
    em.create(WebSession, { tokenHash: hashOf(fresh), resident: found, stage: input.stage, createdAt: now, lastSeenAt: now });
    await em.flush();
    return ok({ token: fresh, idleSeconds: WEB_SESSION_IDLE_SECONDS });
  },
);

/**
 * The session the token names, if it is live: its resident and stage, and its idle time starts
 * again. One statement; an idle, ended or revoked session (its resident gone) is not found.
 */
export const resumeWebSession = defineService(z.object({ token }), async (input, { em, now }) => {
  const [row] = await em.execute<{ resident_id: number; stage: string }[]>(
    `update web_session set last_seen_at = ? where token_hash = ? and last_seen_at >= ? and created_at >= ? returning resident_id, stage`,
    [now, hashOf(input.token), ago(now, WEB_SESSION_IDLE_SECONDS), ago(now, WEB_SESSION_MAX_SECONDS)],
  );
  if (!row) return fail({ code: 'session_not_found' as const });
  const stage: WebSessionStage = row.stage === 'in' ? 'in' : 'new';
  return ok({ residentId: Number(row.resident_id), stage, idleSeconds: WEB_SESSION_IDLE_SECONDS });
});

/** Signing out: the token's session ends (the token is the proof; an unknown one ends nothing). */
export const endWebSession = defineService(z.object({ token }), async (input, { em }) => {
  const ended = await em.nativeDelete(WebSession, { tokenHash: hashOf(input.token) });
  return ok({ ended: ended > 0 });
});

/** Signing out on every device: all of the acting resident's web sessions end. */
export const endAllWebSessions = defineResidentService('write', {}, async (_input, { em, resident }) => {
  const found = await resident();
  if (!found) return fail({ code: 'resident_not_found' as const });
  const ended = await em.nativeDelete(WebSession, { resident: found });
  return ok({ ended });
});
