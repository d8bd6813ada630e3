import { z } from 'zod';
import { branchCode, id, telegramId } from './schemas.ts';

/**
 * Who is acting: every service that shows or changes a resident's data is told who asks, and
 * decides itself whether they may. A resident is known by the channel they came through (a
 * Telegram user, or a web sign-in by e-mail code); an operator by the branches they serve.
 */
export const telegramResident = z.object({ kind: z.literal('resident'), channel: z.literal('telegram'), telegramId });
/** An operator; at the Telegram desk `operatorId` is the operator's Telegram user id. */
export const operatorActor = z.object({ kind: z.literal('operator'), operatorId: id, branchCodes: z.array(branchCode).min(1).max(100) });

/**
 * Someone on the web pages who has not signed in: accepted only where the input carries its own
 * proof (the account's number with its house and flat, seeds 001/002); never a resident's data.
 */
/**
 * Where a web actor comes from, as the front door names it (a hash of the client's address):
 * the failed ownership checks are counted by it (ownership-limits.ts), since anyone can sign up again.
 */
const origin = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/)
  .optional();
export const webVisitor = z.object({ kind: z.literal('visitor'), channel: z.literal('web'), origin });

/** A resident signed in on the web pages (by an e-mail code): known by their row, which the sign-up created. */
export const webResident = z.object({ kind: z.literal('resident'), channel: z.literal('web'), residentId: id, origin });

export const residentActor = z.union([telegramResident, webResident]);
export const actor = z.union([residentActor, operatorActor, webVisitor]);

export type ResidentActor = z.output<typeof residentActor>;
export type TelegramResidentActor = z.output<typeof telegramResident>;
export type OperatorActor = z.output<typeof operatorActor>;
export type Actor = z.output<typeof actor>;
export type VisitorActor = z.output<typeof webVisitor>;

/** A visitor of the web pages who has not signed in. */
export const viaWebVisitor = (from?: string): VisitorActor => ({ kind: 'visitor', channel: 'web', ...(from ? { origin: from } : {}) });

/** The resident signed in on the web pages as resident row `residentId` (from `from`, the hash of their address). */
export const viaWeb = (residentId: number, from?: string): ResidentActor => ({
  kind: 'resident',
  channel: 'web',
  residentId,
  ...(from ? { origin: from } : {}),
});

/** Those who may try to show an account is theirs: a resident of either channel, or a web visitor. */
export const claimant = z.union([residentActor, webVisitor]);
export type Claimant = z.output<typeof claimant>;

/** The resident writing from Telegram user `telegramId`. */
export const viaTelegram = (tid: number): TelegramResidentActor => ({ kind: 'resident', channel: 'telegram', telegramId: tid });

/** An operator acting in the operators' group of Telegram: the branches are those the group serves. */
export const operatorViaTelegram = (tid: number, branchCodes: string[]): OperatorActor => ({ kind: 'operator', operatorId: tid, branchCodes });

/** How the resident row of a resident actor is found: the one place that knows the channels. */
export const residentWhere = (a: ResidentActor): { telegramId: number } | { id: number } =>
  a.channel === 'telegram' ? { telegramId: a.telegramId } : { id: a.residentId };

/** The key by which the batched lookups of residents find one: `t<telegram id>` or `r<resident id>`. */
export const residentKey = (a: ResidentActor): string => (a.channel === 'telegram' ? `t${a.telegramId}` : `r${a.residentId}`);

/** How the resident is named where the product keeps who did something (a reading passed, a status change). */
export const channelIdOf = (a: ResidentActor): string => (a.channel === 'telegram' ? `telegram:${a.telegramId}` : `web:${a.residentId}`);

/** The Telegram user behind a resident actor, or null for one of the web pages (the operators' chat is Telegram's). */
export const telegramIdOf = (a: ResidentActor): number | null => (a.channel === 'telegram' ? a.telegramId : null);
