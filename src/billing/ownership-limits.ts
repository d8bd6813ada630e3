import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Account, OwnershipFailure } from '../../db/entities/index.ts';
import { claimant, type Claimant } from './actor.ts';
import { proveByAddress, proveByNumber, type OwnershipProof } from './accounts.ts';
import { flatKey, houseKey } from './normalize.ts';
import { fail, ok } from './result.ts';
import { branchCode, id, longNumber, optionalText, shortNumber, text } from './schemas.ts';
import { defineQuery } from './service.ts';

/**
 * How many failed checks of the right to an account (linking it, passing readings by its number
 * with house and flat) are allowed in 24 hours, whichever way is used:
 * - 10 by one person, whatever they try;
 * - 5 by one person on one account;
 * - 30 on one account by everybody together: a slower limit, so that strangers guessing cannot
 *   lock the owner out for long — the owner's own five tries stay theirs until then, and the
 *   branch's office (its phone is in the refusal) links the account in any case.
 * Kept in PostgreSQL, so a Redis restart forgets none of them.
 */
export const OWNERSHIP_LIMITS = { perPerson: 10, perPersonAndAccount: 5, perAccount: 30, windowHours: 24 } as const;

/**
 * The person trying, by their channel: a Telegram user (counted before any consent and across a
 * withdrawn one), or on the web the origin the front door gives (a hash of the client's address,
 * since anyone may sign up again), else the web resident's row.
 */
export const whoOf = (actor: Claimant): string =>
  actor.channel === 'telegram'
    ? `tg:${actor.telegramId}`
    : actor.origin
      ? `web:${actor.origin}`
      : actor.kind === 'resident'
        ? `web:r${actor.residentId}`
        : 'web:anonymous';

/** What the resident has typed so far that points at an account: a number, or an address with its flat. */
export const pointer = z.union([
  z.object({ longNumber }),
  z.object({ branchCode, shortNumber }),
  z.object({ branchCode, streetId: id, house: text(32), flat: optionalText(16) }),
]);
export type Pointer = z.output<typeof pointer>;

const BY_LONG_NUMBER = 'select id from account where long_number = ? limit 1';
const BY_SHORT_NUMBER = 'select a.id from account a join branch b on b.id = a.branch_id where b.code = ? and a.short_number = ? limit 1';

/**
 * The account a number or an address points at, before the surname (or PIN) is checked; null if
 * it points at none or at several (an address without its flat in a block of flats).
 */
export async function pointedAccount(em: EntityManager, p: Pointer): Promise<number | null> {
  // By number: one plain indexed statement (asked at every step of linking that names the account).
  if ('longNumber' in p || 'shortNumber' in p) {
    const [found] =
      'longNumber' in p
        ? await em.execute<{ id: number }[]>(BY_LONG_NUMBER, [p.longNumber])
        : await em.execute<{ id: number }[]>(BY_SHORT_NUMBER, [p.branchCode, p.shortNumber]);
    return found ? Number(found.id) : null;
  }
  const rows = await em.find(
    Account,
    { branch: { code: p.branchCode }, premise: { building: { street: p.streetId, houseKey: houseKey(p.house) } } },
    { populate: ['premise'], fields: ['id', 'premise.flat', 'premise.flatKey'], strategy: 'joined' },
  );
  const fk = flatKey(p.flat ?? null);
  const at = rows.filter((a) => a.premise.$.flatKey === fk || (fk !== '' && flatKey(a.premise.$.flat ?? null) === fk));
  return at.length === 1 ? at[0]!.id : null;
}

const UNTIL_SQL = `select
  (select at from ownership_failure where who = ? and at > ? order by at desc offset ? limit 1) as by_person,
  (select at from ownership_failure where who = ? and account_id = ? and at > ? order by at desc offset ? limit 1) as by_pair,
  (select at from ownership_failure where account_id = ? and at > ? order by at desc offset ? limit 1) as by_account`;

/** Until when `who` may not try (on this account, if one is known), or null if they may try now. One statement. */
export async function lockedUntil(em: EntityManager, who: string, accountId: number | null, now: Date): Promise<Date | null> {
  const L = OWNERSHIP_LIMITS;
  const windowMs = L.windowHours * 3_600_000;
  const since = new Date(now.getTime() - windowMs);
  const [row] = await em.execute<{ by_person: Date | null; by_pair: Date | null; by_account: Date | null }[]>(UNTIL_SQL, [
    who,
    since,
    L.perPerson - 1,
    who,
    accountId,
    since,
    L.perPersonAndAccount - 1,
    accountId,
    since,
    L.perAccount - 1,
  ]);
  const oldest = [row?.by_person, row?.by_pair, row?.by_account].filter((d): d is Date => d != null).map((d) => new Date(d).getTime());
  return oldest.length ? new Date(Math.max(...oldest) + windowMs) : null;
}

export async function recordFailure(em: EntityManager, who: string, accountId: number | null, now: Date) {
  await em.insert(OwnershipFailure, { who, account: accountId, at: now });
}

/** The right was shown: this person's failures on this account no longer count. */
export async function clearFailures(em: EntityManager, who: string, accountId: number) {
  await em.nativeDelete(OwnershipFailure, { who, account: accountId });
}

/**
 * Whether the resident may try now (on the account their input points at, if given): told before
 * the first question, and again once the number or address is typed, rather than after every field.
 * A read (no transaction): two round trips fewer at each step of linking that asks it.
 */
export const getOwnershipLock = defineQuery(z.object({ actor: claimant, target: pointer.optional() }), async (input, { em, now }) => {
  const accountId = input.target ? await pointedAccount(em, input.target) : null;
  const until = await lockedUntil(em, whoOf(input.actor), accountId, now);
  return ok({ until: until?.toISOString() ?? null });
});

/** The account a proof of linking points at (its number, or its address with the street picked). */
export async function pointedByProof(em: EntityManager, proof: OwnershipProof): Promise<number | null> {
  if (proof.by === 'address')
    return proof.streetId !== undefined
      ? pointedAccount(em, { branchCode: proof.branchCode, streetId: proof.streetId, house: proof.house, flat: proof.flat ?? null })
      : null;
  return pointedAccount(em, 'longNumber' in proof ? { longNumber: proof.longNumber } : { branchCode: proof.branchCode, shortNumber: proof.shortNumber });
}

/**
 * The one way a proof of linking is checked under the limits: refused at once while the one
 * trying (or the account) is locked, a failure counted (asking for the PIN is none), the
 * person's failures on the account forgotten once it is proven.
 */
export async function proveUnderLimits(em: EntityManager, actor: Claimant, proof: OwnershipProof, now: Date) {
  const who = whoOf(actor);
  const target = await pointedByProof(em, proof);
  const until = await lockedUntil(em, who, target, now);
  if (until) return fail({ code: 'ownership_locked' as const, until: until.toISOString() });
  const proven = proof.by === 'address' ? await proveByAddress(em, proof) : await proveByNumber(em, proof);
  if (!proven.ok) {
    if (proven.error.code !== 'pin_required') await recordFailure(em, who, target, now);
    return proven;
  }
  await clearFailures(em, who, proven.value.accountId);
  return proven;
}
