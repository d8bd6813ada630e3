import { describe, expect, it } from 'vitest';
import { fastStage } from '../src/billing/import/fast.ts';
import { recordSchemas } from '../src/billing/import/records.ts';
import { toStage, type StagedKind } from '../src/billing/import/stage.ts';

/** What the schema and toStage make of a row, or null when the schema refuses it. */
function bySchema(kind: StagedKind, data: Record<string, unknown>) {
  const parsed = recordSchemas[kind].safeParse(data);
  return parsed.success ? (toStage[kind] as (r: unknown) => Record<string, unknown>)(parsed.data) : null;
}

const acc = '100000000000001';
const rows: [StagedKind, Record<string, unknown>][] = [
  ['reading', { account: acc, meter: 'C1', taken_on: '2026-10-24', value: '18.272', source: 'receipt' }],
  ['reading', { account: acc, meter: 'C1', taken_on: '2026-10-24', value: '18', source: '', period: '2026-09' }],
  ['charge', { account: acc, service: 'cold_water', period: '2026-10', kind: '', volume: '3.5', tariff: '48.14', amount: '168.49' }],
  [
    'charge',
    {
      account: acc,
      service: 'hot_water',
      period: '2026-10-01',
      kind: 'recalculation',
      volume: '0',
      tariff: '1',
      amount: '-5.00',
      recalc_from: '2026-08',
      recalc_to: '2026-09',
    },
  ],
  ['payment', { account: acc, ref: 'P-1', kind: 'Сбербанк Онлайн', received_on: '2026-10-10', processed_on: '', amount: '500.00' }],
  ['statement', { account: acc, period: '2026-10', opening: '10.00', charged: '5.50', volume: '1.000', benefits: '', paid: '0.50', closing: '15.00' }],
  ['service_statement', { account: acc, service: 'sewerage', period: '2026-10', opening: '0', charged: '1.01', closing: '1.01' }],
  // Decimals already as staged pass as they are; the rest are parsed and written anew: the same either way.
  ['reading', { account: acc, meter: 'C1', taken_on: '2026-10-24', value: '-0.000' }],
  ['reading', { account: acc, meter: 'C1', taken_on: '2026-10-24', value: '0018.270' }],
  ['charge', { account: acc, service: 'cold_water', period: '2026-10', volume: '0.000', tariff: '048.14', amount: '-0.00' }],
  ['charge', { account: acc, service: 'cold_water', period: '2026-10', volume: '1234567890123.999', tariff: '0.10', amount: '1 141,42' }],
  ['payment', { account: acc, ref: 'P-2', kind: 'касса', received_on: '2026-10-10', amount: '-12.30' }],
];
// Rows the fast way leaves to the schema: odd formats it accepts, and values it refuses.
const odd: [StagedKind, Record<string, unknown>][] = [
  ['reading', { account: acc, meter: 'C1', taken_on: '24.10.2026', value: '18,272' }],
  ['reading', { account: acc, meter: 'C1', taken_on: '2026-02-30', value: '1' }],
  ['reading', { account: acc, meter: 'C1', taken_on: '2026-10-24', value: '-1' }],
  ['reading', { account: '1000 0000 0000 001', meter: 'C1', taken_on: '2026-10-24', value: '1' }],
  ['charge', { account: acc, service: 'gas', period: '2026-10', volume: '1', tariff: '1', amount: '1' }],
  ['charge', { account: acc, service: 'cold_water', period: '10.2026', volume: '1', tariff: '1.001', amount: '1' }],
  ['payment', { account: acc, ref: 'x'.repeat(65), kind: 'k', received_on: '2026-10-10', amount: '1' }],
  ['statement', { account: acc, period: '2026-10', opening: '1', charged: '1', volume: '1', closing: '3' }],
  ['service_statement', { account: acc, service: 'cold_water', period: '2026-10', opening: 1, charged: '0', closing: '1' }],
];

describe('the fast way for plain rows of the staged kinds', () => {
  it('makes of a plain row what the schema and toStage make of it', () => {
    for (const [kind, data] of rows) {
      const fast = fastStage[kind]?.(data);
      expect(fast, `${kind} ${JSON.stringify(data)}`).not.toBeNull();
      expect(fast).toEqual(bySchema(kind, data));
    }
  });

  it('leaves any other row to the schema (which reports or normalises it)', () => {
    for (const [kind, data] of odd) expect(fastStage[kind]?.(data), `${kind} ${JSON.stringify(data)}`).toBeNull();
  });
});
