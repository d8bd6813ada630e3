import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import {
  Account,
  type Branch,
  DamageType,
  InspectorCallReason,
  Meter,
  RequestAttachment,
  RequestFollower,
  ServiceRequest,
  type AttachmentRole,
  type RequestKind,
} from '../../../db/entities/index.ts';
import { todayIn } from '../calendar.ts';
import { foldText, houseKey, streetKey } from '../normalize.ts';
import { fail, ok } from '../result.ts';
import { branchCode, id, METER_SERIAL, optionalText, text } from '../schemas.ts';
import { defineAccountService, defineQuery, defineResidentService } from '../service.ts';
import { checkLimits, nextNumber, phone, recordMove, storedFile, telegramFile, textHashOf, type Mover } from './common.ts';
import { localMoment, visitCalendar, workingDaysAfter } from './calendar.ts';
import { ACCIDENT_DEADLINE_HOURS, NEARBY_HOURS, NEARBY_METRES } from './lifecycle.ts';

/** «Причины вызова контролёра» flagged for the bot, and the damage types for accident reports, as imported. */
export const listRequestDictionaries = defineQuery(z.object({}), async (_input, { em }) => {
  const [reasons, damages] = await Promise.all([
    em.find(InspectorCallReason, { useInBot: true }, { orderBy: { sort: 'asc', id: 'asc' } }),
    em.find(DamageType, { useInBot: true }, { orderBy: { sort: 'asc', id: 'asc' } }),
  ]);
  return ok({
    reasons: reasons.map((r) => ({ code: r.code, name: r.name, meterIssue: r.meterIssue ?? null })),
    damageTypes: damages.map((d) => ({ code: d.code, name: d.name })),
  });
});

type BranchRow = Branch;

function slotsOf(branch: BranchRow, now: Date) {
  const calendar = visitCalendar(branch);
  const today = todayIn(branch.timezone, now);
  const days = workingDaysAfter(calendar, today, branch.visitWithinDays);
  return { calendar, days, hourFrom: branch.visitHourFrom, hourTo: branch.visitHourTo, timezone: branch.timezone };
}

/** The end of the last working day within the branch's window: when the visit must have happened. */
const visitDeadline = (branch: BranchRow, now: Date) => {
  const { days } = slotsOf(branch, now);
  const last = days[days.length - 1] ?? todayIn(branch.timezone, now);
  return localMoment(branch.timezone, last, branch.visitHourTo);
};

async function accountBranch(em: EntityManager, accountId: number) {
  const account = await em.findOneOrFail(Account, accountId, { populate: ['branch'], strategy: 'joined' });
  return { account, branch: account.branch.$ };
}

/** The days (within the branch's window, from tomorrow, working days only) and hours an inspector can come. */
export const getVisitSlots = defineAccountService('read', {}, async (_input, { em, access, now }) => {
  const { branch } = await accountBranch(em, access.accountId);
  const s = slotsOf(branch, now);
  return ok({ days: s.days, hourFrom: s.hourFrom, hourTo: s.hourTo, timezone: s.timezone });
});

const visit = z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date_yyyy_mm_dd'), hour: z.number().int().min(0).max(23) });

/**
 * Вызов контролёра (seed 000 §9): the reason from the dictionary, the desired day and hour (a
 * working day of the branch within its window, in its hours), a phone, a comment; the account is
 * the one the resident is linked to, and a meter may be named (a refused reading offers it).
 */
