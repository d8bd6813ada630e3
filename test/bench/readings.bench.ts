// npm run bench:readings [-- --accounts 100000 --submissions 2000 --rounds 3 --concurrency 16,64]
// The peak of the reading window: residents pass both meters at once. A fresh database of 100,000
// linked accounts (test/bench/residents-db.ts; a third have passed December's readings already, so
// their submission is a correction) on 20 December, 10:00 in Moscow, the window's first day. Times
// `billing.readings.submit` as the bot calls it — a resident's Telegram actor, both meters,
// confirmPartial — with that many submissions in flight, each for another account; beside it, in the
// same run and interleaved round by round, the peer: the least a submission must do, one
// transaction through the same ORM and pool that locks the meters, inserts the two readings and
// upserts the period's three charges. Prints submissions/s and p50/p99 of each, and the ratio.
import os from 'node:os';
import pg from 'pg';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createBilling, viaTelegram } from '../../src/billing/index.ts';
import { migrate, openOrm, type Orm } from '../../src/db/orm.ts';
import { buildResidents } from './residents-db.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ACCOUNTS = arg('accounts', 100_000);
const SUBMISSIONS = arg('submissions', 2000);
const ROUNDS = arg('rounds', 3);
const ci = process.argv.indexOf('--concurrency');
const CONCURRENCIES = (ci > 0 ? process.argv[ci + 1]! : '16,64').split(',').map(Number);
const SERVER = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const NOW = new Date('2026-12-20T07:00:00Z'); // 10:00 in Moscow, the window's first day

interface Target {
  accountId: number;
  telegramId: number;
  cold: number;
  hot: number;
}

interface Run {
  perSecond: number;
  p50: number;
  p99: number;
  cpuMs: number;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** `count` calls, `inFlight` at a time (each worker calls again as soon as its call is answered). */
async function drive(targets: Target[], inFlight: number, call: (t: Target, n: number) => Promise<void>): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let n = next++; n < targets.length; n = next++) {
        const t = performance.now();
        await call(targets[n]!, n);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return {
    perSecond: targets.length / seconds,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    cpuMs: (used.user + used.system) / 1000 / targets.length,
  };
}

const PEER_LOCK = `select id from meter where account_id = ? and status = 'active' order by id for update`;
const PEER_READINGS = `insert into reading (meter_id, value, taken_on, recorded_at, source, period, sent_by, submission)
  values (?, ?, ?, ?, 'telegram', ?, ?, ?), (?, ?, ?, ?, 'telegram', ?, ?, ?)`;
const PEER_CHARGES = `insert into charge (account_id, service_id, period, kind, volume, tariff, amount)
  select ?, s.id, ?, 'accrual', v.volume, v.tariff, v.amount
  from (values ('cold_water', 5.000, 52.10, 260.50), ('hot_water', 2.000, 210.00, 420.00), ('sewerage', 7.000, 25.09, 175.63)) v(code, volume, tariff, amount)
  join service s on s.code = v.code::text
  on conflict (account_id, service_id, period, kind) do update set volume = excluded.volume, tariff = excluded.tariff, amount = excluded.amount`;

/** The least a submission must write, in one transaction: the meters locked, two readings, the period's charges. */
async function peer(orm: Orm, t: Target, key: string) {
  await (orm.em.fork() as EntityManager).transactional(async (em) => {
    await em.execute(PEER_LOCK, [t.accountId]);
    const by = `tg:${t.telegramId}`;
    await em.execute(PEER_READINGS, [t.cold, '65.000', '2026-12-20', NOW, '2026-12-01', by, key, t.hot, '62.000', '2026-12-20', NOW, '2026-12-01', by, key]);
    await em.execute(PEER_CHARGES, [t.accountId, '2026-12-01']);
  });
}

async function targetsOf(db: pg.Client, where: string): Promise<Target[]> {
  const { rows } = await db.query(
    `select a.id as account_id, 1000000 + a.short_number::int as telegram_id,
       max(m.id) filter (where s.code = 'cold_water') as cold, max(m.id) filter (where s.code = 'hot_water') as hot
     from account a join meter m on m.account_id = a.id join service s on s.id = m.service_id
     where ${where} group by a.id order by md5(a.id::text)`,
  );
  return rows.map((r) => ({ accountId: Number(r.account_id), telegramId: Number(r.telegram_id), cold: Number(r.cold), hot: Number(r.hot) }));
}

