// npm run bench:mailing [-- --accounts 100000 --seconds 60]
// A fresh database with 100,000 subscribed accounts (the demo data cloned by set-based SQL, each
// with 12 monthly statements and the newest month's charges): times the planning of the monthly
// mailing (the claim, batch by batch, as the job runs it) beside the claim it replaces, then the
// delivery through the real mail path (receipt PDF in a worker thread, SMTP to a local server).
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { createBilling } from '../../src/billing/index.ts';
import { seedDemoIfEmpty } from '../../src/db/demo.ts';
import { migrate, openOrm } from '../../src/db/orm.ts';
import { createTranslator } from '../../src/i18n.ts';
import { createLogger } from '../../src/logger.ts';
import { createMail, createMailer } from '../../src/mail/index.ts';
import { workerRenderer } from '../../src/pdf/renderer.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ACCOUNTS = arg('accounts', 100_000);
const DELIVERY_SECONDS = arg('seconds', 60);
const BATCH = 50;
const SERVER = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;

// The claim before this change (it picks the first N subscriptions by id whether mailed or not,
// joining every statement): for comparison only, run in a transaction that is rolled back.
const OLD_CLAIM_SQL = `
  with latest as (
    select distinct on (s.id) s.id as subscription_id, l.account_id, st.period, s.since_month, s.token, r.email, r.language
    from receipt_subscription s
    join account_link l on l.id = s.link_id
    join resident r on r.id = l.resident_id
    join statement st on st.account_id = l.account_id
    where r.email is not null and not r.blocked
    order by s.id, st.period desc
  ), due as (
    select * from latest where since_month is null or period > since_month
    order by subscription_id limit $1
  ), claimed as (
    insert into receipt_mailing (subscription_id, period, state, attempts, updated_at)
    select subscription_id, period, 'sending', 1, $2::timestamptz from due
    on conflict (subscription_id, period) do update
      set state = 'sending', attempts = receipt_mailing.attempts + 1, updated_at = excluded.updated_at
      where (receipt_mailing.state = 'failed' and receipt_mailing.attempts < 5 and receipt_mailing.updated_at < excluded.updated_at - interval '10 minutes')
         or (receipt_mailing.state = 'sending' and receipt_mailing.updated_at < excluded.updated_at - interval '30 minutes')
    returning subscription_id, period
  )
  select count(*) from claimed`;

async function columns(db: pg.Client, table: string, except: string[]) {
  const { rows } = await db.query<{ column_name: string }>(
    `select column_name from information_schema.columns where table_name = $1 and table_schema = 'public' order by ordinal_position`,
    [table],
  );
  return rows.map((r) => r.column_name).filter((c) => !except.includes(c));
}

async function build(db: pg.Client) {
  const t = performance.now();
  // account i+1 of the clones copies demo account (i mod 200): its premise, branch, tariffs.
  await db.query(`create temporary table src as select id, row_number() over (order by id) - 1 as n from account`);
  const demo = Number((await db.query(`select count(*) from src`)).rows[0].count);
  const accountCols = await columns(db, 'account', ['id', 'long_number', 'short_number', 'created_at', 'updated_at']);
  await db.query(
    `create temporary table clone as select g as k, (select id from src where n = g % ${demo}) as src_id from generate_series(0, ${ACCOUNTS - 1}) g`,
  );
  await db.query(`alter table clone add column id int`);
  await db.query(`
    with made as (
      insert into account (${accountCols.join(', ')}, long_number, short_number)
      select ${accountCols.map((c) => `a.${c}`).join(', ')}, lpad((900000000000000 + c.k)::text, 15, '0'), 'b' || c.k
      from clone c join account a on a.id = c.src_id
      returning id, short_number
    ) update clone set id = made.id from made where made.short_number = 'b' || clone.k`);
  const statementCols = await columns(db, 'statement', ['id', 'account_id']);
  await db.query(`
    insert into statement (account_id, ${statementCols.join(', ')})
    select c.id, ${statementCols.map((x) => `s.${x}`).join(', ')}
    from clone c join statement s on s.account_id = c.src_id
    where s.period > (select max(period) from statement) - interval '12 months'`);
  const chargeCols = await columns(db, 'charge', ['id', 'account_id']);
  await db.query(`
    insert into charge (account_id, ${chargeCols.join(', ')})
    select c.id, ${chargeCols.map((x) => `ch.${x}`).join(', ')}
    from clone c join charge ch on ch.account_id = c.src_id
    where ch.period = (select max(period) from statement)`);
  await db.query(`
    insert into resident (telegram_id, language, consent_version, consent_at, email)
    select 800000000 + k, case when k % 10 = 0 then 'en' else 'ru' end, 'bench', now(), 'r' || k || '@bench.test' from clone`);
  await db.query(`insert into account_link (resident_id, account_id) select r.id, c.id from clone c join resident r on r.telegram_id = 800000000 + c.k`);
  // Subscribed before the newest month: that month is due for every one of them.
  await db.query(`
    insert into receipt_subscription (link_id, token, since_month)
    select l.id, substr(md5(l.id::text) || md5('t' || l.id), 1, 43), (select max(period) from statement) - interval '1 month'
    from account_link l join clone c on c.id = l.account_id`);
  await db.query('analyze');
  const { rows } = await db.query(`select (select count(*) from receipt_subscription) subs, (select count(*) from statement) statements`);
  console.log(`built: ${rows[0].subs} subscribed accounts, ${rows[0].statements} statements in ${ms(t)}`);
}