export const createInspectorCall = defineAccountService(
  'write',
  { reasonCode: z.string().min(1).max(32), visit, phone, comment: optionalText(1000), meterId: id.optional() },
  async (input, { em, access, now }) => {
    if (access.residentId === null) return fail({ code: 'not_permitted' as const });
    const { account, branch } = await accountBranch(em, access.accountId);
    const reason = await em.findOne(InspectorCallReason, { code: input.reasonCode, useInBot: true });
    if (!reason) return fail({ code: 'reason_not_found' as const });
    const slots = slotsOf(branch, now);
    if (!slots.days.includes(input.visit.date)) return fail({ code: 'visit_day_unavailable' as const, days: slots.days });
    if (input.visit.hour < slots.hourFrom || input.visit.hour >= slots.hourTo)
      return fail({ code: 'visit_hour_unavailable' as const, hourFrom: slots.hourFrom, hourTo: slots.hourTo });
    let meter: { id: number; serial: string } | null = null;
    if (input.meterId !== undefined) {
      const found = await em.findOne(Meter, { id: input.meterId, account: access.accountId });
      if (!found) return fail({ code: 'meter_not_found' as const });
      meter = { id: found.id, serial: found.serial };
    }
    // The same words about another account are another request.
    const hash = textHashOf('inspector', `${access.accountId}|${input.comment ?? `${reason.code}|${input.visit.date}|${meter?.id ?? ''}`}`);
    const filed = await fileRequest(em, now, access.actor, {
      branchId: branch.id,
      kind: 'inspector',
      residentId: access.residentId,
      textHash: hash,
      fields: {
        account,
        contactPhone: input.phone,
        comment: input.comment,
        details: {
          reason: { code: reason.code, name: reason.name },
          visitAt: localMoment(branch.timezone, input.visit.date, input.visit.hour).toISOString(),
          ...(meter ? { meter } : {}),
        },
        deadlineAt: visitDeadline(branch, now),
      },
    });
    if (!filed.ok) return filed;
    const request = filed.value;
    return ok({ requestId: request.id, number: request.number, deadlineAt: request.deadlineAt.toISOString() });
  },
);

const commissioningMeter = z
  .object({
    /** Ввод в эксплуатацию (a new or replaced meter) or опломбировка (after a verification, a repair). */
    requestType: z.enum(['commissioning', 'sealing']),
    /** A meter billing already knows: its serial, model, service, place and date are not asked again. */
    meterId: id.optional(),
    service: z.enum(['cold_water', 'hot_water']).optional(),
    serial: z.string().trim().regex(METER_SERIAL, 'serial_invalid').optional(),
    model: optionalText(100),
    place: optionalText(100),
    verificationDue: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'date_yyyy_mm_dd')
      .optional(),
    /** Thousandths of m³ at the time of the request. */
    reading: z.number().int().min(0).max(99_999_999_999),
    /** Who fitted the meter: a company's name, or the owner themselves (a code, worded by each reader's locale). */
    installer: z.union([text(300), z.object({ self: z.literal(true) })]),
    passport: telegramFile,
    certificate: telegramFile.optional(),
  })
  .refine((m) => m.meterId !== undefined || (m.service && m.serial && m.verificationDue), { message: 'new_meter_needs_service_serial_date' })
  .refine((m) => m.meterId === undefined || m.certificate !== undefined, { message: 'certificate_required', path: ['certificate'] });

/**
 * Заявка на ввод прибора учёта в эксплуатацию / опломбировку (seed 001 §4), per meter. The
 * passport data of the owner that the portal asks for is left to the visit (the inspector sees
 * the document there): the bot's consent does not cover it. The photos of the meter's passport
 * and verification certificate are attached; the terms and the access are agreed to.
 */