async function main() {
  const name = `vodokanal_bench_readings_${Date.now()}`;
  const url = `${SERVER}/${name}`;
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`create database ${name}`);
  // The pool production opens (src/db/connect.ts).
  const orm = await openOrm(url);
  const db = new pg.Client({ connectionString: url });
  try {
    await migrate(orm);
    await db.connect();
    await buildResidents(db, ACCOUNTS);
    await db.query(
      `insert into tariff (branch_id, service_id, valid_from, price)
       select b.id, s.id, date '2026-07-01', v.price from branch b cross join (values ('cold_water', 52.10), ('hot_water', 210.00), ('sewerage', 25.09)) v(code, price)
       join service s on s.code = v.code::text where b.code = 'bench'`,
    );
    await db.query('analyze');
    const billing = createBilling({ orm, now: () => NOW });
    // Each account is passed once: the product's are those with an odd short number (a third of them
    // corrections of December's reading, as in the whole base); the peer's, even and not yet passed.
    const product = await targetsOf(db, `a.short_number::int % 2 = 1`);
    const peers = await targetsOf(db, `a.short_number::int % 2 = 0 and a.short_number::int % 3 <> 0`);
    const need = SUBMISSIONS * (ROUNDS * CONCURRENCIES.length + 1);
    if (product.length < need || peers.length < need) throw new Error(`need ${need} accounts of each kind: --accounts more, or --submissions fewer`);
    let used = 0;
    const batch = (from: Target[]) => from.slice(used, used + SUBMISSIONS);
    let failures = 0;
    const submit = async (t: Target, n: number) => {
      const r = await billing.readings.submit({
        actor: viaTelegram(t.telegramId),
        accountId: t.accountId,
        submission: `bench-${t.accountId}-${n}`,
        entries: [
          { meterId: t.cold, value: 65_000 },
          { meterId: t.hot, value: 62_000 },
        ],
        confirmPartial: true,
        confirmUnusual: [],
      });
      if (!r.ok || r.value.status !== 'stored' || r.value.charges.total <= 0) failures++;
    };
    const peerCall = (t: Target, n: number) => peer(orm, t, `peer-${t.accountId}-${n}`);

    // Warm-up: the first calls pay for the pool's connections and the JIT.
    await drive(batch(product), 16, submit);
    await drive(batch(peers), 16, peerCall);
    used += SUBMISSIONS;
    if (failures) throw new Error(`${failures} warm-up submissions were not stored`);
    const { rows: check } = await db.query(
      `select count(*)::int as n from charge c join account a on a.id = c.account_id where c.period = '2026-12-01' and a.short_number::int % 2 = 1`,
    );
    console.log(`warm-up: ${SUBMISSIONS} submissions stored and charged (${check[0].n} charge rows), as many peer transactions`);
    console.log(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} cores; ${ROUNDS} rounds of ${SUBMISSIONS}, product and peer interleaved`,
    );

    const results = new Map<string, Run[]>();
    const keep = (k: string, r: Run) => results.set(k, [...(results.get(k) ?? []), r]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of CONCURRENCIES) {
        // Alternate who goes first, so that neither always runs on a machine warmed (or loaded) by the other.
        const order = round % 2 ? ['peer', 'product'] : ['product', 'peer'];
        for (const who of order) {
          const r = who === 'product' ? await drive(batch(product), c, submit) : await drive(batch(peers), c, peerCall);
          keep(`${who}:${c}`, r);
        }
        used += SUBMISSIONS;
      }
    }
    if (failures) throw new Error(`${failures} submissions were not stored`);

    const fmt = (runs: Run[], f: (r: Run) => number, digits = 0) => {
      const xs = runs.map(f).sort((a, b) => a - b);
      const mid = xs[Math.floor(xs.length / 2)]!;
      return `${mid.toFixed(digits)} (${xs[0]!.toFixed(digits)}–${xs.at(-1)!.toFixed(digits)})`;
    };
    console.log('\nmedian of the rounds (lowest–highest)');
    console.log(
      `${'in flight'.padEnd(10)}${'who'.padEnd(34)}${'submissions/s'.padStart(22)}${'p50 ms'.padStart(26)}${'p99 ms'.padStart(26)}${'CPU ms/call'.padStart(24)}`,
    );
    for (const c of CONCURRENCIES) {
      const mine = results.get(`product:${c}`)!;
      const theirs = results.get(`peer:${c}`)!;
      for (const [who, runs] of [
        ['billing.readings.submit', mine],
        ['peer: lock, 2 readings, charges', theirs],
      ] as const) {
        console.log(
          `${String(c).padEnd(10)}${who.padEnd(34)}${fmt(runs, (r) => r.perSecond).padStart(22)}${fmt(runs, (r) => r.p50, 1).padStart(26)}${fmt(runs, (r) => r.p99, 1).padStart(26)}${fmt(runs, (r) => r.cpuMs, 2).padStart(24)}`,
        );
      }
      // The ratio of each round's pair, product over peer.
      const ratios = mine.map((r, k) => (100 * r.perSecond) / theirs[k]!.perSecond).sort((a, b) => a - b);
      console.log(
        `${''.padEnd(10)}${'ratio product / peer'.padEnd(34)}${`${ratios[Math.floor(ratios.length / 2)]!.toFixed(0)} % (${ratios[0]!.toFixed(0)}–${ratios.at(-1)!.toFixed(0)} %)`.padStart(22)}`,
      );
    }
    const ratio16 = results.get('product:16')?.map((r, k) => r.perSecond / results.get('peer:16')![k]!.perSecond);
    const p99at16 = results.get('product:16')?.map((r) => r.p99);
    if (ratio16 && p99at16) {
      const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      console.log(`\ntarget ≥ 50 % of the peer at 16 in flight: ${(100 * med(ratio16)).toFixed(0)} % — ${med(ratio16) >= 0.5 ? 'met' : 'NOT MET'}`);
      console.log(`target p99 ≤ 100 ms at 16 in flight: ${med(p99at16).toFixed(1)} ms — ${med(p99at16) <= 100 ? 'met' : 'NOT MET'}`);
    }
  } finally {
    await db.end().catch(() => undefined);
    await orm.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
