// npm run bench:data-path [-- --calls 500]
// What one read of the bot's hot path costs on each way MikroORM offers, on the demo data: the
// resident with their linked accounts and addresses, as the EntityManager's joined `find`, as the
// query builder with the same joins, and as the service's own statement through `em.execute`
// (what src/billing/residents.ts uses), beside a bare `pg` query of the same statement. Prints wall
// and CPU time per call, one call at a time.
import pg from 'pg';
import { AccountLink } from '../../db/entities/index.ts';
import { createBilling, viaTelegram } from '../../src/billing/index.ts';
import { seedDemoIfEmpty } from '../../src/db/demo.ts';
import { migrate, openOrm } from '../../src/db/orm.ts';

const i = process.argv.indexOf('--calls');
const CALLS = i > 0 ? Number(process.argv[i + 1]) : 500;
const SERVER = process.env.BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const RESIDENT = 8_100_001;

const SQL = `select r.id as resident_id, r.active_account_id, a.id as account_id, a.long_number, a.owner_full_name, b.code as branch_code,
    se.name as settlement, st.name as street, bl.house, p.flat, p.flat_prefix
  from resident r left join account_link l on l.resident_id = r.id left join account a on a.id = l.account_id
  left join branch b on b.id = a.branch_id left join premise p on p.id = a.premise_id left join building bl on bl.id = p.building_id
  left join street st on st.id = bl.street_id left join settlement se on se.id = st.settlement_id
  where r.telegram_id = $1 order by l.linked_at, l.id`;

async function time(label: string, call: () => Promise<unknown>) {
  for (let n = 0; n < Math.min(100, CALLS); n++) await call();
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let n = 0; n < CALLS; n++) await call();
  const used = process.cpuUsage(cpu);
  const wall = (performance.now() - started) / CALLS;
  console.log(`${label.padEnd(58)} ${wall.toFixed(2).padStart(6)} ms wall  ${((used.user + used.system) / 1000 / CALLS).toFixed(2).padStart(6)} ms CPU a call`);
}

async function main() {
  const dbName = `vodokanal_datapath_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const orm = await openOrm(`${SERVER}/${dbName}`);
  const raw = new pg.Pool({ connectionString: `${SERVER}/${dbName}`, max: 2 });
  try {
    await migrate(orm);
    await seedDemoIfEmpty(orm);
    const billing = createBilling({ orm });
    const actor = viaTelegram(RESIDENT);
    await billing.residents.giveConsent({ actor, version: 'bench' });
    const linked = await billing.residents.linkAccount({
      actor,
      proof: { by: 'number', longNumber: '002901800602302', house: '7', flat: '30', flatPrefix: null, surname: 'Михайлова', pin: null },
    });
    if (!linked.ok) throw new Error(`set-up: ${linked.error.code}`);
    console.log(`the resident with their accounts and addresses, ${CALLS} calls one after another`);
    await time('EntityManager find, joined populate of 6 entities', () =>
      orm.em
        .fork()
        .find(
          AccountLink,
          { resident: { telegramId: RESIDENT } },
          { populate: ['resident', 'account.branch', 'account.premise.building.street.settlement'], strategy: 'joined' },
        ),
    );
    await time('query builder, the same 7 joins, raw rows', () =>
      orm.em
        .fork()
        .createQueryBuilder(AccountLink, 'l')
        .select(['a.id', 'a.longNumber', 'a.ownerFullName', 'b.code', 'se.name', 'st.name', 'bl.house', 'p.flat', 'p.flatPrefix', 'r.activeAccount'])
        .join('l.resident', 'r')
        .join('l.account', 'a')
        .join('a.branch', 'b')
        .join('a.premise', 'p')
        .join('p.building', 'bl')
        .join('bl.street', 'st')
        .join('st.settlement', 'se')
        .where({ 'r.telegramId': RESIDENT })
        .execute('all', false),
    );
    await time("em.execute of the service's own statement", () => orm.em.fork().execute(SQL.replace('$1', '?'), [RESIDENT]));
    await time('billing.residents.activeAccount (the service as the bot calls it)', () => billing.residents.activeAccount({ actor }));
    await time('bare pg pool, the same statement (the floor)', () => raw.query(SQL, [RESIDENT]));
  } finally {
    await raw.end();
    await orm.close();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

await main();
