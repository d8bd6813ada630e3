// The benchmarks' realistic database (npm run bench:reminders, bench:readings): one branch,
// `residents` flats in one building, each with an account of two meters (cold and hot water) and
// six months of readings (June–November, 10 m³ a month); a third have passed December's (70 m³,
// on 20 December, through Telegram). Every account has a resident who gave consent and linked it
// (Telegram id 1,000,000 + the short number). Written with set-based SQL on a bare client: 100,000
// residents in seconds.
import type pg from 'pg';

export async function buildResidents(db: pg.Client, residents: number): Promise<void> {
  const t = performance.now();
  const one = async (q: string, p: unknown[] = []) => Number((await db.query(q, p)).rows[0].id);
  const branch = await one(`insert into branch (code, name, timezone) values ('bench', 'Bench', 'Europe/Moscow') returning id`);
  const settlement = await one(`insert into settlement (branch_id, name) values ($1, 'г. Бенчск') returning id`, [branch]);
  const street = await one(`insert into street (settlement_id, name, search_key) values ($1, 'ул. Тестовая', 'тестовая') returning id`, [settlement]);
  const building = await one(`insert into building (street_id, house, house_key) values ($1, '1', '1') returning id`, [street]);
  await db.query(`insert into premise (building_id, flat, flat_key) select $1, g::text, g::text from generate_series(1, $2::int) g`, [building, residents]);
  await db.query(
    `insert into account (branch_id, premise_id, long_number, short_number, owner_full_name, owner_surname_key)
     select $1, p.id, lpad((800000000000000 + p.flat::int)::text, 15, '0'), p.flat, 'Иванов Иван Иванович', 'иванов' from premise p where p.building_id = $2`,
    [branch, building],
  );
  await db.query(
    `insert into meter (account_id, service_id, serial, place, verification_due)
     select a.id, s.id, 'S' || a.short_number || '-' || s.code, 'С/У', date '2031-01-01' from account a
     cross join (select id, code from service where code in ('cold_water', 'hot_water')) s where a.branch_id = $1`,
    [branch],
  );
  await db.query(
    `insert into reading (meter_id, value, taken_on, source, period)
     select m.id, 10 * (k + 1), (date '2026-06-22' + make_interval(months => k))::date, 'receipt', (date '2026-06-01' + make_interval(months => k))::date
     from meter m join account a on a.id = m.account_id cross join generate_series(0, 5) k where a.branch_id = $1`,
    [branch],
  );
  await db.query(
    `insert into reading (meter_id, value, taken_on, source, period)
     select m.id, 70, date '2026-12-20', 'telegram', date '2026-12-01' from meter m join account a on a.id = m.account_id
     where a.branch_id = $1 and a.short_number::int % 3 = 0`,
    [branch],
  );
  await db.query(
    `insert into resident (telegram_id, language, consent_version, consent_at, blocked, created_at)
     select 1000000 + a.short_number::int, 'ru', 'bench', now(), false, now() from account a where a.branch_id = $1`,
    [branch],
  );
  await db.query(
    `insert into account_link (resident_id, account_id, linked_at)
     select r.id, a.id, now() from account a join resident r on r.telegram_id = 1000000 + a.short_number::int where a.branch_id = $1`,
    [branch],
  );
  await db.query('analyze');
  const { rows } = await db.query(
    `select (select count(*) from resident) as residents, (select count(*) from meter) as meters, (select count(*) from reading) as readings`,
  );
  console.log(
    `built: ${rows[0].residents} residents with linked accounts, ${rows[0].meters} meters, ${rows[0].readings} readings in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
}
