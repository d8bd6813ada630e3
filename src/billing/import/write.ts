import { flatKey, houseKey, streetKey, surnameKey, surnameOf } from '../normalize.ts';
import { hashPin, verifyPin } from '../pin.ts';
import { kopecksToDecimal, milliToDecimal } from '../../money/exact.ts';
import type { ImportRow, RecordKind } from './records.ts';

declare const jsonDocument: unique symbol;
/** One JSON document as the parameter of an import statement; made by `jsonParam`, read in SQL as `JSON_PARAM`. */
export type JsonParam = Buffer & { readonly [jsonDocument]: true };

/**
 * Runs one statement of the import's own SQL in its transaction; the `?` in `JSON_PARAM`, if any,
 * takes `param`. The rows come back as PostgreSQL returns them, typed by the caller.
 */
export type Exec = <Row extends object>(sql: string, param?: JsonParam) => Promise<Row[]>;

/*
 * The ORM does not bind parameters: it writes them into the SQL text as literals. A string is
 * escaped one character at a time, which for the ~9 MB of JSON in a batch of 50,000 rows takes
 * about 2 s (longer the larger the string), more than the insert itself; bytes are written as a
 * single hex literal, about 60 ms for the same batch. So a batch travels as its UTF-8 bytes and
 * PostgreSQL turns them back into JSON. Only the ORM writes the literal; no text is spliced in here.
 */
export const jsonParam = (value: unknown) => Buffer.from(JSON.stringify(value)) as JsonParam;
const JSON_PARAM = `convert_from(?::bytea, 'utf8')::json`;

export type Located<T> = T & { file: string; line: number };
export interface RowError {
  file: string;
  line: number;
  field: string;
  reason: string;
}
export interface WriteOutcome {
  inserted: number;
  updated: number;
  errors: RowError[];
}

/*
 * Each kind is written with one set-based statement per batch: the rows travel as one JSON
 * parameter unpacked by json_to_recordset, and an upsert on the natural key changes a row only
 * when something in it differs, so importing the same file twice changes nothing.
 */

interface Upsert {
  table: string;
  /** Recordset columns: «name type». */
  columns: string[];
  /** Target column → expression over `r` and the joined tables. */
  values: [string, string][];
  joins?: string;
  conflict: string;
  /** Columns that identify the row (not compared, not updated). */
  keys: string[];
  /** Extra assignments on update that do not count as a change. */
  touch?: string;
  /** The new value of a column where it is not simply `excluded.<column>`. */
  merge?: Record<string, string>;
}

function upsertSql(u: Upsert): string {
  const cols = u.values.map(([c]) => c);
  const changing = cols.filter((c) => !u.keys.includes(c));
  const next = (c: string) => u.merge?.[c] ?? `excluded.${c}`;
  const set = changing
    .map((c) => `${c} = ${next(c)}`)
    .concat(u.touch ? [u.touch] : [])
    .join(', ');
  // Only the two counts come back, not a row per row written.
  return `with written as (
    insert into ${u.table} (${cols.join(', ')})
    select ${u.values.map(([, e]) => e).join(', ')}
    from json_to_recordset(${JSON_PARAM}) as r(${u.columns.join(', ')}) ${u.joins ?? ''}
    on conflict ${u.conflict} do update set ${set}
    where (${changing.map((c) => `${u.table}.${c}`).join(', ')}) is distinct from (${changing.map(next).join(', ')})
    returning (xmax = 0) as inserted)
  select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated from written`;
}

/** What an upsert of `upsertSql` returns: one row. */
interface Counts {
  inserted: number;
  updated: number;
}

async function runUpsert(exec: Exec, sql: string, payload: object[]): Promise<{ inserted: number; updated: number }> {
  if (payload.length === 0) return { inserted: 0, updated: 0 };
  const [counts] = await exec<Counts>(sql, jsonParam(payload));
  return { inserted: counts?.inserted ?? 0, updated: counts?.updated ?? 0 };
}