export const createCommissioning = defineAccountService(
  'write',
  {
    meters: z.array(commissioningMeter).min(1).max(5),
    phone,
    comment: optionalText(1000),
    acceptTerms: z.literal(true),
    giveAccess: z.literal(true),
  },
  async (input, { em, access, now }) => {
    if (access.residentId === null) return fail({ code: 'not_permitted' as const });
    const { account, branch } = await accountBranch(em, access.accountId);
    const meters = [];
    const today = todayIn(branch.timezone, now);
    for (const m of input.meters) {
      // The next verification is ahead, whether the meter is new or known (a sealing after one).
      if (m.verificationDue && m.verificationDue <= today) return fail({ code: 'verification_date_past' as const });
      if (m.meterId !== undefined) {
        const known = await em.findOne(Meter, { id: m.meterId, account: access.accountId }, { populate: ['service'] });
        if (!known) return fail({ code: 'meter_not_found' as const });
        const due = m.verificationDue ?? known.verificationDue ?? null;
        meters.push({
          requestType: m.requestType,
          meterId: known.id,
          service: known.service.$.code,
          serial: known.serial,
          model: known.model ?? m.model,
          place: known.place ?? m.place,
          verificationDue: due,
          reading: m.reading,
          installer: m.installer,
        });
      } else {
        meters.push({
          requestType: m.requestType,
          meterId: null,
          service: m.service,
          serial: m.serial,
          model: m.model,
          place: m.place,
          verificationDue: m.verificationDue,
          reading: m.reading,
          installer: m.installer,
        });
      }
    }
    const hash = textHashOf('commissioning', meters.map((m) => `${m.requestType}|${m.serial}`).join(';'));
    const filed = await fileRequest(em, now, access.actor, {
      branchId: branch.id,
      kind: 'commissioning',
      residentId: access.residentId,
      textHash: hash,
      fields: {
        account,
        contactPhone: input.phone,
        comment: input.comment,
        details: { meters, acceptedTerms: true, accessGiven: true },
        deadlineAt: visitDeadline(branch, now),
      },
      attach: (request) =>
        input.meters.forEach((m, meterIndex) => {
          attach(em, request, 'meter_passport', m.passport, now, meterIndex);
          if (m.certificate) attach(em, request, 'verification_certificate', m.certificate, now, meterIndex);
        }),
    });
    if (!filed.ok) return filed;
    const request = filed.value;
    return ok({ requestId: request.id, number: request.number, deadlineAt: request.deadlineAt.toISOString() });
  },
);

const ANONYMOUS_SAME_SQL = 'select count(*)::int as n from service_request where resident_id is null and text_hash = ? and created_at > ?';

/** What a request holds besides its number, status and who filed it. */
interface RequestFields {
  account: Account | null;
  address?: string | null;
  addressKey?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  contactPhone: string | null;
  comment: string | null;
  details: Record<string, unknown>;
  deadlineAt: Date;
}

/**
 * Files a request of `kind`: the limits of its resident (none for one without consent), the next
 * number of its branch, the row, its attachments and its first event (by `by`), in the caller's
 * transaction.
 */
async function fileRequest(
  em: EntityManager,
  now: Date,
  by: Mover,
  o: {
    branchId: number;
    kind: RequestKind;
    residentId: number | null;
    textHash: string | null;
    fields: RequestFields;
    attach?: (request: ServiceRequest) => void;
  },
) {
  if (o.residentId !== null) {
    const limits = await checkLimits(em, o.residentId, o.textHash, now);
    if (!limits.ok) return limits;
  } else if (o.textHash) {
    // Without consent nobody's repeats can be counted, but the same report (place, damage, words)
    // twice in a day is the same report: a double tap, also on two instances (the lock decides).
    await em.execute('select pg_advisory_xact_lock(hashtext(?))', [o.textHash]);
    const [same] = await em.execute<{ n: number }[]>(ANONYMOUS_SAME_SQL, [o.textHash, new Date(now.getTime() - 24 * 3600_000)]);
    if ((same?.n ?? 0) > 0) return fail({ code: 'duplicate_request' as const });
  }
  const request = em.create(ServiceRequest, {
    ...o.fields,
    branch: o.branchId,
    kind: o.kind,
    number: await nextNumber(em, o.branchId, o.kind),
    status: 'sent',
    resident: o.residentId,
    textHash: o.textHash,
    createdAt: now,
    statusChangedAt: now,
  });
  o.attach?.(request);
  await recordMove(em, request, null, by, null, now, null);
  return ok(request);
}

function attach(
  em: EntityManager,
  request: ServiceRequest,
  role: AttachmentRole,
  f: z.output<typeof telegramFile>,
  now: Date,
  meterIndex: number | null = null,
) {
  em.create(RequestAttachment, {
    request,
    role,
    meterIndex,
    telegramFileId: f.fileId,
    telegramFileUniqueId: f.fileUniqueId,
    media: f.media ?? 'photo',
    createdAt: now,
  });
}

const point = z.object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) });

export const DISTANCE = (lat: string, lon: string) =>
  `6371000 * 2 * asin(sqrt(power(sin(radians(${lat} - ?) / 2), 2) + cos(radians(?)) * cos(radians(${lat})) * power(sin(radians(${lon} - ?) / 2), 2)))`;

