// npm run bench:pdf [-- --receipts 400]
// Renders receipts of the demo accounts one after another (one core) and prints receipts/s,
// p50/p99 ms and the average size. Target: ≥ 40 receipts/s, ≤ 60 KB each.
import pg from 'pg';
import { Account } from '../../db/entities/index.ts';
import { createBilling, type ReceiptData } from '../../src/billing/index.ts';
import { createI18n } from '../../src/bot/create-bot.ts';
import { addressLine } from '../../src/words.ts';
import { seedDemoIfEmpty } from '../../src/db/demo.ts';
import { migrate, openOrm } from '../../src/db/orm.ts';
import { monthParts } from '../../src/format.ts';
import { renderReceiptPdf } from '../../src/pdf/receipt-pdf.ts';
import { STAFF } from '../support/fixture.ts';

const i = process.argv.indexOf('--receipts');
const COUNT = i > 0 ? Number(process.argv[i + 1]) : 400;
const SERVER = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';

async function main() {
  const dbName = `vodokanal_pdfbench_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const orm = await openOrm(`${SERVER}/${dbName}`);
  try {
    await migrate(orm);
    await seedDemoIfEmpty(orm);
    const billing = createBilling({ orm });
    const accounts = await orm.em.fork().find(Account, {}, { fields: ['id'], orderBy: { id: 'asc' } });
    // The data is read first: this measures the rendering, which is what runs per request on top of two queries.
    const receipts: ReceiptData[] = [];
    for (const a of accounts) {
      const months = await billing.receipts.months({ actor: STAFF, accountId: a.id });
      const month = months.ok ? months.value.months[0] : undefined;
      const r = month ? await billing.receipts.forMonth({ actor: STAFF, accountId: a.id, month }) : null;
      if (r?.ok) receipts.push(r.value);
    }
    const i18n = createI18n();
    const t = (key: string, vars?: Record<string, string | number>) => i18n.t('ru', key, vars);
    const render = (r: ReceiptData) =>
      renderReceiptPdf(r, t, {
        monthName: t('receipt-month', monthParts(r.month)),
        addressLine: addressLine(t, r.payer.address),
        serviceName: (c) => t(`service-${c}`),
      });
    for (let k = 0; k < 20; k++) await render(receipts[k % receipts.length]!); // warm-up
    const times: number[] = [];
    let bytes = 0;
    const started = performance.now();
    for (let k = 0; k < COUNT; k++) {
      const t0 = performance.now();
      const pdf = await render(receipts[k % receipts.length]!);
      times.push(performance.now() - t0);
      bytes += pdf.length;
    }
    const seconds = (performance.now() - started) / 1000;
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
    const perSecond = COUNT / seconds;
    const avgKb = bytes / COUNT / 1024;
    console.log(
      `${COUNT} receipts (${receipts.length} demo accounts) on one core: ${perSecond.toFixed(1)} receipts/s, p50 ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms, average ${avgKb.toFixed(1)} KB`,
    );
    console.log(`target ≥ 40 receipts/s and ≤ 60 KB: ${perSecond >= 40 && avgKb <= 60 ? 'met' : 'NOT met'}`);
  } finally {
    await orm.close();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

await main();
