import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBilling, type Billing } from '../src/billing/index.ts';
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
    const a = DEMO.essentukiAccount;
    const found = await billing.accounts.findByAddress({
      branchCode: a.branchCode,
      street: a.street,
      house: a.house,
      flat: a.flat,
      surname: a.surname,
    });
    expect(found).toMatchObject({ ok: true, value: { longNumber: a.longNumber, owner: 'Алла М.' } });
    const k = DEMO.zheleznovodskAccount;
    const byNumber = await billing.accounts.findByNumber({
      branchCode: k.branchCode,
      shortNumber: k.shortNumber,
      house: k.house,
      flat: k.flat,
      surname: k.surname.toLowerCase(),
      pin: k.pin!,
    });
    expect(byNumber).toMatchObject({ ok: true, value: { longNumber: k.longNumber } });
    const overpaid = await billing.balance.getPublic({ longNumber: DEMO.showcase.overpaid.longNumber });
    expect(overpaid.ok && overpaid.value.balance).toBeLessThan(0);
    const overdue = await billing.balance.getPublic({ longNumber: DEMO.showcase.overdueMeter.longNumber });
    expect(overdue.ok && overdue.value.verification?.state).toBe('expired');
    const soon = await billing.balance.getPublic({ longNumber: DEMO.showcase.soonDue.longNumber });
    expect(soon.ok && soon.value.verification?.state).toBe('due_soon');
  });
});
