import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../src/billing/import/index.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { FIXTURE_DIR } from './support/fixture.ts';

// The first load of a database (src/billing/import/stage.ts, «The first load»): empty tables are
// written without their keys, indexes and foreign keys, which are then put back as they were.

const TABLES = ['account', 'meter', 'reading', 'charge', 'payment', 'statement', 'service_statement'];

interface Key {
  table: string;
  name: string;
  def: string;
  /** Changes when the index or constraint is dropped and made again. */
  oid: number;
  valid: boolean;
}

async function keysOf(db: TestDatabase): Promise<Key[]> {
  const list = TABLES.map((t) => `'${t}'::regclass`).join(', ');
  const rows = (await db.orm.em.getConnection().execute(
    `select conrelid::regclass::text as "table", 'constraint ' || conname as name, pg_get_constraintdef(oid) as def, oid::int as oid, convalidated as valid
       from pg_constraint where conrelid in (${list})
     union all
     select i.indrelid::regclass::text, 'index ' || c.relname, pg_get_indexdef(i.indexrelid), i.indexrelid::int, i.indisvalid
       from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid in (${list})
     order by 1, 2, 3`,
  )) as Key[];
  return rows;
}
const shape = (keys: Key[]) => keys.map(({ table, name, def, valid }) => ({ table, name, def, valid }));
const oids = (keys: Key[]) => new Map(keys.map((k) => [`${k.table}.${k.name}`, k.oid]));

async function rowCount(db: TestDatabase, table: string) {
  const [row] = (await db.orm.em.getConnection().execute(`select count(*)::int as n from ${table}`)) as { n: number }[];
  return row!.n;
}

async function scratch(files: Record<string, string>) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'import-first-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

describe('the first load of a database', { timeout: 120_000 }, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => db.drop());

  it('writes every row, then has every key, index and foreign key back as the migrations made them', async () => {
    const before = await keysOf(db);
    expect(before.filter((k) => k.def.startsWith('FOREIGN KEY')).length).toBeGreaterThan(5);
    const report = await importFiles(db.orm, [FIXTURE_DIR]);
    expect(report.errors).toEqual([]);
    expect(report.committed).toBe(true);
    const after = await keysOf(db);
    expect(shape(after)).toEqual(shape(before));
    // Set aside and put back: the loaded tables' unique keys and foreign keys are new objects.
    const was = oids(before);
    const remade = after.filter((k) => was.get(`${k.table}.${k.name}`) !== k.oid).map((k) => `${k.table}.${k.name}`);
    expect(remade).toContain('charge.constraint charge_account_id_service_id_period_kind_unique');
    expect(remade).toContain('charge.constraint charge_account_id_foreign');
    expect(remade).toContain('reading.index reading_current_unique');
    // A primary key no foreign key refers to is set aside too; one referred to stays.
    expect(remade).toContain('charge.constraint charge_pkey');
    expect(remade).toContain('reading.constraint reading_pkey');
    expect(remade).not.toContain('account.constraint account_pkey');
    expect(remade).not.toContain('meter.constraint meter_pkey');
    for (const table of ['account', 'meter', 'reading', 'charge', 'payment', 'statement']) {
      const kind = table as 'account';
      expect(await rowCount(db, table), table).toBe(report.counts[kind]!.inserted);
      expect(report.counts[kind]!.inserted, table).toBeGreaterThan(0);
    }

    // The next import finds accounts: it writes through the keys, which stay the same objects.
    const dir = await scratch({
      'payments.csv': 'account;ref;kind;received_on;processed_on;amount\n002901800602302;FIRST-1;касса;2026-11-01;;10\n',
    });
    const next = await importFiles(db.orm, [dir]);
    expect(next.counts.payment).toEqual({ read: 1, inserted: 1, updated: 0, unchanged: 0 });
    expect(oids(await keysOf(db))).toEqual(oids(after));
    // The keys are enforced again: the same payment written by hand is refused.
    await expect(
      db.orm.em
        .getConnection()
        .execute(
          `insert into payment (account_id, ref, kind, received_on, amount) select account_id, ref, kind, received_on, amount from payment where ref = 'FIRST-1'`,
        ),
    ).rejects.toThrow(/payment_account_id_ref_unique/);
    await expect(
      db.orm.em.getConnection().execute(`insert into charge (account_id, service_id, period, kind, volume, tariff, amount)
      select 999999, service_id, period, kind, volume, tariff, amount from charge limit 1`),
    ).rejects.toThrow(/charge_account_id_foreign/);
  });
});

