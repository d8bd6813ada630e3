import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';

/**
 * A person who has agreed to the processing of personal data (152-ФЗ): a Telegram user, or
 * someone who signed up on the web pages (no Telegram id; they sign in by their e-mail). Nothing
 * about a person is stored before that agreement: the row is created by the consent itself.
 */
export const Resident = defineEntity({
  name: 'Resident',
  tableName: 'resident',
  properties: {
    id: p.integer().primary(),
    telegramId: p.bigint('number').nullable().unique(),
    language: p.string().length(8).default('ru'),
    /** Which text of the consent was agreed to, and when. */
    consentVersion: p.string().length(32),
    consentAt: p.datetime(),
    activeAccount: () => p.manyToOne(Account).ref().nullable(),
    /** Confirmed by a code sent to it; receipts go here, and the web sign-in codes: one resident's only. */
    email: p.string().length(254).nullable().unique(),
    /** Shared with Telegram's contact button (their own contact only), digits with «+»; for requests. */
    phone: p.string().length(20).nullable(),
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

/**
 * A failed check of someone's right to an account (linking it, or passing readings by number,
 * house and flat), kept 24 hours for the limits (src/billing/ownership-limits.ts). `who` is the
 * channel's id of the person trying (`tg:<Telegram user id>`), so that it counts before any
 * consent and across a withdrawn one; `account` is the account the number or address pointed
 * at, if one did (null: nothing there at all).
 */
export const OwnershipFailure = defineEntity({
  name: 'OwnershipFailure',
  tableName: 'ownership_failure',
  indexes: [{ properties: ['who', 'at'] }, { properties: ['account', 'at'] }],
  properties: {
    id: p.bigint('number').primary(),
    who: p.string().length(64),
    account: () => p.manyToOne(Account).ref().nullable().deleteRule('cascade'),
    at: p.datetime(),
  },
});
export type OwnershipFailure = InferEntity<typeof OwnershipFailure>;

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

/**
 * A session of the web pages (src/billing/web-sessions.ts): the browser keeps a random token in
 * an HttpOnly cookie, the row keeps only its SHA-256, so a copy of the table signs nobody in. It
 * goes with its resident (withdrawing consent, whichever door), at sign-out, and after
 * `WEB_SESSION_IDLE_SECONDS` without a request.
 */
export const WebSession = defineEntity({
  name: 'WebSession',
  tableName: 'web_session',
  indexes: [{ properties: ['resident'] }, { properties: ['lastSeenAt'] }],
  properties: {
    tokenHash: p.string().length(64).primary(),
    resident: () => p.manyToOne(Resident).ref().deleteRule('cascade'),
    /** `new`: signed up, the e-mail still to confirm; `in`: signed in by an e-mail code. */
    stage: p.string().length(8),
    createdAt: p.datetime(),
    lastSeenAt: p.datetime(),
  },
});
export type WebSession = InferEntity<typeof WebSession>;
