import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { Account } from '../../db/entities/index.ts';
import { flatKey, houseKey } from './normalize.ts';
import { longNumber } from './schemas.ts';

/**
 * Seeds 001/002 «Передать показания без регистрации»: the account number with the house and the
 * flat it belongs to. Enough to pass readings, and nothing else about the account.
 */
export const placeProof = z.object({
  longNumber,
  house: z.string().trim().min(1).max(32),
  flat: z.string().trim().max(16).nullable().optional(),
});
export type PlaceProof = z.output<typeof placeProof>;

/** The account's id when the number, house and flat belong together; a room matches without its prefix. */
export async function proveByPlace(em: EntityManager, proof: PlaceProof): Promise<number | null> {
  const account = await em.findOne(Account, { longNumber: proof.longNumber }, { populate: ['premise.building'], strategy: 'joined' });
  if (!account) return null;
  const premise = account.premise.$;
  const fk = flatKey(proof.flat ?? null);
  const flatOk = premise.flatKey === fk || (fk !== '' && flatKey(premise.flat ?? null) === fk);
  return premise.building.$.houseKey === houseKey(proof.house) && flatOk ? account.id : null;
}
