import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Branch } from './branch.ts';

/** A town or village (населённый пункт) served by a branch. */
export const Settlement = defineEntity({
  name: 'Settlement',
  tableName: 'settlement',
  uniques: [{ properties: ['branch', 'name'] }],
  properties: {
    id: p.integer().primary(),
    branch: () => p.manyToOne(Branch).ref(),
    name: p.text(),
  },
});
export type Settlement = InferEntity<typeof Settlement>;

export const Street = defineEntity({
  name: 'Street',
  tableName: 'street',
  uniques: [{ properties: ['settlement', 'name'] }],
  // Trigram similarity (pg_trgm) for a street typed with a typo; made by its migration.
  indexes: [{ name: 'street_search_key_trgm', expression: 'create index "street_search_key_trgm" on "street" using gin ("search_key" gin_trgm_ops)' }],
  properties: {
    id: p.integer().primary(),
    settlement: () => p.manyToOne(Settlement).ref(),
    /** As the billing system writes it: «ул. Ермакова». */
    name: p.text(),
    /** Lower case, ё→е, without the street-type word: what a resident's typing is matched against. */
    searchKey: p.text().index(),
  },
});
export type Street = InferEntity<typeof Street>;

export const Building = defineEntity({
  name: 'Building',
  tableName: 'building',
  uniques: [{ properties: ['street', 'houseKey'] }],
  properties: {
    id: p.integer().primary(),
    street: () => p.manyToOne(Street).ref(),
    /** As written: «7», «7А», «12 к2». */
    house: p.string().length(32),
    /** Normalised for matching: «7а», «12к2». */
    houseKey: p.string().length(32),
  },
});
export type Building = InferEntity<typeof Building>;

/** A flat or, for a private house, the house itself (flat is then empty). */
export const Premise = defineEntity({
  name: 'Premise',
  tableName: 'premise',
  uniques: [{ properties: ['building', 'flatKey'] }],
  properties: {
    id: p.integer().primary(),
    building: () => p.manyToOne(Building).ref(),
    flat: p.string().length(16).nullable(),
    flatPrefix: p.string().length(16).nullable(),
    /** prefix + flat, normalised; '' for a private house. */
    flatKey: p.string().length(40).default(''),
  },
});
export type Premise = InferEntity<typeof Premise>;
