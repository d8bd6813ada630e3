import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from './orm-options.ts';

export type Orm = MikroORM;

export async function openOrm(clientUrl: string, poolMax = 10): Promise<Orm> {
  return MikroORM.init(ormOptions({ clientUrl, poolMax }));
}

/** The key of the advisory lock under which migrations run (any number; the same for every instance). */
export const MIGRATION_LOCK = 42_073_112_026;

/**
 * Applies every pending migration; returns the names applied. Under a PostgreSQL advisory lock,
 * so that any number of instances may start at once on an empty database: the first applies
 * them, the others wait for it and then find nothing pending. The lock belongs to a transaction
 * of its own, held open on one connection while the migrator works on another (the migrator makes
 * its table before its own transaction begins, so its transaction cannot hold the lock). A pool of
 * one connection (the embedded database, one instance by nature) runs without it.
 */
export async function migrate(orm: Orm): Promise<string[]> {
  const run = async () => (await orm.getMigrator().up()).map((m) => m.name);
  const pool = orm.config.get('pool');
  if ((pool?.max ?? 2) < 2) return run();
  return orm.em.fork().transactional(async (em) => {
    await em.execute('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    return run();
  });
}
