import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A branch (филиал) of the utility: its own streets, window for readings and payee details. */
export const Branch = defineEntity({
  name: 'Branch',
  tableName: 'branch',
  properties: {
    id: p.integer().primary(),
    code: p.string().length(32).unique(),
    name: p.text(),
    timezone: p.string().length(64).default('Europe/Moscow'),
    /** First and last day of the month when readings count for the current period (ПП 354: 20–25 by default). */
    readingDayFrom: p.smallint().default(20),
    readingDayTo: p.smallint().default(25),
    phones: p.text().nullable(),
    address: p.text().nullable(),
    hours: p.text().nullable(),
    email: p.text().nullable(),
    /** Whether linking an account also asks the account PIN issued at the office (seed 000 §4). */
    requiresPin: p.boolean().default(false),
    payeeName: p.text().nullable(),
    payeeInn: p.string().length(12).nullable(),
    payeeKpp: p.string().length(9).nullable(),
    bankName: p.text().nullable(),
    bankBic: p.string().length(9).nullable(),
    bankAccount: p.string().length(20).nullable(),
    bankCorrAccount: p.string().length(20).nullable(),
  },
});
export type Branch = InferEntity<typeof Branch>;
