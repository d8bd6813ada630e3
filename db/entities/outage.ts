import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Branch } from './branch.ts';

export const OUTAGE_KINDS = ['planned', 'emergency'] as const;
export type OutageKind = (typeof OUTAGE_KINDS)[number];

/** Announced → updated (a new expected end, a new version each time) → resolved («вода есть») or cancelled. */
export const OUTAGE_STATUSES = ['announced', 'updated', 'resolved', 'cancelled'] as const;
export type OutageStatus = (typeof OUTAGE_STATUSES)[number];

/** One street of an outage's area: its id (street table) and the house keys (`building.house_key`), or null for every house. */
export interface OutageStreet {
  streetId: number;
  houses: string[] | null;
}

/**
 * A planned or emergency water outage a branch announces. Its area is a list of streets with
 * houses (residents are found through their accounts' addresses) and/or a circle around a point
 * (billing's houses have no coordinates: a circle matches points only — an accident reported with
 * a location). Each change a resident should hear of raises `version`; the notices' subject is
 * `outage:<id>:<version>`, so every version reaches a resident once.
 */
export const Outage = defineEntity({
  name: 'Outage',
  tableName: 'outage',
  uniques: [{ properties: ['branch', 'externalId'] }],
  indexes: [{ properties: ['branch', 'status'] }],
  properties: {
    id: p.integer().primary(),
    branch: () => p.manyToOne(Branch).ref(),
    /** The import's id (idempotent by it); null for one an operator announced. */
    externalId: p.string().length(64).nullable(),
    kind: p.enum([...OUTAGE_KINDS]),
    status: p.enum([...OUTAGE_STATUSES]).default('announced'),
    reason: p.text(),
    startsAt: p.datetime(),
    /** The end as announced first. */
    endsAt: p.datetime(),
    /** The end as expected now (an update moves it). */
    expectedEndAt: p.datetime(),
    streets: p.json<OutageStreet[]>().default('[]'),
    centreLatitude: p.decimal('number').precision(9).scale(6).nullable(),
    centreLongitude: p.decimal('number').precision(9).scale(6).nullable(),
    radiusKm: p.decimal('number').precision(6).scale(2).nullable(),
    version: p.integer().default(1),
    /** The version whose notices have been made (the import changes `version`; the sweep then makes them). */
    notifiedVersion: p.integer().default(0),
    /** Who announced it: an operator (their Telegram id) or the import. */
    byKind: p.enum(['operator', 'import']),
    byId: p.text().nullable(),
    createdAt: p.datetime(),
    changedAt: p.datetime(),
  },
});
export type Outage = InferEntity<typeof Outage>;
