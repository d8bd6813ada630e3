import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash, randomUUID } from 'node:crypto';
import { type Billing, type MeterForReading, type PlaceProof, type SubmitOutcome, viaWebVisitor } from '../billing/index.ts';
import { compareWithPrevious, formatReadingValue, parseReadingInput } from '../billing/readings-rules.ts';
import { lockoutText } from '../bot/screens/lockout.ts';
import { day, m3, monthParts, rub } from '../format.ts';
import type { Translate } from '../i18n.ts';
import type { FieldErrors } from './house.ts';
import { originOf } from './lookups.ts';

interface Deps {
  billing: Billing;
}

type Body = Record<string, string | undefined>;

const text = (v: unknown, max: number) => (typeof v === 'string' ? v.trim().slice(0, max) : '');
const meterLabel = (t: Translate, m: MeterForReading) =>
  t('readings-meter', { service: t(`service-${m.service}`), serial: m.serial, place: m.place ?? 'none' });
/** Tries against enumeration are cut per minute here and counted per account as in the bot. */
const strict = { config: { rateLimit: { max: 10, timeWindow: '1 minute' } } };

/**
 * Seeds 001/002 «Передать показания без регистрации»: the account's number with its house and
 * flat (the flat where the building has flats: the proof fails without it), then a value for each
 * meter, checked as the bot checks it. Failed proofs count against the same limits as the bot's,
 * keyed by the visitor's address and by the account.
 */
