import { createBilling } from '../../src/billing/index.ts';
import { importFiles } from '../../src/billing/import/index.ts';
import { freshDatabase } from './db.ts';
import { FIXTURE_DIR, NOW } from './fixture.ts';

/** A database of its own with the fixture export loaded, and the billing services on it. */
export async function openFixtureBilling(now: () => Date = () => NOW) {
  const db = await freshDatabase();
  const report = await importFiles(db.orm, [FIXTURE_DIR]);
  if (report.errorCount) throw new Error(`fixture import: ${JSON.stringify(report.errors)}`);
  const billing = createBilling({ orm: db.orm, now });
  /** The id of a fixture account by its 15-digit number. */
  const accountId = async (longNumber: string) => {
    const [row] = await db.orm.em.getConnection().execute(`select id from account where long_number = ?`, [longNumber]);
    if (!row) throw new Error(`no fixture account ${longNumber}`);
    return Number(row.id);
  };
  return { db, billing, accountId };
}
