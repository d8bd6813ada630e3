import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { AccountLink, Resident } from './resident.ts';

/**
 * An e-mail address the resident typed and has not confirmed yet, with the code sent to it.
 * Only a hash of the code is kept; one pending address per resident.
 */
export const EmailConfirmation = defineEntity({
  name: 'EmailConfirmation',
  tableName: 'email_confirmation',
  properties: {
    id: p.integer().primary(),
    resident: () => p.oneToOne(Resident).owner().ref().unique().deleteRule('cascade'),
    address: p.string().length(254),
    codeHash: p.string().length(64),
    expiresAt: p.datetime(),
    /** Wrong codes typed for this code. */
    attempts: p.smallint().default(0),
    /** Codes sent since `windowStartedAt` (a day): a limit on letters to someone else's inbox. */
    codesSent: p.smallint().default(1),
    windowStartedAt: p.datetime(),
  },
});
export type EmailConfirmation = InferEntity<typeof EmailConfirmation>;

/**
 * «Подписаться на рассылку» (seed 003): each new month's receipt of a linked account goes to the
 * resident's confirmed address. Goes with the link when the account is unlinked.
 */
export const ReceiptSubscription = defineEntity({
  name: 'ReceiptSubscription',
  tableName: 'receipt_subscription',
  properties: {
    id: p.integer().primary(),
    link: () => p.oneToOne(AccountLink).owner().ref().unique().deleteRule('cascade'),
    /** In every letter's unsubscribe link: works without logging in, and for nothing else. */
    token: p.string().length(43).unique(),
    /** The newest statement when subscribing: later months are mailed. */
    sinceMonth: p.date().nullable(),
    createdAt: p
      .datetime()
      .defaultRaw('now()')
      .onCreate(() => new Date()),
  },
});
export type ReceiptSubscription = InferEntity<typeof ReceiptSubscription>;
