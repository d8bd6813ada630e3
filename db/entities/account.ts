import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Branch } from './branch.ts';
import { Premise } from './address.ts';

/** Лицевой счёт. */
export const Account = defineEntity({
  name: 'Account',
  tableName: 'account',
  uniques: [{ properties: ['branch', 'shortNumber'] }],
  indexes: [{ properties: ['premise'] }],
  properties: {
    id: p.integer().primary(),
    branch: () => p.manyToOne(Branch).ref(),
    premise: () => p.manyToOne(Premise).ref(),
    /** 15 digits, unique in the region; printed on receipts. */
    longNumber: p.string().length(15).unique(),
    /** Unique within the branch. */
    shortNumber: p.string().length(15),
    ownerFullName: p.text(),
    /** Owner's surname, lower case, ё→е: the secret a resident proves when linking. */
    ownerSurnameKey: p.text(),
    residents: p.smallint().default(0),
    /** m², exact, as text («73.50»). */
    area: p.decimal('string').precision(10).scale(2).nullable(),
    phone: p.text().nullable(),
    email: p.text().nullable(),
    /** scrypt hash of the account PIN for the personal cabinet (seed 000 §4). */
    pinHash: p.text().nullable().hidden(),
    /** Keyed fingerprint of the PIN (src/billing/pin.ts): the import's way to see it unchanged without scrypt. */
    pinFingerprint: p.text().nullable().hidden().default(null),
    /** Norm category (Norm.code) the account is billed by without meters. */
    normCode: p.string().length(32).nullable(),
    /** As the billing system has it (the import). */
    paperReceiptOptOut: p.boolean().default(false),
    /**
     * «Отказ от бумажного носителя» chosen in the bot (seed 002), for the billing system to load
     * (`npm run export -- paper-optout`); null while never chosen. On only with a receipt subscription.
     */
    paperOptOutChosen: p.boolean().nullable(),
    paperOptOutChangedAt: p.datetime().nullable(),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type Account = InferEntity<typeof Account>;
