import type { Config } from '../config.ts';
import { safeUrl, type Logger } from '../logger.ts';
import { startEmbeddedPostgres } from './embedded.ts';
import { migrate, openOrm, type Orm } from './orm.ts';

export interface Database {
  orm: Orm;
  /** Where it runs, safe to print. */
  where: string;
  /** The connection string (for pg-boss, which keeps its jobs in the same database); not for logs. */
  url: string;
  /** Connections another client (pg-boss) may open beside the ORM's: 1 on the embedded database. */
  poolMax: number;
  close(): Promise<void>;
}

/** Opens the configured PostgreSQL (or starts the embedded one) and applies pending migrations. */
export async function connectDatabase(config: Config, log: Logger): Promise<Database> {
  if (config.database.kind === 'postgres') {
    const orm = await openOrm(config.database.url);
    await applyMigrations(orm, log);
    return { orm, where: safeUrl(config.database.url), url: config.database.url, poolMax: 4, close: () => orm.close() };
  }
  const embedded = await startEmbeddedPostgres(config.database.dataDir);
  const orm = await openOrm(embedded.url, 1);
  await applyMigrations(orm, log);
  return {
    orm,
    where: `embedded PGlite in ${config.database.dataDir}/pglite (served at ${embedded.url})`,
    url: embedded.url,
    poolMax: 1,
    async close() {
      await orm.close();
      await embedded.stop();
    },
  };
}

async function applyMigrations(orm: Orm, log: Logger) {
  const applied = await migrate(orm);
  if (applied.length) log.info({ migrations: applied }, 'migrations applied');
}
