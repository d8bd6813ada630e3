import { mkdtemp, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../src/billing/import/index.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { FIXTURE_DIR } from './support/fixture.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(async () => db.drop());

const count = async (table: string) => Number((await db.orm.em.getConnection().execute(`select count(*)::int as n from ${table}`))[0]!.n);

async function snapshot() {
  const tables = ['branch', 'account', 'premise', 'meter', 'reading', 'charge', 'payment', 'statement', 'tariff', 'norm'];
  const rows = await Promise.all(
    tables.map((t) => db.orm.em.getConnection().execute(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${t} t`)),
  );
  return Object.fromEntries(tables.map((t, i) => [t, rows[i]![0]!.h]));
}

async function scratch(files: Record<string, string>) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'import-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

describe('import of billing data', () => {
  it('loads a good export of CSV and JSON Lines files', async () => {
    const report = await importFiles(db.orm, [FIXTURE_DIR]);
    expect(report.errors).toEqual([]);
    expect(report.committed).toBe(true);
    expect(report.counts.account).toEqual({ read: 4, inserted: 4, updated: 0, unchanged: 0 });
    expect(report.counts.statement?.inserted).toBe(4);
    expect(await count('account')).toBe(4);
    expect(await count('meter')).toBe(4);
    expect(await count('premise')).toBe(4);
    const [row] = await db.orm.em.getConnection().execute(
      `select a.area::text, a.owner_surname_key, p.flat_key, b.house_key, s.search_key, a.pin_hash is not null as has_pin
       from account a join premise p on p.id = a.premise_id join building b on b.id = p.building_id join street s on s.id = b.street_id
       where a.long_number = '002901800602304'`,
    );
    expect(row).toEqual({ area: '18.20', owner_surname_key: 'воробьева', flat_key: 'ком5', house_key: '12к2', search_key: 'пятигорская', has_pin: false });
    const [money] = await db.orm.em.getConnection().execute(
      `select opening::text, closing::text, recalculation::text from statement s join account a on a.id = s.account_id
       where a.long_number = '002901800602302' and period = '2026-10-01'`,
    );
    expect(money).toEqual({ opening: '208.40', closing: '432.85', recalculation: '100.00' });
  });

  it('changes nothing when the same export is imported again', async () => {
    const before = await snapshot();
    // A write to a table the import writes, by someone else (it changes no row): the import reads
    // and compares every row again (import.same-export.test.ts has the run that reads nothing).
    await db.orm.em.getConnection().execute(`update branch set name = name where false`);
    const report = await importFiles(db.orm, [FIXTURE_DIR]);
    expect(report.sameExport).toBe(false);
    expect(report.committed).toBe(true);
    for (const c of Object.values(report.counts)) {
      expect(c.inserted + c.updated).toBe(0);
      expect(c.unchanged).toBe(c.read);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('keeps the PIN hash when the PIN is unchanged or absent', async () => {
    const pin = async () => (await db.orm.em.getConnection().execute(`select pin_hash from account where long_number = '051424000000012'`))[0]!.pin_hash;
    const first = await pin();
    expect(first).toMatch(/^scrypt\$/);
    const dir = await scratch({
      'accounts.csv':
        'branch;long_number;short_number;settlement;street;house;flat;owner_full_name;residents;area\nbeta;051424000000012;12;г. Железноводск;ул. Лесная;2;;КИРЕЕВА НАСИБХАН МАГОМЕДОВНА;4;96,00\n',
    });
    const report = await importFiles(db.orm, [dir]);
    expect(report.committed).toBe(true);
    expect(report.counts.account).toEqual({ read: 1, inserted: 0, updated: 0, unchanged: 1 });
    expect(await pin()).toBe(first);
  });

  it('updates what changed and reports it', async () => {
    const dir = await scratch({
      'payments.csv':
        'account,ref,kind,received_on,processed_on,amount\n002901800602302,P-3,Сбербанк Онлайн,05.11.2026,06.11.2026,300.00\n002901800602302,P-4,касса,2026-11-10,,50\n',
    });
    const report = await importFiles(db.orm, [dir]);
    expect(report.counts.payment).toEqual({ read: 2, inserted: 1, updated: 1, unchanged: 0 });
    const [p] = await db.orm.em.getConnection().execute(`select processed_on::text from payment where ref = 'P-3'`);
    expect(p!.processed_on).toBe('2026-11-06');
  });

  it('reports every bad row with its line, field and reason, and changes nothing', async () => {
    const before = await snapshot();
    const dir = await scratch({
      'accounts.csv': [
        'branch;long_number;short_number;settlement;street;house;flat;owner_full_name;residents;area',
        'alpha;002901800699901;699901;г. Ессентуки;ул. Новая;1;1;НОВИКОВ ИВАН ИВАНОВИЧ;2;40,00', // good
        'alpha;00290180069990X;699902;г. Ессентуки;ул. Новая;1;2;НОВИКОВ ИВАН ИВАНОВИЧ;2;40,00',
        'alpha;002901800699903;699903;г. Ессентуки;ул. Новая;1;3;НОВИКОВ ИВАН ИВАНОВИЧ;два;40,00',
        'nowhere;002901800699904;699904;г. Ессентуки;ул. Новая;1;4;НОВИКОВ ИВАН ИВАНОВИЧ;2;40,00',
        'alpha;002901800699905;602302;г. Ессентуки;ул. Новая;1;5;НОВИКОВ ИВАН ИВАНОВИЧ;2;40,00',
        'alpha;002901800699901;699906;г. Ессентуки;ул. Новая;1;6;НОВИКОВ ИВАН ИВАНОВИЧ;2;40,00',
        'alpha;002901800699908;699901;г. Ессентуки;ул. Новая;1;8;НОВИКОВ ИВАН ИВАНОВИЧ;2;40,00',
      ].join('\n'),
      'more.jsonl': [
        '{"record":"statement","account":"002901800699901","period":"2026-10","opening":"0","charged":"10","paid":"0","closing":"10.01","volume":"1"}',
        '{"record":"statement","account":"002901800699999","period":"2026-10","opening":"0","charged":"10","paid":"0","closing":"10","volume":"1"}',
        '{"record":"meter","account":"002901800699901","serial":"1","service":"steam"}',
        '{"record":"payment","account":"002901800699901","ref":"X","kind":"касса","received_on":"30.02.2026","amount":"1,001"}',
        'this is not json',
        '{"record":"spaceship"}',
        '{"record":"reading","account":"002901800602302","meter":"nope","taken_on":"2026-11-20","value":"60"}',
        '{"record":"statement","account":"002901800602302","period":"2026-11","opening":"0","charged":"0","paid":"0","closing":"0","volume":"0","colour":"red"}',
        '{"record":"service_statement","account":"002901800602302","service":"cold_water","period":"2026-11","opening":"0","charged":"10","paid":"0","closing":"9.99"}',
        '{"record":"service_statement","account":"002901800602302","service":"gas","period":"2026-11","opening":"0","charged":"0","closing":"0"}',
      ].join('\n'),
    });
    const report = await importFiles(db.orm, [dir]);
    expect(report.committed).toBe(false);
    const found = report.errors.map((e) => `${path.basename(e.file)}:${e.line} ${e.field}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'accounts.csv:3 long_number',
        'accounts.csv:4 residents',
        'accounts.csv:5 branch',
        'accounts.csv:6 short_number',
        'accounts.csv:7 (row)',
        'accounts.csv:8 short_number',
        'more.jsonl:1 closing',
        'more.jsonl:2 account',
        'more.jsonl:3 service',
        'more.jsonl:4 received_on',
        'more.jsonl:4 amount',
        'more.jsonl:5 (line)',
        'more.jsonl:6 record',
        'more.jsonl:7 meter',
        'more.jsonl:8 colour',
        'more.jsonl:9 closing',
        'more.jsonl:10 service',
      ]),
    );
    expect(report.errorCount).toBe(found.length);
    expect(report.errors.find((e) => e.line === 4 && e.field === 'residents')?.reason).toBe('not a whole number');
    expect(report.errors.find((e) => e.field === 'closing')?.reason).toMatch(/does not balance/);
    // the good row of the same file was rolled back with the rest
    expect(await snapshot()).toEqual(before);
    expect(await count('account')).toBe(4);
  });

  it('dry run checks a good file and writes nothing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'import-'));
    await cp(FIXTURE_DIR, dir, { recursive: true });
    await writeFile(path.join(dir, 'tariffs.csv'), 'branch;service;valid_from;price\nalpha;cold_water;2027-01-01;55,00\n');
    const report = await importFiles(db.orm, [dir], { dryRun: true });
    expect(report.errorCount).toBe(0);
    expect(report.committed).toBe(false);
    expect(report.counts.tariff?.inserted).toBe(1);
    expect(await count('tariff')).toBe(4);
  });

  it('reports what PostgreSQL refused in its own words, without the batch, and changes nothing', async () => {
    const before = await snapshot();
    // 10^12 roubles passes the row checks but not numeric(14,2): only the database can refuse it.
    const dir = await scratch({
      'statements.csv': 'account;period;opening;charged;volume;paid;closing\n002901800602302;2027-01;1000000000000;0;0;0;1000000000000\n',
    });
    const report = await importFiles(db.orm, [dir]);
    expect(report.committed).toBe(false);
    expect(report.errors).toEqual([
      {
        file: '(database)',
        line: 0,
        field: '(batch)',
        reason: expect.stringMatching(/^numeric field overflow\n - detail: A field with precision 14, scale 2/),
      },
    ]);
    expect(report.errors[0]!.reason).not.toMatch(/insert|002901800602302|[0-9a-f]{64}/);
    expect(await snapshot()).toEqual(before);
  });

  it("loads a branch's visit days and hours, days off, dispatcher, operators' group and area, and a reason's meter issue", async () => {
    const branches = await db.orm.em.getConnection().execute(
      `select code, dispatcher_phone, visit_days, visit_hour_from, visit_hour_to, visit_within_days, days_off, operators_chat_id,
         area_latitude::text, area_longitude::text, area_radius_km from branch order by code`,
    );
    expect(branches[0]).toMatchObject({
      code: 'alpha',
      dispatcher_phone: '(87934) 6-34-00',
      visit_days: '12345',
      visit_hour_from: 8,
      visit_hour_to: 17,
      visit_within_days: 15,
      operators_chat_id: null,
      area_latitude: '44.044000',
      area_longitude: '42.860000',
      area_radius_km: 12,
    });
    expect(branches[0]!.days_off.split(',')).toEqual(expect.arrayContaining(['2027-01-01', '2027-01-07', '2027-01-08', '2027-02-23']));
    // beta gives none of the visit columns: the defaults, and no area
    expect(branches[1]).toMatchObject({
      code: 'beta',
      dispatcher_phone: '(87932) 3-11-50',
      visit_days: '12345',
      visit_hour_from: 8,
      visit_hour_to: 17,
      visit_within_days: 15,
      days_off: null,
      area_latitude: null,
      area_longitude: null,
      area_radius_km: null,
    });
    const reasons = await db.orm.em.getConnection().execute(`select code, meter_issue from inspector_call_reason order by code`);
    expect(reasons).toEqual([
      { code: 'after_verification', meter_issue: 'verification_expired' },
      { code: 'debt_cutoff', meter_issue: null },
      { code: 'reading_check', meter_issue: 'below_previous' },
      { code: 'seal', meter_issue: null },
    ]);
  });

  it('takes the new branch and reason fields as written, normalized, and their defaults when a file has no such columns', async () => {
    const dir = await scratch({
      'branches.csv': [
        'code,name,visit_days,visit_hour_from,visit_hour_to,visit_within_days,days_off,operators_chat_id,area_latitude,area_longitude,area_radius_km',
        'gamma,Гамма,531,9,16,10,"2027-01-02, 2027-01-01,2027-01-02",-1001234567890,"44,139",43.02,8',
      ].join('\n'),
      // A file of the old format: the columns it lacks take their defaults.
      'more.jsonl': [
        '{"record":"branch","code":"delta","name":"Дельта","days_off":["2027-05-03","2027-05-10"]}',
        '{"record":"branch","code":"epsilon","name":"Эпсилон","reading_day_from":15}',
        '{"record":"inspector_reason","code":"other","name":"Прочее"}',
      ].join('\n'),
    });
    const report = await importFiles(db.orm, [dir]);
    expect(report.errors).toEqual([]);
    const rows = await db.orm.em.getConnection().execute(
      `select code, dispatcher_phone, visit_days, visit_hour_from, visit_hour_to, visit_within_days, days_off, operators_chat_id,
         area_latitude::text, area_longitude::text, area_radius_km from branch where code in ('gamma', 'delta', 'epsilon') order by code`,
    );
    expect(rows).toEqual([
      {
        code: 'delta',
        dispatcher_phone: null,
        visit_days: '12345',
        visit_hour_from: 8,
        visit_hour_to: 17,
        visit_within_days: 15,
        days_off: '2027-05-03,2027-05-10',
        operators_chat_id: null,
        area_latitude: null,
        area_longitude: null,
        area_radius_km: null,
      },
      {
        code: 'epsilon',
        dispatcher_phone: null,
        visit_days: '12345',
        visit_hour_from: 8,
        visit_hour_to: 17,
        visit_within_days: 15,
        days_off: null,
        operators_chat_id: null,
        area_latitude: null,
        area_longitude: null,
        area_radius_km: null,
      },
      {
        code: 'gamma',
        dispatcher_phone: null,
        visit_days: '135',
        visit_hour_from: 9,
        visit_hour_to: 16,
        visit_within_days: 10,
        days_off: '2027-01-01,2027-01-02',
        operators_chat_id: '-1001234567890',
        area_latitude: '44.139000',
        area_longitude: '43.020000',
        area_radius_km: 8,
      },
    ]);
    const [other] = await db.orm.em.getConnection().execute(`select meter_issue, use_in_bot from inspector_call_reason where code = 'other'`);
    expect(other).toEqual({ meter_issue: null, use_in_bot: true });
    // The same files again change nothing (the normalized values compare equal).
    const again = await importFiles(db.orm, [dir]);
    expect(again.counts.branch).toEqual({ read: 3, inserted: 0, updated: 0, unchanged: 3 });
  });

  it('refuses bad visit days, hours, days off, group id, area and meter issue, saying why, and changes nothing', async () => {
    const before = await snapshot();
    const branch = (fields: Record<string, unknown>) => JSON.stringify({ record: 'branch', code: 'zeta', name: 'Зета', ...fields });
    const dir = await scratch({
      'bad.jsonl': [
        branch({ visit_days: '1123' }),
        branch({ visit_days: '0' }),
        branch({ visit_hour_from: 17, visit_hour_to: 8 }),
        branch({ visit_hour_to: 25 }),
        branch({ visit_within_days: 0 }),
        branch({ days_off: '2027-01-01,2027-02-30' }),
        branch({ days_off: '01.01.2027' }),
        branch({ operators_chat_id: '1001234567890' }),
        branch({ area_latitude: '44.044', area_longitude: '42.86' }),
        branch({ area_latitude: '95', area_longitude: '42.86', area_radius_km: 5 }),
        branch({ area_latitude: '44.044', area_longitude: '42.86', area_radius_km: 500 }),
        '{"record":"inspector_reason","code":"x","name":"X","meter_issue":"broken"}',
        // after_verification already has it in the database
        '{"record":"inspector_reason","code":"y","name":"Y","meter_issue":"verification_expired"}',
      ].join('\n'),
    });
    const report = await importFiles(db.orm, [dir]);
    expect(report.committed).toBe(false);
    expect(report.errors.map((e) => `${e.line} ${e.field}: ${e.reason}`)).toEqual([
      '1 visit_days: a weekday given twice',
      '2 visit_days: not weekdays as digits 1–7 (1 = Monday), e.g. 12345',
      '3 visit_hour_from: not before visit_hour_to',
      '4 visit_hour_to: more than 24',
      '5 visit_within_days: less than 1',
      '6 days_off: not a date (YYYY-MM-DD): 2027-02-30',
      '7 days_off: not a date (YYYY-MM-DD): 01.01.2027',
      '8 operators_chat_id: not a Telegram group id (a negative whole number, e.g. -1001234567890)',
      '9 area_radius_km: required with the other area_ fields (latitude, longitude, radius)',
      '10 area_latitude: not degrees from -90 to 90 with at most 6 decimals',
      '11 area_radius_km: more than 200',
      '12 meter_issue: one of: verification_expired, below_previous',
      '13 meter_issue: reason after_verification has verification_expired too',
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('moves a meter issue from one reason to another when both rows come together', async () => {
    const dir = await scratch({
      'inspector_reasons.csv': 'code;name;meter_issue\nafter_verification;Проверка после поверки;\nreplacement;Замена прибора учёта;verification_expired\n',
    });
    const report = await importFiles(db.orm, [dir]);
    expect(report.errors).toEqual([]);
    const rows = await db.orm.em.getConnection().execute(`select code from inspector_call_reason where meter_issue = 'verification_expired'`);
    expect(rows).toEqual([{ code: 'replacement' }]);
  });

  it('says which file it cannot read', async () => {
    const dir = await scratch({ 'whatever.csv': 'a\n1\n', 'notes.txt': 'hello' });
    const report = await importFiles(db.orm, [dir, path.join(dir, 'notes.txt'), path.join(dir, 'missing.csv')]);
    expect(report.committed).toBe(false);
    expect(report.errors.map((e) => `${path.basename(e.file)} ${e.reason}`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^whatever\.csv the file name does not say its kind/),
        expect.stringMatching(/^notes\.txt not a \.csv/),
        expect.stringMatching(/^missing\.csv no such file/),
      ]),
    );
  });
});
