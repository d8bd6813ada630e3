import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { visitDay, visitHour } from '../../conversations/request-steps.ts';
import type { BranchInfo } from '../billing/index.ts';
import { summaryLines, viewText } from '../bot/features/my-requests.ts';
import { dispatcherLine, timezoneOf } from '../bot/screens/requests.ts';
import { FileRejected, type FileStore } from '../files/store.ts';
import { localDate, localDateTime } from '../format.ts';
import type { Jobs } from '../jobs/queues.ts';
import type { Logger } from '../logger.ts';
import { formatPhone, normalizePhone } from '../phone.ts';
import type { FieldErrors } from './house.ts';
import { accountsOf, actorOf, type Body, goneToSignIn, idOf, notYours, type SignedInDeps, strict, text } from './resident-pages.ts';

interface Deps extends SignedInDeps {
  /** Keeps the accident photos; without it the accident report is not offered here. */
  files: FileStore | null;
  /** Hands a new request's card to the operators' group; without it the requests' sweep posts it later. */
  jobs?: Pick<Jobs, 'send'> | null;
  log: Logger;
}

/** At most this many photos with a report, each at most PHOTO_BYTES (the services' and the form's limits). */
export const MAX_PHOTOS = 10;
export const PHOTO_BYTES = 10 * 1024 * 1024;
const PAGE = 20;

/** The bot's screens take its context's `t`; the web's is the same Fluent messages with plain variables. */
type BotT = Parameters<typeof summaryLines>[0];
const asBot = (t: FastifyRequest['t']) => t as unknown as BotT;

type Place = { kind: 'point'; latitude: number; longitude: number } | { kind: 'address'; branchCode: string; address: string };
type Upload = { bytes: Buffer; truncated: boolean };

/**
 * «Заявки» of the signed-in pages, through the same request services and checks as the bot's
 * dialogues: «Мои заявки» with their statuses and history; the inspector call (seed 000 §9) for
 * one of the resident's accounts; the accident report (seed 001 §4) — first an outage known at
 * the resident's houses or at the place, then an accident already reported nearby to join, then
 * the photos (uploaded, kept by the same file store as the bot's, the type checked by the first
 * bytes), the damage type, the description and a phone. The place is a point (latitude and
 * longitude, typed or filled by the page's small optional script from the browser's location; no
 * map tiles) or a typed address with the branch.
 */
