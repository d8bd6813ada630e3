// npm run bench:mailing [-- --accounts 100000 --seconds 60]
// A fresh database with 100,000 subscribed accounts (the demo data cloned by set-based SQL, each
// with 12 monthly statements and the newest month's charges): times the planning of the monthly
// mailing into the outbox (kind `receipt_email`, batch by batch, as the job runs it) and the
// outbox's claim on the e-mail channel, beside the claim it replaces (the `receipt_mailing` claim,
// run on a temporary table of the same shape), then the delivery through the real path
// (drainNotices on the e-mail channel: receipt PDF in a worker thread, SMTP to a local server).
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { createBilling } from '../../src/billing/index.ts';
import { seedDemoIfEmpty } from '../../src/db/demo.ts';
import { migrate, openOrm } from '../../src/db/orm.ts';
import { createTranslator } from '../../src/i18n.ts';
import { createLogger } from '../../src/logger.ts';
import { drainNotices, MAIL_PER_SECOND } from '../../src/jobs/notice.ts';
import { memoryPace } from '../../src/jobs/pace.ts';
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

// The claim this change replaces (a `receipt_mailing` row per subscription and month): the peer,
// on a temporary table of the same shape, batch after batch with its cursor.
const PREVIOUS_CLAIM_SQL = `
  with due as (
    select s.id as subscription_id, l.account_id, st.period, s.token, r.email, r.language, r.telegram_id
    from receipt_subscription s
    join account_link l on l.id = s.link_id
    join resident r on r.id = l.resident_id
    cross join lateral (select period from statement where account_id = l.account_id order by period desc limit 1) st
    where s.id > $1 and r.email is not null
      and (s.since_month is null or st.period > s.since_month)
      and not exists (
        select 1 from receipt_mailing m
        where m.subscription_id = s.id and m.period = st.period
          and not (m.state = 'failed' and m.attempts < 5 and m.updated_at < $2::timestamptz - interval '10 minutes'))
    order by s.id
    limit $3
    for update of s skip locked
  ), claimed as (
    insert into receipt_mailing (subscription_id, period, state, attempts, updated_at)
    select subscription_id, period, 'sending', 1, $2::timestamptz from due
    on conflict (subscription_id, period) do update
      set state = 'sending', attempts = receipt_mailing.attempts + 1, updated_at = excluded.updated_at
      where receipt_mailing.state = 'failed' and receipt_mailing.attempts < 5 and receipt_mailing.updated_at < excluded.updated_at - interval '10 minutes'
    returning subscription_id, period
  )
  select max(subscription_id) as last, count(*)::int as n from claimed`;

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

    // The peer: the claim this change replaces, every batch of 50 with its cursor.
    await db.query(
      `create temporary table receipt_mailing (id serial primary key, subscription_id int not null, period date not null, state text not null, attempts smallint not null default 1, updated_at timestamptz not null, unique (subscription_id, period))`,
    );
    let t = performance.now();
    let peerClaimed = 0;
    let peerBatches = 0;
    for (let after = 0; ; peerBatches++) {
      const { rows } = await db.query(PREVIOUS_CLAIM_SQL, [after, new Date().toISOString(), BATCH]);
      if (!rows[0].n) break;
      peerClaimed += rows[0].n;
      after = Number(rows[0].last);
    }
    const peerMs = performance.now() - t;
    console.log(`previous claim (receipt_mailing, the peer): all ${peerClaimed} due in ${peerBatches} batches of ${BATCH}: ${(peerMs / 1000).toFixed(1)} s`);

    // The outbox: planned batch by batch as the job does, then claimed letter by letter on the e-mail channel.
    t = performance.now();
    let planned = 0;
    let planBatches = 0;
    for (let after = 0; ; planBatches++) {
      const b = await billing.mailings.plan({ after });
      if (!b.ok || b.value.last === null) break;
      planned += b.value.planned;
      after = b.value.last;
    }
    const planMs = performance.now() - t;
    t = performance.now();
    for (let after = 0; ; ) {
      const b = await billing.mailings.plan({ after });
      if (!b.ok || b.value.last === null) break;
      after = b.value.last;
    }
    const replanMs = performance.now() - t;
    console.log(
      `outbox planning: ${planned} letters into the outbox in ${planBatches} batches: ${(planMs / 1000).toFixed(1)} s; a pass finding nothing new: ${(replanMs / 1000).toFixed(1)} s`,
    );
    const CLAIMS = Math.min(2000, planned);
    t = performance.now();
    let slowest = 0;
    for (let i = 0; i < CLAIMS; i++) {
      const c0 = performance.now();
      const c = await billing.notices.claim({ channel: 'email' });
      if (!c.ok) break;
      slowest = Math.max(slowest, performance.now() - c0);
    }
    const claimMs = performance.now() - t;
    console.log(
      `outbox claim on the e-mail channel with ${planned} pending: ${CLAIMS} claims in ${(claimMs / 1000).toFixed(1)} s (${(claimMs / CLAIMS).toFixed(2)} ms each, slowest ${slowest.toFixed(1)} ms)`,
    );
    const { rows: claimPlan } = await db.query(
      `explain select id from notice where state = 'pending' and channel = 'email' and due_at <= now() order by due_at, id limit 1`,
    );
    console.log(`  the claim's pick: ${claimPlan.map((r) => String(r['QUERY PLAN']).trim()).join(' / ')}`);

    // Delivery through the outbox's real path for DELIVERY_SECONDS (the claimed ones above put back first).
    await db.query(`update notice set state = 'pending' where kind = 'receipt_email' and state = 'sending'`);
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    const translator = createTranslator();
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: { name: 'Bench', address: 'bench@localhost' }, outboxDir: '/tmp', log });
    const mail = createMail({ billing, mailer, renderer, translator, publicUrl: 'http://localhost', log });
    t = performance.now();
    const counts = await drainNotices(
      { billing, translator, log, mail, pace: memoryPace(1000), mailPace: memoryPace(MAIL_PER_SECOND) },
      { budgetMs: DELIVERY_SECONDS * 1000, parallel: 0, mailParallel: 4, channels: ['email'] },
    );
    const seconds = (performance.now() - t) / 1000;
    mailer.close();
    console.log(
      `delivery: ${counts.sent} letters sent (${counts.refused + counts.retry} failed, ${received} received by the SMTP server) in ${seconds.toFixed(1)} s: ${(counts.sent / seconds).toFixed(1)} letters/s (PDF in 1 worker thread, 4 letters at a time, the mail pace ${MAIL_PER_SECOND}/s)`,
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