/** Rows whose reference does not resolve are reported and left out of the batch. */
async function dropUnresolved<T extends { file: string; line: number }>(
  exec: Exec,
  rows: T[],
  check: { columns: string[]; payload: (r: T) => object; joins: string; missing: string; field: string; reason: (r: T) => string },
  errors: RowError[],
): Promise<T[]> {
  if (rows.length === 0) return rows;
  const found = await exec<{ i: number }>(
    `select r.i from json_to_recordset(${JSON_PARAM}) as r(i int, ${check.columns.join(', ')}) ${check.joins} where ${check.missing}`,
    jsonParam(rows.map((r, i) => ({ i, ...check.payload(r) }))),
  );
  if (found.length === 0) return rows;
  const bad = new Set(found.map((f) => f.i));
  for (const i of bad) {
    const r = rows[i]!;
    errors.push({ file: r.file, line: r.line, field: check.field, reason: check.reason(r) });
  }
  return rows.filter((_, i) => !bad.has(i));
}

const branchRef = <T extends { branch: string; file: string; line: number }>(exec: Exec, rows: T[], errors: RowError[]) =>
  dropUnresolved(
    exec,
    rows,
    {
      columns: ['branch text'],
      payload: (r) => ({ branch: r.branch }),
      joins: 'left join branch b on b.code = r.branch',
      missing: 'b.id is null',
      field: 'branch',
      reason: (r) => `no branch with code ${r.branch}`,
    },
    errors,
  );

/**
 * Account numbers known to exist in this import's transaction. Most rows refer to accounts the
 * same import has just written, so only numbers not seen yet are looked up in the database.
 */
export class KnownAccounts {
  private readonly ids = new Map<string, number>();
  add(rows: { id: number; long_number: string }[]) {
    for (const r of rows) this.ids.set(r.long_number, r.id);
  }
  /** The account's id; only for numbers that passed `filter`. */
  idOf(number: string): number {
    return this.ids.get(number)!;
  }
  async load(exec: Exec, numbers: string[]) {
    if (numbers.length === 0) return;
    this.add(
      await exec<{ id: number; long_number: string }>(
        `select id, long_number from account where long_number in (select json_array_elements_text(${JSON_PARAM}))`,
        jsonParam(numbers),
      ),
    );
  }
  async filter<T extends { account: string; file: string; line: number }>(exec: Exec, rows: T[], errors: RowError[]): Promise<T[]> {
    await this.load(exec, [...new Set(rows.filter((r) => !this.ids.has(r.account)).map((r) => r.account))]);
    const kept: T[] = [];
    for (const r of rows) {
      if (this.ids.has(r.account)) kept.push(r);
      else errors.push({ file: r.file, line: r.line, field: 'account', reason: `no account ${r.account}` });
    }
    return kept;
  }
}

type Writer<K extends RecordKind> = (exec: Exec, rows: Located<ImportRow<K>>[], known: KnownAccounts) => Promise<WriteOutcome>;

const BRANCH_SQL = upsertSql({
  table: 'branch',
  columns: [
    'code text',
    'name text',
    'timezone text',
    'reading_day_from smallint',
    'reading_day_to smallint',
    'phones text',
    'address text',
    'hours text',
    'email text',
    'requires_pin boolean',
    'payee_name text',
    'payee_inn text',
    'payee_kpp text',
    'bank_name text',
    'bank_bic text',
    'bank_account text',
    'bank_corr_account text',
    'dispatcher_phone text',
    'visit_days text',
    'visit_hour_from smallint',
    'visit_hour_to smallint',
    'visit_within_days smallint',
    'work_days text',
    'work_hour_from smallint',
    'work_hour_to smallint',
    'days_off text',
    'operators_chat_id bigint',
    'area_latitude numeric',
    'area_longitude numeric',
    'area_radius_km smallint',
  ],
  values: [
    'code',
    'name',
    'timezone',
    'reading_day_from',
    'reading_day_to',
    'phones',
    'address',
    'hours',
    'email',
    'requires_pin',
    'payee_name',
    'payee_inn',
    'payee_kpp',
    'bank_name',
    'bank_bic',
    'bank_account',
    'bank_corr_account',
    'dispatcher_phone',
    'visit_days',
    'visit_hour_from',
    'visit_hour_to',
    'visit_within_days',
    'work_days',
    'work_hour_from',
    'work_hour_to',
    'days_off',
    'operators_chat_id',
    'area_latitude',
    'area_longitude',
    'area_radius_km',
  ].map((c) => [c, `r.${c}`]),
  conflict: '(code)',
  keys: ['code'],
});

