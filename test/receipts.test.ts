import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../src/billing/import/index.ts';
import type { Billing } from '../src/billing/index.ts';
import type { TestDatabase } from './support/db.ts';
import { openFixtureBilling, payOverpaidAccount } from './support/billing-fixture.ts';
import { NOW, STAFF } from './support/fixture.ts';

let db: TestDatabase;
let billing: Billing;
let alla: number;
let semenov: number;
let clock = NOW;

beforeAll(async () => {
  const fixture = await openFixtureBilling(() => clock);
  ({ db, billing } = fixture);
  alla = await fixture.accountId('002901800602302');
  semenov = await fixture.accountId('002901800602303');
  await payOverpaidAccount(db);
});
afterAll(async () => db.drop());

/** Семёнов's months before the fixture's October: 04.2025–09.2026, nothing charged, the overpayment carried. */
const SEMENOV_OLDER = Array.from({ length: 18 }, (_, i) => `${2025 + Math.floor((3 + i) / 12)}-${String(((3 + i) % 12) + 1).padStart(2, '0')}`);

/** Imports statements for those months through the billing import, as the utility's export would bring them. */
async function importOlderStatements() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'older-'));
  try {
    const file = path.join(dir, 'history.jsonl');
    const rows = SEMENOV_OLDER.map((period) =>
      JSON.stringify({ record: 'statement', account: '002901800602303', period, opening: '-33.13', charged: '0', volume: '0', paid: '0', closing: '-33.13' }),
    );
    await writeFile(file, `${rows.join('\n')}\n`);
    const report = await importFiles(db.orm, [file]);
    if (report.errorCount) throw new Error(`statements import: ${JSON.stringify(report.errors)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('receipt data (платёжный документ, ПП 354 п. 69)', () => {
  it('offers the months with statements, newest first', async () => {
    expect(await billing.receipts.months({ actor: STAFF, accountId: alla })).toEqual({
      ok: true,
      value: { months: ['2026-10', '2026-09', '2026-08'], hasOlder: false, hasNewer: false, newerBefore: null },
    });
  });

  it('offers every month with a statement, not only the last 12, a page at a time both ways', async () => {
    await importOlderStatements();
    const months = (before?: string, limit?: number) =>
      billing.receipts.months({ actor: STAFF, accountId: semenov, ...(before ? { before } : {}), ...(limit ? { limit } : {}) });
    const all = ['2026-10', ...[...SEMENOV_OLDER].reverse()];
    expect(all).toHaveLength(19);
    // 12 a page by default: the newest 12, then the 7 older ones, the way back to the first page.
    expect(await months()).toEqual({ ok: true, value: { months: all.slice(0, 12), hasOlder: true, hasNewer: false, newerBefore: null } });
    expect(await months('2025-11')).toEqual({ ok: true, value: { months: all.slice(12), hasOlder: false, hasNewer: true, newerBefore: null } });
    // Pages of 5, walked back from the newest and forward again: the same pages, every month once.
    const back: string[][] = [];
    let cursor: string | undefined;
    for (;;) {
      const r = await months(cursor, 5);
      if (!r.ok) throw new Error(r.error.code);
      back.push(r.value.months);
      expect(r.value.hasNewer).toBe(cursor !== undefined);
      if (!r.value.hasOlder) break;
      cursor = r.value.months.at(-1);
    }
    expect(back).toEqual([all.slice(0, 5), all.slice(5, 10), all.slice(10, 15), all.slice(15)]);
    expect(await months('2025-08', 5)).toMatchObject({ value: { months: ['2025-07', '2025-06', '2025-05', '2025-04'], newerBefore: '2026-01' } });
    expect(await months('2026-01', 5)).toMatchObject({ value: { months: all.slice(10, 15), newerBefore: '2026-06' } });
    expect(await months('2026-06', 5)).toMatchObject({ value: { months: all.slice(5, 10), hasNewer: true, newerBefore: null } });
    // Before the oldest there is nothing more.
    expect(await months('2025-04')).toEqual({ ok: true, value: { months: [], hasOlder: false, hasNewer: true, newerBefore: '2026-04' } });
    // The oldest month makes a receipt like any other.
    expect((await billing.receipts.forMonth({ actor: STAFF, accountId: semenov, month: '2025-04' })).ok).toBe(true);
  });

  it('refuses a cursor that is not a month, and a page size out of range', async () => {
    for (const input of [{ before: '2026-13' }, { before: '2026-1' }, { before: "2026-10' or 1=1" }, { limit: 0 }, { limit: 61 }]) {
      const r = await billing.receipts.months({ actor: STAFF, accountId: alla, ...input });
      expect(r.ok, JSON.stringify(input)).toBe(false);
    }
  });

  it('gathers payer, payee, services, balance, readings and norms for a month', async () => {
    const r = await billing.receipts.forMonth({ actor: STAFF, accountId: alla, month: '2026-10' });
    expect(r).toMatchObject({
      ok: true,
      value: {
        month: '2026-10',
        payer: {
          fullName: 'МИХАЙЛОВА АЛЛА МИХАЙЛОВНА',
          longNumber: '002901800602302',
          residents: 1,
          area: '73.50',
          address: { street: 'ул. Ермакова', house: '7', flat: '30' },
        },
        payee: { inn: '2635040105', kpp: '262602001', bic: '040702615', account: '40602810860100000011', corrAccount: '30101810907020000615' },
        lines: [{ service: 'cold_water', volume: 4_500, tariff: 5_210, charged: 23_445, recalculation: 10_000 }],
        opening: 20_840,
        charged: 33_445,
        recalculation: 10_000,
        benefits: 1_000,
        paid: 10_000,
        closing: 43_285,
        toPay: 43_285,
        overpayment: 0,
        // The latest payment by the issue date: 05.11, after October, so not in October's figures.
        lastPayment: { date: '2026-11-05', amount: 30_000 },
        issuedOn: '2026-11-22',
        norms: [
          { service: 'cold_water', perPerson: 3_700 },
          { service: 'sewerage', perPerson: 6_600 },
        ],
      },
    });
    const readings = r.ok ? r.value.readings : [];
    expect(readings.find((x) => x.serial === '17356088')).toEqual({
      serial: '17356088',
      service: 'cold_water',
      previous: 54_000,
      current: 58_500,
      takenOn: '2026-10-23',
    });
    expect(readings.map((x) => x.serial)).not.toContain('0311046'); // disconnected, nothing read this month
  });

  it('shows an overpayment as such, with nothing to pay, and the last payment (seed 000 §9)', async () => {
    const r = await billing.receipts.forMonth({ actor: STAFF, accountId: semenov, month: '2026-10' });
    if (!r.ok) throw new Error(r.error.code);
    const { opening, paid, closing, toPay, overpayment, lastPayment, issuedOn } = r.value;
    expect({ opening, paid, closing, toPay, overpayment, lastPayment, issuedOn }).toEqual({
      opening: -3_313,
      paid: 43_733,
      closing: -47_046,
      toPay: 0,
      overpayment: 47_046,
      lastPayment: { date: '2026-10-20', amount: 43_733 },
      issuedOn: '2026-11-22',
    });
  });

  it("is dated today in the branch's timezone, and names the last payment made by that day", async () => {
    try {
      // 21.11 23:30 UTC is already 22.11 in Moscow.
      clock = new Date('2026-11-21T21:30:00Z');
      const moscow = await billing.receipts.forMonth({ actor: STAFF, accountId: alla, month: '2026-10' });
      expect(moscow.ok && [moscow.value.issuedOn, moscow.value.lastPayment]).toEqual(['2026-11-22', { date: '2026-11-05', amount: 30_000 }]);
      // On 01.11 the payment of 05.11 has not been made: the last one is 08.10.
      clock = new Date('2026-11-01T09:00:00Z');
      const before = await billing.receipts.forMonth({ actor: STAFF, accountId: alla, month: '2026-10' });
      expect(before.ok && [before.value.issuedOn, before.value.lastPayment]).toEqual(['2026-11-01', { date: '2026-10-08', amount: 10_000 }]);
      // Before any payment at all there is none to name.
      clock = new Date('2026-09-01T09:00:00Z');
      const none = await billing.receipts.forMonth({ actor: STAFF, accountId: alla, month: '2026-08' });
      expect(none.ok && [none.value.issuedOn, none.value.lastPayment]).toEqual(['2026-09-01', null]);
    } finally {
      clock = NOW;
    }
  });

  it('says plainly when there is no statement for the month', async () => {
    expect(await billing.receipts.forMonth({ actor: STAFF, accountId: alla, month: '2025-01' })).toEqual({ ok: false, error: { code: 'statement_not_found' } });
    expect(await billing.receipts.forMonth({ actor: STAFF, accountId: 999_999, month: '2026-10' })).toEqual({
      ok: false,
      error: { code: 'account_not_found' },
    });
  });
});
