import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../src/billing/import/index.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { FIXTURE_DIR } from './support/fixture.ts';

// The same export again (src/billing/import/index.ts): the files of the last committed import, with
// nothing written since, are recognised and nothing is read; any change of a file, any write by
// someone else (committed after that import began), and the rows are read and compared as always.

let db: TestDatabase;
let dir: string;
const sql = <T = Record<string, unknown>>(text: string) => db.orm.em.getConnection().execute(text) as Promise<T[]>;
const ACC = '002901800602302';
const chargeOfOctober = async () =>
  (
    await sql<{ amount: string }>(
      `select c.amount::text from charge c join account a on a.id = c.account_id join service s on s.id = c.service_id
       where a.long_number = '${ACC}' and c.period = '2026-10-01' and s.code = 'cold_water' and c.kind = 'accrual'`,
    )
  )[0]?.amount;

beforeAll(async () => {
  db = await freshDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'import-same-'));
  await cp(FIXTURE_DIR, dir, { recursive: true });
  const first = await importFiles(db.orm, [dir]);
  expect(first).toMatchObject({ committed: true, errorCount: 0, sameExport: false });
});
afterAll(async () => db.drop());

describe('the same export again', () => {
  it("is recognised when nothing was written since: nothing is read, the counts are the last import's", async () => {
    const report = await importFiles(db.orm, [dir]);
    expect(report).toMatchObject({ committed: true, errorCount: 0, sameExport: true });
    expect(report.counts.account).toEqual({ read: 4, inserted: 0, updated: 0, unchanged: 4 });
    expect(report.counts.charge?.read).toBeGreaterThan(0);
    // A dry run of it says the same.
    expect(await importFiles(db.orm, [dir], { dryRun: true })).toMatchObject({ sameExport: true, committed: false, dryRun: true, errorCount: 0 });
  });

  it('is read again after a write by someone else, which it then undoes where the files say otherwise', async () => {
    const billed = await chargeOfOctober();
    expect(billed).toBeDefined();
    // The bot (or anyone) changes a charge the export holds.
    await sql(`update charge c set amount = amount + 1 from account a, service s
      where a.id = c.account_id and s.id = c.service_id and a.long_number = '${ACC}' and c.period = '2026-10-01' and s.code = 'cold_water' and c.kind = 'accrual'`);
    expect(await chargeOfOctober()).not.toBe(billed);
    const report = await importFiles(db.orm, [dir]);
    expect(report.sameExport).toBe(false);
    expect(report.counts.charge?.updated).toBe(1);
    expect(await chargeOfOctober()).toBe(billed);
    // Then, with nothing written since, it is the same export again.
    expect((await importFiles(db.orm, [dir])).sameExport).toBe(true);
  });

  it('is read again when one byte of one file differs, or with a PIN key', async () => {
    const file = path.join(dir, 'tariffs.csv');
    const text = await readFile(file, 'utf8');
    await writeFile(file, `${text.trimEnd()}\n\n`); // a blank line more: the same rows, other bytes
    const changed = await importFiles(db.orm, [dir]);
    expect(changed).toMatchObject({ sameExport: false, committed: true, errorCount: 0 });
    expect(Object.values(changed.counts).every((c) => c.inserted + c.updated === 0)).toBe(true);
    expect((await importFiles(db.orm, [dir])).sameExport).toBe(true);
    expect((await importFiles(db.orm, [dir], { pinKey: 'a-key-for-the-pin-fingerprints-of-this-test-0123' })).sameExport).toBe(false);
  });

  it('is read again after a write that began before the last import and was committed after it', async () => {
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      // Another transaction writes a reading the import does not touch, and stays open across an import.
      await other.query('begin');
      await other.query(
        `insert into reading (meter_id, value, taken_on, source, period)
         select m.id, 999, date '2026-11-28', 'telegram', date '2026-12-01' from meter m join account a on a.id = m.account_id
         where a.long_number = '${ACC}' order by m.id limit 1`,
      );
      const during = await importFiles(db.orm, [dir], { pinKey: null });
      expect(during).toMatchObject({ sameExport: false, committed: true, errorCount: 0 });
      await other.query('commit');
      // That import could not see the reading: the database is not what it left, so the next one reads.
      expect((await importFiles(db.orm, [dir])).sameExport).toBe(false);
      expect((await importFiles(db.orm, [dir])).sameExport).toBe(true);
    } finally {
      await other.end();
    }
  });

  it('has every table the import writes watched by the trigger that notes other writers', async () => {
    // The tables named by the import's SQL (src/billing/import/*.ts), its own working tables aside.
    const folder = path.resolve(import.meta.dirname, '../src/billing/import');
    const named = new Set<string>();
    for (const file of (await readdir(folder)).filter((f) => f.endsWith('.ts'))) {
      const text = await readFile(path.join(folder, file), 'utf8');
      for (const m of text.matchAll(/(?:insert into|update|delete from)\s+([a-z_]+)\b|table: '([a-z_]+)'|dictionarySql\('([a-z_]+)'/g))
        named.add((m[1] ?? m[2] ?? m[3])!);
    }
    // Of those words, the tables of the schema (a comment's «update that …» names none).
    const tables = new Set((await sql<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public'`)).map((t) => t.name));
    const targets = [...named].filter((t) => tables.has(t) && !/^import_/.test(t) && t !== 'billing_write').sort();
    expect(targets).toEqual(expect.arrayContaining(['account', 'charge', 'meter', 'outage', 'premise', 'reading', 'statement', 'tariff']));
    const watched = await sql<{ table: string }>(
      `select tgrelid::regclass::text as table from pg_trigger where tgname like '%\\_billing\\_write' and not tgisinternal`,
    );
    expect(targets.filter((t) => !watched.some((w) => w.table === t))).toEqual([]);
  });

  it('is not recorded by a run with errors', async () => {
    const bad = await mkdtemp(path.join(os.tmpdir(), 'import-same-bad-'));
    await cp(dir, bad, { recursive: true });
    await writeFile(path.join(bad, 'norms.csv'), `${(await readFile(path.join(bad, 'norms.csv'), 'utf8')).trimEnd()}\nnot;a;norm\n`);
    for (let i = 0; i < 2; i++) expect(await importFiles(db.orm, [bad])).toMatchObject({ committed: false, sameExport: false });
  });
});