export function requestRoutes(deps: Deps) {
  return async (web: FastifyInstance) => {
    // Only these routes take multipart forms: fields and files into the body (the form token is read from it
    // in preHandler), each photo read to PHOTO_BYTES and marked if cut there, at most MAX_PHOTOS.
    await web.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: PHOTO_BYTES, files: MAX_PHOTOS, fields: 30, fieldSize: 4096, parts: MAX_PHOTOS + 30 },
      onFile: async (part) => {
        const bytes = await part.toBuffer();
        (part as unknown as { value: Upload }).value = { bytes, truncated: part.file.truncated };
      },
    });
    const pre = { preHandler: deps.signedIn };
    const post = { preHandler: [web.csrfProtection, deps.signedIn], ...strict };
    const branchList = async () => {
      const listed = await deps.billing.branches.list({});
      return listed.ok ? listed.value : [];
    };
    const handOver = async (requestId: number) => {
      if (!deps.jobs) return;
      try {
        await deps.jobs.send('request.card', { requestId });
      } catch (err) {
        // The request is kept; the requests' sweep posts its card later.
        deps.log.error({ err, requestId }, 'web requests: could not hand the request to the job runner');
      }
    };

    // «Мои заявки»
    web.get<{ Querystring: { offset?: string } }>('/requests', pre, async (req, reply) => {
      const offset = Math.min(10_000, Number(/^\d{1,5}$/.test(req.query.offset ?? '') ? req.query.offset : 0));
      const [mine, branches] = await Promise.all([deps.billing.requests.mine({ actor: actorOf(req), limit: PAGE, offset }), branchList()]);
      if (!mine.ok) return goneToSignIn(reply);
      const { total, requests } = mine.value;
      return reply.page('requests', {
        title: req.t('web-requests-title'),
        accident: deps.files !== null,
        total,
        requests: requests.map((r) => ({ href: `/requests/${r.requestId}`, number: r.number, lines: summaryLines(asBot(req.t), r, branches) })),
        newer: offset > 0 ? `/requests?offset=${Math.max(0, offset - PAGE)}` : null,
        older: offset + requests.length < total ? `/requests?offset=${offset + PAGE}` : null,
      });
    });

    web.get<{ Params: { id: string } }>('/requests/:id(^\\d{1,9}$)', pre, async (req, reply) => {
      const requestId = idOf(req.params.id);
      if (requestId === null) return notYours(req, reply);
      const [found, branches] = await Promise.all([deps.billing.requests.get({ actor: actorOf(req), requestId }), branchList()]);
      if (!found.ok) return found.error.code === 'resident_not_found' ? goneToSignIn(reply) : notYours(req, reply);
      const [head, ...lines] = viewText(asBot(req.t), found.value, branches).split('\n');
      return reply.page('request', { title: head ?? found.value.number, lines });
    });

    // «Вызвать контролёра»
    const inspectorForm = async (req: FastifyRequest, reply: FastifyReply, asked: unknown, extra: Record<string, unknown> = {}, code = 200) => {
      const title = req.t('web-inspector-title');
      const mine = await accountsOf(deps, req, asked);
      if (!mine) return goneToSignIn(reply);
      if (mine.chosen === null) return reply.page('message', { title, message: req.t('web-requests-need-account'), back: true });
      const actor = actorOf(req);
      const [slots, dictionaries, phone] = await Promise.all([
        deps.billing.requests.visitSlots({ actor, accountId: mine.chosen }),
        deps.billing.requests.dictionaries({}),
        deps.billing.residents.phone({ actor }),
      ]);
      if (!slots.ok) return notYours(req, reply);
      const reasons = dictionaries.ok ? dictionaries.value.reasons : [];
      if (!reasons.length) return reply.page('message', { title, message: req.t('inspector-no-reasons'), back: true });
      if (!slots.value.days.length) return reply.page('message', { title, message: req.t('inspector-no-days'), back: true });
      const hours: { value: string; label: string }[] = [];
      for (let h = slots.value.hourFrom; h < slots.value.hourTo; h++) hours.push({ value: String(h), label: visitHour(h) });
      return reply.code(code).page('request-inspector', {
        title,
        accounts: mine.accounts,
        accountId: mine.chosen,
        reasons: reasons.map((r) => ({ value: r.code, label: r.name })),
        days: slots.value.days.map((d) => ({ value: d, label: visitDay(asBot(req.t), d) })),
        hours,
        values: { phone: phone.ok && phone.value.phone ? formatPhone(phone.value.phone) : '' },
        ...extra,
      });
    };
    web.get<{ Querystring: { account?: string } }>('/requests/inspector', pre, async (req, reply) => inspectorForm(req, reply, req.query.account));

    web.post<{ Body: Body }>('/requests/inspector', post, async (req, reply) => {
      const body = req.body ?? {};
      const accountId = idOf(body.account);
      if (accountId === null) return notYours(req, reply);
      const values = {
        reason: text(body.reason, 32),
        day: text(body.day, 10),
        hour: text(body.hour, 2),
        phone: text(body.phone, 32),
        comment: text(body.comment, 2000),
      };
      const again = (errors: FieldErrors, errorVars: Record<string, Record<string, string | number>> = {}) =>
        inspectorForm(req, reply, String(accountId), { values, errors, errorVars }, 400);
      const errors: FieldErrors = {};
      const errorVars: Record<string, Record<string, string | number>> = {};
      if (!values.reason) errors.reason = 'web-inspector-error-reason';
      if (!/^\d{4}-\d{2}-\d{2}$/.test(values.day)) errors.day = 'web-inspector-error-day';
      if (!/^\d{1,2}$/.test(values.hour)) errors.hour = 'web-inspector-error-hour';
      const phone = normalizePhone(values.phone);
      if (!phone) errors.phone = 'request-phone-invalid';
      if (values.comment.length > 1000) {
        errors.comment = 'request-too-long';
        errorVars.comment = { max: 1000 };
      }
      if (Object.keys(errors).length) return again(errors, errorVars);
      const result = await deps.billing.requests.callInspector({
        actor: actorOf(req),
        accountId,
        reasonCode: values.reason,
        visit: { date: values.day, hour: Number(values.hour) },
        phone: phone!,
        ...(values.comment ? { comment: values.comment } : {}),
      });
      if (!result.ok) {
        const e = result.error;
        if (e.code === 'visit_day_unavailable') return again({ day: 'inspector-day-unavailable' });
        if (e.code === 'visit_hour_unavailable') return again({ hour: 'inspector-hour-unavailable' });
        if (e.code === 'reason_not_found') return again({ reason: 'web-inspector-error-reason' });
        if (e.code === 'invalid_input' && e.issues.some((i) => i.message === 'phone_invalid')) return again({ phone: 'request-phone-invalid' });
        if (e.code === 'resident_not_found') return goneToSignIn(reply);
        if (e.code === 'account_not_found' || e.code === 'not_permitted' || e.code === 'account_not_linked') return notYours(req, reply);
        const key = e.code === 'too_many_requests' ? 'web-requests-too-many' : e.code === 'duplicate_request' ? 'web-requests-duplicate' : 'request-not-sent';
        return reply.code(409).page('message', { title: req.t('web-inspector-title'), message: req.t(key), back: true });
      }
      await handOver(result.value.requestId);
      const slots = await deps.billing.requests.visitSlots({ actor: actorOf(req), accountId });
      const timezone = slots.ok ? slots.value.timezone : 'Europe/Moscow';
      return reply.page('request-sent', {
        title: req.t('web-inspector-title'),
        lines: [
          req.t('inspector-sent', {
            number: result.value.number,
            day: visitDay(asBot(req.t), values.day),
            hour: visitHour(Number(values.hour)),
            deadline: localDate(result.value.deadlineAt, timezone),
          }),
          req.t('web-requests-follow'),
        ],
      });
    });

    if (!deps.files) return;
    const files = deps.files;

    // «Сообщить об аварии», step 1: an outage known at the resident's houses first, then the place.
    const placeForm = async (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, code = 200) => {
      const branches = await branchList();
      return reply.code(code).page('request-accident-place', {
        title: req.t('web-accident-title'),
        intro: req.t('accident-intro').split('\n'),
        dispatcher: dispatcherLine(req.t, branches).split('\n'),
        branches: branches.map((b) => ({ value: b.code, label: b.name })),
        ...extra,
      });
    };
    const outageLines = (req: FastifyRequest, outages: { kind: string; address: string | null; expectedEndAt: string; timezone: string; reason: string }[]) =>
      outages.map((o) =>
        req.t('accident-outage-row', {
          kind: req.t(`outage-kind-${o.kind}`),
          where: o.address ? req.t('accident-outage-where', { address: o.address }) : '',
          to: localDateTime(o.expectedEndAt, o.timezone),
          reason: o.reason,
        }),
      );

    web.get<{ Querystring: { report?: string } }>('/requests/accident', pre, async (req, reply) => {
      if (req.query.report !== '1') {
        const atHome = await deps.billing.outages.known({ actor: actorOf(req) });
        if (!atHome.ok) return goneToSignIn(reply);
        if (atHome.value.outages.length)
          return reply.page('request-outage', { title: req.t('web-accident-title'), lines: outageLines(req, atHome.value.outages), again: null });
      }
      return placeForm(req, reply);
    });

    /** The place as typed: a point (both coordinates) or an address with its branch; errors by field. */
    const placeOf = (body: Body, branches: readonly BranchInfo[]) => {
      const values = {
        latitude: text(body.latitude, 20),
        longitude: text(body.longitude, 20),
        address: text(body.address, 400),
        branch: text(body.branch, 32),
      };
      const errors: FieldErrors = {};
      const number = (s: string) => (/^-?\d{1,3}([.,]\d{1,10})?$/.test(s) ? Number(s.replace(',', '.')) : null);
      let place: Place | null = null;
      if (values.latitude || values.longitude) {
        const latitude = number(values.latitude);
        const longitude = number(values.longitude);
        if (latitude === null || latitude < -90 || latitude > 90) errors.latitude = 'web-accident-error-latitude';
        if (longitude === null || longitude < -180 || longitude > 180) errors.longitude = 'web-accident-error-longitude';
        if (!Object.keys(errors).length) place = { kind: 'point', latitude: latitude!, longitude: longitude! };
      } else if (values.address) {
        // The bot's rule for a typed address: 5 to 300 characters, with letters in it.
        if (values.address.length < 5 || values.address.length > 300 || !/\p{L}/u.test(values.address)) errors.address = 'accident-address-unclear';
        const branchCode = branches.length === 1 ? branches[0]!.code : values.branch;
        if (!branches.some((b) => b.code === branchCode)) errors.branch = 'web-accident-error-branch';
        if (!Object.keys(errors).length) place = { kind: 'address', branchCode, address: values.address };
      } else errors.address = 'web-accident-error-place';
      return { values, errors, place };
    };

    // Step 2: the place checked; an outage known there, then an accident already reported nearby, are offered.
    web.post<{ Body: Body }>('/requests/accident/place', post, async (req, reply) => {
      const body = req.body ?? {};
      const branches = await branchList();
      const { values, errors, place } = placeOf(body, branches);
      if (!place) return placeForm(req, reply, { values, errors }, 400);
      const actor = actorOf(req);
      let branchCode = place.kind === 'address' ? place.branchCode : '';
      if (place.kind === 'point') {
        const at = await deps.billing.requests.branchAt({ latitude: place.latitude, longitude: place.longitude });
        if (!at.ok) return placeForm(req, reply, { values, errors: { latitude: 'web-accident-error-outside' } }, 400);
        branchCode = at.value.branchCode;
      }
      if (body.outage !== 'seen') {
        const known = await deps.billing.outages.known({ actor, place });
        if (!known.ok) return goneToSignIn(reply);
        if (known.value.outages.length)
          return reply.page('request-outage', { title: req.t('web-accident-title'), lines: outageLines(req, known.value.outages), again: values });
      }
      const timezone = timezoneOf(branches, branchCode);
      if (body.nearby !== 'seen') {
        const nearby = await deps.billing.requests.nearbyAccidents({ actor, place });
        if (!nearby.ok) return placeForm(req, reply, { values, errors: { latitude: 'web-accident-error-outside' } }, 400);
        if (nearby.value.accidents.length)
          return reply.page('request-nearby', {
            title: req.t('web-accident-title'),
            values,
            accidents: nearby.value.accidents.map((a) => ({
              requestId: a.requestId,
              number: a.number,
              line: req.t('accident-known-row', {
                number: a.number,
                damage: a.damage ?? req.t('request-kind-accident'),
                place: a.address ?? req.t('accident-point'),
                at: localDateTime(a.reportedAt, timezone),
              }),
            })),
          });
      }
      return detailsForm(req, reply, values, place);
    });

    const detailsForm = async (
      req: FastifyRequest,
      reply: FastifyReply,
      placeValues: Record<string, string>,
      place: Place,
      extra: Record<string, unknown> = {},
      code = 200,
    ) => {
      const actor = actorOf(req);
      const [dictionaries, phone] = await Promise.all([deps.billing.requests.dictionaries({}), deps.billing.residents.phone({ actor })]);
      const damages = dictionaries.ok ? dictionaries.value.damageTypes : [];
      if (!damages.length) {
        const branches = await branchList();
        return reply.page('message', {
          title: req.t('web-accident-title'),
          message: `${req.t('web-accident-no-damage-types')} ${dispatcherLine(req.t, branches)}`,
          back: true,
        });
      }
      return reply.code(code).page('request-accident', {
        title: req.t('web-accident-title'),
        place: placeValues,
        where:
          place.kind === 'address'
            ? place.address
            : req.t('web-accident-point', { latitude: place.latitude.toFixed(6), longitude: place.longitude.toFixed(6) }),
        damages: damages.map((d) => ({ value: d.code, label: d.name })),
        maxPhotos: MAX_PHOTOS,
        ...extra,
        values: { phone: phone.ok && phone.value.phone ? formatPhone(phone.value.phone) : '', ...((extra.values as Record<string, string>) ?? {}) },
      });
    };

    // «Да, это та же авария»: the resident follows that request instead of a new report.
    web.post<{ Body: Body }>('/requests/accident/join', post, async (req, reply) => {
      const body = req.body ?? {};
      const branches = await branchList();
      const { place } = placeOf(body, branches);
      const requestId = idOf(body.request);
      if (!place || requestId === null) return notYours(req, reply);
      const joined = await deps.billing.requests.joinAccident({ actor: actorOf(req), requestId, place });
      if (!joined.ok) return reply.code(409).page('message', { title: req.t('web-accident-title'), message: req.t('web-accident-join-gone'), back: true });
      return reply.page('request-sent', { title: req.t('web-accident-title'), lines: [req.t('web-accident-joined', { number: joined.value.number })] });
    });

    // Step 3: the report with its photos (a multipart form).
    web.post<{ Body: Record<string, unknown> }>('/requests/accident', post, async (req, reply) => {
      const raw = req.body ?? {};
      const field = (k: string) => (typeof raw[k] === 'string' ? (raw[k] as string) : undefined);
      const body: Body = Object.fromEntries(['latitude', 'longitude', 'address', 'branch', 'damage', 'description', 'phone'].map((k) => [k, field(k)]));
      const branches = await branchList();
      const { values: placeValues, place } = placeOf(body, branches);
      if (!place) return placeForm(req, reply, { values: placeValues, errors: { address: 'web-accident-error-place' } }, 400);
      const uploads = [raw.photos ?? []].flat().filter((u): u is Upload => typeof u === 'object' && u !== null && 'bytes' in u);
      const photos = uploads.filter((u) => u.bytes.length > 0);
      const values = { damage: text(body.damage, 32), description: text(body.description, 2000), phone: text(body.phone, 32) };
      const errors: FieldErrors = {};
      const errorVars: Record<string, Record<string, string | number>> = {};
      if (!photos.length) errors.photos = 'web-accident-error-photos';
      else if (photos.some((p) => p.truncated)) errors.photos = 'web-accident-error-photo-big';
      if (!values.damage) errors.damage = 'web-accident-error-damage';
      if (!values.description) errors.description = 'web-accident-error-description';
      else if (values.description.length > 1000) {
        errors.description = 'request-too-long';
        errorVars.description = { max: 1000 };
      }
      const phone = values.phone ? normalizePhone(values.phone) : null;
      if (values.phone && !phone) errors.phone = 'request-phone-invalid';
      const again = (e: FieldErrors, code = 400) => detailsForm(req, reply, placeValues, place, { values, errors: e, errorVars }, code);
      if (Object.keys(errors).length) return again(errors);
      // The store keeps only images by their first bytes; one that is not is named, none is kept.
      const stored: { path: string; mime: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf'; size: number }[] = [];
      for (const p of photos) {
        try {
          stored.push(await files.keep(p.bytes, { kind: 'image' }));
        } catch (err) {
          if (!(err instanceof FileRejected)) throw err;
          return again({ photos: err.reason === 'too_big' ? 'web-accident-error-photo-big' : 'web-accident-error-photo-type' });
        }
      }
      const sent = await deps.billing.requests.reportAccident({
        actor: actorOf(req),
        place,
        damageCode: values.damage,
        description: values.description,
        photos: stored,
        ...(phone ? { phone } : {}),
      });
      if (!sent.ok) {
        const code = sent.error.code;
        if (code === 'damage_type_not_found') return again({ damage: 'web-accident-error-damage' });
        if (code === 'resident_not_found') return goneToSignIn(reply);
        const dispatcher = dispatcherLine(req.t, branches, place.kind === 'address' ? place.branchCode : null);
        if (code === 'too_many_requests' || code === 'duplicate_request' || code === 'outside_area')
          return reply
            .code(409)
            .page('message', { title: req.t('web-accident-title'), message: `${req.t(`web-accident-refused-${code}`)} ${dispatcher}`, back: true });
        throw new Error(`accident: ${code}`);
      }
      await handOver(sent.value.requestId);
      const r = sent.value;
      const at = place.kind === 'point' ? await deps.billing.requests.branchAt({ latitude: place.latitude, longitude: place.longitude }) : null;
      const timezone = timezoneOf(branches, place.kind === 'address' ? place.branchCode : at?.ok ? at.value.branchCode : '');
      return reply.page('request-sent', {
        title: req.t('web-accident-title'),
        lines: [
          req.t('accident-sent', { number: r.number, deadline: localDateTime(r.deadlineAt, timezone) }),
          req.t('web-requests-follow'),
          ...(r.dispatcherPhone ? [req.t('accident-dispatcher', { phone: r.dispatcherPhone })] : []),
        ],
      });
    });
  };
}
