import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { migrate, openOrm } from '../../src/db/orm.ts';

export const SERVER = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: string;
    pgServer: string;
  }
}

/** One migrated template database per run; each test file clones it (CREATE DATABASE … TEMPLATE). */
export default async function setup(project: TestProject) {
  const name = `vodokanal_test_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const orm = await openOrm(`${SERVER}/${name}`, 2);
  await migrate(orm);
  await orm.close();
  project.provide('templateDb', name);
  project.provide('pgServer', SERVER);
  return async () => {
    const clones = await admin.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${name}%`]);
    for (const { datname } of clones.rows) await admin.query(`drop database if exists "${datname}" with (force)`);
    await admin.end();
  };
}