const BRANCH_AT_SQL = `select id, code, name, dispatcher_phone, phones from branch
  where area_latitude is not null and ${DISTANCE('area_latitude', 'area_longitude')} <= area_radius_km * 1000
  order by ${DISTANCE('area_latitude', 'area_longitude')} limit 1`;

type BranchAt = { id: number; code: string; name: string; dispatcher_phone: string | null; phones: string | null };

async function branchAt(em: EntityManager, p: z.output<typeof point>) {
  const args = [p.latitude, p.latitude, p.longitude];
  const [row] = await em.execute<BranchAt[]>(BRANCH_AT_SQL, [...args, ...args]);
  return row ?? null;
}

/** Which branch serves a point (its area), with the dispatcher's phone; outside every area: `outside_area`. */
export const findBranchAt = defineQuery(point, async (input, { em }) => {
  const row = await branchAt(em, input);
  if (!row) return fail({ code: 'outside_area' as const });
  return ok({ branchCode: row.code, name: row.name, dispatcherPhone: row.dispatcher_phone, phones: row.phones });
});

/** «ул. Ермакова, д. 7» and «Ермакова 7» are one house. */
export function addressKeyOf(address: string): string {
  const folded = foldText(address).replace(/[.,;]/g, ' ');
  const m = /^(.*?)(?:\s+(?:д|дом)\s*)?\s+(\d+\s*[а-яa-z]?(?:\s*(?:к|корп|корпус|стр)\s*\d+)?)\s*$/i.exec(folded.trim());
  return m ? `${streetKey(m[1] ?? '')}|${houseKey(m[2] ?? '')}` : folded.replace(/\s+/g, ' ').trim();
}

export const place = z.discriminatedUnion('kind', [
  point.extend({ kind: z.literal('point') }),
  z.object({ kind: z.literal('address'), branchCode, address: text(300) }),
]);

const NEARBY_SQL = `select r.id, r.number, r.address, r.latitude, r.longitude, r.created_at, r.status, r.details->'damage'->>'name' as damage
  from service_request r join branch b on b.id = r.branch_id
  where r.kind = 'accident' and r.status not in ('refused', 'done', 'closed') and r.created_at > ? and b.code = ?
    and ((r.address_key is not null and r.address_key = ?)
      or (r.latitude is not null and ?::float8 is not null and ${DISTANCE('r.latitude', 'r.longitude')} <= ?))
  order by r.created_at desc limit 5`;

type NearbyRow = {
  id: number;
  number: string;
  address: string | null;
  latitude: string | null;
  longitude: string | null;
  created_at: Date;
  status: string;
  damage: string | null;
};

async function resolvePlace(em: EntityManager, p: z.output<typeof place>) {
  if (p.kind === 'point') {
    const b = await branchAt(em, p);
    return b ? { branch: b, address: null, addressKey: null, latitude: p.latitude, longitude: p.longitude } : null;
  }
  const [b] = await em.execute<BranchAt[]>('select id, code, name, dispatcher_phone, phones from branch where code = ?', [p.branchCode]);
  return b ? { branch: b, address: p.address, addressKey: addressKeyOf(p.address), latitude: null, longitude: null } : null;
}

/** The place of a report for its duplicate check: the branch and the house, or the point to about 100 m. */
const placeKeyOf = (w: NonNullable<Awaited<ReturnType<typeof resolvePlace>>>) =>
  `${w.branch.code}|${w.addressKey ?? `${w.latitude?.toFixed(3)},${w.longitude?.toFixed(3)}`}`;

async function nearby(em: EntityManager, where: NonNullable<Awaited<ReturnType<typeof resolvePlace>>>, now: Date) {
  const since = new Date(now.getTime() - NEARBY_HOURS * 3600_000);
  const lat = where.latitude;
  const rows = await em.execute<NearbyRow[]>(NEARBY_SQL, [
    since,
    where.branch.code,
    where.addressKey ?? '',
    lat,
    lat ?? 0,
    lat ?? 0,
    where.longitude ?? 0,
    NEARBY_METRES,
  ]);
  return rows.map((r) => ({
    requestId: r.id,
    number: r.number,
    address: r.address,
    damage: r.damage,
    reportedAt: new Date(r.created_at).toISOString(),
    status: r.status,
  }));
}

