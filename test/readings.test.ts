import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Billing } from '../src/billing/index.ts';
import type { TestDatabase } from './support/db.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import { NOW, STAFF } from './support/fixture.ts';

let db: TestDatabase;
let billing: Billing;
let clock = NOW;
let alla: number;
let cold: number;
let hot: number;
let counter = 0;
const submission = () => `test-submission-${++counter}`;

beforeAll(async () => {
  const fixture = await openFixtureBilling(() => clock);
  ({ db, billing } = fixture);
  alla = await fixture.accountId('002901800602302');
  const prepared = await billing.readings.prepare({ actor: STAFF, accountId: alla });
  if (!prepared.ok) throw new Error('prepare');
  cold = prepared.value.meters.find((m) => m.serial === '17356088')!.meterId;
  hot = prepared.value.meters.find((m) => m.serial === '17356089')!.meterId;
});
afterAll(async () => db.drop());

const current = async (meterId: number) =>
  db.orm.em
    .getConnection()
    .execute(`select value::text, source, period::text, superseded_at is null as current from reading where meter_id = ? order by id`, [meterId]);

describe('passing readings (seed 000 §6, seed 003)', () => {
  it('prepares the active meters with their last reading, usual consumption and the window', async () => {
    const r = await billing.readings.prepare({ actor: STAFF, accountId: alla });
    expect(r).toMatchObject({
      ok: true,
      value: {
        today: '2026-11-22',
        window: { open: true, period: '2026-11-01', opensOn: '2026-11-20', closesOn: '2026-11-25' },
        meters: [
          { serial: '17356088', service: 'cold_water', last: { value: 58_500, takenOn: '2026-10-23' }, verificationState: 'ok' },
          { serial: '17356089', service: 'hot_water', last: null, verificationState: 'due_soon', usualMonthly: null },
        ],
      },
    });
    const usual = r.ok ? r.value.meters[0]!.usualMonthly! : 0;
    expect(usual).toBeGreaterThan(4_000); // 8.5 m³ over 62 days
    expect(usual).toBeLessThan(4_300);
  });

  it('asks to confirm when only some meters are passed', async () => {
    const r = await billing.readings.submit({ actor: STAFF, accountId: alla, submission: submission(), entries: [{ meterId: cold, value: 61_000 }] });
    expect(r).toEqual({ ok: true, value: { status: 'needs_confirmation', missing: [hot], unusual: [] } });
    expect((await current(cold)).length).toBe(3); // nothing stored
  });

  it('stores a confirmed reading at once and charges it: water and sewage', async () => {
    const key = submission();
    const r = await billing.readings.submit({
      actor: STAFF,
      accountId: alla,
      submission: key,
      entries: [{ meterId: cold, value: 61_000 }],
      confirmPartial: true,
    });
    // 2.5 m³ × 52.10 ₽ = 130.25 ₽; sewage 2.5 m³ × 25.09 ₽ = 62.725 → 62.73 ₽
    expect(r).toMatchObject({
      ok: true,
      value: {
        status: 'stored',
        repeated: false,
        readings: [{ meterId: cold, value: 61_000, volume: 2_500, corrected: false }],
        charges: { period: '2026-11-01', water: 13_025, sewage: 6_273, total: 19_298 },
      },
    });
    const again = await billing.readings.submit({
      actor: STAFF,
      accountId: alla,
      submission: key,
      entries: [{ meterId: cold, value: 61_000 }],
      confirmPartial: true,
    });
    expect(again).toMatchObject({ ok: true, value: { status: 'stored', repeated: true } });
    expect((await current(cold)).filter((x) => x.current)).toHaveLength(4);
    const balance = await billing.balance.get({ actor: STAFF, accountId: alla });
    // 432.85 + 104.20 (imported November charge, now recomputed to 130.25) + 62.73 − 300.00
    expect(balance.ok && balance.value.balance).toBe(43_285 + 13_025 + 6_273 - 30_000);
  });

  it('corrects a reading of this period: the new value replaces it, the history keeps both', async () => {
    const r = await billing.readings.submit({
      actor: STAFF,
      accountId: alla,
      submission: submission(),
      entries: [{ meterId: cold, value: 60_000 }],
      confirmPartial: true,
    });
    expect(r).toMatchObject({ ok: true, value: { status: 'stored', readings: [{ volume: 1_500, corrected: true }], charges: { water: 7_815 } } });
    const rows = await current(cold);
    expect(rows.slice(-2)).toEqual([
      { value: '61.000', source: 'telegram', period: '2026-11-01', current: false },
      { value: '60.000', source: 'telegram', period: '2026-11-01', current: true },
    ]);
  });

  it('shows the replaced reading in the history too, marked, beside the one in force', async () => {
    const history = await billing.readings.history({ actor: STAFF, accountId: alla, meterId: cold, limit: 3 });
    // recordedOn is when the row was written (the database's clock), in the branch's timezone.
    const recordedOn = expect.stringMatching(/^\d{4}-\d\d-\d\d$/);
    expect(history.ok && history.value.items).toEqual([
      { takenOn: '2026-11-22', source: 'telegram', value: 60_000, volume: 1_500, period: '2026-11', recordedOn },
      { takenOn: '2026-11-22', source: 'telegram', value: 61_000, volume: 2_500, period: '2026-11', recordedOn, replacedOn: '2026-11-22' },
      { takenOn: '2026-10-23', source: 'receipt', value: 58_500, volume: 4_500, period: '2026-10', recordedOn },
    ]);
    expect(history.ok && history.value.total).toBe(5);
  });

  it('refuses a value below the previous one', async () => {
    const r = await billing.readings.submit({
      actor: STAFF,
      accountId: alla,
      submission: submission(),
      entries: [{ meterId: cold, value: 57_000 }],
      confirmPartial: true,
    });
    expect(r).toEqual({ ok: true, value: { status: 'refused', refusals: [{ meterId: cold, reason: 'below_previous', previous: 58_500 }] } });
  });

  it('asks «are you sure?» for an unusual volume, and stores it when confirmed', async () => {
    const entries = [{ meterId: cold, value: 90_000 }];
    const asked = await billing.readings.submit({ actor: STAFF, accountId: alla, submission: submission(), entries, confirmPartial: true });
    expect(asked).toMatchObject({ ok: true, value: { status: 'needs_confirmation', unusual: [{ meterId: cold, volume: 31_500 }] } });
    const stored = await billing.readings.submit({
      actor: STAFF,
      accountId: alla,
      submission: submission(),
      entries,
      confirmPartial: true,
      confirmUnusual: [cold],
    });
    expect(stored).toMatchObject({ ok: true, value: { status: 'stored', readings: [{ volume: 31_500, corrected: true }] } });
  });

  it('does not accept a meter whose verification date has passed', async () => {
    const [other] = await db.orm.em.fork().execute<{ id: number }[]>(`select id from account where long_number = '002901800602303'`);
    if (!other) throw new Error('fixture');
    const prepared = await billing.readings.prepare({ actor: STAFF, accountId: other.id });
    const meter = prepared.ok ? prepared.value.meters[0]! : null;
    expect(meter?.verificationState).toBe('expired');
    const r = await billing.readings.submit({
      actor: STAFF,
      accountId: other.id,
      submission: submission(),
      entries: [{ meterId: meter!.meterId, value: 10_000 }],
    });
    expect(r).toEqual({ ok: true, value: { status: 'refused', refusals: [{ meterId: meter!.meterId, reason: 'verification_expired' }] } });
  });

  it('stores one reading when the same submission arrives twice at once', async () => {
    const key = submission();
    const both = await Promise.all(
      [1, 2].map(() =>
        billing.readings.submit({
          actor: STAFF,
          accountId: alla,
          submission: key,
          entries: [
            { meterId: cold, value: 91_000 },
            { meterId: hot, value: 5_000 },
          ],
          confirmUnusual: [cold],
        }),
      ),
    );
    expect(both.map((r) => r.ok && r.value.status)).toEqual(['stored', 'stored']);
    expect(both.filter((r) => r.ok && r.value.status === 'stored' && r.value.repeated)).toHaveLength(1);
    const [n] = await db.orm.em.getConnection().execute(`select count(*)::int as n from reading where submission = ?`, [key]);
    expect(n!.n).toBe(2);
  });

  it('after the window a reading counts for the next month, and so does its charge: the balance takes it in when that window opens', async () => {
    clock = new Date('2026-11-27T09:00:00Z');
    const balance = async () => {
      const b = await billing.balance.get({ actor: STAFF, accountId: alla });
      if (!b.ok) throw new Error('balance');
      return b.value.balance;
    };
    try {
      const before = await balance();
      const r = await billing.readings.submit({
        actor: STAFF,
        accountId: alla,
        submission: submission(),
        entries: [
          { meterId: cold, value: 92_000 },
          { meterId: hot, value: 5_500 },
        ],
        confirmUnusual: [cold],
      });
      expect(r).toMatchObject({
        ok: true,
        value: { status: 'stored', window: { open: false, period: '2026-12-01', opensOn: '2026-12-20' }, charges: { period: '2026-12-01' } },
      });
      const total = r.ok && r.value.status === 'stored' ? r.value.charges.total : 0;
      expect(total).toBeGreaterThan(0);
      // «будут учтены с 20.12»: not in the balance before then…
      expect(await balance()).toBe(before);
      clock = new Date('2026-12-19T20:00:00Z'); // 19 December, 23:00 in Moscow
      expect(await balance()).toBe(before);
      // …and in it from that day.
      clock = new Date('2026-12-19T21:30:00Z'); // 20 December, 00:30 in Moscow
      expect(await balance()).toBe(before + total);
    } finally {
      clock = NOW;
    }
  });

  it('refuses a meter of another account', async () => {
    const r = await billing.readings.submit({ actor: STAFF, accountId: alla, submission: submission(), entries: [{ meterId: 999_999, value: 1 }] });
    expect(r).toEqual({ ok: false, error: { code: 'meter_not_found' } });
  });

  describe('the date taken (seeds 001/002)', () => {
    // 27 December in Moscow: past the window of the 20th–25th, today's reading would count for January.
    const later = new Date('2026-12-27T09:00:00Z');
    const pass = (takenOn: string, key = submission()) =>
      billing.readings.submit({
        actor: STAFF,
        accountId: alla,
        submission: key,
        takenOn,
        // The hot water meter's verification has run out by then: only the cold one is passed.
        entries: [{ meterId: cold, value: 99_000 }],
        confirmPartial: true,
        confirmUnusual: [cold],
      });

    it('refuses a day after today, and stores nothing', async () => {
      clock = later;
      try {
        expect(await pass('2026-12-28')).toEqual({ ok: false, error: { code: 'taken_in_future', today: '2026-12-27' } });
        expect((await current(cold)).some((r) => r.value === '99000')).toBe(false);
      } finally {
        clock = NOW;
      }
    });

    it("refuses a day before the meter's last reading in force", async () => {
      clock = later;
      try {
        // The last reading in force was taken on 27 November (the test above it).
        expect(await pass('2026-11-21')).toEqual({ ok: false, error: { code: 'taken_before_last', meterId: cold, lastOn: '2026-11-27' } });
      } finally {
        clock = NOW;
      }
    });

    it('refuses what is not a calendar day', async () => {
      const r = await pass('2026-02-30');
      expect(r.ok ? null : r.error.code).toBe('invalid_input');
    });

    it('stores a past day as taken, in the period of its own window', async () => {
      clock = later;
      try {
        const key = submission();
        const r = await pass('2026-12-22', key);
        // Taken inside December's window: December's reading, counted at once, not January's.
        expect(r).toMatchObject({
          ok: true,
          value: { status: 'stored', window: { open: true, period: '2026-12-01' }, charges: { period: '2026-12-01' } },
        });
        const rows = await db.orm.em.getConnection().execute(`select taken_on::text, period::text from reading where submission = ? order by meter_id`, [key]);
        expect(rows).toEqual([{ taken_on: '2026-12-22', period: '2026-12-01' }]);
        // Today's date by default still counts for January.
        const today = await billing.readings.submit({
          actor: STAFF,
          accountId: alla,
          submission: submission(),
          entries: [{ meterId: cold, value: 99_500 }],
          confirmPartial: true,
        });
        expect(today).toMatchObject({ ok: true, value: { status: 'stored', window: { period: '2027-01-01' } } });
      } finally {
        clock = NOW;
      }
    });

    it('«объём изменения»: a volume instead of the value is added to the last reading in force', async () => {
      clock = later;
      try {
        // January's reading (99,500 taken today) is corrected; the one in force before it is December's 99,000.
        const r = await billing.readings.submit({
          actor: STAFF,
          accountId: alla,
          submission: submission(),
          entries: [{ meterId: cold, volume: 700 }],
          confirmPartial: true,
        });
        expect(r).toMatchObject({ ok: true, value: { status: 'stored', readings: [{ meterId: cold, value: 99_700, volume: 700, corrected: true }] } });
        for (const entries of [[{ meterId: cold }], [{ meterId: cold, value: 99_800, volume: 100 }]]) {
          const bad = await billing.readings.submit({ actor: STAFF, accountId: alla, submission: submission(), entries, confirmPartial: true });
          expect(bad.ok ? null : bad.error.code).toBe('invalid_input');
        }
      } finally {
        clock = NOW;
      }
    });
  });
});
