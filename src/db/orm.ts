import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from './orm-options.ts';

export type Orm = MikroORM;

export async function openOrm(clientUrl: string, poolMax = 10): Promise<Orm> {
  return MikroORM.init(ormOptions({ clientUrl, poolMax }));
}

/** Applies every pending migration; returns the names applied. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