export function readingsRoutes(deps: Deps) {
  const actor = viaWebVisitor();
  return async (web: FastifyInstance) => {
    const branches = async () => {
      const listed = await deps.billing.branches.list({});
      return listed.ok ? listed.value : [];
    };
    const placeOf = (body: Body): { values: Record<string, string>; proof: PlaceProof | null; errors: FieldErrors } => {
      const values = { number: text(body.number, 32), house: text(body.house, 32), flat: text(body.flat, 16) };
      const errors: FieldErrors = {};
      const longNumber = values.number.replace(/[\s-]/g, '');
      if (!/^\d{15}$/.test(longNumber)) errors.number = 'web-error-long-number';
      if (!values.house) errors.house = 'web-error-house';
      const proof = Object.keys(errors).length ? null : { longNumber, house: values.house, flat: values.flat || null };
      return { values, proof, errors };
    };
    /** The lockout page when the visitor or the account has had too many failed tries (billing's limits, ownership-limits.ts). */
    const lockout = async (req: FastifyRequest, reply: FastifyReply, until: string) =>
      reply.code(429).page('message', { title: req.t('web-readings-title'), message: lockoutText(req.t, Date.parse(until), await branches()), back: true });
    const locked = async (req: FastifyRequest, reply: FastifyReply, longNumber?: string) => {
      const lock = await deps.billing.residents.ownershipLock({ actor: viaWebVisitor(originOf(req.ip)), ...(longNumber ? { target: { longNumber } } : {}) });
      if (!lock.ok) throw new Error(`ownershipLock: ${lock.error.code}`);
      return lock.value.until === null ? null : lockout(req, reply, lock.value.until);
    };
    /** The place checked, and a wrong one counted, by billing; then the meters by the same proof. */
    const prepare = async (req: FastifyRequest, reply: FastifyReply, proof: PlaceProof) => {
      const found = await deps.billing.readings.findAccount({ actor: viaWebVisitor(originOf(req.ip)), ...proof });
      if (!found.ok) return { stop: found.error.code === 'ownership_locked' ? await lockout(req, reply, found.error.until) : null, prepared: null };
      const prepared = await deps.billing.readings.prepare({ actor, byPlace: proof });
      return { stop: null, prepared: prepared.ok ? prepared.value : null };
    };

    web.get('/readings', async (req, reply) => (await locked(req, reply)) ?? reply.page('readings', { title: req.t('web-readings-title') }));

    // Step 1: the place proves the right to pass readings; the meters come back as a form.
    web.post<{ Body: Body }>('/readings', { preHandler: web.csrfProtection, ...strict }, async (req, reply) => {
      const title = req.t('web-readings-title');
      const stop = await locked(req, reply);
      if (stop) return stop;
      const { values, proof, errors } = placeOf(req.body ?? {});
      if (!proof) return reply.code(400).page('readings', { title, values, errors });
      const stopped = await locked(req, reply, proof.longNumber);
      if (stopped) return stopped;
      const { stop: refused, prepared: found } = await prepare(req, reply, proof);
      if (refused) return refused;
      if (!found) return reply.code(404).page('readings', { title, values, errors: { number: 'readings-not-found' } });
      const prepared = { value: found };
      return reply.page('readings-meters', {
        title,
        values,
        ...meterView(req.t, prepared.value),
        meters: meterRows(req.t, prepared.value.meters),
        submission: randomUUID(),
      });
    });

    // Step 2: the values, checked as the bot checks them, then passed in one submission.
    web.post<{ Body: Body }>('/readings/submit', { preHandler: web.csrfProtection, ...strict }, async (req, reply) => {
      const title = req.t('web-readings-title');
      const body = req.body ?? {};
      const { values, proof, errors: placeErrors } = placeOf(body);
      if (!proof) return reply.code(400).page('readings', { title, values, errors: placeErrors });
      const stopped = await locked(req, reply, proof.longNumber);
      if (stopped) return stopped;
      const { stop: refused, prepared: found } = await prepare(req, reply, proof);
      if (refused) return refused;
      if (!found) return reply.code(404).page('readings', { title, values, errors: { number: 'readings-not-found' } });
      const prepared = { value: found };
      const { meters } = prepared.value;
      const submission = submissionOf(body);
      const { errors, errorVars, typed, unusual, askSure, entries } = checkValues(body, meters);
      const again = (code: number, extra: FieldErrors = {}) =>
        reply.code(code).page('readings-meters', {
          title,
          values: { ...values, ...typed },
          ...meterView(req.t, prepared.value),
          meters: meterRows(req.t, meters),
          submission,
          errors: { ...errors, ...extra },
          errorVars,
          askSure,
        });
      if (Object.keys(errors).length) return again(400);
      const firstOpen = meters.find((m) => m.verificationState !== 'expired');
      if (!entries.length) return again(400, firstOpen ? { [`m${firstOpen.meterId}`]: 'web-error-readings-none' } : {});
      const result = await deps.billing.readings.submit({
        actor,
        byPlace: proof,
        submission: submissionKey(submission, entries),
        entries,
        confirmPartial: true,
        confirmUnusual: unusual,
      });
      if (!result.ok) throw new Error(`readings: ${result.error.code}`);
      const outcome = result.value;
      if (outcome.status === 'refused') {
        Object.assign(errors, refusalErrors(outcome.refusals));
        return again(409);
      }
      if (outcome.status === 'needs_confirmation') throw new Error('readings: confirmation asked after it was given');
      return reply.page('readings-done', { title, number: proof.longNumber, lines: storedLines(req.t, outcome) });
    });
  };
}

/** The meters as the form shows them: a field each (its last reading in the hint), or why an expired one takes none. */
export const meterRows = (t: Translate, meters: MeterForReading[]) =>
  meters.map((m) => ({
    id: `m${m.meterId}`,
    meterId: m.meterId,
    label: meterLabel(t, m),
    expired: m.verificationState === 'expired',
    expiredText: m.verificationDue ? t('readings-expired', { meter: meterLabel(t, m), date: day(m.verificationDue) }) : '',
    hint: [
      m.last ? t('web-readings-last', { value: formatReadingValue(m.last.value, m), date: day(m.last.takenOn) }) : t('web-readings-no-last'),
      ...(m.passedThisPeriod ? [t('readings-already', { value: formatReadingValue(m.passedThisPeriod.value, m) })] : []),
    ].join(' '),
  }));

/** The submission's key from the form (the same one however often it is posted), or a new one. */
export const submissionOf = (body: Body) => (/^[\w-]{8,36}$/.test(body.submission ?? '') ? body.submission! : randomUUID());

