import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Branch } from './branch.ts';
import { kopecks, milli } from '../types.ts';

export const SERVICE_CODES = ['cold_water', 'hot_water', 'sewerage'] as const;
export type ServiceCode = (typeof SERVICE_CODES)[number];

/** ХВС, ГВС, водоотведение. */
export const Service = defineEntity({
  name: 'Service',
  tableName: 'service',
  properties: {
    id: p.integer().primary(),
    code: p.enum([...SERVICE_CODES]).unique(),
    name: p.text(),
  },
});
export type Service = InferEntity<typeof Service>;

/** Price per m³ from a date on (until the next tariff of the same service and branch). */
export const Tariff = defineEntity({
  name: 'Tariff',
  tableName: 'tariff',
  uniques: [{ properties: ['branch', 'service', 'validFrom'] }],
  properties: {
    id: p.integer().primary(),
    branch: () => p.manyToOne(Branch).ref(),
    service: () => p.manyToOne(Service).ref(),
    validFrom: p.date(),
    price: kopecks(),
  },
});
export type Tariff = InferEntity<typeof Tariff>;

/** Consumption norm per person and month for a category of housing (норматив). */
export const Norm = defineEntity({
  name: 'Norm',
  tableName: 'norm',
  uniques: [{ properties: ['branch', 'code', 'service'] }],
  properties: {
    id: p.integer().primary(),
    branch: () => p.manyToOne(Branch).ref(),
    code: p.string().length(32),
    service: () => p.manyToOne(Service).ref(),
    description: p.text(),
    perPerson: milli(),
  },
});
export type Norm = InferEntity<typeof Norm>;
