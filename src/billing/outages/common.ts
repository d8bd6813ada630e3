import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Street, type Outage, type OutageStreet } from '../../../db/entities/index.ts';
import { houseKey } from '../normalize.ts';
import { fail, ok } from '../result.ts';
import { id } from '../schemas.ts';

/** At most this many streets in one outage. */
export const MAX_STREETS = 50;

/** A street of the area: its id and the houses as typed («7», «12 к2»), or null for every house. */
export const areaStreet = z.object({
  streetId: id,
  houses: z
    .array(z.string().trim().min(1).max(32))
    .min(1)
    .max(500)
    .nullable()
    .transform((hs) => (hs ? [...new Set(hs.map(houseKey))].filter(Boolean) : null)),
});

/** A circle around a point (billing's houses have no coordinates: it matches points, such as an accident's location). */
export const circle = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  radiusKm: z.number().min(0.05).max(50),
});

export const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** The streets must be the branch's (streets of its settlements). */
export async function checkStreets(em: EntityManager, branchId: number, streets: OutageStreet[]) {
  if (!streets.length) return ok(new Map<number, string>());
  const ids = [...new Set(streets.map((s) => s.streetId))];
  const found = await em.find(Street, { id: { $in: ids }, settlement: { branch: branchId } }, { fields: ['id', 'name'] });
  if (found.length !== ids.length) return fail({ code: 'street_not_found' as const });
  return ok(new Map(found.map((s) => [s.id, s.name])));
}

/** What the front doors show of an outage. */
export async function outageView(em: EntityManager, o: Outage, branch: { code: string; timezone: string }) {
  const names = await checkStreets(em, o.branch.id, o.streets);
  const byId = names.ok ? names.value : new Map<number, string>();
  return {
    outageId: o.id,
    branchCode: branch.code,
    timezone: branch.timezone,
    kind: o.kind,
    status: o.status,
    reason: o.reason,
    startsAt: o.startsAt.toISOString(),
    endsAt: o.endsAt.toISOString(),
    expectedEndAt: o.expectedEndAt.toISOString(),
    version: o.version,
    streets: o.streets.map((s) => ({ streetId: s.streetId, name: byId.get(s.streetId) ?? '', houses: s.houses })),
    circle: o.radiusKm != null ? { latitude: o.centreLatitude!, longitude: o.centreLongitude!, radiusKm: o.radiusKm } : null,
  };
}
export type OutageView = Awaited<ReturnType<typeof outageView>>;
