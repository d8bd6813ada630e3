import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readingsCsv, readingsJsonl } from '../src/billing/export.ts';
import { importFiles } from '../src/billing/import/index.ts';
import { viaTelegram, viaWebVisitor, type Billing } from '../src/billing/index.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');

let db: TestDatabase;
let billing: Billing;
let dir: string;
const resident = viaTelegram(7_100_001);

const readingsTable = async () =>
  db.orm.em
    .fork()
    .getConnection()
    .execute(
      `select id, meter_id, value::text, taken_on::text, recorded_at::text, source, period::text, sent_by, superseded_at::text, submission, photo_path
       from reading order by id`,
    );

const EXPECTED_CSV = [
  'account;meter;taken_on;value;source;period',
  '002901800602302;17356088;2026-11-22;61.500;telegram;2026-11',
  '002901800602302;17356089;2026-11-22;3.250;telegram;2026-11',
  '',
].join('\n');

beforeAll(async () => {
  const fixture = await openFixtureBilling();
  ({ db, billing } = fixture);
  dir = await mkdtemp(path.join(os.tmpdir(), 'export-'));
  const alla = await fixture.accountId('002901800602302');
  // Алла gives consent, links her account and passes both meters in the window (22.11.2026) …
  await billing.residents.giveConsent({ actor: resident, version: 't', language: 'ru' });
  const linked = await billing.residents.linkAccount({
    actor: resident,
    proof: { by: 'number', longNumber: '002901800602302', house: '7', flat: '30', flatPrefix: null, surname: 'михайлова', pin: null },
  });
  expect(linked.ok).toBe(true);
  const prepared = await billing.readings.prepare({ actor: resident, accountId: alla });
  if (!prepared.ok) throw new Error('prepare');
  const meterId = (serial: string) => prepared.value.meters.find((m) => m.serial === serial)!.meterId;
  const [cold, hot] = [meterId('17356088'), meterId('17356089')];
  const first = await billing.readings.submit({
    actor: resident,
    accountId: alla,
    submission: 'export-test-1',
    entries: [
      { meterId: cold, value: 61_000 },
      { meterId: hot, value: 3_250 },
    ],
  });
  expect(first).toMatchObject({ ok: true, value: { status: 'stored' } });
  // … then corrects the cold one: the corrected value is the one in force.
  const correction = await billing.readings.submit({
    actor: resident,
    accountId: alla,
    submission: 'export-test-2',
    entries: [{ meterId: cold, value: 61_500 }],
    confirmPartial: true,
  });
  expect(correction).toMatchObject({ ok: true, value: { status: 'stored', readings: [{ corrected: true }] } });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

describe('readings back to billing (seed 000 §6)', () => {
  it('gives the readings in force passed through the bot in the month, in the import format', async () => {
    const r = await billing.readings.exportPeriod({ period: '2026-11' });
    expect(r).toEqual({
      ok: true,
      value: {
        period: '2026-11',
        readings: [
          { account: '002901800602302', meter: '17356088', taken_on: '2026-11-22', value: '61.500', source: 'telegram', period: '2026-11' },
          { account: '002901800602302', meter: '17356089', taken_on: '2026-11-22', value: '3.250', source: 'telegram', period: '2026-11' },
        ],
      },
    });
    expect(readingsCsv(r.ok ? r.value.readings : [])).toBe(EXPECTED_CSV);
    expect(readingsJsonl(r.ok ? r.value.readings : []).split('\n')[0]).toBe(
      '{"record":"reading","account":"002901800602302","meter":"17356088","taken_on":"2026-11-22","value":"61.500","source":"telegram","period":"2026-11"}',
    );
  });

  it('leaves out other months, other sources and other branches', async () => {
    // October has the fixture's receipt and portal readings, none passed through the bot.
    expect(await billing.readings.exportPeriod({ period: '2026-10' })).toEqual({ ok: true, value: { period: '2026-10', readings: [] } });
    expect(await billing.readings.exportPeriod({ period: '2026-11', branch: 'beta' })).toEqual({ ok: true, value: { period: '2026-11', readings: [] } });
    const alpha = await billing.readings.exportPeriod({ period: '2026-11', branch: 'alpha' });
    expect(alpha.ok && alpha.value.readings.length).toBe(2);
    expect(await billing.readings.exportPeriod({ period: '2026-13' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('is loaded back by the import without changing a thing (CSV and JSON Lines)', async () => {
    const before = await readingsTable();
    const r = await billing.readings.exportPeriod({ period: '2026-11' });
    if (!r.ok) throw new Error('export');
    const csv = path.join(dir, 'readings_2026-11.csv');
    const jsonl = path.join(dir, 'readings_2026-11.jsonl');
    await writeFile(csv, readingsCsv(r.value.readings));
    await writeFile(jsonl, readingsJsonl(r.value.readings));
    for (const file of [csv, jsonl]) {
      const report = await importFiles(db.orm, [file]);
      expect(report.errors).toEqual([]);
      expect(report.committed).toBe(true);
      expect(report.counts.reading).toEqual({ read: 2, inserted: 0, updated: 0, unchanged: 2 });
    }
    expect(await readingsTable()).toEqual(before);
    const again = await billing.readings.exportPeriod({ period: '2026-11' });
    expect(again.ok && readingsCsv(again.value.readings)).toBe(EXPECTED_CSV);
  });

  it('npm run export writes the same bytes every time, to stdout or to a file', async () => {
    const env = { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent' };
    const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/export.ts', ...args], { cwd: ROOT, env });
    const first = await cli('readings', '--period', '2026-11');
    const second = await cli('readings', '--period', '2026-11');
    expect(first.stdout).toBe(EXPECTED_CSV);
    expect(second.stdout).toBe(first.stdout);

    const out = path.join(dir, 'readings-cli.jsonl');
    const written = await cli('readings', '--period=2026-11', '--out', out);
    expect(written.stderr).toContain('2 reading(s) for 2026-11 written to');
    const r = await billing.readings.exportPeriod({ period: '2026-11' });
    expect(await readFile(out, 'utf8')).toBe(readingsJsonl(r.ok ? r.value.readings : []));

    await expect(cli('readings', '--period', '11.2026')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--period must be a month') });
  }, 60_000);

  it('npm run export -- paper-optout: the opt-outs chosen in the bot, the same bytes every time, refused with a period', async () => {
    const env = { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent' };
    const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/export.ts', ...args], { cwd: ROOT, env });
    const alla = await db.orm.em.fork().getConnection().execute<{ id: number }[]>(`select id from account where long_number = '002901800602302'`);
    expect((await cli('paper-optout')).stdout).toBe('account;paper_receipt_opt_out;changed_on\n');
    // Without a confirmed address and a subscription the opt-out is refused.
    const accountId = Number(alla[0]!.id);
    expect(await billing.receipts.paperOptOut({ actor: resident, accountId, on: true })).toEqual({ ok: false, error: { code: 'email_not_confirmed' } });
    await db.orm.em.fork().getConnection().execute(`update resident set email = 'alla@mail.ru' where telegram_id = ?`, [7_100_001]);
    expect(await billing.receipts.paperOptOut({ actor: resident, accountId, on: true })).toEqual({ ok: false, error: { code: 'not_subscribed' } });
    expect((await billing.receipts.subscribe({ actor: resident, accountId })).ok).toBe(true);
    expect(await billing.receipts.paperOptOut({ actor: resident, accountId, on: true })).toMatchObject({ ok: true, value: { on: true, changed: true } });
    const first = await cli('paper-optout');
    expect(first.stdout).toMatch(/^account;paper_receipt_opt_out;changed_on\n002901800602302;true;\d{4}-\d{2}-\d{2}\n$/);
    expect((await cli('paper-optout')).stdout).toBe(first.stdout);
    const out = path.join(dir, 'paper.jsonl');
    await cli('paper-optout', '--out', out);
    expect(JSON.parse((await readFile(out, 'utf8')).trim())).toMatchObject({
      record: 'paper_optout',
      account: '002901800602302',
      paper_receipt_opt_out: 'true',
    });
    await expect(cli('paper-optout', '--period', '2026-11')).rejects.toMatchObject({ code: 2 });
  }, 60_000);

  it("gives a reading passed on the web pages as the «личный кабинет» (portal), and not billing's own portal readings", async () => {
    // A visitor of the web pages passes the hot meter by number, house and flat: it corrects the bot's.
    const byPlace = { longNumber: '002901800602302', house: '7', flat: '30' };
    const prepared = await billing.readings.prepare({ actor: viaWebVisitor(), byPlace });
    if (!prepared.ok) throw new Error('prepare');
    const hot = prepared.value.meters.find((m) => m.serial === '17356089')!;
    expect(hot.passedThisPeriod).toEqual({ value: 3_250, takenOn: '2026-11-22' });
    const passed = await billing.readings.submit({
      actor: viaWebVisitor(),
      byPlace,
      submission: 'export-test-web-1',
      entries: [{ meterId: hot.meterId, value: 3_400 }],
      confirmPartial: true,
    });
    expect(passed).toMatchObject({ ok: true, value: { status: 'stored', readings: [{ corrected: true }] } });
    const r = await billing.readings.exportPeriod({ period: '2026-11' });
    expect(r.ok && r.value.readings.map((x) => [x.meter, x.value, x.source])).toEqual([
      ['17356088', '61.500', 'telegram'],
      ['17356089', '3.400', 'portal'],
    ]);
    // October's portal readings came from billing (no submission key): they are not sent back.
    expect(await billing.readings.exportPeriod({ period: '2026-10' })).toEqual({ ok: true, value: { period: '2026-10', readings: [] } });
  });

  it("given back by billing after a correction here, a resident's reading neither overwrites the correction nor stands beside it", async () => {
    // Billing's copy of what it got before the corrections: the cold meter's value of an earlier
    // export, the hot meter's Telegram reading that the web pages' one has replaced since.
    const stale = path.join(dir, 'readings_2026-11-stale.csv');
    await writeFile(
      stale,
      ['account;meter;taken_on;value;source;period', '002901800602302;17356088;2026-11-22;61.400;telegram;2026-11', EXPECTED_CSV.split('\n')[2], ''].join('\n'),
    );
    const before = await readingsTable();
    const report = await importFiles(db.orm, [stale]);
    expect(report).toMatchObject({ committed: true, errorCount: 0 });
    expect(report.counts.reading).toEqual({ read: 2, inserted: 0, updated: 0, unchanged: 2 });
    expect(await readingsTable()).toEqual(before);
  });
});