/**
 * What billing gets as the submission's key: the form's key and what it carries. The same form
 * posted twice with the same values (a double click, a reload) is one submission, stored once; the
 * same form posted again with other values (back, edited, sent) is a new one, a correction.
 */
export const submissionKey = (form: string, entries: unknown, takenOn?: string) =>
  `${form}-${createHash('sha256')
    .update(JSON.stringify([entries, takenOn ?? null]))
    .digest('hex')
    .slice(0, 16)}`;

/**
 * The values typed per meter (field `m<meterId>`), checked as the bot checks them: the format, a
 * volume «+2,5» added to the last reading, not below it, and an unusual volume confirmed by its
 * box (`sure<meterId>`). An empty field skips its meter.
 */
export function checkValues(body: Body, meters: MeterForReading[]) {
  const errors: FieldErrors = {};
  const errorVars: Record<string, Record<string, string | number>> = {};
  const typed: Record<string, string> = {};
  const unusual: number[] = [];
  const askSure: string[] = [];
  const entries: { meterId: number; value: number }[] = [];
  for (const m of meters) {
    const id = `m${m.meterId}`;
    const raw = text(body[id], 32);
    typed[id] = raw;
    if (m.verificationState === 'expired' || raw === '') continue;
    const parsed = parseReadingInput(raw, m);
    if (!parsed.ok) {
      errors[id] = `readings-bad-${parsed.error}`;
      errorVars[id] = { decimals: m.digitsAfter, digits: m.digitsBefore };
      continue;
    }
    if (parsed.kind === 'volume' && !m.last) {
      errors[id] = 'readings-volume-no-last';
      continue;
    }
    const milli = parsed.kind === 'volume' ? m.last!.value + parsed.milli : parsed.milli;
    const comparison = compareWithPrevious(milli, m.last?.value ?? null, m.usualMonthly);
    if (comparison.kind === 'below_previous') {
      errors[id] = 'readings-below';
      errorVars[id] = { value: formatReadingValue(milli, m), previous: formatReadingValue(comparison.previous, m) };
      continue;
    }
    if (comparison.kind === 'unusually_high') {
      if (body[`sure${m.meterId}`] !== 'yes') {
        errors[id] = 'readings-unusual';
        errorVars[id] = { volume: m3(comparison.volume), limit: m3(comparison.limit) };
        askSure.push(id);
        continue;
      }
      unusual.push(m.meterId);
    }
    entries.push({ meterId: m.meterId, value: milli });
  }
  return { errors, errorVars, typed, unusual, askSure, entries };
}

/** The refusals billing made at submission (a value below one that arrived meanwhile, an expired meter), by field. */
export const refusalErrors = (refusals: Extract<SubmitOutcome, { status: 'refused' }>['refusals']): FieldErrors =>
  Object.fromEntries(
    refusals.map((r) => [`m${r.meterId}`, r.reason === 'below_previous' ? 'web-error-reading-refused-below' : 'web-error-reading-refused-expired']),
  );

/** What the resident is told once readings are stored: counted now or from the window, corrected, and the charge. */
export function storedLines(t: Translate, outcome: Extract<SubmitOutcome, { status: 'stored' }>): string[] {
  return [
    outcome.window.open ? t('readings-stored') : t('readings-stored-later', { opens: day(outcome.window.opensOn) }),
    ...(outcome.readings.some((r) => r.corrected) ? [t('readings-corrected')] : []),
    t(outcome.window.open ? 'readings-charge' : 'readings-charge-later', {
      month: t('receipt-month', monthParts(outcome.charges.period.slice(0, 7))),
      water: rub(outcome.charges.water),
      sewage: rub(outcome.charges.sewage),
      total: rub(outcome.charges.total),
      opens: day(outcome.window.opensOn),
    }),
  ];
}

export function meterView(t: Translate, p: { window: { open: boolean; opensOn: string; closesOn: string } }) {
  return {
    windowLine: p.window.open
      ? t('readings-window-open', { closes: day(p.window.closesOn) })
      : t('readings-window-later', { opens: day(p.window.opensOn), closes: day(p.window.closesOn) }),
  };
}
