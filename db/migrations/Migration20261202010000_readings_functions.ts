import { Migration } from '@mikro-orm/migrations';

/**
 * The reading submission's two statements as PL/pgSQL functions (src/billing/readings.ts says why):
 * PL/pgSQL keeps the plans of its statements for the session, so at the month-end peak PostgreSQL
 * no longer plans the big read and the three writes again for every submission; and the meters'
 * lock and the read after it go in one round trip.
 *
 * `readings_state` returns, as one JSON object, everything the rules need: the branch's window and
 * timezone, every meter of the account (active or not) with its readings in force, newest first, and
 * the value each active meter already has under this submission's key (a reading is marked as passed
 * through this product when it has a submission key); and the branch's tariffs,
 * newest first. With `p_lock` it first locks the account's active meters, so two submissions for one
 * account run one after the other: being VOLATILE, each statement inside takes its own snapshot, so
 * the read after the lock sees what the other submission committed. Values are text, read exactly.
 *
 * `readings_write` supersedes the corrected readings, inserts the new ones (source `telegram` from the
 * bot, `portal` from the web pages), and upserts the period's charges, in that order (the correction leaves the index of current readings before the new row).
 */
export class Migration20261202010000_readings_functions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function readings_state(p_account integer, p_submission text, p_lock boolean) returns json
language plpgsql volatile as $fn$
begin
  if p_lock then
    perform 1 from meter where account_id = p_account and status = 'active' order by id for update;
  end if;
  return (select json_build_object(
    'timezone', b.timezone, 'reading_day_from', b.reading_day_from, 'reading_day_to', b.reading_day_to,
    'meters', coalesce((select json_agg(json_build_object('id', m.id, 'active', m.status = 'active', 'serial', m.serial,
        'service', s.code, 'service_name', s.name, 'place', m.place, 'digits_before', m.digits_before,
        'digits_after', m.digits_after, 'verification_due', m.verification_due::text,
        'already', case when m.status = 'active' and p_submission is not null
          then (select r.value::text from reading r where r.meter_id = m.id and r.submission = p_submission) end,
        'readings', coalesce((select json_agg(json_build_array(r.id, r.value::text, r.taken_on::text,
            (extract(epoch from r.recorded_at) * 1000000)::bigint, r.period::text, r.source, r.submission is not null)
          order by r.taken_on desc, r.recorded_at desc, r.id desc)
          from reading r where r.meter_id = m.id and r.superseded_at is null), '[]'::json))
      order by s.id, m.serial)
      from meter m join service s on s.id = m.service_id where m.account_id = a.id), '[]'::json),
    'tariffs', coalesce((select json_agg(json_build_array(t.valid_from::text, s.code, t.price::text) order by t.valid_from desc)
      from tariff t join service s on s.id = t.service_id where t.branch_id = b.id), '[]'::json))
  from account a join branch b on b.id = a.branch_id where a.id = p_account);
end
$fn$;`);
    this.addSql(`create function readings_write(p_now timestamptz, p_supersede json, p_taken_on date, p_period date,
  p_sent_by text, p_submission text, p_readings json, p_account integer, p_charges json, p_source text) returns void
language plpgsql volatile as $fn$
begin
  update reading set superseded_at = p_now where id in (select value::int from json_array_elements_text(p_supersede));
  insert into reading (meter_id, value, taken_on, recorded_at, source, period, sent_by, submission, photo_path)
    select r.meter_id, r.value, p_taken_on, p_now, p_source, p_period, p_sent_by, p_submission, r.photo_path
    from json_to_recordset(p_readings) as r(meter_id int, value numeric, photo_path text);
  insert into charge (account_id, service_id, period, kind, volume, tariff, amount)
    select p_account, s.id, p_period, 'accrual', c.volume, c.tariff, c.amount
    from json_to_recordset(p_charges) as c(service text, volume numeric, tariff numeric, amount numeric)
    join service s on s.code::text = c.service
    on conflict (account_id, service_id, period, kind) do update set volume = excluded.volume, tariff = excluded.tariff, amount = excluded.amount;
end
$fn$;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop function readings_write(timestamptz, json, date, date, text, text, json, integer, json, text);');
    this.addSql('drop function readings_state(integer, text, boolean);');
  }
}
