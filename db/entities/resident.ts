import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';

/**
 * A Telegram user who has agreed to the processing of personal data (152-ФЗ). Nothing about
 * a user is stored before that agreement: the row is created by the consent itself.
 */
export const Resident = defineEntity({
  name: 'Resident',
  tableName: 'resident',
  properties: {
    id: p.integer().primary(),
    telegramId: p.bigint('number').unique(),
    language: p.string().length(8).default('ru'),
    /** Which text of the consent was agreed to, and when. */
    consentVersion: p.string().length(32),
    consentAt: p.datetime(),
    activeAccount: () => p.manyToOne(Account).ref().nullable(),
    /** Confirmed by a code sent to it; receipts go here. */
    email: p.string().length(254).nullable(),
    blocked: p.boolean().default(false),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
});
export type Resident = InferEntity<typeof Resident>;

/** An account a resident has proven to be theirs. */
export const AccountLink = defineEntity({
  name: 'AccountLink',
  tableName: 'account_link',
  uniques: [{ properties: ['resident', 'account'] }],
  indexes: [{ properties: ['account'] }],
  properties: {
    id: p.integer().primary(),
    resident: () => p.manyToOne(Resident).ref().deleteRule('cascade'),
    account: () => p.manyToOne(Account).ref(),
    linkedAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
});
export type AccountLink = InferEntity<typeof AccountLink>;

/** The reminders a resident writes with the bot: the reading window and the meters' verification. */
export const REMINDER_KINDS = ['reading_window', 'verification'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** A reminder a resident turned off for one account («Не напоминать», or Settings); on by default. */
export const ReminderOptOut = defineEntity({
  name: 'ReminderOptOut',
  tableName: 'reminder_opt_out',
  uniques: [{ properties: ['resident', 'account', 'kind'] }],
  properties: {
    id: p.integer().primary(),
    resident: () => p.manyToOne(Resident).ref().deleteRule('cascade'),
    account: () => p.manyToOne(Account).ref().deleteRule('cascade'),
    kind: p.string().length(32),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
});
export type ReminderOptOut = InferEntity<typeof ReminderOptOut>;
