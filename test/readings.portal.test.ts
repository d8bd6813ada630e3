import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viaTelegram, viaWebVisitor, type Billing } from '../src/billing/index.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';

// Readings passed on the web pages are the «личный кабинет» (source `portal`), as billing calls
// its former portal's; those of billing (loaded by the import, without a submission key) are its own.

let db: TestDatabase;
let billing: Billing;
let cold: number;
const byPlace = { longNumber: '002901800602302', house: '7', flat: '30' };
const rows = async () =>
  db.orm.em
    .getConnection()
    .execute(
      `select value::text, source, submission is not null as ours, superseded_at is null as current from reading where meter_id = ? and period = '2026-11-01' order by id`,
      [cold],
    );

beforeAll(async () => {
  const fixture = await openFixtureBilling();
  ({ db, billing } = fixture);
  const prepared = await billing.readings.prepare({ actor: viaWebVisitor(), byPlace });
  if (!prepared.ok) throw new Error('prepare');
  cold = prepared.value.meters.find((m) => m.serial === '17356088')!.meterId;
});
afterAll(async () => db.drop());

/** The cold meter's value passed by number, house and flat: on the web pages, or by a resident in the bot. */
const pass = (actor: ReturnType<typeof viaWebVisitor> | ReturnType<typeof viaTelegram>, submission: string, value: number) =>
  billing.readings.submit({ actor, byPlace, submission, entries: [{ meterId: cold, value }], confirmPartial: true });

describe('readings passed on the web pages', () => {
  it('replace billing’s own portal reading of the same day, and are replaced by the bot’s and replace them', async () => {
    // Billing's former portal had a reading of this day (the import loaded it: no submission key).
    await db.orm.em
      .getConnection()
      .execute(`insert into reading (meter_id, value, taken_on, source, period) values (?, 60.000, date '2026-11-22', 'portal', date '2026-11-01')`, [cold]);
    const web = await pass(viaWebVisitor(), 'portal-web-1', 61_000);
    expect(web).toMatchObject({ ok: true, value: { status: 'stored', readings: [{ meterId: cold, value: 61_000, corrected: true }] } });
    expect(await rows()).toEqual([
      { value: '60.000', source: 'portal', ours: false, current: false },
      { value: '61.000', source: 'portal', ours: true, current: true },
    ]);
    // The same month through the bot corrects the web's, and the web's then corrects the bot's.
    const bot = await pass(viaTelegram(7_300_001), 'portal-tg-1', 61_500);
    expect(bot).toMatchObject({ ok: true, value: { status: 'stored', readings: [{ corrected: true }] } });
    const again = await pass(viaWebVisitor(), 'portal-web-2', 62_000);
    expect(again).toMatchObject({ ok: true, value: { status: 'stored', readings: [{ corrected: true, volume: 3_500 }] } });
    expect((await rows()).filter((r) => r.current)).toEqual([{ value: '62.000', source: 'portal', ours: true, current: true }]);
  });
});
