import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Branch, Notice, RequestEvent, RequestFollower, type ServiceRequest, type RequestKind, type RequestStatus } from '../../../db/entities/index.ts';
import { type Actor, channelIdOf, type ResidentActor } from '../actor.ts';
import { MAX_FILE_BYTES, STORED_PATH } from '../../files/store.ts';
import { normalizePhone } from '../../phone.ts';
import { foldText } from '../normalize.ts';
import { fail, ok } from '../result.ts';
import { formatNumber, REQUESTS_PER_DAY } from './lifecycle.ts';

/** A phone as typed or shared, normalized by `normalizePhone` (src/phone.ts); otherwise `phone_invalid`. */
export const phone = z.string().transform((s, ctx) => {
  const n = normalizePhone(s);
  if (n === null) ctx.addIssue({ code: 'custom', message: 'phone_invalid' });
  return n ?? z.NEVER;
});

/**
 * A file the resident sent through Telegram: kept by its ids, copied to the file store by a job.
 * `media`: how Telegram holds it — a photo or a document — so it is sent back the same way.
 */
export const telegramFile = z.object({
  fileId: z.string().min(1).max(200),
  fileUniqueId: z.string().min(1).max(64),
  media: z.enum(['photo', 'document']).optional(),
});

/** A file a resident uploaded on the web pages, already kept by the file store (src/files/store.ts): its path there. */
export const storedFile = z.object({
  path: z.string().regex(STORED_PATH),
  mime: z.enum(['image/jpeg', 'image/png', 'image/webp', 'application/pdf']),
  size: z.number().int().min(1).max(MAX_FILE_BYTES),
});

/** Who made a move: an actor, the clock (`system`), or a resident without consent, of whom nothing is kept (`anonymous`). */
export type Mover = Actor | 'system' | 'anonymous';

/** Who made a move, as the history records it. */
export function moverOf(a: Mover): { byKind: 'resident' | 'operator' | 'system'; byId: string | null } {
  if (a === 'system') return { byKind: 'system', byId: null };
  if (a === 'anonymous') return { byKind: 'resident', byId: null };
  if (a.kind === 'operator') return { byKind: 'operator', byId: String(a.operatorId) };
  return { byKind: 'resident', byId: a.kind === 'visitor' ? null : channelIdOf(a) };
}

export const textHashOf = (kind: RequestKind, text: string | null): string | null =>
  text
    ? createHash('sha256')
        .update(`${kind}\n${foldText(text).replace(/\s+/g, ' ').trim()}`)
        .digest('hex')
    : null;

const RECENT_SQL = `select count(*)::int as n, coalesce(bool_or(text_hash = ?), false) as same
  from service_request where resident_id = ? and created_at > ?`;

/**
 * At most 10 requests a day, and not the same text twice in a day. The resident's row is locked
 * for the rest of the transaction, so two requests sent at once (a double tap, two instances)
 * are counted one after the other: the second sees the first.
 */
export async function checkLimits(em: EntityManager, residentId: number, hash: string | null, now: Date) {
  await em.execute('select id from resident where id = ? for update', [residentId]);
  const since = new Date(now.getTime() - 24 * 3600_000);
  const [row] = await em.execute<{ n: number; same: boolean }[]>(RECENT_SQL, [hash ?? '', residentId, since]);
  if ((row?.n ?? 0) >= REQUESTS_PER_DAY) return fail({ code: 'too_many_requests' as const });
  if (hash && row?.same) return fail({ code: 'duplicate_request' as const });
  return ok(null);
}

const NEXT_NUMBER_SQL = `insert into request_counter (branch_id, kind, last) values (?, ?, 1)
  on conflict (branch_id, kind) do update set last = request_counter.last + 1 returning last`;

export async function nextNumber(em: EntityManager, branchId: number, kind: RequestKind): Promise<string> {
  const [row] = await em.execute<{ last: number }[]>(NEXT_NUMBER_SQL, [branchId, kind]);
  return formatNumber(kind, Number(row?.last));
}

/** Whom a status change is told to: the author and those who joined (`own` false), but not the one who made it. */
export async function noticeStatus(em: EntityManager, request: ServiceRequest, event: RequestEvent, except: number | null, now: Date): Promise<Notice[]> {
  const followers = await em.find(RequestFollower, { request }, { fields: ['resident'] });
  const ids = new Set<number>([...(request.resident ? [request.resident.id] : []), ...followers.map((f) => f.resident.id)]);
  if (except !== null) ids.delete(except);
  const made: Notice[] = [];
  // Quiet hours are the branch's: the outbox keeps its timezone with each notice.
  const timezone = ids.size ? ((await em.findOne(Branch, { id: request.branch.id }, { fields: ['timezone'] }))?.timezone ?? null) : null;
  for (const residentId of ids) {
    const own = residentId === request.resident?.id;
    // «На исправление» is a question to the author: those who joined are not asked it, nor shown it.
    if (!own && event.toStatus === 'needs_info') continue;
    const notice = em.create(Notice, {
      resident: residentId,
      kind: 'request_status',
      subject: `event:${event.id}`,
      payload: {
        requestId: request.id,
        number: request.number,
        kind: request.kind,
        status: event.toStatus,
        comment: event.comment ?? null,
        by: event.byKind,
        // The author answers and rates; one who joined an accident is only told.
        own,
      },
      createdAt: now,
      dueAt: now,
      timezone,
    });
    made.push(notice);
  }
  return made;
}

/** Records the move and its notices; the caller has already changed the status. */
export async function recordMove(
  em: EntityManager,
  request: ServiceRequest,
  from: RequestStatus | null,
  by: Mover,
  comment: string | null,
  now: Date,
  exceptResident: number | null,
) {
  const event = em.create(RequestEvent, { request, fromStatus: from, toStatus: request.status, ...moverOf(by), comment, at: now });
  await em.flush();
  const notices = from !== null ? await noticeStatus(em, request, event, exceptResident, now) : [];
  await em.flush();
  return { event, notices: notices.map((n) => n.id) };
}

export const residentActorOf = (a: Actor): ResidentActor | null => (a.kind === 'resident' ? a : null);
