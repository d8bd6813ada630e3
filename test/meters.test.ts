import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Billing } from '../src/billing/index.ts';
import { averageConsumption } from '../src/billing/meters.ts';
import type { TestDatabase } from './support/db.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import { STAFF } from './support/fixture.ts';

let db: TestDatabase;
let billing: Billing;
let alla: number;

beforeAll(async () => {
  const fixture = await openFixtureBilling();
  ({ db, billing } = fixture);
  alla = await fixture.accountId('002901800602302');
});
afterAll(async () => db.drop());

const meters = async () => {
  const r = await billing.meters.ofAccount({ actor: STAFF, accountId: alla });
  if (!r.ok) throw new Error(r.error.code);
  return r.value.meters;
};

describe('meters.ofAccount (seeds 001/002 «Информация об ИПУ»)', () => {
  it('lists every meter with its dates, status, last reading and average', async () => {
    expect(await meters()).toEqual([
      expect.objectContaining({
        serial: '17356088',
        service: 'cold_water',
        model: 'СХВ-15',
        place: 'С/У',
        status: 'active',
        installedOn: '2021-02-01',
        verification: { date: '2027-02-01', state: 'ok', daysLeft: 71 },
        lastReading: { value: 58_500, takenOn: '2026-10-23', source: 'receipt' },
        // 50,000 in August to 58,500 in October: 8,500 m³ over 2 months.
        average: { monthly: 4_250, months: 2 },
      }),
      expect.objectContaining({
        serial: '17356089',
        status: 'active',
        verification: { date: '2026-12-10', state: 'due_soon', daysLeft: 18 },
        lastReading: null,
        average: null,
      }),
      expect.objectContaining({ serial: '0311046', status: 'disconnected', verification: { date: '2015-01-01', state: 'expired', daysLeft: -4343 } }),
    ]);
  });

  it('averages the last 6 billing months exactly, in thousandths, ignoring replaced readings', async () => {
    const hot = (await meters()).find((m) => m.serial === '17356089')!.meterId;
    const rows: [string, string, string, string | null][] = [
      ['2026-02-20', '2026-02-01', '100.000', null],
      ['2026-03-21', '2026-03-01', '103.100', null],
      // The reading in force at the end of April, 6 months before October: the base.
      ['2026-04-10', '2026-04-01', '104.000', null],
      ['2026-04-22', '2026-04-01', '105.000', null],
      ['2026-07-22', '2026-07-01', '118.000', null],
      ['2026-10-21', '2026-10-01', '130.001', null],
      // Replaced by a correction: not counted.
      ['2026-10-23', '2026-10-01', '999.000', '2026-10-24T10:00:00Z'],
    ];
    for (const [takenOn, period, value, superseded] of rows) {
      await db.orm.em
        .getConnection()
        .execute(`insert into reading (meter_id, taken_on, period, value, source, superseded_at) values (?, ?, ?, ?, 'portal', ?)`, [
          hot,
          takenOn,
          period,
          value,
          superseded,
        ]);
    }
    const meter = (await meters()).find((m) => m.meterId === hot)!;
    expect(meter.lastReading).toEqual({ value: 130_001, takenOn: '2026-10-21', source: 'portal' });
    // (130,001 − 105,000) / 6 = 4,166.83… → 4,167 thousandths of m³.
    expect(meter.average).toEqual({ monthly: 4_167, months: 6 });
  });

  it('rounds half up and needs two months of history', () => {
    expect(
      averageConsumption([
        { value: 3, period: '2026-03-01' },
        { value: 0, period: '2026-01-01' },
      ]),
    ).toEqual({ monthly: 2, months: 2 });
    expect(
      averageConsumption([
        { value: 5, period: '2026-03-01' },
        { value: 1, period: '2026-03-01' },
      ]),
    ).toBeNull();
    expect(averageConsumption([{ value: 5, period: '2026-03-01' }])).toBeNull();
  });
});
