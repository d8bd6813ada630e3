import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Billing, viaWeb } from '../billing/index.ts';
import { balanceLines } from '../bot/screens/balance-lines.ts';
import { lockoutText } from '../bot/screens/lockout.ts';
import { CONSENT_VERSION } from '../bot/start-bot.ts';
import type { Mail } from '../mail/index.ts';
import type { FieldErrors } from './house.ts';
import { originOf } from './lookups.ts';
import { endSession, requireSignedIn, startSession } from './session.ts';

interface Deps {
  billing: Billing;
  mail: Mail;
  secure: boolean;
  /** «Войти через Telegram» is offered (src/web/telegram-login.ts). */
  telegram?: boolean;
}

type Body = Record<string, string | undefined>;
const text = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : '');
const strict = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };

/**
 * Sign-up without Telegram and without SMS: the consent (152-ФЗ, the bot's text and version) on
 * its own page creates the resident; the account is proven as in the bot (number, house, flat,
 * surname, the PIN where the branch asks); then the e-mail is confirmed by a code. Later sign-ins
 * are by a code sent to that address: there is no password to leak.
 */
export function signRoutes(deps: Deps) {
  return async (web: FastifyInstance) => {
    const signedUp = requireSignedIn(deps, { stages: ['new', 'in'] });
    const signedIn = requireSignedIn(deps);
    const actorOf = (req: FastifyRequest) => viaWeb(req.session!.residentId);

    web.get('/signup', async (req, reply) => reply.page('signup-consent', { title: req.t('web-signup-title') }));
    web.post<{ Body: Body }>('/signup', { preHandler: web.csrfProtection, ...strict }, async (req, reply) => {
      if (req.body?.agree !== 'yes')
        return reply.code(400).page('signup-consent', { title: req.t('web-signup-title'), errors: { agree: 'web-error-consent' } });
      const started = await deps.billing.residents.startOnWeb({ version: CONSENT_VERSION, language: req.lang });
      if (!started.ok) throw new Error(`sign-up: ${started.error.code}`);
      await startSession(deps, req, reply, { residentId: started.value.residentId, stage: 'new' });
      return reply.redirect('/signup/account', 303);
    });

    web.get('/signup/account', { preHandler: signedUp }, async (req, reply) => reply.page('signup-account', { title: req.t('web-link-title') }));
    web.post<{ Body: Body }>('/signup/account', { preHandler: [web.csrfProtection, signedUp], ...strict }, async (req, reply) =>
      linkByProof(deps, req, reply, { action: '/signup/account', done: req.session!.stage === 'in' ? '/account/accounts' : '/signup/email' }),
    );

    web.get('/signup/email', { preHandler: signedUp }, async (req, reply) => reply.page('email', { title: req.t('web-email-title') }));
    web.post<{ Body: Body }>('/signup/email', { preHandler: [web.csrfProtection, signedUp], ...strict }, async (req, reply) => {
      const title = req.t('web-email-title');
      const address = text(req.body?.address, 254);
      const sent = await deps.mail.sendCode({ actor: actorOf(req), address, language: req.lang });
      if (!sent.ok) {
        const key =
          sent.error.code === 'too_many_codes' ? 'web-error-too-many-codes' : sent.error.code === 'mail_failed' ? 'web-error-mail-failed' : 'web-error-email';
        return reply.code(sent.error.code === 'invalid_input' ? 400 : 503).page('email', { title, values: { address }, errors: { address: key } });
      }
      return reply.page('code', { title: req.t('web-code-title'), action: '/signup/code', address: sent.value.address, minutes: sent.value.minutes });
    });
    web.post<{ Body: Body }>('/signup/code', { preHandler: [web.csrfProtection, signedUp], ...strict }, async (req, reply) => {
      const code = text(req.body?.code, 16).replace(/[\s-]/g, '');
      const address = text(req.body?.address, 254);
      const confirmed = await deps.billing.email.confirm({ actor: actorOf(req), code });
      if (!confirmed.ok) {
        if (confirmed.error.code === 'email_taken')
          return reply.code(409).page('email', { title: req.t('web-email-title'), values: { address }, errors: { address: 'web-error-email-taken' } });
        return reply.code(400).page('code', { title: req.t('web-code-title'), action: '/signup/code', address, errors: { code: codeError(confirmed.error) } });
      }
      await startSession(deps, req, reply, { residentId: req.session!.residentId, stage: 'in' });
      return reply.redirect('/account', 303);
    });

    web.get('/signin', async (req, reply) => reply.page('signin', { title: req.t('web-signin-title'), telegram: deps.telegram === true }));
    web.post<{ Body: Body }>('/signin', { preHandler: web.csrfProtection, ...strict }, async (req, reply) => {
      const address = text(req.body?.address, 254);
      const sent = await deps.mail.sendSignInCode({ address, language: req.lang });
      if (!sent.ok) {
        const key =
          sent.error.code === 'too_many_codes' ? 'web-error-too-many-codes' : sent.error.code === 'mail_failed' ? 'web-error-mail-failed' : 'web-error-email';
        return reply
          .code(sent.error.code === 'invalid_input' ? 400 : 503)
          .page('signin', { title: req.t('web-signin-title'), values: { address }, errors: { address: key } });
      }
      return reply.page('code', { title: req.t('web-code-title'), action: '/signin/code', address, minutes: sent.value.minutes, signIn: true });
    });
    web.post<{ Body: Body }>('/signin/code', { preHandler: web.csrfProtection, ...strict }, async (req, reply) => {
      const code = text(req.body?.code, 16).replace(/[\s-]/g, '');
      const address = text(req.body?.address, 254);
      const signed = await deps.billing.email.signIn({ address, code });
      if (!signed.ok)
        return reply
          .code(400)
          .page('code', { title: req.t('web-code-title'), action: '/signin/code', address, signIn: true, errors: { code: codeError(signed.error) } });
      await startSession(deps, req, reply, { residentId: signed.value.residentId, stage: 'in' });
      return reply.redirect('/account', 303);
    });

    web.get('/account', { preHandler: signedIn }, async (req, reply) => {
      const title = req.t('web-account-title');
      const active = await deps.billing.balance.ofActiveAccount({ actor: actorOf(req) });
      if (!active.ok && active.error.code === 'resident_not_found') {
        await endSession(deps, req, reply);
        return reply.redirect('/signin', 303);
      }
      if (!active.ok) return reply.page('account', { title, account: null });
      return reply.page('account', { title, account: { number: active.value.account.longNumber, lines: balanceLines(req.t, active.value.balance) } });
    });
    web.post('/signout', { preHandler: web.csrfProtection }, async (req, reply) => {
      await endSession(deps, req, reply);
      return reply.redirect('/', 303);
    });
    // Signing out on every device: the resident's other browsers lose their sessions too.
    web.post('/signout/everywhere', { preHandler: [web.csrfProtection, signedIn], ...strict }, async (req, reply) => {
      await deps.billing.webSessions.endAll({ actor: actorOf(req) });
      await endSession(deps, req, reply);
      return reply.redirect('/', 303);
    });
  };
}

