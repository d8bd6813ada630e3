// npm run bench:import [-- --accounts 100000 --pins 1000]
// Generates a billing export as CSV, streamed to files: per account 2 meters and, over 24 months,
// 24 statements, 48 readings, 48 charges and 8 payments (131 rows an account: 13.1 M rows for
// 100,000 accounts); `--pins` of the accounts have a PIN. Imports it into a fresh PostgreSQL
// database, then again (nothing changes: recognised as the same export), then once more after
// another writer's statement (every row read and compared), and beside it, in the same run, the peer: the same
// CSV files loaded by PostgreSQL's COPY (psql \copy) into bare tables, then their natural keys
// built as unique indexes. Prints the times, the ratios and the peak RSS of this process.
// Targets: the import within 3x of the peer, the second run at least 3x faster than the first,
// RSS at most 1 GiB. BENCH_KEEP=1 keeps the generated files (their folder is printed).
import { execFile } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
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
const PINS = arg('pins', 1000);
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
    ['branch', 'long_number', 'short_number', 'settlement', 'street', 'house', 'flat', 'owner_full_name', 'residents', 'area', 'pin'],
    async (emit) => {
      for (let i = 0; i < ACCOUNTS; i++) {
        const branch = i % 2 ? 'bench_b' : 'bench_a';
        const street = streets[i % streets.length]!;
        const house = String(1 + (Math.floor(i / streets.length) % 60));
        const flat = String(1 + Math.floor(i / (streets.length * 60)));
        await emit([
          branch,
          String(100_000_000_000_000 + i),
          String(i),
          'town',
          street,
          house,
          flat,
          `SURNAME${i} NAME PATRONYMIC`,
          1 + (i % 4),
          '54.30',
          i < PINS ? `P${(i * 7919) % 1_000_000}` : '',
        ]);
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
        await emit([
          acc,
          period(m),
          kopecksToDecimal(opening),
          kopecksToDecimal(charged),
          milliToDecimal(volume),
          '0',
          kopecksToDecimal(paid),
          kopecksToDecimal(closing),
        ]);
        opening = closing;
      }
    }
  });
  // Per account and month: a reading of each meter and a charge for each of its services.
  await writeCsv(path.join(dir, 'readings.csv'), ['account', 'meter', 'taken_on', 'value', 'source'], async (emit) => {
    for (let i = 0; i < ACCOUNTS; i++) {
      const acc = String(100_000_000_000_000 + i);
      for (const [serial, per] of [
        [`C${i}`, 3000],
        [`H${i}`, 1800],
      ] as const) {
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
        for (const [service, tariff] of [
          ['cold_water', 4814],
          ['hot_water', 21_390],
        ] as const) {
          const volume = 1000 + ((i * 3 + m * 11) % 4000);
          await emit([
            acc,
            service,
            period(m),
            'accrual',
            milliToDecimal(volume),
            kopecksToDecimal(tariff),
            kopecksToDecimal(Math.round((volume * tariff) / 1000)),
          ]);
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

/** The peer's tables: each CSV file as it is, typed; the keys are the import's natural keys. */
const PEER: Record<string, { columns: string; keys: string[] }> = {
  branches: { columns: 'code text, name text, timezone text', keys: ['code'] },
  accounts: {
    columns:
      'branch text, long_number text, short_number text, settlement text, street text, house text, flat text, owner_full_name text, residents smallint, area numeric(10,2), pin text',
    keys: ['long_number', 'branch, short_number'],
  },
  meters: { columns: 'account text, serial text, service text, place text, installed_on date, verification_due date, status text', keys: ['account, serial'] },
  statements: {
    columns:
      'account text, period text, opening numeric(14,2), charged numeric(14,2), volume numeric(14,3), benefits numeric(14,2), paid numeric(14,2), closing numeric(14,2)',
    keys: ['account, period'],
  },
  readings: { columns: 'account text, meter text, taken_on date, value numeric(14,3), source text', keys: ['account, meter, taken_on, source'] },
  charges: {
    columns: 'account text, service text, period text, kind text, volume numeric(14,3), tariff numeric(14,2), amount numeric(14,2)',
    keys: ['account, service, period, kind'],
  },
  payments: { columns: 'account text, ref text, kind text, received_on date, processed_on date, amount numeric(14,2)', keys: ['account, ref'] },
};

const run = promisify(execFile);
/** COPY of every file into a fresh database (psql's \copy streams the file), then the keys. */
async function peer(admin: pg.Client, dir: string): Promise<{ copy: number; keys: number }> {
  const name = `vodokanal_bench_peer_${process.pid}`;
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const url = `${SERVER}/${name}`;
  try {
    const psql = (command: string) => run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url, '-c', command], { maxBuffer: 1 << 20 });
    for (const [t, d] of Object.entries(PEER)) await psql(`create table ${t} (${d.columns})`);
    let t0 = performance.now();
    for (const t of Object.keys(PEER)) await psql(`\\copy ${t} from '${path.join(dir, `${t}.csv`)}' with (format csv, delimiter ';', header)`);
    const copy = (performance.now() - t0) / 1000;
    t0 = performance.now();
    for (const [t, d] of Object.entries(PEER)) for (const k of d.keys) await psql(`create unique index on ${t} (${k})`);
    return { copy, keys: (performance.now() - t0) / 1000 };
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
  }
}

/** This process's peak resident memory since it started (the kernel's high-water mark). */
const vmHwm = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vodokanal-bench-'));
  const dbName = `vodokanal_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    let t = performance.now();
    await generate(dir);
    const files = await readdir(dir);
    const mb = (await Promise.all(files.map((f) => stat(path.join(dir, f))))).reduce((s, x) => s + x.size, 0) / 1e6;
    console.log(
      `generated ${ACCOUNTS} accounts (${PINS} with a PIN), ${mb.toFixed(0)} MB of CSV, in ${((performance.now() - t) / 1000).toFixed(1)} s; RSS high-water ${mib(vmHwm())}`,
    );

    const before = await peer(admin, dir);
    console.log(`peer (COPY, then keys): ${(before.copy + before.keys).toFixed(1)} s (COPY ${before.copy.toFixed(1)} s, keys ${before.keys.toFixed(1)} s)`);

    const orm = await openOrm(`${SERVER}/${dbName}`);
    await migrate(orm);
    const pinKey = 'bench-pin-fingerprint-key-of-32-characters-at-least';
    peakRss = process.memoryUsage().rss;
    t = performance.now();
    const report = await importFiles(orm, [dir], { pinKey });
    const seconds = (performance.now() - t) / 1000;
    if (!report.committed) throw new Error(`import failed: ${JSON.stringify(report.errors.slice(0, 5))}`);
    const rows = Object.values(report.counts).reduce((s, c) => s + c.read, 0);
    const firstPeak = peakRss;
    console.log(`import: ${rows} rows in ${seconds.toFixed(1)} s, ${Math.round(rows / seconds)} rows/s, peak RSS ${mib(firstPeak)}`);

    /** The same files imported again: the time, the rows changed, whether they were recognised as the same export. */
    const again = async (label: string) => {
      peakRss = process.memoryUsage().rss;
      const started = performance.now();
      const r = await importFiles(orm, [dir], { pinKey });
      const took = (performance.now() - started) / 1000;
      const changed = Object.values(r.counts).reduce((s, c) => s + c.inserted + c.updated, 0);
      const how = r.sameExport ? 'recognised as the same export (no row read)' : 'every row read and compared';
      console.log(`${label}: ${took.toFixed(1)} s, ${changed} rows changed, ${how}, peak RSS ${mib(peakRss)}`);
      return took;
    };
    const secondSeconds = await again('second run of the same files');
    // The same files once more, after another writer touched a table the import writes (a statement
    // that changes no row): the fingerprint cannot vouch for the database, so every row is read and compared.
    await orm.em.getConnection().execute(`update branch set name = name where false`);
    const thirdSeconds = await again('third run, after a write by another');
    await orm.close();

    const after = await peer(admin, dir);
    console.log(`peer again (COPY, then keys): ${(after.copy + after.keys).toFixed(1)} s (COPY ${after.copy.toFixed(1)} s, keys ${after.keys.toFixed(1)} s)`);
    const peerBest = Math.min(before.copy + before.keys, after.copy + after.keys);
    const peerWorst = Math.max(before.copy + before.keys, after.copy + after.keys);
    console.log(`import / peer: ${(seconds / peerWorst).toFixed(1)}–${(seconds / peerBest).toFixed(1)}x (target: at most 3x)`);
    console.log(`first / second run (the same export): ${(seconds / secondSeconds).toFixed(1)}x (target: at least 3x)`);
    console.log(`first / third run (every row compared): ${(seconds / thirdSeconds).toFixed(1)}x`);
    console.log(`RSS high-water of the whole run: ${mib(vmHwm())} (target: at most 1024 MiB)`);
  } finally {
    clearInterval(sampler);
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
    if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
    else console.log(dir);
  }
}

await main();