const dictionarySql = (table: string, more: string[] = []) =>
  upsertSql({
    table,
    columns: ['code text', 'name text', 'use_in_bot boolean', 'sort smallint', ...more],
    values: ['code', 'name', 'use_in_bot', 'sort', ...more.map((c) => c.split(' ')[0]!)].map((c) => [c, `r.${c}`]),
    conflict: '(code)',
    keys: ['code'],
  });
const REASON_SQL = dictionarySql('inspector_call_reason', ['meter_issue text']);
const DAMAGE_SQL = dictionarySql('damage_type');

const TARIFF_SQL = upsertSql({
  table: 'tariff',
  columns: ['branch text', 'service text', 'valid_from date', 'price numeric'],
  values: [
    ['branch_id', 'b.id'],
    ['service_id', 's.id'],
    ['valid_from', 'r.valid_from'],
    ['price', 'r.price'],
  ],
  joins: 'join branch b on b.code = r.branch join service s on s.code = r.service',
  conflict: '(branch_id, service_id, valid_from)',
  keys: ['branch_id', 'service_id', 'valid_from'],
});

const NORM_SQL = upsertSql({
  table: 'norm',
  columns: ['branch text', 'code text', 'service text', 'description text', 'per_person numeric'],
  values: [
    ['branch_id', 'b.id'],
    ['code', 'r.code'],
    ['service_id', 's.id'],
    ['description', 'r.description'],
    ['per_person', 'r.per_person'],
  ],
  joins: 'join branch b on b.code = r.branch join service s on s.code = r.service',
  conflict: '(branch_id, code, service_id)',
  keys: ['branch_id', 'code', 'service_id'],
});

const ADDRESS_COLUMNS = [
  'branch text',
  'settlement text',
  'street text',
  'street_key text',
  'house text',
  'house_key text',
  'flat text',
  'flat_prefix text',
  'flat_key text',
];
const ADDRESS_SQL = [
  `insert into settlement (branch_id, name)
     select distinct b.id, r.settlement from json_to_recordset(${JSON_PARAM}) as r(${ADDRESS_COLUMNS})
     join branch b on b.code = r.branch
     on conflict (branch_id, name) do nothing`,
  `insert into street (settlement_id, name, search_key)
     select distinct on (s.id, r.street) s.id, r.street, r.street_key from json_to_recordset(${JSON_PARAM}) as r(${ADDRESS_COLUMNS})
     join branch b on b.code = r.branch join settlement s on s.branch_id = b.id and s.name = r.settlement
     on conflict (settlement_id, name) do nothing`,
  `insert into building (street_id, house, house_key)
     select distinct on (st.id, r.house_key) st.id, r.house, r.house_key from json_to_recordset(${JSON_PARAM}) as r(${ADDRESS_COLUMNS})
     join branch b on b.code = r.branch join settlement s on s.branch_id = b.id and s.name = r.settlement
     join street st on st.settlement_id = s.id and st.name = r.street
     on conflict (street_id, house_key) do nothing`,
  `insert into premise (building_id, flat, flat_prefix, flat_key)
     select distinct on (bl.id, r.flat_key) bl.id, r.flat, r.flat_prefix, r.flat_key from json_to_recordset(${JSON_PARAM}) as r(${ADDRESS_COLUMNS})
     join branch b on b.code = r.branch join settlement s on s.branch_id = b.id and s.name = r.settlement
     join street st on st.settlement_id = s.id and st.name = r.street
     join building bl on bl.street_id = st.id and bl.house_key = r.house_key
     on conflict (building_id, flat_key) do nothing`,
];

