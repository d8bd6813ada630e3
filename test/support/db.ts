import { inject } from 'vitest';
import pg from 'pg';
import { openOrm, type Orm } from '../../src/db/orm.ts';

export interface TestDatabase {
  orm: Orm;
  url: string;
  name: string;
  drop(): Promise<void>;
}

let counter = 0;

/** A database of its own for one test file, cloned from the migrated template. */
export async function freshDatabase(): Promise<TestDatabase> {
  const server = inject('pgServer');
  const template = inject('templateDb');
  const name = `${template}_${process.pid}_${++counter}`;
  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  try {
    await admin.query(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  const url = `${server}/${name}`;
  const orm = await openOrm(url, 4);
  return {
    orm,
    url,
    name,
    async drop() {
      await orm.close();
      const a = new pg.Client({ connectionString: `${server}/postgres` });
      await a.connect();
      await a.query(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}