describe('a first load that fails', { timeout: 120_000 }, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase();
  });
  afterAll(async () => db.drop());

  /** Imports the files into the empty database: nothing is committed, the errors are these, the tables stay empty and their keys as they were. */
  async function refused(files: Record<string, string>, errors: string[]) {
    const before = await keysOf(db);
    const report = await importFiles(db.orm, [await scratch(files)]);
    expect(report.committed).toBe(false);
    expect(report.errors.map((e) => `${path.basename(e.file)}:${e.line} ${e.field}: ${e.reason}`)).toEqual(errors);
    expect(await keysOf(db)).toEqual(before);
    for (const table of TABLES) expect(await rowCount(db, table), table).toBe(0);
  }

  it('leaves the tables empty and their keys untouched', async () => {
    await refused(
      {
        'accounts.csv':
          'branch;long_number;short_number;settlement;street;house;flat;owner_full_name\n' +
          'alpha;002901800600001;600001;г. Ессентуки;ул. Мира;1;1;ИВАНОВ ИВАН ИВАНОВИЧ\n',
        'branches.csv': 'code;name;timezone\nalpha;Ессентукский «Водоканал»;Europe/Moscow\n',
        'charges.csv':
          'account;service;period;kind;volume;tariff;amount\n' +
          '002901800600001;cold_water;2026-10;accrual;1;48,14;48,14\n' +
          '002901800699999;cold_water;2026-10;accrual;1;48,14;48,14\n',
      },
      ['charges.csv:3 account: no account 002901800699999'],
    );
  });

  // With repeated rows (the database is still empty): the shortcut (no row-by-row checks; the
  // rebuilt keys and the count vouch) is undone, and the checks report each repeated row as they
  // do on a loaded database.
  it('reports each repeated row by line, and changes nothing', async () => {
    await refused(
      {
        'branches.csv': 'code;name;timezone\nalpha;Ессентукский «Водоканал»;Europe/Moscow\n',
        'accounts.csv':
          'branch;long_number;short_number;settlement;street;house;flat;owner_full_name\n' +
          'alpha;002901800600001;600001;г. Ессентуки;ул. Мира;1;1;ИВАНОВ ИВАН ИВАНОВИЧ\n' +
          'alpha;002901800600002;600001;г. Ессентуки;ул. Мира;1;2;ПЕТРОВ ПЁТР ПЕТРОВИЧ\n',
        'meters.csv': 'account;serial;service;installed_on;verification_due\n002901800600001;M-1;cold_water;2020-01-01;2030-01-01\n',
        'readings.csv':
          'account;meter;taken_on;value;source\n' +
          '002901800600001;M-1;2026-10-20;12.500;receipt\n' +
          '002901800600001;M-1;2026-10-20;13.000;receipt\n' +
          '002901800600001;M-1;2026-11-20;14.000;receipt\n',
        'charges.csv':
          'account;service;period;kind;volume;tariff;amount\n' +
          '002901800600001;cold_water;2026-10;accrual;1;48.14;48.14\n' +
          '002901800600001;cold_water;2026-10;accrual;2;48.14;96.28\n',
      },
      [
        'accounts.csv:3 short_number: the same account as line 2',
        'readings.csv:3 (row): the same reading as line 2',
        'charges.csv:3 (row): the same charge as line 2',
      ],
    );
  });
});
