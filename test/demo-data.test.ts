import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBilling, viaTelegram, type Billing } from '../src/billing/index.ts';
import { seedDemoIfEmpty } from '../src/db/demo.ts';
import { DEMO } from '../db/seeders/DemoSeeder.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { NOW } from './support/fixture.ts';

let db: TestDatabase;
let billing: Billing;
const sql = async (q: string) => db.orm.em.getConnection().execute(q);

beforeAll(async () => {
  db = await freshDatabase();
  const result = await seedDemoIfEmpty(db.orm, NOW);
  expect(result?.accounts).toBe(200);
  billing = createBilling({ orm: db.orm, now: () => NOW });
});
afterAll(async () => db.drop());

describe('demo data', () => {
  it('is loaded only into an empty database', async () => {
    expect(await seedDemoIfEmpty(db.orm, NOW)).toBeNull();
  });

  it('has two branches, about 200 accounts and 24 months of statements each', async () => {
    const [c] = await sql(`select (select count(*) from branch)::int as branches, (select count(*) from account)::int as accounts,
      (select count(distinct period) from statement)::int as months, (select count(*) from statement)::int as statements`);
    expect(c).toEqual({ branches: 2, accounts: 200, months: 24, statements: 4800 });
  });

  it('details every month by service («Детализация по услугам»), the services adding up to the statement to the kopeck', async () => {
    const [c] = await sql(`select count(*)::int as months,
        count(*) filter (where s.opening <> d.opening or s.charged <> d.charged or s.recalculation <> d.recalculation
          or s.benefits <> d.benefits or s.paid <> d.paid or s.closing <> d.closing)::int as off
      from statement s join (select account_id, period, sum(opening) as opening, sum(charged) as charged, sum(recalculation) as recalculation,
          sum(benefits) as benefits, sum(paid) as paid, sum(closing) as closing from service_statement group by account_id, period) d
        on d.account_id = s.account_id and d.period = s.period`);
    expect(c).toEqual({ months: 4800, off: 0 });
    // A service's closing is its next month's opening.
    const [gaps] = await sql(`select count(*)::int as n from service_statement a join service_statement b
      on b.account_id = a.account_id and b.service_id = a.service_id and b.period = a.period + interval '1 month' where b.opening <> a.closing`);
    expect(gaps).toEqual({ n: 0 });
  });

  it('gives each branch its dispatcher, visiting days and hours, the public holidays off and the area it serves', async () => {
    const branches = await sql(`select code, dispatcher_phone, visit_days, visit_hour_from, visit_hour_to, visit_within_days, days_off,
      area_latitude::float8 as lat, area_longitude::float8 as lon, area_radius_km from branch order by code`);
    expect(branches).toMatchObject([
      { code: 'essentuki', dispatcher_phone: '(87934) 6-34-00', visit_days: '12345', visit_hour_from: 8, visit_hour_to: 17, visit_within_days: 15 },
      { code: 'zheleznovodsk', dispatcher_phone: '(87932) 3-11-50', visit_days: '12345', visit_hour_from: 8, visit_hour_to: 17, visit_within_days: 15 },
    ]);
    const [ess, zhel] = branches as Array<{ lat: number; lon: number; area_radius_km: number; days_off: string }>;
    expect([ess, zhel].map((b) => [b!.lat, b!.lon, b!.area_radius_km])).toEqual([
      [44.044, 42.86, 12],
      [44.139, 43.02, 8],
    ]);
    // Neither town's centre is in the other's area.
    const km = Math.hypot((ess!.lat - zhel!.lat) * 111.2, (ess!.lon - zhel!.lon) * 111.2 * Math.cos((ess!.lat * Math.PI) / 180));
    expect(km).toBeGreaterThan(Math.max(ess!.area_radius_km, zhel!.area_radius_km));
    for (const b of [ess!, zhel!]) {
      const days = b.days_off.split(',');
      expect(days).toEqual([...days].sort());
      for (const day of ['2026-12-31', '2027-01-01', '2027-01-08', '2027-02-23', '2027-03-08', '2027-05-01', '2027-05-09', '2027-06-12', '2027-11-04'])
        expect(days).toContain(day);
      expect(days.every((d) => !Number.isNaN(Date.parse(d)) && new Date(d).toISOString().startsWith(d))).toBe(true);
    }
  });

  it('offers inspector-call reasons for a meter past verification and for a reading below the previous one; not the debt disconnection', async () => {
    const reasons = await sql(`select code, name, use_in_bot, meter_issue from inspector_call_reason order by sort`);
    expect(reasons.filter((r) => r.meter_issue)).toEqual([
      { code: 'after_verification', name: 'Проверка после поверки', use_in_bot: true, meter_issue: 'verification_expired' },
      { code: 'reading_check', name: 'Показания меньше предыдущих (проверка счётчика)', use_in_bot: true, meter_issue: 'below_previous' },
    ]);
    expect(reasons.find((r) => r.code === 'debt_disconnection')).toMatchObject({ use_in_bot: false, meter_issue: null });
  });

  it("balances every statement to the kopeck, and each month opens with the last one's closing", async () => {
    const [unbalanced] = await sql(`select count(*)::int as n from statement where closing <> opening + charged - benefits - paid`);
    expect(unbalanced!.n).toBe(0);
    const [broken] = await sql(`select count(*)::int as n from (
      select opening, lag(closing) over (partition by account_id order by period) as prev from statement) s
      where prev is not null and opening <> prev`);
    expect(broken!.n).toBe(0);
    const [charges] = await sql(`select count(*)::int as n from statement s where s.charged <> coalesce(
      (select sum(amount) from charge c where c.account_id = s.account_id and c.period = s.period), 0)`);
    expect(charges!.n).toBe(0);
    const [payments] = await sql(`select count(*)::int as n from statement s where s.paid <> coalesce(
      (select sum(amount) from payment p where p.account_id = s.account_id and date_trunc('month', p.received_on) = s.period), 0)`);
    expect(payments!.n).toBe(0);
  });

  it('has meters whose verification has passed and ones due within 30 days', async () => {
    const [m] = await sql(`select count(*) filter (where verification_due < '2026-11-22')::int as passed,
      count(*) filter (where verification_due between '2026-11-22' and '2026-12-22')::int as soon
      from meter where status = 'active'`);
    expect(m!.passed).toBeGreaterThan(5);
    expect(m!.soon).toBeGreaterThan(5);
  });

  it('lets a resident find the demo accounts through the billing services', async () => {
    const actor = viaTelegram(9_100_001);
    expect((await billing.residents.giveConsent({ actor, version: 'test-1' })).ok).toBe(true);
    const a = DEMO.essentukiAccount;
    const found = await billing.residents.linkAccount({
      actor,
      proof: { by: 'address', branchCode: a.branchCode, street: a.street, house: a.house, flat: a.flat, surname: a.surname },
    });
    expect(found).toMatchObject({ ok: true, value: { account: { longNumber: a.longNumber, owner: 'Алла М.' } } });
    const k = DEMO.zheleznovodskAccount;
    const byNumber = await billing.residents.linkAccount({
      actor,
      proof: {
        by: 'number',
        branchCode: k.branchCode,
        shortNumber: k.shortNumber,
        house: k.house,
        flat: k.flat,
        surname: k.surname.toLowerCase(),
        pin: k.pin!,
      },
    });
    expect(byNumber).toMatchObject({ ok: true, value: { account: { longNumber: k.longNumber } } });
    const overpaid = await billing.balance.getPublic({ longNumber: DEMO.showcase.overpaid.longNumber });
    expect(overpaid.ok && overpaid.value.balance).toBeLessThan(0);
    const overdue = await billing.balance.getPublic({ longNumber: DEMO.showcase.overdueMeter.longNumber });
    expect(overdue.ok && overdue.value.verification?.state).toBe('expired');
    const soon = await billing.balance.getPublic({ longNumber: DEMO.showcase.soonDue.longNumber });
    expect(soon.ok && soon.value.verification?.state).toBe('due_soon');
  });
});
