import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountRef, MeterCard, MeterForReading } from '../billing/index.ts';
import { day, m3, monthParts } from '../format.ts';
import type { Translate } from '../i18n.ts';
import { checkValues, meterRows, meterView, refusalErrors, storedLines, submissionKey, submissionOf } from './readings.ts';
import type { FieldErrors } from './house.ts';
import { accountHeading, activeAccount, type Body, guards, idOf, notYours, pageOf, residentOf, type SignedInDeps, sensitive, text } from './signed-in.ts';

const HISTORY = 20;
const isoDay = /^\d{4}-\d{2}-\d{2}$/;
/** A day that exists in the calendar (not 31.02 nor 45.13). */
const realDay = (d: string) => {
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
};
/** The date field as a browser sends it (YYYY-MM-DD), or as typed where it is a plain text field (ДД.ММ.ГГГГ). */
const isoDateOf = (v: string) => {
  const typed = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(v);
  return typed ? `${typed[3]}-${typed[2]!.padStart(2, '0')}-${typed[1]!.padStart(2, '0')}` : v;
};

/** One meter as the card shows it (seeds 001/002 «Информация об ИПУ», seed 000 §5). */
function meterCard(t: Translate, m: MeterCard) {
  const facts: { label: string; value: string; warn?: boolean }[] = [];
  if (m.place) facts.push({ label: t('web-meter-place'), value: m.place });
  if (m.model) facts.push({ label: t('web-meter-model'), value: m.model });
  if (m.installedOn) facts.push({ label: t('web-meter-installed'), value: day(m.installedOn) });
  facts.push({
    label: t('web-meter-verification'),
    value: m.verification
      ? t('web-meter-verification-date', { date: day(m.verification.date), state: m.verification.state, days: m.verification.daysLeft })
      : t('web-meter-unknown'),
    warn: m.verification?.state === 'expired' || m.verification?.state === 'due_soon',
  });
  facts.push({ label: t('web-meter-status'), value: t('web-meter-status-value', { status: m.status }) });
  facts.push({
    label: t('web-meter-last'),
    value: m.lastReading
      ? t('web-meter-last-value', { value: m3(m.lastReading.value), date: day(m.lastReading.takenOn), source: t(`source-${m.lastReading.source}`) })
      : t('meters-last-none'),
  });
  if (m.average)
    facts.push({ label: t('web-meter-average'), value: t('web-meter-average-value', { volume: m3(m.average.monthly), months: m.average.months }) });
  return {
    id: m.meterId,
    name: t('web-meter-name', { service: t(`service-${m.service}`), serial: m.serial }),
    facts,
    active: m.status === 'active' && m.verification?.state !== 'expired',
  };
}

/**
 * The meters of the active account (seeds 001/002 «Информация об ИПУ»), each meter's readings
 * history (seed 000 §7), and passing or correcting readings (seed 000 §6, seeds 001/002 «Передать
 * показания») as the signed-in resident: billing checks the resident's link to the account, not a
 * proof by place, and keeps who passed them. The values are checked as on the public readings page
 * (src/web/readings.ts) and by the bot. A meter id in an address is looked up within the resident's
 * active account only: another's meter is not found.
 */
