import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Branch, OUTAGE_KINDS, Outage } from '../../../db/entities/index.ts';
import { fail, ok } from '../result.ts';
import { branchCode, id, text } from '../schemas.ts';
import { defineOperatorService } from '../service.ts';
import { areaStreet, checkStreets, circle, instant, MAX_STREETS, outageView } from './common.ts';
import { notifyOutage } from './notify.ts';

const isOpen = (o: Outage) => o.status === 'announced' || o.status === 'updated';

async function ofOperator(em: EntityManager, outageId: number, branchCodes: string[]) {
  const o = await em.findOne(Outage, { id: outageId }, { populate: ['branch'], strategy: 'joined' });
  if (!o) return fail({ code: 'outage_not_found' as const });
  if (!branchCodes.includes(o.branch.$.code)) return fail({ code: 'not_permitted' as const });
  return ok(o);
}

/**
 * An operator announces an outage of a branch they serve: the area (streets with houses, and/or
 * a circle), from–to (the end as expected), the reason. The residents inside it are told: an
 * emergency at once, a planned one the day before at 18:00 branch time.
 */
export const announceOutage = defineOperatorService(
  'write',
  {
    branchCode,
    kind: z.enum(OUTAGE_KINDS),
    reason: text(300),
    startsAt: instant,
    endsAt: instant,
    streets: z.array(areaStreet).max(MAX_STREETS).default([]),
    circle: circle.nullable().default(null),
  },
  async (input, { em, actor, now }) => {
    if (!actor.branchCodes.includes(input.branchCode)) return fail({ code: 'not_permitted' as const });
    const branch = await em.findOne(Branch, { code: input.branchCode });
    if (!branch) return fail({ code: 'branch_not_found' as const });
    if (!input.streets.length && !input.circle) return fail({ code: 'area_empty' as const });
    if (input.endsAt.getTime() <= input.startsAt.getTime()) return fail({ code: 'ends_before_start' as const });
    if (input.endsAt.getTime() <= now.getTime()) return fail({ code: 'already_over' as const });
    const streets = await checkStreets(em, branch.id, input.streets);
    if (!streets.ok) return streets;
    const o = em.create(Outage, {
      branch,
      externalId: null,
      kind: input.kind,
      status: 'announced',
      reason: input.reason,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      expectedEndAt: input.endsAt,
      streets: input.streets,
      centreLatitude: input.circle?.latitude ?? null,
      centreLongitude: input.circle?.longitude ?? null,
      radiusKm: input.circle?.radiusKm ?? null,
      version: 1,
      notifiedVersion: 0,
      byKind: 'operator',
      byId: String(actor.operatorId),
      createdAt: now,
      changedAt: now,
    });
    await em.flush();
    const notices = await notifyOutage(em, o, branch, 'announced', now);
    return ok({ outage: await outageView(em, o, branch), notices });
  },
);

/** What an operator sees of an outage of their branches (the announcement in the group). */
export const getOutage = defineOperatorService('read', { outageId: id }, async (input, { em, actor }) => {
  const found = await ofOperator(em, input.outageId, actor.branchCodes);
  if (!found.ok) return found;
  return ok(await outageView(em, found.value, found.value.branch.$));
});

/** A new version of an open outage: told to those told before (and to those inside it not yet told, on its schedule). */
async function change(
  em: EntityManager,
  o: Outage,
  branch: { code: string; timezone: string },
  to: 'updated' | 'resolved' | 'cancelled',
  now: Date,
  expectedEndAt?: Date,
) {
  const version = o.version;
  const moved = await em.nativeUpdate(
    Outage,
    { id: o.id, version, status: { $in: ['announced', 'updated'] } },
    { status: to, version: version + 1, changedAt: now, ...(expectedEndAt ? { expectedEndAt } : {}) },
  );
  // Two operators at once: one wins; the other is told what it is now.
  if (!moved) {
    await em.refresh(o);
    return fail({ code: 'outage_changed' as const, status: o.status });
  }
  await em.refresh(o);
  const notices = await notifyOutage(em, o, branch, to, now);
  return ok({ outage: await outageView(em, o, branch), notices });
}

/** A new expected end («воду дадут к 20:00»). */
export const updateOutage = defineOperatorService('write', { outageId: id, expectedEndAt: instant }, async (input, { em, actor, now }) => {
  const found = await ofOperator(em, input.outageId, actor.branchCodes);
  if (!found.ok) return found;
  const o = found.value;
  if (!isOpen(o)) return fail({ code: 'outage_closed' as const, status: o.status });
  if (input.expectedEndAt.getTime() <= Math.max(now.getTime(), o.startsAt.getTime())) return fail({ code: 'ends_before_start' as const });
  return change(em, o, o.branch.$, 'updated', now, input.expectedEndAt);
});

/** «Вода есть»: the outage is over. */
export const resolveOutage = defineOperatorService('write', { outageId: id }, async (input, { em, actor, now }) => {
  const found = await ofOperator(em, input.outageId, actor.branchCodes);
  if (!found.ok) return found;
  if (!isOpen(found.value)) return fail({ code: 'outage_closed' as const, status: found.value.status });
  return change(em, found.value, found.value.branch.$, 'resolved', now);
});

/** The outage will not happen (told to those already told; those not yet told hear nothing). */
export const cancelOutage = defineOperatorService('write', { outageId: id }, async (input, { em, actor, now }) => {
  const found = await ofOperator(em, input.outageId, actor.branchCodes);
  if (!found.ok) return found;
  if (!isOpen(found.value)) return fail({ code: 'outage_closed' as const, status: found.value.status });
  return change(em, found.value, found.value.branch.$, 'cancelled', now);
});
