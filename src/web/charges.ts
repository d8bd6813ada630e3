import type { FastifyInstance } from 'fastify';
import { sendPdf } from './send-pdf.ts';
import type { Billing } from '../billing/index.ts';
import { lockoutText } from '../bot/screens/lockout.ts';
import type { ReceiptRenderer } from '../pdf/renderer.ts';
import type { FieldErrors } from './house.ts';
import { originOf } from './lookups.ts';
import { viaWebVisitor } from '../billing/index.ts';

interface Deps {
  billing: Billing;
  renderer: ReceiptRenderer;
}

type Body = Record<string, string | undefined>;
const text = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : '');

/**
 * Seed 003: the last month's charges as a PDF without signing in, for whoever proves the account
 * as linking does (number, house, flat, the owner's surname, the PIN where the branch asks for it).
 * Failures count against the same per-account limit as linking in the bot (`num:<number>`).
 */
export function chargesRoutes(deps: Deps) {
  return async (web: FastifyInstance) => {
    const title = (t: (k: string) => string) => t('web-charges-title');
    web.get('/charges', async (req, reply) => reply.page('charges', { title: title(req.t) }));

    web.post<{ Body: Body }>('/charges', { preHandler: web.csrfProtection, config: { rateLimit: { max: 10, timeWindow: '1 minute' } } }, async (req, reply) => {
      const body = req.body ?? {};
      const values = { number: text(body.number, 32), house: text(body.house, 32), flat: text(body.flat, 16), surname: text(body.surname, 80), pin: '' };
      const longNumber = values.number.replace(/[\s-]/g, '');
      const errors: FieldErrors = {};
      if (!/^\d{15}$/.test(longNumber)) errors.number = 'web-error-long-number';
      if (!values.house) errors.house = 'web-error-house';
      if (!values.surname) errors.surname = 'web-error-surname';
      if (Object.keys(errors).length) return reply.code(400).page('charges', { title: title(req.t), values, errors });
      const pin = text(body.pin, 32);
      // The same proof and limits of failed tries as linking, counted by billing (ownership-limits.ts).
      const found = await deps.billing.receipts.lastByProof({
        actor: viaWebVisitor(originOf(req.ip)),
        proof: { by: 'number', longNumber, house: values.house, flat: values.flat || null, flatPrefix: null, surname: values.surname, pin: pin || null },
      });
      if (!found.ok) {
        if (found.error.code === 'ownership_locked') {
          const listed = await deps.billing.branches.list({});
          return reply
            .code(429)
            .page('message', { title: title(req.t), message: lockoutText(req.t, Date.parse(found.error.until), listed.ok ? listed.value : []), back: true });
        }
        if (found.error.code === 'statement_not_found')
          return reply.code(404).page('charges', { title: title(req.t), values, errors: { number: 'web-error-no-charges' } });
        // Never which field did not match: the answer is the same for each, as in linking.
        const key = found.error.code === 'pin_required' ? 'web-error-pin-required' : 'web-error-owner-not-found';
        return reply.code(404).page('charges', { title: title(req.t), values, errors: { [key === 'web-error-pin-required' ? 'pin' : 'number']: key } });
      }
      const file = await deps.renderer.render(found.value, req.lang);
      return sendPdf(reply, file);
    });
  };
}