const ACCOUNT_SQL = upsertSql({
  table: 'account',
  columns: [
    ...ADDRESS_COLUMNS,
    'long_number text',
    'short_number text',
    'owner_full_name text',
    'owner_surname_key text',
    'residents smallint',
    'area numeric',
    'phone text',
    'email text',
    'pin_hash text',
    'norm_code text',
    'paper_receipt_opt_out boolean',
  ],
  values: [
    ['branch_id', 'b.id'],
    ['premise_id', 'p.id'],
    ['long_number', 'r.long_number'],
    ['short_number', 'r.short_number'],
    ['owner_full_name', 'r.owner_full_name'],
    ['owner_surname_key', 'r.owner_surname_key'],
    ['residents', 'r.residents'],
    ['area', 'r.area'],
    ['phone', 'r.phone'],
    ['email', 'r.email'],
    ['pin_hash', 'r.pin_hash'],
    ['norm_code', 'r.norm_code'],
    ['paper_receipt_opt_out', 'r.paper_receipt_opt_out'],
  ],
  joins: `join branch b on b.code = r.branch join settlement s on s.branch_id = b.id and s.name = r.settlement
    join street st on st.settlement_id = s.id and st.name = r.street
    join building bl on bl.street_id = st.id and bl.house_key = r.house_key
    join premise p on p.building_id = bl.id and p.flat_key = r.flat_key`,
  conflict: '(long_number)',
  keys: ['long_number'],
  touch: 'updated_at = now()',
  // A file without PINs keeps the PINs the office issued.
  merge: { pin_hash: 'coalesce(excluded.pin_hash, account.pin_hash)' },
});

const writeAccounts: Writer<'account'> = async (exec, input, known) => {
  const errors: RowError[] = [];
  let rows = await branchRef(exec, input, errors);
  rows = await dropUnresolved(
    exec,
    rows,
    {
      columns: ['branch text', 'long_number text', 'short_number text'],
      payload: (r) => ({ branch: r.branch, long_number: r.long_number, short_number: r.short_number }),
      joins: 'join branch b on b.code = r.branch join account a on a.branch_id = b.id and a.short_number = r.short_number',
      missing: 'a.long_number <> r.long_number',
      field: 'short_number',
      reason: (r) => `short number ${r.short_number} already belongs to another account of branch ${r.branch}`,
    },
    errors,
  );
  const withPin = rows.filter((r) => r.pin);
  const existing = new Map<string, string | null>();
  if (withPin.length) {
    const found = await exec<{ long_number: string; pin_hash: string | null }>(
      `select long_number, pin_hash from account where long_number in (select json_array_elements_text(${JSON_PARAM}))`,
      jsonParam(withPin.map((r) => r.long_number)),
    );
    for (const f of found) existing.set(f.long_number, f.pin_hash);
  }
  const payload = rows.map((r) => {
    const stored = existing.get(r.long_number);
    return {
      branch: r.branch,
      settlement: r.settlement,
      street: r.street,
      street_key: streetKey(r.street),
      house: r.house,
      house_key: houseKey(r.house),
      flat: r.flat,
      flat_prefix: r.flat_prefix,
      flat_key: flatKey(r.flat, r.flat_prefix),
      long_number: r.long_number,
      short_number: r.short_number,
      owner_full_name: r.owner_full_name,
      owner_surname_key: surnameKey(surnameOf(r.owner_full_name)),
      residents: r.residents,
      area: r.area,
      phone: r.phone,
      email: r.email,
      pin_hash: r.pin ? (stored && verifyPin(r.pin, stored) ? stored : hashPin(r.pin)) : null,
      norm_code: r.norm_code,
      paper_receipt_opt_out: r.paper_receipt_opt_out,
    };
  });
  if (payload.length === 0) return { inserted: 0, updated: 0, errors };
  const json = jsonParam(payload);
  for (const sql of ADDRESS_SQL) await exec(sql, json);
  const [counts] = await exec<Counts>(ACCOUNT_SQL, json);
  await known.load(
    exec,
    rows.map((r) => r.long_number),
  );
  return { inserted: counts?.inserted ?? 0, updated: counts?.updated ?? 0, errors };
};

