import { z } from 'zod';
import { RequestAttachment, RequestFollower, type RequestStatus, ServiceRequest } from '../../../db/entities/index.ts';
import { fail, ok } from '../result.ts';
import { id, page, text } from '../schemas.ts';
import { defineResidentService } from '../service.ts';
import { moverOf, recordMove, telegramFile } from './common.ts';
import { canMove } from './lifecycle.ts';
import { summaryOf, viewOf } from './view.ts';

// An operator's words, or the resident's own: not those of another resident (the author of an accident they joined).
// What the viewer may read (as viewOf): their own words, and the operators' — but a question to the
// author (needs_info) only on the author's own requests.
const LAST_COMMENTS_SQL = `select distinct on (e.request_id) e.request_id, e.comment from request_event e join service_request r on r.id = e.request_id
  where e.request_id in (?) and e.comment is not null
    and ((e.by_kind <> 'resident' and (e.to_status <> 'needs_info' or r.resident_id = ?)) or e.by_id = ?)
  order by e.request_id, e.at desc, e.id desc`;

/** The resident's requests screen: their own requests and the accidents they joined, newest first. */
export const listMyRequests = defineResidentService('read', { ...page }, async (input, { em, resident, actor }) => {
  const who = await resident();
  if (!who) return fail({ code: 'resident_not_found' as const });
  const followed = await em.find(RequestFollower, { resident: who }, { fields: ['request'] });
  const where = { $or: [{ resident: who }, { id: { $in: followed.map((f) => f.request.id) } }] };
  const [rows, total] = await em.findAndCount(ServiceRequest, where, {
    orderBy: { createdAt: 'desc', id: 'desc' },
    limit: input.limit,
    offset: input.offset,
    populate: ['branch'],
  });
  const comments = rows.length
    ? await em.execute<{ request_id: number; comment: string }[]>(LAST_COMMENTS_SQL, [rows.map((r) => r.id), who.id, moverOf(actor).byId])
    : [];
  const byId = new Map(comments.map((c) => [Number(c.request_id), c.comment]));
  return ok({ total, requests: rows.map((r) => summaryOf(r, byId.get(r.id) ?? null, r.branch.$.code)) });
});

/** A request of the resident's (or one they joined), with its history. Someone else's: not found. */
async function mine(em: Parameters<typeof viewOf>[0], residentId: number, requestId: number) {
  const r = await em.findOne(ServiceRequest, { id: requestId });
  if (!r) return null;
  if (r.resident?.id === residentId) return r;
  const follows = await em.count(RequestFollower, { request: r, resident: residentId });
  return follows ? r : null;
}

export const getMyRequest = defineResidentService('read', { requestId: id }, async (input, { em, resident, actor }) => {
  const who = await resident();
  if (!who) return fail({ code: 'resident_not_found' as const });
  const r = await mine(em, who.id, input.requestId);
  if (!r) return fail({ code: 'request_not_found' as const });
  return ok(await viewOf(em, r, { kind: 'resident', residentId: who.id, byId: moverOf(actor).byId! }));
});

/**
 * Moves the request only from the status the resident saw: an operator (or the clock) moving it at
 * the same moment wins or loses as a whole, like two operators do. The loser is told the status it
 * has now as `move_not_allowed` (the answer or rating no longer applies).
 */
async function moveFrom(
  em: Parameters<typeof viewOf>[0],
  r: ServiceRequest,
  from: RequestStatus,
  set: Partial<Pick<ServiceRequest, 'status' | 'statusChangedAt' | 'rating'>>,
) {
  const moved = await em.nativeUpdate(ServiceRequest, { id: r.id, status: from }, set);
  await em.refresh(r);
  return moved === 0 ? fail({ code: 'move_not_allowed' as const, status: r.status }) : null;
}

/**
 * The resident's answer to needs_info: what was missing, in words and maybe photos. The
 * request returns to accepted; only its author answers.
 */
export const answerRequest = defineResidentService(
  'write',
  { requestId: id, text: text(2000), files: z.array(telegramFile).max(10).default([]) },
  async (input, { em, now, resident, actor }) => {
    const who = await resident();
    if (!who) return fail({ code: 'resident_not_found' as const });
    const r = await em.findOne(ServiceRequest, { id: input.requestId, resident: who });
    if (!r) return fail({ code: 'request_not_found' as const });
    if (r.status !== 'needs_info' || !canMove(r.status, 'accepted', 'resident')) return fail({ code: 'move_not_allowed' as const, status: r.status });
    const from = r.status;
    const changed = await moveFrom(em, r, from, { status: 'accepted', statusChangedAt: now });
    if (changed) return changed;
    for (const f of input.files)
      em.create(RequestAttachment, {
        request: r,
        role: 'answer',
        telegramFileId: f.fileId,
        telegramFileUniqueId: f.fileUniqueId,
        media: f.media ?? 'photo',
        createdAt: now,
      });
    const moved = await recordMove(em, r, from, actor, input.text, now, who.id);
    return ok({ number: r.number, status: r.status, eventId: moved.event.id, notices: moved.notices });
  },
);

/** After done: good closes it, bad reopens it (in_work) with the resident's words. */
export const rateRequest = defineResidentService(
  'write',
  { requestId: id, good: z.boolean(), comment: z.string().trim().max(1000).optional() },
  async (input, { em, now, resident, actor }) => {
    const who = await resident();
    if (!who) return fail({ code: 'resident_not_found' as const });
    const r = await em.findOne(ServiceRequest, { id: input.requestId, resident: who });
    if (!r) return fail({ code: 'request_not_found' as const });
    const to = input.good ? 'closed' : 'in_work';
    if (r.status !== 'done' || !canMove(r.status, to, 'resident')) return fail({ code: 'move_not_allowed' as const, status: r.status });
    const from = r.status;
    const changed = await moveFrom(em, r, from, { status: to, statusChangedAt: now, rating: input.good ? 1 : -1 });
    if (changed) return changed;
    const moved = await recordMove(em, r, from, actor, input.comment || null, now, who.id);
    return ok({ number: r.number, status: r.status, eventId: moved.event.id, notices: moved.notices });
  },
);
