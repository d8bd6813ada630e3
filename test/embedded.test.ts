import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { migrate, openOrm } from '../src/db/orm.ts';
import { migrationsList } from '../db/migrations/index.ts';
import { createBilling } from '../src/billing/index.ts';
import { createJobRunner } from '../src/jobs/runner.ts';
import { createLogger } from '../src/logger.ts';

describe('embedded PostgreSQL (the default without DATABASE_URL)', () => {
  it('runs the same driver and migrations, and keeps its data across restarts', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pglite-'));
    try {
      let pg = await startEmbeddedPostgres(dir);
      expect(pg.url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      let orm = await openOrm(pg.url, 1);
      expect(await migrate(orm)).toEqual(migrationsList.map((m) => m.name));
      await orm.em.getConnection().execute(`insert into branch (code, name) values ('t', 'Test')`);
      // pg_trgm is loaded into PGlite: the typo-tolerant street search runs there as on a server.
      await orm.em
        .getConnection()
        .execute(
          `insert into settlement (branch_id, name) select id, 'г. Тест' from branch where code = 't'; insert into street (settlement_id, name, search_key) select id, 'ул. Королёва', 'королева' from settlement`,
        );
      const found = await createBilling({ orm }).accounts.searchStreets({ branchCode: 't', query: 'Каралёва' });
      expect(found).toMatchObject({ ok: true, value: [{ name: 'ул. Королёва', settlement: 'г. Тест' }] });
      // PL/pgSQL runs there too: the reading submission's functions (readings.ts) answer.
      expect(await orm.em.getConnection().execute(`select readings_state(0, null, true) as state`)).toEqual([{ state: null }]);
      await orm.close();
      await pg.stop();

      pg = await startEmbeddedPostgres(dir);
      orm = await openOrm(pg.url, 1);
      expect(await migrate(orm)).toEqual([]);
      const rows = await orm.em.getConnection().execute(`select code from branch union all select code::text from service order by 1`);
      expect(rows.map((r) => r.code)).toEqual(['cold_water', 'hot_water', 'sewerage', 't']);
      await orm.close();
      await pg.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('runs the job runner beside the ORM (a pool of one each), a transaction of one not broken by the other', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pglite-jobs-'));
    const pg = await startEmbeddedPostgres(dir);
    const orm = await openOrm(pg.url, 1);
    const runner = createJobRunner({ url: pg.url, poolMax: 1, log: createLogger('silent'), pollingIntervalSeconds: 0.5 });
    try {
      await migrate(orm);
      const billing = createBilling({ orm });
      const done: number[] = [];
      await runner.start({
        // A job that uses the billing services (a write in a transaction) while pg-boss polls and completes jobs.
        'mailing.monthly': async () => {
          const planned = await billing.mailings.plan({ limit: 10 });
          done.push(planned.ok ? planned.value.planned : -1);
        },
      });
      for (let i = 0; i < 3; i++) await runner.jobs.send('mailing.monthly', {});
      await runner.drained(undefined, 30_000);
      expect(done).toEqual([0, 0, 0]);
      expect(runner.state).toBe('up');
    } finally {
      await runner.stop();
      await orm.close();
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
