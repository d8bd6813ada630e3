import { kopecksToDecimal, milliToDecimal } from '../../money/exact.ts';
import type { DirectKind } from './parse.ts';
import type { ImportRow, RecordKind } from './records.ts';

declare const jsonDocument: unique symbol;
/** One JSON document as the parameter of an import statement; made by `jsonParam`, read in SQL as `JSON_PARAM`. */
export type JsonParam = Buffer & { readonly [jsonDocument]: true };

/**
 * Runs one statement of the import's own SQL in its transaction; the `?` in `JSON_PARAM`, if any,
 * takes `param` (several `?`, each `BYTES_PARAM`, take one of a list of byte strings each, in order).
 * The rows come back as PostgreSQL returns them, typed by the caller.
 */
export type Exec = <Row extends object>(sql: string, param?: JsonParam | readonly Buffer[]) => Promise<Row[]>;

/*
 * em.execute does not bind parameters: it writes them into the SQL text as literals (a string
 * escaped one character at a time, bytes as one hex literal twice their size, which PostgreSQL
 * then scans and decodes). So a statement with a batch runs through the ORM's query builder
 * (em.getKnex().raw), which binds it: the driver sends the batch's UTF-8 bytes as they are, as a
 * binary bytea parameter, and PostgreSQL turns them back into JSON. No text is spliced in here.
 */
export const jsonParam = (value: unknown) => Buffer.from(JSON.stringify(value)) as JsonParam;
export const JSON_PARAM = `convert_from(?::bytea, 'utf8')::json`;
/** A parameter sent as UTF-8 bytes, read as text (then cast by the statement). */
export const BYTES_PARAM = `convert_from(?::bytea, 'utf8')`;

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

type Writer<K extends RecordKind> = (exec: Exec, rows: Located<ImportRow<K>>[]) => Promise<WriteOutcome>;

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

/** The kinds written batch by batch (the others: stage.ts). */
export const writers: { [K in DirectKind]: Writer<K> } = {
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
  outage: writeOutages,
};
