import { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Account, Meter, Reading, Service, Tariff, type ServiceCode } from '../db/entities/index.ts';
import { createBilling, viaTelegram, type Billing } from '../src/billing/index.ts';
import { ormOptions } from '../src/db/orm-options.ts';
import { chargeFor, kopecksFrom, milliFrom } from '../src/money/exact.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { NOW, STAFF } from './support/fixture.ts';

/**
 * A submission's charge is worked out from the readings it loaded, and written with them in one
 * statement. These tests hold it to the rule as the service computed it before, entity by entity
 * from what is in the base after the write (the oracle below), through the cases the rules tell
 * apart; and they count the statements of one submission, so that its round trips do not grow back.
 */

let db: TestDatabase;
let billing: Billing;
let clock = NOW;
let alla: number;
let olga: number;
let cold: number;
let hot: number;
let olgaCold: number;
let olgaHot: number;
let counter = 0;
const key = () => `charges-${++counter}`;

/** The period's accrual as the previous path computed it: per meter (all of them), the latest reading in force in the period against the latest before it. */
async function oracle(accountId: number, period: string) {
  const em = db.orm.em.fork();
  const account = await em.findOneOrFail(Account, accountId);
  const meters = await em.find(Meter, { account }, { populate: ['service'] });
  const volumes = new Map<ServiceCode, number>([
    ['cold_water', 0],
    ['hot_water', 0],
  ]);
  for (const m of meters) {
    const [inPeriod] = await em.find(Reading, { meter: m, period, supersededAt: null }, { orderBy: { takenOn: 'desc', recordedAt: 'desc' }, limit: 1 });
    if (!inPeriod) continue;
    const [before] = await em.find(
      Reading,
      { meter: m, supersededAt: null, period: { $lt: period } },
      { orderBy: { takenOn: 'desc', recordedAt: 'desc' }, limit: 1 },
    );
    if (!before) continue;
    const code = m.service.$.code;
    volumes.set(code, (volumes.get(code) ?? 0) + Math.max(0, inPeriod.value - before.value));
  }
  volumes.set('sewerage', (volumes.get('cold_water') ?? 0) + (volumes.get('hot_water') ?? 0));
  const rows: Record<string, { volume: number; tariff: number; amount: number }> = {};
  for (const [code, volume] of volumes) {
    const service = await em.findOneOrFail(Service, { code });
    const [tariff] = await em.find(Tariff, { branch: account.branch, service, validFrom: { $lte: period } }, { orderBy: { validFrom: 'desc' }, limit: 1 });
    if (tariff) rows[code] = { volume, tariff: tariff.price, amount: chargeFor(volume, tariff.price) };
  }
  const water = (rows.cold_water?.amount ?? 0) + (rows.hot_water?.amount ?? 0);
  const sewage = rows.sewerage?.amount ?? 0;
  return { rows, summary: { period, water, sewage, total: water + sewage } };
}

/** The accrual rows in the base, read back exactly. */
async function chargeRows(accountId: number, period: string) {
  const rows = await db.orm.em.fork().execute<{ code: string; volume: string; tariff: string; amount: string }[]>(
    `select s.code, c.volume::text, c.tariff::text, c.amount::text from charge c join service s on s.id = c.service_id
       where c.account_id = ? and c.period = ? and c.kind = 'accrual'`,
    [accountId, period],
  );
  return Object.fromEntries(rows.map((r) => [r.code, { volume: milliFrom(r.volume)!, tariff: kopecksFrom(r.tariff)!, amount: kopecksFrom(r.amount)! }]));
}

/** Submits as the branch's operator, then holds the answer and the rows written to the oracle; returns the answer. */
async function submitAndCheck(input: {
  accountId: number;
  entries: { meterId: number; value?: number; volume?: number }[];
  confirmPartial?: boolean;
  takenOn?: string;
}) {
  const r = await billing.readings.submit({ actor: STAFF, submission: key(), ...input });
  if (!r.ok || r.value.status !== 'stored') throw new Error(`not stored: ${JSON.stringify(r)}`);
  const expected = await oracle(input.accountId, r.value.charges.period);
  expect(r.value.charges).toEqual(expected.summary);
  expect(await chargeRows(input.accountId, r.value.charges.period)).toEqual(expected.rows);
  return r.value;
}

