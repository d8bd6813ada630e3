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
    /** Аварийно-диспетчерская служба, round the clock: shown with every accident report. */
    dispatcherPhone: p.text().nullable(),
    /** Days an inspector visits, ISO weekdays (1 = Monday): «12345». */
    visitDays: p.string().length(7).default('12345'),
    /** Visiting hours, branch time: from `visitHourFrom`:00 to `visitHourTo`:00. */
    visitHourFrom: p.smallint().default(8),
    visitHourTo: p.smallint().default(17),
    /** When operators answer a resident's message (the «💬 Оператор» chat): ISO weekdays and hours, branch time; `daysOff` too. */
    workDays: p.string().length(7).default('12345'),
    workHourFrom: p.smallint().default(8),
    workHourTo: p.smallint().default(17),
    /** Working days within which an inspector comes or a meter is commissioned (seed 001: 15). */
    visitWithinDays: p.smallint().default(15),
    /** Public holidays when nobody visits, 'YYYY-MM-DD' separated by commas. */
    daysOff: p.text().nullable(),
    /** The operators' forum supergroup of this branch; null: the one for all (OPERATORS_CHAT_ID), if any. */
    operatorsChatId: p.bigint('number').nullable(),
    /** The area served: a circle around a point (an accident outside it is another utility's). */
    areaLatitude: p.decimal('number').precision(9).scale(6).nullable(),
    areaLongitude: p.decimal('number').precision(9).scale(6).nullable(),
    areaRadiusKm: p.smallint().nullable(),
  },
});
export type Branch = InferEntity<typeof Branch>;
