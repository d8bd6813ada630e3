// npm run bench:reminders [-- --residents 100000 --sample 3000 --rate 25]
// A fresh database with 100,000 residents, each with a linked account of two meters and six months
// of readings; a third have passed December's. Times the planning of the reading window's opening
// day (20 December, 10:00 branch time) into the outbox, then delivers a sample of those reminders
// (the first --sample of them; the rest are left for later) through the real delivery code, in two
// processes sharing the pace in Redis, against a Bot API stand-in in a third process (429 with
// retry_after to every 500th message, 403 to 1 % of chats); one deliverer is killed halfway.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Branch } from '../../db/entities/index.ts';
import { createBilling } from '../../src/billing/index.ts';
import { branchPlans, COUNT_SQL } from '../../src/billing/reminders.ts';
import { migrate, openOrm } from '../../src/db/orm.ts';
import { buildResidents } from './residents-db.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RESIDENTS = arg('residents', 100_000);
const SAMPLE = arg('sample', 3000);
const RATE = arg('rate', 25);
const RETRY_AFTER = 1;
const SERVER = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const BASE = Date.parse('2026-12-20T07:00:00Z'); // 10:00 in Moscow, the window's first day
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const line = (what: string, value: string, target: string, met: boolean) =>
  console.log(`${what.padEnd(58)} ${value.padStart(14)}   target ${target.padEnd(12)} ${met ? 'met' : 'NOT MET'}`);

interface StandinStats {
  requests: number;
  accepted: number;
  duplicates: number;
  refused: number;
  tooMany: number;
  duringPause: number;
  first: number;
  last: number;
  pausedMs: number;
  chats: number[];
}

function start(file: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', here(file), ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
}

async function main() {
  const name = `vodokanal_bench_reminders_${Date.now()}`;
  const url = `${SERVER}/${name}`;
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const orm = await openOrm(url, 4);
  const db = new pg.Client({ connectionString: url });
  const children: ChildProcess[] = [];
  try {
    await migrate(orm);
    await db.connect();
    await buildResidents(db, RESIDENTS);
    const billing = createBilling({ orm, now: () => new Date(BASE) });

    if (process.env.BENCH_EXPLAIN) {
      const branches = await orm.em.fork().find(Branch, {});
      await db.query('set jit = off');

      const { rows } = await db.query(
        `explain (analyze, buffers off) ${COUNT_SQL.split('?')
          .map((part, i) => (i === 0 ? part : `$${i}${part}`))
          .join('')}`,
        [JSON.stringify(branchPlans(branches, '2026-12-20', new Date(BASE))), new Date(BASE), '2027-02-18'],
      );

      console.log(rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    let t = performance.now();
    const counted = await billing.reminders.plan({ on: '2026-12-20' });
    const countMs = performance.now() - t;
    t = performance.now();
    console.log(
      `load average before planning: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} cores`,
    );
    const planned = await billing.reminders.plan({ queue: true });
    const planMs = performance.now() - t;
    if (!counted.ok || !planned.ok) throw new Error('planning failed');
    console.log(
      `plan (count only, npm run reminders -- plan): ${counted.value.counts!.map((c) => `${c.kind} ${c.branch} ${c.due}`).join('; ')} in ${countMs.toFixed(0)} ms`,
    );
    line(`planning into the outbox (${planned.value.queued!.reading_window} reminders)`, `${(planMs / 1000).toFixed(2)} s`, '≤ 5 s', planMs <= 5000);
    t = performance.now();
    const again = await billing.reminders.plan({ queue: true });
    console.log(`planned again (a second tick): ${JSON.stringify(again.ok && again.value.queued)} in ${(performance.now() - t).toFixed(0)} ms`);

    // The sample is due now; the rest later (not in this run).
    await db.query(
      `update notice set due_at = '2027-06-01' where kind = 'reading_window' and id not in (select id from notice where kind = 'reading_window' order by id limit $1)`,
      [SAMPLE],
    );
    const sampleChats = new Set(
      (await db.query(`select r.telegram_id from notice n join resident r on r.id = n.resident_id where n.due_at < '2027-01-01'`)).rows.map((r) =>
        Number(r.telegram_id),
      ),
    );

    const standin = start('./reminders-standin.ts', [], { RETRY_AFTER: String(RETRY_AFTER) });
    children.push(standin);
    const [chunk] = (await once(standin.stdout!, 'data')) as [Buffer];
    const port = JSON.parse(chunk.toString()).port as number;
    const stats = async () => (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as StandinStats;
    const prefix = `bench:${Date.now()}:`;
    const deliverer = () => start('./reminders-deliver.ts', [url, `http://127.0.0.1:${port}`, prefix, String(BASE), String(RATE)]);
    const a = deliverer();
    const b = deliverer();
    children.push(a, b);
    const bOut: Buffer[] = [];
    b.stdout!.on('data', (c: Buffer) => bOut.push(c));
    const bDone = once(b, 'exit');
    console.log(
      `load average before delivery: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} cores`,
    );
    console.log(`delivering ${sampleChats.size} reminders at ${RATE}/s: two instances, one killed halfway…`);
    let killed = false;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const s = await stats();
      if (!killed && s.requests >= sampleChats.size / 2) {
        a.kill('SIGKILL');
        killed = true;
        console.log(`  killed one instance after ${s.requests} messages`);
      }
      if (b.exitCode !== null) break;
    }
    await bDone;
    const s = await stats();
    const handled = new Set(s.chats);
    const lost = [...sampleChats].filter((c) => !handled.has(c)).length;
    const { rows: states } = await db.query(
      `select state, coalesce(outcome, '') as outcome, count(*)::int as n from notice where due_at < '2027-01-01' group by 1, 2 order by 1, 2`,
    );
    console.log(`  survivor's counts: ${Buffer.concat(bOut).toString().trim()}`);
    console.log(`  outbox after: ${states.map((r) => `${r.state}${r.outcome ? `/${r.outcome}` : ''} ${r.n}`).join(', ')}`);
    console.log(
      `  stand-in: ${s.requests} sendMessage calls, ${s.accepted} chats delivered, ${s.refused} refused with 403, ${s.tooMany} answered 429 (${RETRY_AFTER} s pauses: ${(s.pausedMs / 1000).toFixed(0)} s)`,
    );
    console.log(
      `  load average after delivery: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    const seconds = (s.last - s.first) / 1000;
    const sustained = s.requests / (seconds - s.pausedMs / 1000);
    line('messages/s overall (429 pauses included)', (s.requests / seconds).toFixed(1), '—', true);
    line('messages/s sustained (outside the 429 pauses)', sustained.toFixed(1), `≥ ${RATE - 1}/s`, sustained >= RATE - 1);
    line('messages arriving within a retry_after after a 429', String(s.duringPause), '0', s.duringPause === 0);
    line('duplicates (a chat delivered twice)', String(s.duplicates), '0', s.duplicates === 0);
    line('lost (never reached the stand-in)', String(lost), '0', lost === 0);
    console.log('  (lost: claimed by the killed instance, or a send whose outcome was unknown — left «sending», never sent twice)');
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await db.end().catch(() => undefined);
    await orm.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