async function main() {
  const name = `vodokanal_bench_mailing_${Date.now()}`;
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const orm = await openOrm(`${SERVER}/${name}`, 4);
  const db = new pg.Client({ connectionString: `${SERVER}/${name}` });
  const log = createLogger('silent');
  const renderer = workerRenderer({ threads: 1 });
  let received = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _s, done) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        done();
      });
    },
  });
  try {
    await migrate(orm);
    await seedDemoIfEmpty(orm);
    await db.connect();
    await build(db);
    const billing = createBilling({ orm });

    // Today's claim, one batch, on the same data (rolled back).
    await db.query('begin');
    let t = performance.now();
    const old = await db.query(OLD_CLAIM_SQL, [BATCH, new Date().toISOString()]);
    const oldMs = performance.now() - t;
    await db.query('rollback');
    console.log(`old claim (before this change), one batch of ${BATCH}: ${oldMs.toFixed(0)} ms, ${old.rows[0].count} claimed`);

    const { rows: plan } = await db.query(
      `explain (analyze, buffers off, timing off, summary on) ${OLD_CLAIM_SQL.replace('$1', String(BATCH)).replace('$2', `'${new Date().toISOString()}'`)}`,
    );
    const sortLine = plan.map((r) => r['QUERY PLAN'] as string).find((l) => /Sort Method/.test(l));
    if (sortLine) console.log(`  old claim's sort: ${sortLine.trim()}`);
    await db.query(`delete from receipt_mailing`);

    // The claim as the job runs it: batch after batch with the cursor, here without sending.
    t = performance.now();
    const first = await billing.mailings.claimDue({ limit: BATCH });
    const firstMs = performance.now() - t;
    let claimed = first.ok ? first.value.length : 0;
    let after = first.ok ? first.value.at(-1)!.subscriptionId : 0;
    let batches = 1;
    let slowest = firstMs;
    for (;;) {
      const b0 = performance.now();
      const due = await billing.mailings.claimDue({ limit: BATCH, after });
      slowest = Math.max(slowest, performance.now() - b0);
      if (!due.ok || due.value.length === 0) break;
      claimed += due.value.length;
      after = due.value.at(-1)!.subscriptionId;
      batches++;
    }
    const allMs = performance.now() - t;
    console.log(
      `new claim, first batch of ${BATCH}: ${firstMs.toFixed(1)} ms; all ${claimed} due in ${batches} batches: ${(allMs / 1000).toFixed(1)} s (${(allMs / batches).toFixed(1)} ms a batch, slowest ${slowest.toFixed(1)} ms)`,
    );
    // A run when everything is sent: it reads every subscription's newest statement and finds nothing.
    await db.query(`update receipt_mailing set state = 'sent'`);
    t = performance.now();
    const none = await billing.mailings.claimDue({ limit: BATCH });
    console.log(`new claim when all ${claimed} are sent (a whole pass finding nothing): ${ms(t)}, ${none.ok ? none.value.length : '?'} claimed`);
    const { rows: newPlan } = await db.query(`explain select period from statement where account_id = 1 order by period desc limit 1`);
    console.log(`  newest statement per account: ${(newPlan[1]?.['QUERY PLAN'] as string | undefined)?.trim()}`);

    // Delivery through the real mail path for DELIVERY_SECONDS.
    await db.query(`delete from receipt_mailing`);
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    const translator = createTranslator();
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: { name: 'Bench', address: 'bench@localhost' }, outboxDir: '/tmp', log });
    const mail = createMail({ billing, mailer, renderer, translator, publicUrl: 'http://localhost', log });
    t = performance.now();
    const result = await mail.sendDueReceipts({ batch: BATCH, deadline: Date.now() + DELIVERY_SECONDS * 1000 });
    const seconds = (performance.now() - t) / 1000;
    mailer.close();
    console.log(
      `delivery: ${result.sent} letters sent (${result.failed} failed, ${received} received by the SMTP server) in ${seconds.toFixed(1)} s: ${(result.sent / seconds).toFixed(1)} letters/s (PDF in 1 worker thread, 4 letters at a time)`,
    );
  } finally {
    await renderer.close();
    smtp.close();
    await db.end().catch(() => undefined);
    await orm.close();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
