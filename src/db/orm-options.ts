import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { SeedManager } from '@mikro-orm/seeder';
import { fileURLToPath } from 'node:url';
import { entities } from '../../db/entities/index.ts';
import { migrationsList } from '../../db/migrations/index.ts';

const dbDir = fileURLToPath(new URL('../../db/', import.meta.url));

export interface OrmOptionsInput {
  clientUrl: string;
  /** The embedded PGlite server multiplexes one session: keep the pool at one connection. */
  poolMax?: number;
  debug?: boolean;
}

/** One place that says how the ORM talks to PostgreSQL; used by the app, the CLI and tests. */
export function ormOptions({ clientUrl, poolMax = 10, debug = false }: OrmOptionsInput): Options {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator, SeedManager],
    pool: { min: poolMax === 1 ? 1 : 0, max: poolMax },
    debug,
    // Never log parameters: they carry names, phones and addresses.
    logger: () => undefined,
    // Nor let the query builder's pool print to the console («Connection Error: …» while the
    // database restarts): the failing statement's error reaches the caller, who logs it structured.
    driverOptions: { log: { warn: () => undefined, error: () => undefined, deprecate: () => undefined, debug: () => undefined } },
    allowGlobalContext: false,
    forceUtcTimezone: true,
    preferTs: true,
    discovery: { warnWhenNoEntities: true },
    migrations: {
      path: `${dbDir}migrations`,
      pathTs: `${dbDir}migrations`,
      glob: 'Migration*.{js,ts}',
      migrationsList,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
    },
    seeder: { path: `${dbDir}seeders`, pathTs: `${dbDir}seeders`, emit: 'ts' },
  });
}