const sql = (q: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute(q, params);

beforeAll(async () => {
  const fixture = await openFixtureBilling(() => clock);
  ({ db, billing } = fixture);
  alla = await fixture.accountId('002901800602302');
  olga = await fixture.accountId('002901800602304');
  const prepared = await billing.readings.prepare({ actor: STAFF, accountId: alla });
  if (!prepared.ok) throw new Error('prepare');
  cold = prepared.value.meters.find((m) => m.serial === '17356088')!.meterId;
  hot = prepared.value.meters.find((m) => m.serial === '17356089')!.meterId;
  // The hot meter gets October's reading; the disconnected one a reading before November and one in it
  // (the month's charge counts every meter of the account, not only those a resident passes).
  await sql(`insert into reading (meter_id, value, taken_on, source, period) values (?, 20.000, '2026-10-23', 'receipt', '2026-10-01')`, [hot]);
  await sql(
    `insert into reading (meter_id, value, taken_on, source, period)
     select m.id, v.value, v.taken_on, 'control', v.period from meter m,
       (values (100.000, date '2026-09-21', date '2026-09-01'), (103.250, date '2026-11-05', date '2026-11-01')) v(value, taken_on, period)
     where m.account_id = ? and m.serial = '0311046'`,
    [alla],
  );
  // Ольга's two meters, each with October's reading and a reading of billing's taken today, recorded now:
  // a submission of the same day is recorded earlier (the pinned clock), so billing's stays the newest.
  const [c, h] = await sql(
    `insert into meter (account_id, service_id, serial, place, verification_due)
     select ?, s.id, 'OL-' || s.code, 'кухня', date '2030-01-01' from service s where s.code in ('cold_water', 'hot_water') order by s.id returning id`,
    [olga],
  );
  [olgaCold, olgaHot] = [Number(c!.id), Number(h!.id)];
  await sql(
    `insert into reading (meter_id, value, taken_on, source, period, recorded_at) values
       (?, 10.000, '2026-10-22', 'receipt', '2026-10-01', '2026-10-22T10:00:00Z'), (?, 5.000, '2026-10-22', 'receipt', '2026-10-01', '2026-10-22T10:00:00Z'),
       (?, 13.000, '2026-11-22', 'receipt', '2026-11-01', '2026-11-22T10:00:00Z')`,
    [olgaCold, olgaHot, olgaCold],
  );
});
afterAll(async () => db.drop());

describe("a submission's charge is the rule's (seed 000 §6)", () => {
  it('two meters passed: each meter against its last reading before the month, the disconnected one counted too', async () => {
    const r = await submitAndCheck({
      accountId: alla,
      entries: [
        { meterId: cold, value: 61_000 },
        { meterId: hot, value: 25_000 },
      ],
    });
    expect(r.readings).toEqual([
      { meterId: cold, value: 61_000, volume: 2_500, corrected: false },
      { meterId: hot, value: 25_000, volume: 5_000, corrected: false },
    ]);
    // Cold: 2.5 m³ passed + 3.25 m³ of the disconnected meter; hot 5 m³; sewage both.
    expect((await chargeRows(alla, '2026-11-01')).cold_water!.volume).toBe(5_750);
  });

  it('a correction within the month replaces the reading, and the charge follows the new value', async () => {
    const r = await submitAndCheck({ accountId: alla, entries: [{ meterId: cold, value: 60_000 }], confirmPartial: true });
    expect(r.readings).toEqual([{ meterId: cold, value: 60_000, volume: 1_500, corrected: true }]);
    expect((await chargeRows(alla, '2026-11-01')).cold_water!.volume).toBe(4_750);
  });

  it('the same values again under another key write nothing and charge the same', async () => {
    const before = await chargeRows(alla, '2026-11-01');
    const r = await submitAndCheck({
      accountId: alla,
      entries: [
        { meterId: cold, value: 60_000 },
        { meterId: hot, value: 25_000 },
      ],
    });
    expect(r.repeated).toBe(true);
    expect(await chargeRows(alla, '2026-11-01')).toEqual(before);
  });

  it('a value below the last one, or a counter that ran over 99 999 and began again, is refused and changes no charge', async () => {
    const before = await chargeRows(alla, '2026-11-01');
    const [{ n: readings }] = (await sql(`select count(*)::int as n from reading`)) as [{ n: number }];
    for (const value of [57_000, 1_500]) {
      const r = await billing.readings.submit({ actor: STAFF, accountId: alla, submission: key(), entries: [{ meterId: cold, value }], confirmPartial: true });
      // The previous in force is October's: the correction of this month's is compared with what it corrects.
      expect(r).toEqual({ ok: true, value: { status: 'refused', refusals: [{ meterId: cold, reason: 'below_previous', previous: 58_500 }] } });
    }
    expect(await chargeRows(alla, '2026-11-01')).toEqual(before);
    expect(await sql(`select count(*)::int as n from reading`)).toEqual([{ n: readings }]);
  });

  it('a day the calendar has not (45.13, 31.02) is invalid input, not an exception', async () => {
    for (const takenOn of ['2026-13-45', '2026-02-31']) {
      const r = await billing.readings.submit({
        actor: STAFF,
        accountId: alla,
        submission: key(),
        entries: [{ meterId: cold, value: 60_000 }],
        confirmPartial: true,
        takenOn,
      });
      expect(r.ok).toBe(false);
      expect(!r.ok && r.error.code).toBe('invalid_input');
    }
  });

  it('a volume of change corrects the reading from the one in force before it', async () => {
    const r = await submitAndCheck({ accountId: alla, entries: [{ meterId: hot, volume: 1_250 }], confirmPartial: true });
    expect(r.readings).toEqual([{ meterId: hot, value: 21_250, volume: 1_250, corrected: true }]);
  });

  it('a reading of the same day recorded later by billing stays the one the month is charged by', async () => {
    const r = await submitAndCheck({
      accountId: olga,
      entries: [
        { meterId: olgaCold, value: 14_000 },
        { meterId: olgaHot, value: 6_000 },
      ],
    });
    // Cold against billing's 13 m³ of today; charged 13 − 10 = 3 m³, not 4.
    expect(r.readings[0]).toEqual({ meterId: olgaCold, value: 14_000, volume: 1_000, corrected: false });
    expect((await chargeRows(olga, '2026-11-01')).cold_water!.volume).toBe(3_000);
  });

  it("after the window: next month's period, charged against this month's readings", async () => {
    clock = new Date('2026-11-27T09:00:00Z');
    try {
      const r = await submitAndCheck({
        accountId: alla,
        entries: [
          { meterId: cold, value: 63_000 },
          { meterId: hot, value: 22_000 },
        ],
      });
      expect(r.window.period).toBe('2026-12-01');
    } finally {
      clock = NOW;
    }
  });

  it('a day taken in the past: the period of its own window, corrected, charged', async () => {
    clock = new Date('2026-12-27T09:00:00Z');
    try {
      const r = await submitAndCheck({ accountId: alla, takenOn: '2026-12-22', entries: [{ meterId: cold, value: 64_000 }], confirmPartial: true });
      expect(r).toMatchObject({ window: { period: '2026-12-01', open: true }, readings: [{ corrected: true, volume: 4_000 }] });
    } finally {
      clock = NOW;
    }
  });
});

describe('the statements of one submission', () => {
  let counted: MikroORM;
  const lines: string[] = [];

  beforeAll(async () => {
    // The same ORM options with MikroORM's query log on, written to this list.
    counted = await MikroORM.init({ ...ormOptions({ clientUrl: db.url, poolMax: 2 }), debug: ['query'], colors: false, logger: (line) => lines.push(line) });
  });
  afterAll(async () => counted.close());

  it('a resident passing a reading: begin, the access check, the lock with the read, one write, commit', async () => {
    const resident = createBilling({ orm: counted, now: () => clock });
    const actor = viaTelegram(7_700_001);
    await resident.residents.giveConsent({ actor, version: 't' });
    const linked = await resident.residents.linkAccount({
      actor,
      proof: { by: 'number', longNumber: '002901800602302', house: '7', flat: '30', flatPrefix: null, surname: 'Михайлова', pin: null },
    });
    expect(linked.ok).toBe(true);
    // 27 December: the hot meter's verification has run out, the cold one is passed for January.
    clock = new Date('2026-12-27T09:00:00Z');
    lines.length = 0;
    const r = await resident.readings.submit({ actor, accountId: alla, submission: key(), entries: [{ meterId: cold, value: 65_000 }] });
    expect(r).toMatchObject({ ok: true, value: { status: 'stored', repeated: false, readings: [{ volume: 1_000 }] } });
    // Each line is «[query] <statement>» (the prefix coloured).
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/\] \S*begin/);
    expect(lines[2]).toMatch(/readings_state\(/);
    expect(lines[1]).toMatch(/account_link/);
    expect(lines[3]).toMatch(/readings_write\(/);
    expect(lines[4]).toMatch(/\] \S*commit/);

    // Refused, it is the same but the write.
    lines.length = 0;
    const refused = await resident.readings.submit({
      actor,
      accountId: alla,
      submission: key(),
      entries: [{ meterId: cold, value: 1_000 }],
      confirmPartial: true,
    });
    expect(refused).toMatchObject({ ok: true, value: { status: 'refused' } });
    expect(lines).toHaveLength(4);
    expect(lines.some((l) => l.includes('readings_write'))).toBe(false);
    clock = NOW;
  });
});