const METER_SQL = upsertSql({
  table: 'meter',
  columns: [
    'account_id int',
    'serial text',
    'service text',
    'model text',
    'place text',
    'installed_on date',
    'verification_due date',
    'sealed_on date',
    'status text',
    'digits_before smallint',
    'digits_after smallint',
  ],
  values: [
    ['account_id', 'r.account_id'],
    ['serial', 'r.serial'],
    ['service_id', 's.id'],
    ['model', 'r.model'],
    ['place', 'r.place'],
    ['installed_on', 'r.installed_on'],
    ['verification_due', 'r.verification_due'],
    ['sealed_on', 'r.sealed_on'],
    ['status', 'r.status'],
    ['digits_before', 'r.digits_before'],
    ['digits_after', 'r.digits_after'],
  ],
  joins: 'join service s on s.code = r.service',
  conflict: '(account_id, serial)',
  keys: ['account_id', 'serial'],
});

const READING_SQL = upsertSql({
  table: 'reading',
  columns: ['account text', 'meter text', 'taken_on date', 'value numeric', 'source text', 'period date'],
  values: [
    ['meter_id', 'm.id'],
    ['taken_on', 'r.taken_on'],
    ['source', 'r.source'],
    ['value', 'r.value'],
    ['period', 'r.period'],
  ],
  joins: 'join account a on a.long_number = r.account join meter m on m.account_id = a.id and m.serial = r.meter',
  conflict: '(meter_id, taken_on, source) where superseded_at is null',
  keys: ['meter_id', 'taken_on', 'source'],
});

const CHARGE_SQL = upsertSql({
  table: 'charge',
  columns: [
    'account_id int',
    'service text',
    'period date',
    'kind text',
    'volume numeric',
    'tariff numeric',
    'amount numeric',
    'recalc_from date',
    'recalc_to date',
  ],
  values: [
    ['account_id', 'r.account_id'],
    ['service_id', 's.id'],
    ['period', 'r.period'],
    ['kind', 'r.kind'],
    ['volume', 'r.volume'],
    ['tariff', 'r.tariff'],
    ['amount', 'r.amount'],
    ['recalc_from', 'r.recalc_from'],
    ['recalc_to', 'r.recalc_to'],
  ],
  joins: 'join service s on s.code = r.service',
  conflict: '(account_id, service_id, period, kind)',
  keys: ['account_id', 'service_id', 'period', 'kind'],
});

const PAYMENT_SQL = upsertSql({
  table: 'payment',
  columns: ['account_id int', 'ref text', 'kind text', 'received_on date', 'processed_on date', 'amount numeric'],
  values: [
    ['account_id', 'r.account_id'],
    ['ref', 'r.ref'],
    ['kind', 'r.kind'],
    ['received_on', 'r.received_on'],
    ['processed_on', 'r.processed_on'],
    ['amount', 'r.amount'],
  ],
  conflict: '(account_id, ref)',
  keys: ['account_id', 'ref'],
});