/**
 * The proof of an account (number, house, flat, surname, the PIN where the branch asks) typed into
 * templates/web/signup-account.eta, checked and counted by billing as in the bot: linked, the
 * resident goes to `done`; else the form again with the error at its field, or the lockout.
 */
export async function linkByProof(deps: { billing: Billing }, req: FastifyRequest<{ Body: Body }>, reply: FastifyReply, o: { action: string; done: string }) {
  const title = req.t('web-link-title');
  const body = req.body ?? {};
  const values = { number: text(body.number, 32), house: text(body.house, 32), flat: text(body.flat, 16), surname: text(body.surname, 80) };
  const longNumber = values.number.replace(/[\s-]/g, '');
  const errors: FieldErrors = {};
  if (!/^\d{15}$/.test(longNumber)) errors.number = 'web-error-long-number';
  if (!values.house) errors.house = 'web-error-house';
  if (!values.surname) errors.surname = 'web-error-surname';
  if (Object.keys(errors).length) return reply.code(400).page('signup-account', { title, values, errors, action: o.action });
  const pin = text(body.pin, 32);
  // Billing counts the failed tries (ownership-limits.ts), by the visitor's origin: anyone may sign up again.
  const linked = await deps.billing.residents.linkAccount({
    actor: viaWeb(req.session!.residentId, originOf(req.ip)),
    proof: { by: 'number', longNumber, house: values.house, flat: values.flat || null, flatPrefix: null, surname: values.surname, pin: pin || null },
  });
  if (!linked.ok) {
    if (linked.error.code === 'resident_not_found') {
      await endSession(deps, req, reply);
      return reply.redirect('/signup', 303);
    }
    if (linked.error.code === 'ownership_locked') {
      const listed = await deps.billing.branches.list({});
      return reply.code(429).page('message', { title, message: lockoutText(req.t, Date.parse(linked.error.until), listed.ok ? listed.value : []), back: true });
    }
    const pinAsked = linked.error.code === 'pin_required';
    return reply.code(404).page('signup-account', {
      title,
      values,
      action: o.action,
      errors: pinAsked ? { pin: 'web-error-pin-required' } : { number: 'web-error-owner-not-found' },
    });
  }
  return reply.redirect(o.done, 303);
}

function codeError(e: { code: string; attemptsLeft?: number }) {
  if (e.code === 'code_invalid' && (e.attemptsLeft ?? 0) > 0) return 'web-error-code-wrong';
  if (e.code === 'invalid_input') return 'web-error-code-format';
  return 'web-error-code-expired';
}
