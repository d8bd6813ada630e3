import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { REMINDER_KINDS } from '../billing/index.ts';
import type { Mail } from '../mail/index.ts';
import { addressLine } from '../words.ts';
import { actorOf, type Body, goneToSignIn, idOf, notYours, type SignedInDeps, strict, text } from './resident-pages.ts';
import { endSession } from './session.ts';

interface Deps extends SignedInDeps {
  /** Sends the code to a new address; without it the address cannot be changed here. */
  mail?: Mail;
  /** Ends the resident's session everywhere it is kept (after the consent is withdrawn); default: the cookie is cleared. */
  endSession?: (req: FastifyRequest, reply: FastifyReply) => void | Promise<void>;
}

/** What the settings page says after a change (a key in the address: nothing of the resident's). */
const SAID: Record<string, string> = {
  language: 'web-settings-language-saved',
  email: 'web-settings-email-saved',
  reminders: 'web-settings-reminders-saved',
  'paper-on': 'web-settings-paper-declined',
  'paper-off': 'web-settings-paper-restored',
  phone: 'web-settings-phone-saved',
  'phone-removed': 'web-settings-phone-removed',
};

/**
 * «Настройки» of the signed-in pages, through the same services as the bot's settings: the
 * language (the pages follow it: the language cookie, and the resident's language for letters
 * and messages), the e-mail address (a new one is confirmed by a code before it counts), the
 * reminders of each kind per linked account, the paper-receipt opt-out (with the e-mail
 * subscription, seed 002), the phone for requests, and withdrawing the consent (152-ФЗ) with a
 * page that asks once more: the resident is deleted as in the bot, and the session ends.
 */