export function metersRoutes(deps: SignedInDeps) {
  return async (web: FastifyInstance) => {
    const guard = guards(web, deps);

    web.get('/account/meters', { preHandler: guard.page }, async (req, reply) => {
      const title = req.t('web-meters-title');
      const account = await activeAccount(deps, req, reply, title);
      if (!account) return reply;
      const found = await deps.billing.meters.ofAccount({ actor: residentOf(req), accountId: account.accountId });
      if (!found.ok) throw new Error(`meters: ${found.error.code}`);
      return reply.page('meters', { title, account: accountHeading(req, account), meters: found.value.meters.map((m) => meterCard(req.t, m)) });
    });

    web.get<{ Params: { meterId: string }; Querystring: { page?: string } }>(
      '/account/meters/:meterId/history',
      { preHandler: guard.page },
      async (req, reply) => {
        const title = req.t('web-history-title');
        const meterId = idOf(req.params.meterId);
        if (meterId === null) return notYours(req, reply, 'web-meter-not-yours');
        const account = await activeAccount(deps, req, reply, title);
        if (!account) return reply;
        const n = pageOf(req.query.page);
        const page = await deps.billing.readings.history({
          actor: residentOf(req),
          accountId: account.accountId,
          meterId,
          limit: HISTORY,
          offset: (n - 1) * HISTORY,
        });
        if (!page.ok) return notYours(req, reply, 'web-meter-not-yours');
        const { meter, items, total } = page.value;
        const base = `/account/meters/${meter.meterId}/history`;
        return reply.page('meter-history', {
          title,
          account: accountHeading(req, account),
          meter: req.t('web-meter-name', { service: req.t(`service-${meter.service}`), serial: meter.serial }),
          rows: items.map((r) => ({
            period: req.t('month-name', monthParts(r.period)),
            value: m3(r.value),
            volume: r.volume === null ? '—' : m3(r.volume),
            taken: day(r.takenOn),
            recorded: day(r.recordedOn),
            source: req.t(`source-${r.source}`),
            replaced: r.replacedOn ? req.t('web-history-replaced', { date: day(r.replacedOn) }) : null,
          })),
          older: n * HISTORY < total ? `${base}?page=${n + 1}` : null,
          newer: n > 1 ? `${base}?page=${n - 1}` : null,
        });
      },
    );

    /** The readings form of the active account, with what was typed and the errors, if any. */
    const readingsForm = async (req: FastifyRequest, reply: FastifyReply, account: AccountRef, o: ReadingsFormState = {}) => {
      const prepared = await deps.billing.readings.prepare({ actor: residentOf(req), accountId: account.accountId });
      if (!prepared.ok) throw new Error(`readings: ${prepared.error.code}`);
      return reply.code(o.code ?? 200).page('account-readings', {
        title: req.t('web-account-readings-title'),
        account: accountHeading(req, account),
        ...meterView(req.t, prepared.value),
        meters: meterRows(req.t, prepared.value.meters),
        submission: o.submission ?? submissionOf({}),
        today: prepared.value.today,
        values: { takenOn: prepared.value.today, ...o.values },
        errors: o.errors ?? {},
        errorVars: o.errorVars ?? {},
        askSure: o.askSure ?? [],
      });
    };

    web.get('/account/readings', { preHandler: guard.page }, async (req, reply) => {
      const account = await activeAccount(deps, req, reply, req.t('web-account-readings-title'));
      if (!account) return reply;
      return readingsForm(req, reply, account);
    });

    web.post<{ Body: Body }>('/account/readings', { preHandler: guard.form, ...sensitive }, async (req, reply) => {
      const title = req.t('web-account-readings-title');
      const account = await activeAccount(deps, req, reply, title);
      if (!account) return reply;
      const body = req.body ?? {};
      const actor = residentOf(req);
      const prepared = await deps.billing.readings.prepare({ actor, accountId: account.accountId });
      if (!prepared.ok) throw new Error(`readings: ${prepared.error.code}`);
      const meters: MeterForReading[] = prepared.value.meters;
      const submission = submissionOf(body);
      const { errors, errorVars, typed, unusual, askSure, entries } = checkValues(body, meters);
      const takenOn = isoDateOf(text(body.takenOn, 10));
      if (!isoDay.test(takenOn) || !realDay(takenOn)) errors.takenOn = 'web-error-taken-on';
      else if (takenOn > prepared.value.today) {
        errors.takenOn = 'readings-date-future';
        errorVars.takenOn = { today: day(prepared.value.today) };
      }
      const again = (code: number, extra: FieldErrors = {}) =>
        readingsForm(req, reply, account, { code, submission, values: { ...typed, takenOn }, errors: { ...errors, ...extra }, errorVars, askSure });
      if (Object.keys(errors).length) return again(400);
      const firstOpen = meters.find((m) => m.verificationState !== 'expired');
      if (!entries.length) return again(400, firstOpen ? { [`m${firstOpen.meterId}`]: 'web-error-readings-none' } : {});
      const result = await deps.billing.readings.submit({
        actor,
        accountId: account.accountId,
        submission: submissionKey(submission, entries, takenOn),
        entries,
        confirmPartial: true,
        confirmUnusual: unusual,
        takenOn,
      });
      if (!result.ok) {
        if (result.error.code === 'taken_before_last') {
          errorVars.takenOn = { last: day(result.error.lastOn) };
          return again(400, { takenOn: 'readings-date-before-last' });
        }
        if (result.error.code === 'taken_in_future') {
          errorVars.takenOn = { today: day(result.error.today) };
          return again(400, { takenOn: 'readings-date-future' });
        }
        throw new Error(`readings: ${result.error.code}`);
      }
      const outcome = result.value;
      if (outcome.status === 'refused') return again(409, refusalErrors(outcome.refusals));
      if (outcome.status === 'needs_confirmation') throw new Error('readings: confirmation asked after it was given');
      return reply.page('account-readings-done', { title, account: accountHeading(req, account), lines: storedLines(req.t, outcome) });
    });
  };
}

interface ReadingsFormState {
  code?: number;
  submission?: string;
  values?: Record<string, string>;
  errors?: FieldErrors;
  errorVars?: Record<string, Record<string, string | number>>;
  askSure?: string[];
}