const STATEMENT_SQL = upsertSql({
  table: 'statement',
  columns: [
    'account_id int',
    'period date',
    'opening numeric',
    'charged numeric',
    'recalculation numeric',
    'volume numeric',
    'benefits numeric',
    'paid numeric',
    'closing numeric',
  ],
  values: [
    ['account_id', 'r.account_id'],
    ['period', 'r.period'],
    ['opening', 'r.opening'],
    ['charged', 'r.charged'],
    ['recalculation', 'r.recalculation'],
    ['volume', 'r.volume'],
    ['benefits', 'r.benefits'],
    ['paid', 'r.paid'],
    ['closing', 'r.closing'],
  ],
  conflict: '(account_id, period)',
  keys: ['account_id', 'period'],
});

const SERVICE_STATEMENT_SQL = upsertSql({
  table: 'service_statement',
  columns: [
    'account_id int',
    'service text',
    'period date',
    'opening numeric',
    'charged numeric',
    'recalculation numeric',
    'benefits numeric',
    'paid numeric',
    'closing numeric',
  ],
  values: [
    ['account_id', 'r.account_id'],
    ['service_id', 's.id'],
    ['period', 'r.period'],
    ['opening', 'r.opening'],
    ['charged', 'r.charged'],
    ['recalculation', 'r.recalculation'],
    ['benefits', 'r.benefits'],
    ['paid', 'r.paid'],
    ['closing', 'r.closing'],
  ],
  joins: 'join service s on s.code = r.service',
  conflict: '(account_id, service_id, period)',
  keys: ['account_id', 'service_id', 'period'],
});

const money = (k: number) => kopecksToDecimal(k);
const vol = (m: number) => milliToDecimal(m);

/** A kind that refers to nothing: its rows go in as they are, without where they came from. */
const asIs =
  <K extends RecordKind>(sql: string): Writer<K> =>
  async (exec, rows) => ({
    ...(await runUpsert(
      exec,
      sql,
      rows.map(({ file: _f, line: _l, ...r }) => r),
    )),
    errors: [],
  });

/**
 * When the bot refuses a reading for a meter issue it offers the one reason that has it. A row
 * giving an issue that another reason has (in this import, or in the database and not changed
 * by it) is an error and is left out.
 */
const writeReasons: Writer<'inspector_reason'> = async (exec, input) => {
  const errors: RowError[] = [];
  const held = new Map<string, string[]>();
  const hold = (issue: string, code: string) => held.set(issue, [...(held.get(issue) ?? []), code]);
  if (input.some((r) => r.meter_issue)) {
    const stored = await exec<{ code: string; meter_issue: string }>(
      `select code, meter_issue from inspector_call_reason where meter_issue is not null
       and code not in (select json_array_elements_text(${JSON_PARAM}))`,
      jsonParam(input.map((r) => r.code)),
    );
    for (const r of stored) hold(r.meter_issue, r.code);
    for (const r of input) if (r.meter_issue) hold(r.meter_issue, r.code);
  }
  const rows = input.filter((r) => {
    const others = r.meter_issue ? (held.get(r.meter_issue) ?? []).filter((c) => c !== r.code) : [];
    if (others.length) errors.push({ file: r.file, line: r.line, field: 'meter_issue', reason: `reason ${others.join(', ')} has ${r.meter_issue} too` });
    return others.length === 0;
  });
  return {
    ...(await runUpsert(
      exec,
      REASON_SQL,
      rows.map(({ file: _f, line: _l, ...r }) => r),
    )),
    errors,
  };
};

/**
 * Outages by (branch, external_id). A row that changes an open outage makes a new version
 * (`updated`, or `resolved` / `cancelled`); one already resolved or cancelled is left as it is. The
 * notices are made by the sweep (`outages.notifyPending`: `notified_version` < `version`).
 */