export function settingsRoutes(deps: Deps) {
  return async (web: FastifyInstance) => {
    const pre = { preHandler: deps.signedIn };
    const post = { preHandler: [web.csrfProtection, deps.signedIn], ...strict };

    const show = async (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, code = 200) => {
      const actor = actorOf(req);
      const [me, email, reminders, phone] = await Promise.all([
        deps.billing.residents.get({ actor }),
        deps.billing.email.get({ actor }),
        deps.billing.reminders.settings({ actor }),
        deps.billing.residents.phone({ actor }),
      ]);
      if (!me.ok || !email.ok || !reminders.ok || !phone.ok) return goneToSignIn(reply);
      const said = typeof (req.query as { said?: unknown }).said === 'string' ? SAID[(req.query as { said: string }).said] : undefined;
      return reply.code(code).page('settings', {
        title: req.t('web-settings-title'),
        said,
        language: me.value.language,
        email: { address: email.value.address, pending: email.value.pending },
        changeEmail: deps.mail !== undefined,
        paper: me.value.accounts
          .filter((a) => email.value.subscribedAccountIds.includes(a.accountId))
          .map((a) => ({ id: a.accountId, number: a.longNumber, off: email.value.paperOptOutAccountIds.includes(a.accountId) })),
        reminders: reminders.value.map((a) => ({
          id: a.accountId,
          number: a.longNumber,
          address: addressLine(req.t, a.address),
          kinds: REMINDER_KINDS.map((k) => ({ kind: k, on: a.on[k], name: `r-${a.accountId}-${k}` })),
        })),
        phone: phone.value.masked,
        ...extra,
      });
    };
    const done = (reply: FastifyReply, said: string) => reply.redirect(`/settings?said=${said}`, 303);

    web.get('/settings', pre, async (req, reply) => show(req, reply));

    web.post<{ Body: Body }>('/settings/language', post, async (req, reply) => {
      const language = req.body?.language;
      if (language !== 'ru' && language !== 'en') return show(req, reply, { errors: { language: 'web-settings-language-error' } }, 400);
      const set = await deps.billing.residents.setLanguage({ actor: actorOf(req), language });
      if (!set.ok) return goneToSignIn(reply);
      reply.setCookie('lang', language, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600 });
      return done(reply, 'language');
    });

    // The reminders: one form with a box per account and kind; only the resident's own accounts are read from it.
    web.post<{ Body: Body }>('/settings/reminders', post, async (req, reply) => {
      const actor = actorOf(req);
      const now = await deps.billing.reminders.settings({ actor });
      if (!now.ok) return goneToSignIn(reply);
      for (const a of now.value)
        for (const kind of REMINDER_KINDS) {
          const on = req.body?.[`r-${a.accountId}-${kind}`] === 'yes';
          if (on === a.on[kind]) continue;
          const set = await deps.billing.reminders.set({ actor, accountId: a.accountId, kind, on });
          if (!set.ok) return notYours(req, reply);
        }
      return done(reply, 'reminders');
    });

    // The paper receipt declined or brought back (seed 002); the service refuses it without the e-mail subscription.
    web.post<{ Body: Body }>('/settings/paper', post, async (req, reply) => {
      const accountId = idOf(req.body?.account);
      if (accountId === null) return notYours(req, reply);
      const on = req.body?.on === 'yes';
      const set = await deps.billing.receipts.paperOptOut({ actor: actorOf(req), accountId, on });
      if (!set.ok) return set.error.code === 'resident_not_found' ? goneToSignIn(reply) : notYours(req, reply);
      return done(reply, on ? 'paper-on' : 'paper-off');
    });

    // The phone for requests, typed by the resident (their own, as the bot's contact button is).
    web.post<{ Body: Body }>('/settings/phone', post, async (req, reply) => {
      const typed = text(req.body?.phone, 32);
      const saved = await deps.billing.residents.setPhone({ actor: actorOf(req), phone: typed, own: true });
      if (!saved.ok) {
        if (saved.error.code === 'resident_not_found') return goneToSignIn(reply);
        return show(req, reply, { errors: { phone: 'web-settings-phone-error' }, values: { phone: typed } }, 400);
      }
      return done(reply, 'phone');
    });
    web.post('/settings/phone/remove', post, async (req, reply) => {
      const removed = await deps.billing.residents.removePhone({ actor: actorOf(req) });
      if (!removed.ok) return goneToSignIn(reply);
      return done(reply, 'phone-removed');
    });

    // A new e-mail address: a code to it, and only the code typed makes it the resident's address.
    if (deps.mail) {
      const mail = deps.mail;
      const emailPage = (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, code = 200) =>
        reply.code(code).page('settings-email', { title: req.t('web-settings-email-title'), ...extra });
      web.get('/settings/email', pre, async (req, reply) => emailPage(req, reply));
      web.post<{ Body: Body }>('/settings/email', post, async (req, reply) => {
        const address = text(req.body?.address, 254);
        const sent = await mail.sendCode({ actor: actorOf(req), address, language: req.lang });
        if (!sent.ok) {
          if (sent.error.code === 'resident_not_found') return goneToSignIn(reply);
          const key =
            sent.error.code === 'too_many_codes' ? 'web-error-too-many-codes' : sent.error.code === 'mail_failed' ? 'web-error-mail-failed' : 'web-error-email';
          return emailPage(req, reply, { values: { address }, errors: { address: key } }, sent.error.code === 'invalid_input' ? 400 : 503);
        }
        return reply.page('code', { title: req.t('web-code-title'), action: '/settings/email/code', address: sent.value.address, minutes: sent.value.minutes });
      });
      web.post<{ Body: Body }>('/settings/email/code', post, async (req, reply) => {
        const code = text(req.body?.code, 16).replace(/[\s-]/g, '');
        const address = text(req.body?.address, 254);
        const confirmed = await deps.billing.email.confirm({ actor: actorOf(req), code });
        if (!confirmed.ok) {
          if (confirmed.error.code === 'resident_not_found') return goneToSignIn(reply);
          if (confirmed.error.code === 'email_taken') return emailPage(req, reply, { values: { address }, errors: { address: 'web-error-email-taken' } }, 409);
          const e = confirmed.error as { code: string; attemptsLeft?: number };
          const key =
            e.code === 'code_invalid' && (e.attemptsLeft ?? 0) > 0
              ? 'web-error-code-wrong'
              : e.code === 'invalid_input'
                ? 'web-error-code-format'
                : 'web-error-code-expired';
          return reply.code(400).page('code', { title: req.t('web-code-title'), action: '/settings/email/code', address, errors: { code: key } });
        }
        return done(reply, 'email');
      });
    }

    // Withdrawing the consent: asked once more on its own page, then the resident is forgotten as in the bot.
    web.get('/settings/withdraw', pre, async (req, reply) => reply.page('settings-withdraw', { title: req.t('web-settings-withdraw-title') }));
    web.post<{ Body: Body }>('/settings/withdraw', post, async (req, reply) => {
      if (req.body?.sure !== 'yes')
        return reply.code(400).page('settings-withdraw', { title: req.t('web-settings-withdraw-title'), errors: { sure: 'web-settings-withdraw-error' } });
      const withdrawn = await deps.billing.residents.withdrawConsent({ actor: actorOf(req) });
      if (!withdrawn.ok && withdrawn.error.code !== 'resident_not_found') throw new Error(`withdraw: ${withdrawn.error.code}`);
      await (deps.endSession ?? ((q, r) => endSession(deps, q, r)))(req, reply);
      return reply.page('message', { title: req.t('web-settings-withdraw-title'), message: req.t('web-settings-withdrawn'), back: true });
    });
  };
}