/** Open accidents at the same house or within 150 m, reported in the last 48 hours: offered to join instead of a new report. */
export const findNearbyAccidents = defineResidentService('read', { place }, async (input, { em, now }) => {
  const where = await resolvePlace(em, input.place);
  if (!where) return fail({ code: 'outside_area' as const });
  return ok({ branchCode: where.branch.code, dispatcherPhone: where.branch.dispatcher_phone, accidents: await nearby(em, where, now) });
});

/**
 * Сообщение об аварии на наружных сетях (seeds 001, 002): photos, the place (a point or a typed
 * address), the damage type, a short description and — only with the consent — a phone. Needs no
 * linked account; without the consent nothing of the person is kept and no status is sent.
 */
export const reportAccident = defineResidentService(
  'write',
  {
    place,
    damageCode: z.string().min(1).max(32),
    description: text(1000),
    phone: phone.optional(),
    /** Sent through Telegram (its file ids), or uploaded on the web pages (already in the file store). */
    photos: z
      .array(z.union([telegramFile, storedFile]))
      .min(1)
      .max(10),
  },
  async (input, { em, now, resident, actor }) => {
    const who = await resident();
    if (input.phone && !who) return fail({ code: 'resident_not_found' as const });
    const where = await resolvePlace(em, input.place);
    if (!where) return fail({ code: 'outside_area' as const });
    const damage = await em.findOne(DamageType, { code: input.damageCode, useInBot: true });
    if (!damage) return fail({ code: 'damage_type_not_found' as const });
    // The same words about another place or another damage are another report.
    const hash = textHashOf('accident', `${placeKeyOf(where)}|${damage.code}|${input.description}`);
    const filed = await fileRequest(em, now, who ? actor : 'anonymous', {
      branchId: where.branch.id,
      kind: 'accident',
      residentId: who?.id ?? null,
      textHash: hash,
      fields: {
        // About a place, not an account: the reporter's account (owner, flat) is no business of the card.
        account: null,
        address: where.address,
        addressKey: where.addressKey,
        latitude: where.latitude,
        longitude: where.longitude,
        contactPhone: input.phone ?? null,
        comment: input.description,
        details: { damage: { code: damage.code, name: damage.name } },
        deadlineAt: new Date(now.getTime() + ACCIDENT_DEADLINE_HOURS * 3600_000),
      },
      attach: (request) => {
        for (const p of input.photos) {
          if ('fileId' in p) attach(em, request, 'photo', p, now);
          else em.create(RequestAttachment, { request, role: 'photo', storedPath: p.path, mime: p.mime, size: p.size, media: 'photo', createdAt: now });
        }
      },
    });
    if (!filed.ok) return filed;
    const request = filed.value;
    return ok({
      requestId: request.id,
      number: request.number,
      deadlineAt: request.deadlineAt.toISOString(),
      dispatcherPhone: where.branch.dispatcher_phone,
      followed: who !== null,
    });
  },
);

/**
 * «Уже известно — подтвердить»: the resident is told of that accident's statuses instead of filing
 * a duplicate. Only one that `nearbyAccidents` offers for the same place may be joined (open, at
 * the house or within 150 m, of the last 48 hours, in the place's branch): an id alone is no right
 * to follow somebody's report.
 */
export const joinAccident = defineResidentService('write', { requestId: id, place }, async (input, { em, now, resident }) => {
  const where = await resolvePlace(em, input.place);
  if (!where) return fail({ code: 'request_not_found' as const });
  const offered = await nearby(em, where, now);
  if (!offered.some((a) => a.requestId === input.requestId)) return fail({ code: 'request_not_found' as const });
  const request = await em.findOneOrFail(ServiceRequest, { id: input.requestId, kind: 'accident' });
  const who = await resident();
  if (who && request.resident?.id !== who.id) {
    await em.upsert(RequestFollower, { request, resident: who, joinedAt: now }, { onConflictFields: ['request', 'resident'], onConflictAction: 'ignore' });
  }
  return ok({ number: request.number, followed: who !== null });
});
