// npm run bench:import [-- --accounts 100000]
// Generates a billing export (100,000 accounts, 2 meters and 24 monthly statements each, as CSV),
// imports it into a fresh PostgreSQL database and prints the throughput. Target: under 2 minutes.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openOrm, migrate } from '../../src/db/orm.ts';
import { importFiles } from '../../src/billing/import/index.ts';
import { kopecksToDecimal, milliToDecimal } from '../../src/money/exact.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ACCOUNTS = arg('accounts', 100_000);
const MONTHS = 24;
const period = (m: number) => `${2024 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
const SERVER = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';

async function writeCsv(file: string, header: string[], rows: (emit: (cells: (string | number)[]) => Promise<void>) => Promise<void>) {
  const out = createWriteStream(file);
  out.write(`${header.join(';')}\n`);
  await rows(async (cells) => {
    if (!out.write(`${cells.join(';')}\n`)) await once(out, 'drain');
  });
  out.end();
  await once(out, 'finish');
}

async function generate(dir: string) {
  await writeCsv(path.join(dir, 'branches.csv'), ['code', 'name', 'timezone'], async (emit) => {
    await emit(['bench_a', 'Branch A', 'Europe/Moscow']);
    await emit(['bench_b', 'Branch B', 'Europe/Samara']);
  });
  const streets = Array.from({ length: 400 }, (_, i) => `street ${i + 1}`);
  await writeCsv(
    path.join(dir, 'accounts.csv'),
    ['branch', 'long_number', 'short_number', 'settlement', 'street', 'house', 'flat', 'owner_full_name', 'residents', 'area'],
    async (emit) => {
      for (let i = 0; i < ACCOUNTS; i++) {
        const branch = i % 2 ? 'bench_b' : 'bench_a';
        const street = streets[i % streets.length]!;
        const house = String(1 + (Math.floor(i / streets.length) % 60));
        const flat = String(1 + Math.floor(i / (streets.length * 60)));
        await emit([branch, String(100_000_000_000_000 + i), String(i), 'town', street, house, flat, `SURNAME${i} NAME PATRONYMIC`, 1 + (i % 4), '54.30']);
      }
    },
  );
  await writeCsv(path.join(dir, 'meters.csv'), ['account', 'serial', 'service', 'place', 'installed_on', 'verification_due', 'status'], async (emit) => {
    for (let i = 0; i < ACCOUNTS; i++) {
      const acc = String(100_000_000_000_000 + i);
      await emit([acc, `C${i}`, 'cold_water', 'bath', '2020-01-15', `${2027 + (i % 5)}-0${1 + (i % 9)}-15`, 'active']);
      await emit([acc, `H${i}`, 'hot_water', 'kitchen', '2020-01-15', `${2027 + (i % 5)}-0${1 + (i % 9)}-20`, 'active']);
    }
  });
  await writeCsv(path.join(dir, 'statements.csv'), ['account', 'period', 'opening', 'charged', 'volume', 'benefits', 'paid', 'closing'], async (emit) => {
    for (let i = 0; i < ACCOUNTS; i++) {
      const acc = String(100_000_000_000_000 + i);
      let opening = 0;
      for (let m = 0; m < MONTHS; m++) {
        const volume = 3000 + ((i * 7 + m * 13) % 5000);
        const charged = Math.round((volume * 4814) / 1000);
        const paid = m % 3 === 2 ? opening : 0;
        const closing = opening + charged - paid;
        await emit([acc, period(m), kopecksToDecimal(opening), kopecksToDecimal(charged), milliToDecimal(volume), '0', kopecksToDecimal(paid), kopecksToDecimal(closing)]);
        opening = closing;
      }
    }
  });
  // Per account and month: a reading of each meter and a charge for each of its services.
  await writeCsv(path.join(dir, 'readings.csv'), ['account', 'meter', 'taken_on', 'value', 'source'], async (emit) => {
    for (let i = 0; i < ACCOUNTS; i++) {
      const acc = String(100_000_000_000_000 + i);
      for (const [serial, per] of [[`C${i}`, 3000], [`H${i}`, 1800]] as const) {
        let value = 10_000 + (i % 9000) * 7;
        for (let m = 0; m < MONTHS; m++) {
          value += per + ((i + m) % 700);
          await emit([acc, serial, `${period(m)}-24`, milliToDecimal(value), 'receipt']);
        }
      }
    }
  });
  await writeCsv(path.join(dir, 'charges.csv'), ['account', 'service', 'period', 'kind', 'volume', 'tariff', 'amount'], async (emit) => {
    for (let i = 0; i < ACCOUNTS; i++) {
      const acc = String(100_000_000_000_000 + i);
      for (let m = 0; m < MONTHS; m++) {
        for (const [service, tariff] of [['cold_water', 4814], ['hot_water', 21_390]] as const) {
          const volume = 1000 + ((i * 3 + m * 11) % 4000);
          await emit([acc, service, period(m), 'accrual', milliToDecimal(volume), kopecksToDecimal(tariff), kopecksToDecimal(Math.round((volume * tariff) / 1000))]);
        }
      }
    }
  });
  // A payment every third month.
  await writeCsv(path.join(dir, 'payments.csv'), ['account', 'ref', 'kind', 'received_on', 'processed_on', 'amount'], async (emit) => {
    for (let i = 0; i < ACCOUNTS; i++) {
      const acc = String(100_000_000_000_000 + i);
      for (let m = 2; m < MONTHS; m += 3) {
        await emit([acc, `P-${i}-${m}`, 'Сбербанк Онлайн', `${period(m)}-10`, `${period(m)}-11`, kopecksToDecimal(50_000 + ((i * 13 + m) % 200_000))]);
      }
    }
  });
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vodokanal-bench-'));
  const dbName = `vodokanal_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  try {
    let t = performance.now();
    await generate(dir);
    const sizes = await Promise.all(['accounts.csv', 'meters.csv', 'statements.csv'].map((f) => stat(path.join(dir, f))));
    const mb = sizes.reduce((s, x) => s + x.size, 0) / 1e6;
    console.log(
      `generated ${ACCOUNTS} accounts, ${ACCOUNTS * 2} meters, ${ACCOUNTS * MONTHS} statements (${mb.toFixed(0)} MB CSV) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const orm = await openOrm(`${SERVER}/${dbName}`);
    await migrate(orm);
    t = performance.now();
    const report = await importFiles(orm, [dir]);
    const seconds = (performance.now() - t) / 1000;
    if (!report.committed) throw new Error(`import failed: ${JSON.stringify(report.errors.slice(0, 5))}`);
    const rows = Object.values(report.counts).reduce((s, c) => s + c.read, 0);
    console.log(
      `import: ${seconds.toFixed(1)} s total, ${Math.round(ACCOUNTS / seconds)} accounts/s, ${Math.round(rows / seconds)} rows/s, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
    );

    t = performance.now();
    const again = await importFiles(orm, [dir]);
    const changed = Object.values(again.counts).reduce((s, c) => s + c.inserted + c.updated, 0);
    console.log(`second run of the same files: ${((performance.now() - t) / 1000).toFixed(1)} s, ${changed} rows changed`);
    console.log(
      `target: under 120 s for 100,000 accounts — ${ACCOUNTS === 100_000 ? (seconds < 120 ? 'met' : 'NOT met') : 'run with the default size to check'}`,
    );
    await orm.close();
  } finally {
    clearInterval(sampler);
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
