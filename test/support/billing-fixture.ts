import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createBilling, viaTelegram, type Billing } from '../../src/billing/index.ts';
import { importFiles } from '../../src/billing/import/index.ts';
import { freshDatabase, type TestDatabase } from './db.ts';
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

/** Gives consent as `telegramId`, links Алла's account (002901800602302) and confirms `address` with the code the service returns. */
export async function residentWithAddress(billing: Billing, telegramId: number, address: string, language: 'ru' | 'en' = 'ru') {
  const actor = viaTelegram(telegramId);
  await billing.residents.giveConsent({ actor, version: 't', language });
  await billing.residents.linkAccount({
    actor,
    proof: { by: 'number', longNumber: '002901800602302', house: '7', flat: '30', flatPrefix: null, surname: 'михайлова', pin: null },
  });
  const sent = await billing.email.requestCode({ actor, address });
  await billing.email.confirm({ actor, code: sent.ok ? sent.value.code : '' });
  return telegramId;
}

/**
 * The payment behind Семёнов's October statement (paid 437,33, closing −470,46: an overpayment),
 * imported on top of the fixture. Not in the fixture itself: bot tests page his payment history.
 */
export async function payOverpaidAccount(db: TestDatabase) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'overpaid-'));
  try {
    const file = path.join(dir, 'history.jsonl');
    const payment = { record: 'payment', account: '002901800602303', ref: 'S-OCT', kind: 'Сбербанк Онлайн', received_on: '2026-10-20', amount: '437.33' };
    await writeFile(file, `${JSON.stringify(payment)}\n`);
    const report = await importFiles(db.orm, [file]);
    if (report.errorCount) throw new Error(`payment import: ${JSON.stringify(report.errors)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
