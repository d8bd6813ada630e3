import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { Service } from './service.ts';
import { kopecks, milli } from '../types.ts';

export const CHARGE_KINDS = ['accrual', 'recalculation'] as const;
export type ChargeKind = (typeof CHARGE_KINDS)[number];

/** One line of the receipt: a service's volume × tariff for a month, or a recalculation. */
export const Charge = defineEntity({
  name: 'Charge',
  tableName: 'charge',
  uniques: [{ properties: ['account', 'service', 'period', 'kind'] }],
  properties: {
    id: p.integer().primary(),
    account: () => p.manyToOne(Account).ref(),
    service: () => p.manyToOne(Service).ref(),
    period: p.date(),
    kind: p.enum([...CHARGE_KINDS]).default('accrual'),
    volume: milli(),
    tariff: kopecks(),
    amount: kopecks(),
    /** For a recalculation: the months it covers. */
    recalcFrom: p.date().nullable(),
    recalcTo: p.date().nullable(),
  },
});
export type Charge = InferEntity<typeof Charge>;

export const Payment = defineEntity({
  name: 'Payment',
  tableName: 'payment',
  uniques: [{ properties: ['account', 'ref'] }],
  indexes: [{ properties: ['account', 'receivedOn'] }],
  properties: {
    id: p.integer().primary(),
    account: () => p.manyToOne(Account).ref(),
    /** The billing system's document number: what makes an import idempotent. */
    ref: p.string().length(64),
    /** Вид оплаты as the billing system names it: «оплата "Город"», «Сбербанк Онлайн». */
    kind: p.text(),
    receivedOn: p.date(),
    processedOn: p.date().nullable(),
    amount: kopecks(),
  },
});
export type Payment = InferEntity<typeof Payment>;

/** Информационный листок: the month's balance of seed 000 §8. Positive debt, negative overpayment. */
export const Statement = defineEntity({
  name: 'Statement',
  tableName: 'statement',
  uniques: [{ properties: ['account', 'period'] }],
  checks: [{ name: 'statement_balances', expression: 'closing = opening + charged - benefits - paid' }],
  properties: {
    id: p.integer().primary(),
    account: () => p.manyToOne(Account).ref(),
    period: p.date(),
    opening: kopecks(),
    /** All charged in the month, recalculations included. */
    charged: kopecks(),
    /** The part of `charged` that is recalculation of earlier months. */
    recalculation: kopecks().default(0),
    volume: milli(),
    benefits: kopecks().default(0),
    paid: kopecks(),
    closing: kopecks(),
  },
});
export type Statement = InferEntity<typeof Statement>;

/**
 * «Детализация по услугам» (seeds 001/002, 004): the month's balance of one service of the
 * account, as the billing system keeps it. Positive debt, negative overpayment.
 */
export const ServiceStatement = defineEntity({
  name: 'ServiceStatement',
  tableName: 'service_statement',
  uniques: [{ properties: ['account', 'service', 'period'] }],
  checks: [{ name: 'service_statement_balances', expression: 'closing = opening + charged - benefits - paid' }],
  properties: {
    id: p.integer().primary(),
    account: () => p.manyToOne(Account).ref(),
    service: () => p.manyToOne(Service).ref(),
    period: p.date(),
    opening: kopecks(),
    /** All charged for the service in the month, recalculations included. */
    charged: kopecks(),
    /** The part of `charged` that is recalculation of earlier months. */
    recalculation: kopecks().default(0),
    benefits: kopecks().default(0),
    paid: kopecks(),
    closing: kopecks(),
  },
});
export type ServiceStatement = InferEntity<typeof ServiceStatement>;
