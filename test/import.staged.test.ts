import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../src/billing/import/index.ts';
import { pinFingerprint, verifyPin } from '../src/billing/pin.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { FIXTURE_DIR } from './support/fixture.ts';

// The staged kinds (src/billing/import/stage.ts): duplicates, references and counts found set-based
// across batches and files, whatever the order of the rows; PINs by their keyed fingerprint.

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  const first = await importFiles(db.orm, [FIXTURE_DIR]);
  expect(first.errors).toEqual([]);
});
afterAll(async () => db.drop());

const sql = <T>(text: string) => db.orm.em.getConnection().execute(text) as Promise<T[]>;

async function scratch(files: Record<string, string>) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'import-staged-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

const ACC = '002901800602302';
const KEY = 'a-test-key-for-the-pin-fingerprints-0123456789';

// Several imports a test, on a shared machine: more time than the default.
describe('import of the staged kinds', { timeout: 120_000 }, () => {
  it('finds a repeated row in another batch and in another file, names the first, and changes nothing', async () => {
    const header = 'account;service;period;kind;volume;tariff;amount';
    const row = (period: string) => `${ACC};cold_water;${period};accrual;1;48,14;48,14`;
    const dir = await scratch({
      'charges.csv': [header, row('2030-01'), row('2030-02'), row('2030-03'), row('2030-01')].join('\n'),
      'charges_2.csv': [header, row('2030-04'), row('2030-02')].join('\n'),
    });
    const before = await sql<{ n: number }>(`select count(*)::int as n from charge`);
    const report = await importFiles(db.orm, [dir], { batchSize: 2 });
    expect(report.committed).toBe(false);
    expect(report.errors.map((e) => `${path.basename(e.file)}:${e.line} ${e.field}: ${e.reason.replace(dir + path.sep, '')}`)).toEqual([
      'charges.csv:5 (row): the same charge as line 2',
      'charges_2.csv:3 (row): the same charge as charges.csv:3',
    ]);
    expect(report.counts.charge).toEqual({ read: 6, inserted: 4, updated: 0, unchanged: 0 });
    expect(await sql<{ n: number }>(`select count(*)::int as n from charge`)).toEqual(before);
  });

  it('resolves a reference to an account that comes later in the same JSON Lines file, in another batch', async () => {
    const dir = await scratch({
      'late.jsonl': [
        `{"record":"meter","account":"002901800699950","serial":"M-1","service":"cold_water"}`,
        `{"record":"reading","account":"002901800699950","meter":"M-1","taken_on":"2026-11-20","value":"12.5"}`,
        `{"record":"payment","account":"002901800699951","ref":"nowhere","kind":"касса","received_on":"2026-11-20","amount":"1"}`,
        `{"record":"account","branch":"alpha","long_number":"002901800699950","short_number":"699950","settlement":"г. Ессентуки","street":"ул. Новая","house":"1","flat":"50","owner_full_name":"НОВИКОВ ИВАН ИВАНОВИЧ"}`,
      ].join('\n'),
    });
    const report = await importFiles(db.orm, [dir], { batchSize: 1 });
    expect(report.errors.map((e) => `${e.line} ${e.field}: ${e.reason}`)).toEqual(['3 account: no account 002901800699951']);
    expect(report.counts.reading).toEqual({ read: 1, inserted: 1, updated: 0, unchanged: 0 });
  });

  it('stores text as written, whatever characters it has: quotes, backslashes, braces, commas, a line break, the word NULL', async () => {
    const model = 'ВСКМ "90-15" {ДГ}, \\ зав. № 1\nвторая строка';
    // Without a backslash or a line break a column travels as JSON writes it (stage.ts, `literal`); with one, element by element.
    const plainModel = 'ВСКМ "90-15" {ДГ}, зав. № 1';
    const place = 'NULL';
    const kind = 'банк \\ "Сбер", {онлайн}';
    const csvField = (v: string) => `"${v.replaceAll('"', '""')}"`;
    const dir = await scratch({
      'meters.csv': `account;serial;service;model;place\n${ACC};ESC-1;cold_water;${csvField(model)};${place}\n`,
      'meters_2.csv': `account;serial;service;model;place\n${ACC};ESC-2;hot_water;${csvField(plainModel)};${place}\n`,
      'payments.csv': `account;ref;kind;received_on;amount\n${ACC};ESC-1;${csvField(kind)};2026-11-03;1\n`,
    });
    const report = await importFiles(db.orm, [dir], { batchSize: 1 });
    expect(report.errors).toEqual([]);
    expect(await sql(`select model, place from meter where serial like 'ESC-%' order by serial`)).toEqual([
      { model, place },
      { model: plainModel, place },
    ]);
    expect(await sql(`select kind, amount::text as amount from payment where ref = 'ESC-1'`)).toEqual([{ kind, amount: '1.00' }]);
  });

  it('updates only what differs and counts the rest unchanged', async () => {
    const dir = await scratch({
      'payments.csv': `account;ref;kind;received_on;processed_on;amount\n${ACC};S-1;касса;2026-11-01;;10\n${ACC};S-2;касса;2026-11-02;;20\n`,
    });
    expect((await importFiles(db.orm, [dir])).counts.payment).toEqual({ read: 2, inserted: 2, updated: 0, unchanged: 0 });
    await writeFile(
      path.join(dir, 'payments.csv'),
      `account;ref;kind;received_on;processed_on;amount\n${ACC};S-1;касса;2026-11-01;;10\n${ACC};S-2;касса;2026-11-02;;25\n`,
    );
    expect((await importFiles(db.orm, [dir])).counts.payment).toEqual({ read: 2, inserted: 0, updated: 1, unchanged: 1 });
  });

  it('keeps a PIN by its fingerprint, hashes a changed one anew, and never stores the PIN', async () => {
    const number = '051424000000012';
    const pinOf = async () =>
      (await sql<{ pin_hash: string; pin_fingerprint: string | null }>(`select pin_hash, pin_fingerprint from account where long_number = '${number}'`))[0]!;
    const accounts = (pin: string) =>
      `branch;long_number;short_number;settlement;street;house;flat;owner_full_name;residents;area;pin\nbeta;${number};12;г. Железноводск;ул. Лесная;2;;КИРЕЕВА НАСИБХАН МАГОМЕДОВНА;4;96,00;${pin}\n`;
    const dir = await scratch({ 'accounts.csv': accounts('FaEGlc') });
    const stored = await pinOf();
    expect(stored.pin_fingerprint).toBeNull();

    // The same PIN, now with a key: the hash verifies and stays; its fingerprint is stored, not counted as a change.
    let report = await importFiles(db.orm, [dir], { pinKey: KEY });
    expect(report.counts.account).toEqual({ read: 1, inserted: 0, updated: 0, unchanged: 1 });
    const keyed = await pinOf();
    expect(keyed.pin_hash).toBe(stored.pin_hash);
    expect(keyed.pin_fingerprint).toBe(pinFingerprint(KEY, number, 'FaEGlc'));

    // A changed PIN: a new hash and fingerprint, the account updated.
    await writeFile(path.join(dir, 'accounts.csv'), accounts('NewPin7'));
    report = await importFiles(db.orm, [dir], { pinKey: KEY });
    expect(report.counts.account).toEqual({ read: 1, inserted: 0, updated: 1, unchanged: 0 });
    const changed = await pinOf();
    expect(changed.pin_hash).not.toBe(stored.pin_hash);
    expect(verifyPin('NewPin7', changed.pin_hash)).toBe(true);
    expect(changed.pin_fingerprint).toBe(pinFingerprint(KEY, number, 'NewPin7'));

    // Without the key, a changed PIN leaves no fingerprint behind that would vouch for the old one.
    await writeFile(path.join(dir, 'accounts.csv'), accounts('FaEGlc'));
    report = await importFiles(db.orm, [dir]);
    expect(report.counts.account?.updated).toBe(1);
    const unkeyed = await pinOf();
    expect(verifyPin('FaEGlc', unkeyed.pin_hash)).toBe(true);
    expect(unkeyed.pin_fingerprint).toBeNull();

    const clear = await sql<{ n: number }>(`select count(*)::int as n from account where pin_hash like '%FaEGlc%' or pin_fingerprint like '%FaEGlc%'`);
    expect(clear).toEqual([{ n: 0 }]);
  });

  it('reports the errors of a large file by file and line, at most maxErrors, and counts them all', async () => {
    const lines = ['account;period;opening;charged;volume;paid;closing'];
    for (let i = 0; i < 300; i++) lines.push(`${ACC};${2031 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')};0;10;1;0;${i % 3 ? '10' : '11'}`);
    const dir = await scratch({ 'statements.csv': lines.join('\n') });
    const report = await importFiles(db.orm, [dir], { batchSize: 7, maxErrors: 5 });
    expect(report.errorCount).toBe(100);
    expect(report.errors.map((e) => e.line)).toEqual([2, 5, 8, 11, 14]);
  });
});
