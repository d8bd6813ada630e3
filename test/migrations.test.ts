import pg from 'pg';
import { afterAll, describe, expect, it, inject } from 'vitest';
import { migrationsList } from '../db/migrations/index.ts';
import { migrate, openOrm, type Orm } from '../src/db/orm.ts';

const server = inject('pgServer');
const name = `${inject('templateDb')}_empty_${process.pid}`;
const orms: Orm[] = [];

afterAll(async () => {
  await Promise.all(orms.map((o) => o.close()));
  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
});

describe('migrations', () => {
  it('four instances starting at once on an empty database: one applies each migration, none fails', async () => {
    const admin = new pg.Client({ connectionString: `${server}/postgres` });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    await admin.end();
    for (let i = 0; i < 4; i++) orms.push(await openOrm(`${server}/${name}`, 4));
    const results = await Promise.allSettled(orms.map((o) => migrate(o)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    const applied = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    expect(applied.sort()).toEqual(migrationsList.map((m) => m.name).sort());
    const [row] = await orms[0]!.em.fork().execute<{ n: string }[]>('select count(*) as n from mikro_orm_migrations');
    expect(Number(row!.n)).toBe(migrationsList.length);
  });
});
