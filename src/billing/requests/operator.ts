import { z } from 'zod';
import { Branch, REQUEST_STATUSES, ServiceRequest } from '../../../db/entities/index.ts';
import { fail, ok } from '../result.ts';
import { id, optionalText } from '../schemas.ts';
import { defineOperatorService, defineQuery } from '../service.ts';
import { recordMove } from './common.ts';
import { canMove, needsComment, operatorMoves } from './lifecycle.ts';
import { viewOf } from './view.ts';

const chatId = z.number().int();

/**
 * The branches an operators' group serves: those that name it, and — if it is the group for all
 * (OPERATORS_CHAT_ID) — those that name none. A group that serves none is no desk.
 */
export const branchesOfDesk = defineQuery(z.object({ chatId, defaultChatId: chatId.nullable() }), async (input, { em }) => {
  const rows = await em.find(
    Branch,
    input.chatId === input.defaultChatId ? { $or: [{ operatorsChatId: input.chatId }, { operatorsChatId: null }] } : { operatorsChatId: input.chatId },
    { fields: ['code'], orderBy: { code: 'asc' } },
  );
  return ok(rows.map((b) => b.code));
});

async function ofOperator(em: Parameters<typeof viewOf>[0], requestId: number, branchCodes: string[]) {
  const r = await em.findOne(ServiceRequest, { id: requestId }, { populate: ['branch'], strategy: 'joined' });
  if (!r) return fail({ code: 'request_not_found' as const });
  if (!branchCodes.includes(r.branch.$.code)) return fail({ code: 'not_permitted' as const });
  return ok(r);
}

/** The card an operator sees: everything the resident gave, the history and the moves allowed now. */
export const getRequestCard = defineOperatorService('read', { requestId: id }, async (input, { em, actor }) => {
  const found = await ofOperator(em, input.requestId, actor.branchCodes);
  if (!found.ok) return found;
  const view = await viewOf(em, found.value, { kind: 'operator' });
  return ok({ ...view, moves: operatorMoves(view.status), operatorsChatId: found.value.branch.$.operatorsChatId ?? null });
});

/**
 * An operator moves a request, from the status the card showed them: if another operator moved it
 * first, this one is told the status it has now and nothing changes (one wins). Asking for
 * corrections or refusing needs a comment, which the resident reads.
 */
export const moveRequest = defineOperatorService(
  'write',
  { requestId: id, from: z.enum(REQUEST_STATUSES), to: z.enum(REQUEST_STATUSES), comment: optionalText(1000) },
  async (input, { em, actor, now }) => {
    const found = await ofOperator(em, input.requestId, actor.branchCodes);
    if (!found.ok) return found;
    if (!canMove(input.from, input.to, 'operator')) return fail({ code: 'move_not_allowed' as const, status: input.from });
    if (needsComment(input.to) && !input.comment) return fail({ code: 'comment_required' as const });
    // One statement decides between two operators pressing at once: the row moves only from the status they saw.
    const moved = await em.nativeUpdate(ServiceRequest, { id: input.requestId, status: input.from }, { status: input.to, statusChangedAt: now });
    if (moved === 0) {
      await em.refresh(found.value);
      return fail({ code: 'status_changed' as const, status: found.value.status });
    }
    const r = found.value;
    await em.refresh(r);
    const result = await recordMove(em, r, input.from, actor, input.comment, now, null);
    return ok({ number: r.number, status: r.status, eventId: result.event.id, notices: result.notices });
  },
);