const OUTAGE_SQL = `with written as (
  insert into outage (branch_id, external_id, kind, status, reason, starts_at, ends_at, expected_end_at, streets,
      centre_latitude, centre_longitude, radius_km, version, notified_version, by_kind, by_id, created_at, changed_at)
  select b.id, r.external_id, r.kind, r.status, r.reason, r.starts_at::timestamp at time zone b.timezone,
      r.ends_at::timestamp at time zone b.timezone, r.ends_at::timestamp at time zone b.timezone, r.streets,
      r.latitude, r.longitude, r.radius_km, 1, 0, 'import', null, now(), now()
  from json_to_recordset(${JSON_PARAM}) as r(branch text, external_id text, kind text, status text, reason text,
      starts_at text, ends_at text, streets jsonb, latitude numeric, longitude numeric, radius_km numeric)
  join branch b on b.code = r.branch
  on conflict (branch_id, external_id) do update set kind = excluded.kind, reason = excluded.reason, starts_at = excluded.starts_at,
      expected_end_at = excluded.expected_end_at, streets = excluded.streets, centre_latitude = excluded.centre_latitude,
      centre_longitude = excluded.centre_longitude, radius_km = excluded.radius_km,
      status = case when excluded.status = 'announced' then 'updated' else excluded.status end,
      version = outage.version + 1, changed_at = now()
  where outage.status in ('announced', 'updated')
    and (outage.kind, outage.reason, outage.starts_at, outage.expected_end_at, outage.streets, outage.centre_latitude,
         outage.centre_longitude, outage.radius_km, case when outage.status = 'updated' then 'announced' else outage.status end)
      is distinct from (excluded.kind, excluded.reason, excluded.starts_at, excluded.expected_end_at, excluded.streets,
         excluded.centre_latitude, excluded.centre_longitude, excluded.radius_km, excluded.status)
  returning (xmax = 0) as inserted)
select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated from written`;

const writeOutages: Writer<'outage'> = async (exec, input) => {
  const errors: RowError[] = [];
  const rows = await branchRef(exec, input, errors);
  // The streets as billing names them, in the row's settlement of its branch.
  const wanted = rows.flatMap((r, i) => r.streets.map((s, n) => ({ i, n, branch: r.branch, settlement: r.settlement, street: s.street })));
  const found = wanted.length
    ? await exec<{ i: number; n: number; id: number | null }>(
        `select r.i, r.n, st.id from json_to_recordset(${JSON_PARAM}) as r(i int, n int, branch text, settlement text, street text)
         join branch b on b.code = r.branch
         left join settlement se on se.branch_id = b.id and se.name = r.settlement
         left join street st on st.settlement_id = se.id and st.name = r.street`,
        jsonParam(wanted),
      )
    : [];
  const ids = new Map(found.map((f) => [`${f.i}|${f.n}`, f.id]));
  const good = rows.flatMap((r, i) => {
    const missing = r.streets.filter((_, n) => ids.get(`${i}|${n}`) == null);
    if (missing.length) {
      errors.push({
        file: r.file,
        line: r.line,
        field: 'streets',
        reason: `no street ${missing.map((s) => s.street).join(', ')} in ${r.settlement} of branch ${r.branch}`,
      });
      return [];
    }
    return [
      {
        branch: r.branch,
        external_id: r.external_id,
        kind: r.kind,
        status: r.status,
        reason: r.reason,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        streets: r.streets.map((s, n) => ({ streetId: Number(ids.get(`${i}|${n}`)), houses: s.houses })),
        latitude: r.latitude,
        longitude: r.longitude,
        radius_km: r.radius_km,
      },
    ];
  });
  return { ...(await runUpsert(exec, OUTAGE_SQL, good)), errors };
};

