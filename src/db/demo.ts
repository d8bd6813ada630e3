import { Account } from '../../db/entities/index.ts';
import { seedDemo, type DemoSeedResult } from '../../db/seeders/DemoSeeder.ts';
import type { Orm } from './orm.ts';

/** Fills the database with the demo data when it holds no account yet; returns what it made. */
export async function seedDemoIfEmpty(orm: Orm, now = new Date()): Promise<DemoSeedResult | null> {
  const em = orm.em.fork();
  if ((await em.count(Account, {})) > 0) return null;
  return em.transactional((tx) => seedDemo(tx, { now }));
}