export const writers: { [K in RecordKind]: Writer<K> } = {
  branch: asIs(BRANCH_SQL),
  inspector_reason: writeReasons,
  damage_type: asIs(DAMAGE_SQL),
  tariff: async (exec, input) => {
    const errors: RowError[] = [];
    const rows = await branchRef(exec, input, errors);
    const payload = rows.map((r) => ({ branch: r.branch, service: r.service, valid_from: r.valid_from, price: money(r.price) }));
    return { ...(await runUpsert(exec, TARIFF_SQL, payload)), errors };
  },
  norm: async (exec, input) => {
    const errors: RowError[] = [];
    const rows = await branchRef(exec, input, errors);
    const payload = rows.map((r) => ({ branch: r.branch, code: r.code, service: r.service, description: r.description, per_person: vol(r.per_person) }));
    return { ...(await runUpsert(exec, NORM_SQL, payload)), errors };
  },
  account: writeAccounts,
  outage: writeOutages,
  meter: async (exec, input, known) => {
    const errors: RowError[] = [];
    const rows = await known.filter(exec, input, errors);
    const payload = rows.map(({ file: _f, line: _l, account, ...r }) => ({ account_id: known.idOf(account), ...r }));
    return { ...(await runUpsert(exec, METER_SQL, payload)), errors };
  },
  reading: async (exec, input) => {
    const errors: RowError[] = [];
    const rows = await dropUnresolved(
      exec,
      input,
      {
        columns: ['account text', 'meter text'],
        payload: (r) => ({ account: r.account, meter: r.meter }),
        joins: 'left join account a on a.long_number = r.account left join meter m on m.account_id = a.id and m.serial = r.meter',
        missing: 'm.id is null',
        field: 'meter',
        reason: (r) => `no meter ${r.meter} on account ${r.account}`,
      },
      errors,
    );
    const payload = rows.map((r) => ({ account: r.account, meter: r.meter, taken_on: r.taken_on, value: vol(r.value), source: r.source, period: r.period }));
    return { ...(await runUpsert(exec, READING_SQL, payload)), errors };
  },
  charge: async (exec, input, known) => {
    const errors: RowError[] = [];
    const rows = await known.filter(exec, input, errors);
    const payload = rows.map((r) => ({
      account_id: known.idOf(r.account),
      service: r.service,
      period: r.period,
      kind: r.kind,
      volume: vol(r.volume),
      tariff: money(r.tariff),
      amount: money(r.amount),
      recalc_from: r.recalc_from,
      recalc_to: r.recalc_to,
    }));
    return { ...(await runUpsert(exec, CHARGE_SQL, payload)), errors };
  },
  payment: async (exec, input, known) => {
    const errors: RowError[] = [];
    const rows = await known.filter(exec, input, errors);
    const payload = rows.map((r) => ({
      account_id: known.idOf(r.account),
      ref: r.ref,
      kind: r.kind,
      received_on: r.received_on,
      processed_on: r.processed_on,
      amount: money(r.amount),
    }));
    return { ...(await runUpsert(exec, PAYMENT_SQL, payload)), errors };
  },
  statement: async (exec, input, known) => {
    const errors: RowError[] = [];
    const rows = await known.filter(exec, input, errors);
    const payload = rows.map((r) => ({
      account_id: known.idOf(r.account),
      period: r.period,
      opening: money(r.opening),
      charged: money(r.charged),
      recalculation: money(r.recalculation),
      volume: vol(r.volume),
      benefits: money(r.benefits),
      paid: money(r.paid),
      closing: money(r.closing),
    }));
    return { ...(await runUpsert(exec, STATEMENT_SQL, payload)), errors };
  },
  service_statement: async (exec, input, known) => {
    const errors: RowError[] = [];
    const rows = await known.filter(exec, input, errors);
    const payload = rows.map((r) => ({
      account_id: known.idOf(r.account),
      service: r.service,
      period: r.period,
      opening: money(r.opening),
      charged: money(r.charged),
      recalculation: money(r.recalculation),
      benefits: money(r.benefits),
      paid: money(r.paid),
      closing: money(r.closing),
    }));
    return { ...(await runUpsert(exec, SERVICE_STATEMENT_SQL, payload)), errors };
  },
};
