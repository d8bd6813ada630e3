import { flatKey, houseKey, streetKey, surnameKey, surnameOf } from '../normalize.ts';
import { kopecksToDecimal, milliToDecimal } from '../../money/exact.ts';
import type { ImportRow, RecordKind } from './records.ts';
import { BYTES_PARAM, JSON_PARAM, type Exec, type JsonParam } from './write.ts';

/*
 * The kinds an export has millions of go through staging tables: every checked row is appended,
 * as it is read, to a temporary table of its kind (no index, dropped with the transaction); once
 * everything is read, each kind is checked and written by a few set-based statements over the
 * whole table: duplicates of a natural key, references that do not resolve, then an UPDATE of the
 * rows whose values differ and an INSERT of the new ones (on a first load, the keys rebuilt over the
 * rows and a count stand for the checks: «The first load» below). The process keeps nothing per row, so its
 * memory does not grow with the export, and a second run of the same files only compares.
 */
export const STAGED_KINDS = ['account', 'meter', 'reading', 'charge', 'payment', 'statement', 'service_statement'] as const;
export type StagedKind = (typeof STAGED_KINDS)[number];
export const isStaged = (k: RecordKind): k is StagedKind => (STAGED_KINDS as readonly string[]).includes(k);

/** A staged row: the values as they go into the database, and where the row came from. */
export type StageRow = Record<string, unknown> & { fno: number; line: number };

const money = (k: number) => kopecksToDecimal(k);
const vol = (m: number) => milliToDecimal(m);

/** The checked row as its staging table has it (the account's PIN is replaced by the writer). */
export const toStage: { [K in StagedKind]: (r: ImportRow<K>) => Record<string, unknown> } = {
  account: (r) => ({
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
    pin: r.pin,
    norm_code: r.norm_code,
    paper_receipt_opt_out: r.paper_receipt_opt_out,
  }),
  meter: (r) => r,
  reading: (r) => ({ account: r.account, meter: r.meter, taken_on: r.taken_on, value: vol(r.value), source: r.source, period: r.period }),
  charge: (r) => ({
    account: r.account,
    service: r.service,
    period: r.period,
    kind: r.kind,
    volume: vol(r.volume),
    tariff: money(r.tariff),
    amount: money(r.amount),
    recalc_from: r.recalc_from,
    recalc_to: r.recalc_to,
  }),
  payment: (r) => ({ ...r, amount: money(r.amount) }),
  statement: (r) => ({
    account: r.account,
    period: r.period,
    opening: money(r.opening),
    charged: money(r.charged),
    recalculation: money(r.recalculation),
    volume: vol(r.volume),
    benefits: money(r.benefits),
    paid: money(r.paid),
    closing: money(r.closing),
  }),
  service_statement: (r) => ({
    account: r.account,
    service: r.service,
    period: r.period,
    opening: money(r.opening),
    charged: money(r.charged),
    recalculation: money(r.recalculation),
    benefits: money(r.benefits),
    paid: money(r.paid),
    closing: money(r.closing),
  }),
};

interface Reference {
  field: string;
  /** True for a row (`r`) whose reference does not resolve. */
  unresolved: string;
  /** The reason, an SQL text expression over `r`. */
  reason: string;
}

interface Target {
  table: string;
  /** From the staged row `r` to the values: joins to the referenced tables. */
  joins: string;
  /** Target column → expression: the natural key (not compared, not updated). */
  key: [string, string][];
  /** Target column → expression on insert, and on update where it differs (over `t`, the stored row). */
  values: [string, string, string?][];
  /** Which stored rows the key is unique among (a partial unique index). */
  among?: string;
  /** Assignments on update that do not count as a change. */
  touch?: string;
}

interface Staging {
  /** «name type», after fno and line. */
  columns: string[];
  /** Staged columns that identify a row: two rows with the same ones are an error. */
  key: string[];
  /** Another unique key (field reported for its duplicates), and its columns as stored. */
  alsoUnique?: { columns: string[]; field: string; stored: string[] };
  references: Reference[];
  /**
   * Staged rows that billing gives back of what was passed here, not loaded from it: `rows` lists
   * those (few) stored rows by the staged columns of `key`; the staged rows they match leave the
   * staging table before the merge and count as unchanged, so that billing's copy, maybe older than
   * a correction made here, neither overwrites it nor stands beside it.
   */
  givenBack?: { rows: string; key: string[] };
  target: Target;
}

const ACCOUNT_MISSING: Reference = {
  field: 'account',
  unresolved: 'not exists (select 1 from account a where a.long_number = r.account)',
  reason: `'no account ' || r.account`,
};
const byAccount = 'join account a on a.long_number = r.account';
const direct = (...columns: string[]): [string, string][] => columns.map((c) => [c, `r.${c}`]);

const STAGING: Record<StagedKind, Staging> = {
  account: {
    columns: [
      'branch text',
      'settlement text',
      'street text',
      'street_key text',
      'house text',
      'house_key text',
      'flat text',
      'flat_prefix text',
      'flat_key text',
      'long_number text',
      'short_number text',
      'owner_full_name text',
      'owner_surname_key text',
      'residents smallint',
      'area numeric',
      'phone text',
      'email text',
      'pin_hash text',
      'pin_fp text',
      'norm_code text',
      'paper_receipt_opt_out boolean',
    ],
    key: ['long_number'],
    alsoUnique: { columns: ['branch', 'short_number'], field: 'short_number', stored: ['branch_id', 'short_number'] },
    references: [
      { field: 'branch', unresolved: 'not exists (select 1 from branch b where b.code = r.branch)', reason: `'no branch with code ' || r.branch` },
      {
        field: 'short_number',
        unresolved: `exists (select 1 from branch b join account a on a.branch_id = b.id
          where b.code = r.branch and a.short_number = r.short_number and a.long_number <> r.long_number)`,
        reason: `'short number ' || r.short_number || ' already belongs to another account of branch ' || r.branch`,
      },
    ],
    target: {
      table: 'account',
      joins: `join branch b on b.code = r.branch join settlement s on s.branch_id = b.id and s.name = r.settlement
        join street st on st.settlement_id = s.id and st.name = r.street
        join building bl on bl.street_id = st.id and bl.house_key = r.house_key
        join premise p on p.building_id = bl.id and p.flat_key = r.flat_key`,
      key: [['long_number', 'r.long_number']],
      values: [
        ['branch_id', 'b.id'],
        ['premise_id', 'p.id'],
        ...direct('short_number', 'owner_full_name', 'owner_surname_key', 'residents', 'area', 'phone', 'email'),
        // A file without PINs keeps the PINs the office issued (and their fingerprints).
        ['pin_hash', 'r.pin_hash', 'coalesce(r.pin_hash, t.pin_hash)'],
        ...direct('norm_code', 'paper_receipt_opt_out'),
      ],
      // A new hash takes the fingerprint of its PIN, or none (no key): an old one would vouch for an old PIN.
      touch: 'updated_at = now(), pin_fingerprint = case when r.pin_hash is null then t.pin_fingerprint else r.pin_fp end',
    },
  },
  meter: {
    columns: [
      'account text',
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
    key: ['account', 'serial'],
    references: [ACCOUNT_MISSING],
    target: {
      table: 'meter',
      joins: `${byAccount} join service s on s.code = r.service`,
      key: [
        ['account_id', 'a.id'],
        ['serial', 'r.serial'],
      ],
      values: [['service_id', 's.id'], ...direct('model', 'place', 'installed_on', 'verification_due', 'sealed_on', 'status', 'digits_before', 'digits_after')],
    },
  },
  reading: {
    columns: ['account text', 'meter text', 'taken_on date', 'value numeric', 'source text', 'period date'],
    key: ['account', 'meter', 'taken_on', 'source'],
    references: [
      {
        field: 'meter',
        unresolved: 'not exists (select 1 from account a join meter m on m.account_id = a.id where a.long_number = r.account and m.serial = r.meter)',
        reason: `'no meter ' || r.meter || ' on account ' || r.account`,
      },
    ],
    // A resident's reading has a submission key; billing's never has.
    givenBack: {
      rows: `select a.long_number as account, m.serial as meter, o.taken_on, o.source from reading o
        join meter m on m.id = o.meter_id join account a on a.id = m.account_id where o.submission is not null`,
      key: ['account', 'meter', 'taken_on', 'source'],
    },
    target: {
      table: 'reading',
      joins: `${byAccount} join meter m on m.account_id = a.id and m.serial = r.meter`,
      key: [
        ['meter_id', 'm.id'],
        ['taken_on', 'r.taken_on'],
        ['source', 'r.source'],
      ],
      values: direct('value', 'period'),
      among: 't.superseded_at is null',
    },
  },
  charge: {
    columns: [
      'account text',
      'service text',
      'period date',
      'kind text',
      'volume numeric',
      'tariff numeric',
      'amount numeric',
      'recalc_from date',
      'recalc_to date',
    ],
    key: ['account', 'service', 'period', 'kind'],
    references: [ACCOUNT_MISSING],
    target: {
      table: 'charge',
      joins: `${byAccount} join service s on s.code = r.service`,
      key: [
        ['account_id', 'a.id'],
        ['service_id', 's.id'],
        ['period', 'r.period'],
        ['kind', 'r.kind'],
      ],
      values: direct('volume', 'tariff', 'amount', 'recalc_from', 'recalc_to'),
    },
  },
  payment: {
    columns: ['account text', 'ref text', 'kind text', 'received_on date', 'processed_on date', 'amount numeric'],
    key: ['account', 'ref'],
    references: [ACCOUNT_MISSING],
    target: {
      table: 'payment',
      joins: byAccount,
      key: [
        ['account_id', 'a.id'],
        ['ref', 'r.ref'],
      ],
      values: direct('kind', 'received_on', 'processed_on', 'amount'),
    },
  },
  statement: {
    columns: [
      'account text',
      'period date',
      'opening numeric',
      'charged numeric',
      'recalculation numeric',
      'volume numeric',
      'benefits numeric',
      'paid numeric',
      'closing numeric',
    ],
    key: ['account', 'period'],
    references: [ACCOUNT_MISSING],
    target: {
      table: 'statement',
      joins: byAccount,
      key: [
        ['account_id', 'a.id'],
        ['period', 'r.period'],
      ],
      values: direct('opening', 'charged', 'recalculation', 'volume', 'benefits', 'paid', 'closing'),
    },
  },
  service_statement: {
    columns: [
      'account text',
      'service text',
      'period date',
      'opening numeric',
      'charged numeric',
      'recalculation numeric',
      'benefits numeric',
      'paid numeric',
      'closing numeric',
    ],
    key: ['account', 'service', 'period'],
    references: [ACCOUNT_MISSING],
    target: {
      table: 'service_statement',
      joins: `${byAccount} join service s on s.code = r.service`,
      key: [
        ['account_id', 'a.id'],
        ['service_id', 's.id'],
        ['period', 'r.period'],
      ],
      values: direct('opening', 'charged', 'recalculation', 'benefits', 'paid', 'closing'),
    },
  },
};

const stageTable = (kind: StagedKind | 'outage') => `import_stage_${kind}`;
const names = (columns: string[]) => columns.map((c) => c.split(' ')[0]!);

/**
 * The temporary tables of one import, dropped when its transaction ends. `import_error` keeps the
 * errors: those found row by row as the files are read, then (`late`) those of the set-based
 * checks once they are read; `ofno`/`oline` say which row a duplicate repeats.
 */
export async function createStaging(exec: Exec) {
  for (const kind of STAGED_KINDS) {
    await exec(`create temp table ${stageTable(kind)} (fno int not null, line int not null, ${STAGING[kind].columns.join(', ')}) on commit drop`);
  }
  // Outages refer to the streets the accounts bring: they are written after them, as checked.
  await exec(`create temp table ${stageTable('outage')} (fno int not null, line int not null, data jsonb not null) on commit drop`);
  await exec(`create temp table import_error (seq bigserial, late boolean not null default true, fno int not null, line int not null,
    field text not null, reason text not null, ofno int, oline int) on commit drop`);
}

/*
 * The batches travel by column: for each staging column one PostgreSQL array literal
 * (`{"a","b",NULL}`), all of them in one byte string, `lengths` saying where each ends. PostgreSQL
 * reads typed arrays two to three times faster than the same rows as JSON objects
 * (json_to_recordset: 335 ms for 50,000 charges, unnest of the arrays: 140 ms), and the staging
 * statements run one after another on the import's one connection, so that time is the writer's.
 */
export interface StagedColumns {
  bytes: Uint8Array;
  /** Byte length of each column's literal, in the order of `stagedColumns`. */
  lengths: number[];
}

/** The staging columns of a kind in the order its columns travel: fno, line, then its own. */
export const stagedColumns = (kind: StagedKind) => ['fno', 'line', ...names(STAGING[kind].columns)];

const QUOTED = /[\\"]/g;
/** One value as an element of an array literal: NULL, or quoted with `\` and `"` escaped. */
const element = (v: unknown) => (v === null || v === undefined ? 'NULL' : `"${String(v).replace(QUOTED, '\\$&')}"`);
/** A backslash in JSON that is not `\"` or `\\`: an escape PostgreSQL's array literal does not have (a control character's). */
const JSON_ONLY_ESCAPE = /\\[^"\\]/;

/**
 * A column's values as an array literal. JSON writes an array of strings, numbers and nulls the
 * way PostgreSQL reads one, but for its brackets and the escapes of control characters (`\n`),
 * and natively, several times faster than building the text here; a column with such an escape
 * (or a backslash followed by a letter, which looks like one) is written element by element.
 */
function literal(values: unknown[]): string {
  const json = JSON.stringify(values);
  if (!JSON_ONLY_ESCAPE.test(json)) return `{${json.slice(1, -1)}}`;
  return `{${values.map(element).join(',')}}`;
}

/** The rows of a batch, column by column, as `stageColumns` takes them (in its own buffer, so that it can move to another thread). */
export function toColumns(kind: StagedKind, rows: StageRow[]): StagedColumns {
  const literals = stagedColumns(kind).map((c) => Buffer.from(literal(rows.map((r) => r[c] ?? null))));
  const bytes = new Uint8Array(literals.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of literals) {
    bytes.set(b, at);
    at += b.length;
  }
  return { bytes, lengths: literals.map((b) => b.length) };
}

const columnsSql = Object.fromEntries(
  STAGED_KINDS.map((kind) => {
    const types = ['int', 'int', ...STAGING[kind].columns.map((c) => c.split(' ')[1]!)];
    // unnest in the select list walks the arrays in step; unnest(a, b, …) in FROM first copies each
    // array's elements into a store of its own (494,400 readings: 470 against 660 ms).
    return [
      kind,
      `insert into ${stageTable(kind)} (${stagedColumns(kind).join(', ')})
       select ${types.map((t) => `unnest(${BYTES_PARAM}::${t}[])`).join(', ')}`,
    ];
  }),
) as Record<StagedKind, string>;

/** Appends a batch made by `toColumns` to its kind's staging table. */
export async function stageColumns(exec: Exec, kind: StagedKind, columns: StagedColumns) {
  const parts: Buffer[] = [];
  let at = columns.bytes.byteOffset;
  for (const n of columns.lengths) {
    parts.push(Buffer.from(columns.bytes.buffer, at, n));
    at += n;
  }
  await exec(columnsSql[kind], parts);
}

export async function stageOutages(exec: Exec, rows: JsonParam) {
  await exec(
    `insert into ${stageTable('outage')} (fno, line, data) select (e->>'fno')::int, (e->>'line')::int, e->'data'
    from json_array_elements(${JSON_PARAM}) e`,
    rows,
  );
}

/** The staged outages in the order read, `size` at a time. */
export async function* stagedOutages(exec: Exec, size: number): AsyncGenerator<{ fno: number; line: number; data: Record<string, unknown> }[]> {
  let after = [-1, 0];
  for (;;) {
    const rows = await exec<{ fno: number; line: number; data: Record<string, unknown> }>(
      `select fno, line, data from ${stageTable('outage')} where (fno, line) > (${after[0]}, ${after[1]}) order by fno, line limit ${size}`,
    );
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1]!;
    after = [last.fno, last.line];
  }
}

const count = async (exec: Exec, sql: string) => (await exec<{ n: number }>(sql))[0]?.n ?? 0;

/** Rows repeating `key` of a row read before them become errors and leave the staging table. */
function duplicatesSql(kind: StagedKind, key: string[], field: string) {
  const table = stageTable(kind);
  const k = key.join(', ');
  return `with repeated as (select ${k} from ${table} group by ${k} having count(*) > 1),
    ranked as (select r.ctid as rid, r.fno, r.line, first_value(r.fno) over w as ofno, first_value(r.line) over w as oline,
        row_number() over w as n
      from ${table} r join repeated using (${k}) window w as (partition by ${key.map((c) => `r.${c}`).join(', ')} order by r.fno, r.line)),
    gone as (delete from ${table} s using ranked d where d.n > 1 and s.ctid = d.rid returning d.fno, d.line, d.ofno, d.oline),
    noted as (insert into import_error (fno, line, field, reason, ofno, oline)
      select fno, line, '${field}', 'the same ${kind} as', ofno, oline from gone order by fno, line returning 1)
    select count(*)::int as n from noted`;
}

function unresolvedSql(kind: StagedKind, ref: Reference) {
  return `with gone as (delete from ${stageTable(kind)} r where ${ref.unresolved} returning r.fno, r.line, ${ref.reason} as reason),
    noted as (insert into import_error (fno, line, field, reason) select fno, line, '${ref.field}', reason from gone order by fno, line returning 1)
    select count(*)::int as n from noted`;
}

function updateSql(kind: StagedKind) {
  const t = STAGING[kind].target;
  const next = (v: [string, string, string?]) => v[2] ?? v[1];
  const set = t.values
    .map((v) => `${v[0]} = ${next(v)}`)
    .concat(t.touch ? [t.touch] : [])
    .join(', ');
  return `with changed as (
      update ${t.table} t set ${set}
      from ${stageTable(kind)} r ${t.joins}
      where ${t.key.map(([c, e]) => `t.${c} = ${e}`).join(' and ')} ${t.among ? `and ${t.among}` : ''}
        and (${t.values.map(([c]) => `t.${c}`).join(', ')}) is distinct from (${t.values.map(next).join(', ')})
      returning 1)
    select count(*)::int as n from changed`;
}

/** The new rows (as the CTE `added`); into an empty table held by this import (`empty`), all of them, with nothing to look up. */
function addedSql(kind: StagedKind, empty: boolean) {
  const t = STAGING[kind].target;
  const all = [...t.key, ...t.values];
  const extra = kind === 'account' ? { col: 'pin_fingerprint', expr: 'r.pin_fp' } : null;
  const absent = `where not exists (select 1 from ${t.table} t where ${t.key.map(([c, e]) => `t.${c} = ${e}`).join(' and ')} ${t.among ? `and ${t.among}` : ''})`;
  return `with added as (
      insert into ${t.table} (${all.map(([c]) => c).join(', ')}${extra ? `, ${extra.col}` : ''})
      select ${all.map(([, e]) => e).join(', ')}${extra ? `, ${extra.expr}` : ''}
      from ${stageTable(kind)} r ${t.joins}
      ${empty ? '' : absent}
      returning 1)`;
}
const insertSql = (kind: StagedKind, empty: boolean) => `${addedSql(kind, empty)} select count(*)::int as n from added`;

/*
 * The first load of a database: a row at a time, a table's indexes and its foreign keys' triggers
 * cost more than the rows themselves (at 494,000 charges, the triggers alone 3.5 of 5.5 s). So when
 * the database had no account as the import began and a target table is empty, the import holds
 * that table, sets aside its unique keys, its other indexes and its foreign keys (and its primary
 * key when no other table refers to it), writes every row, then puts them back from the
 * catalog's own definitions: each index is built once, each foreign key checked by one join. Being
 * inside the import's transaction, all of it is undone with the rest if anything fails, a key
 * broken by the rows included. Until the import commits, readers of those tables and of the tables
 * they refer to wait: on a database without accounts no resident has anything to read yet.
 */
interface SetAside {
  /** The statements that put back what was set aside, in order: keys and indexes, then foreign keys. */
  restore: string[];
  /** The columns of each unique key set aside (a partial one included) whose columns cannot be null, each list sorted. */
  unique: string[][];
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function setAsideIfEmpty(exec: Exec, table: string): Promise<SetAside | null> {
  // Writers wait from here; readers only once something is dropped.
  await exec(`lock table ${table} in share row exclusive mode`);
  if ((await exec(`select 1 from ${table} limit 1`)).length) return null;
  // A primary key is kept where a foreign key of another table refers to it.
  const constraints = await exec<{ name: string; def: string; type: string }>(
    `select conname as name, pg_get_constraintdef(oid) as def, contype::text as type from pg_constraint k
     where conrelid = '${table}'::regclass and (contype in ('u', 'f')
       or contype = 'p' and not exists (select 1 from pg_constraint f where f.contype = 'f' and f.confrelid = k.conrelid))
     order by contype desc, conname`,
  );
  // A unique key vouches for a natural key only over columns that cannot be null (two nulls are not equal to it).
  const indexes = await exec<{ name: string; def: string; unique: boolean; columns: string[]; of: string | null }>(
    `select c.relname as name, pg_get_indexdef(i.indexrelid) as def,
       i.indisunique and not exists (select 1 from pg_attribute a where a.attrelid = i.indrelid and a.attnum = any(i.indkey) and not a.attnotnull) as unique,
       array(select a.attname::text from pg_attribute a where a.attrelid = i.indrelid and a.attnum = any(i.indkey) order by a.attname) as columns,
       (select k.conname from pg_constraint k where k.conindid = i.indexrelid and k.conrelid = i.indrelid) as of
     from pg_index i join pg_class c on c.oid = i.indexrelid
     where i.indrelid = '${table}'::regclass
     order by c.relname`,
  );
  const dropped = new Set(constraints.map((c) => c.name));
  const bare = indexes.filter((i) => i.of === null);
  for (const c of constraints) await exec(`alter table ${table} drop constraint ${ident(c.name)}`);
  for (const i of bare) await exec(`drop index ${ident(i.name)}`);
  return {
    unique: indexes.filter((i) => i.unique && (i.of === null || dropped.has(i.of))).map((i) => i.columns),
    restore: [
      ...constraints.filter((c) => c.type === 'p').map((c) => `alter table ${table} add constraint ${ident(c.name)} ${c.def}`),
      ...constraints.filter((c) => c.type === 'u').map((c) => `alter table ${table} add constraint ${ident(c.name)} ${c.def}`),
      ...bare.map((i) => i.def),
      ...constraints.filter((c) => c.type === 'f').map((c) => `alter table ${table} add constraint ${ident(c.name)} ${c.def}`),
      // The kinds merged after this one join it: their plans need its size.
      `analyze ${table}`,
    ],
  };
}

/** Addresses are created as the accounts need them, never deleted. */
const ADDRESS_SQL = [
  `insert into settlement (branch_id, name)
     select distinct b.id, r.settlement from ${stageTable('account')} r join branch b on b.code = r.branch
     on conflict (branch_id, name) do nothing`,
  `insert into street (settlement_id, name, search_key)
     select distinct on (s.id, r.street) s.id, r.street, r.street_key from ${stageTable('account')} r
     join branch b on b.code = r.branch join settlement s on s.branch_id = b.id and s.name = r.settlement
     on conflict (settlement_id, name) do nothing`,
  `insert into building (street_id, house, house_key)
     select distinct on (st.id, r.house_key) st.id, r.house, r.house_key from ${stageTable('account')} r
     join branch b on b.code = r.branch join settlement s on s.branch_id = b.id and s.name = r.settlement
     join street st on st.settlement_id = s.id and st.name = r.street
     on conflict (street_id, house_key) do nothing`,
  `insert into premise (building_id, flat, flat_prefix, flat_key)
     select distinct on (bl.id, r.flat_key) bl.id, r.flat, r.flat_prefix, r.flat_key from ${stageTable('account')} r
     join branch b on b.code = r.branch join settlement s on s.branch_id = b.id and s.name = r.settlement
     join street st on st.settlement_id = s.id and st.name = r.street
     join building bl on bl.street_id = st.id and bl.house_key = r.house_key
     on conflict (building_id, flat_key) do nothing`,
];

/**
 * A PIN whose hash was kept (it verified against the stored one) gets its fingerprint stored too;
 * that alone is not a change of the account.
 */
const FINGERPRINT_SQL = `update account t set pin_fingerprint = r.pin_fp from ${stageTable('account')} r
  where t.long_number = r.long_number and r.pin_fp is not null and t.pin_fingerprint is distinct from r.pin_fp and t.pin_hash = r.pin_hash`;

export interface MergeOutcome {
  inserted: number;
  updated: number;
  /** Rows that were errors (duplicates, references): they are in `import_error`. */
  rejected: number;
}

/** Thrown inside the first load's shortcut when what the checks would have found may be there. */
class NotVouched extends Error {}

/** PostgreSQL's unique_violation: a key rebuilt over rows that repeat it. */
const isUniqueViolation = (e: unknown) => (e as { cause?: { code?: unknown } } | null)?.cause?.code === '23505';

/** Whether a unique key's columns (sorted, as `SetAside.unique` has them) are those of `key`. */
const isKey = (sorted: string[], key: string[]) => sorted.join() === [...key].sort().join();

/**
 * The first load's shortcut. Into a table set aside, rows repeating a natural key or whose
 * references do not resolve need not be looked for row by row: the joins of the INSERT (each on a
 * unique key) drop the unresolved ones, so every staged row was written only if the count says so,
 * and the unique keys, rebuilt over the rows, refuse any repeated one. Used only when the table's
 * unique keys set aside include the natural key (and the other one checked, if any); inside a
 * savepoint, so that anything the checks would have found undoes it and the checks run as always.
 */
async function firstLoadShortcut(exec: Exec, kind: StagedKind): Promise<MergeOutcome | null> {
  const s = STAGING[kind];
  await exec('savepoint import_first_load');
  try {
    if (s.givenBack) await exec(givenBackSql(kind));
    if (kind === 'account') for (const sql of ADDRESS_SQL) await exec(sql);
    const aside = await setAsideIfEmpty(exec, s.target.table);
    const keys = [s.target.key.map(([c]) => c), ...(s.alsoUnique ? [s.alsoUnique.stored] : [])];
    if (!aside || !keys.every((k) => aside.unique.some((u) => isKey(u, k)))) throw new NotVouched();
    const [written] = await exec<{ n: number; staged: number }>(
      `${addedSql(kind, true)} select (select count(*)::int from added) as n, (select count(*)::int from ${stageTable(kind)}) as staged`,
    );
    if (!written || written.n !== written.staged) throw new NotVouched();
    for (const sql of aside.restore) await exec(sql);
    await exec('release savepoint import_first_load');
    return { inserted: written.n, updated: 0, rejected: 0 };
  } catch (e) {
    if (!(e instanceof NotVouched) && !isUniqueViolation(e)) throw e;
    await exec('rollback to savepoint import_first_load');
    await exec('release savepoint import_first_load');
    return null;
  }
}

function givenBackSql(kind: StagedKind) {
  // From the stored rows (few: those passed here) to the staged ones, not a lookup per staged row.
  const { rows, key } = STAGING[kind].givenBack!;
  return `with ours as materialized (${rows}) delete from ${stageTable(kind)} r using ours where ${key.map((c) => `r.${c} = ours.${c}`).join(' and ')}`;
}

/**
 * Checks the staged rows of a kind against each other and the database, then writes them;
 * `firstLoad`: the database had no account as the import began (see «The first load» above).
 */
export async function merge(exec: Exec, kind: StagedKind, firstLoad = false): Promise<MergeOutcome> {
  const s = STAGING[kind];
  if (firstLoad) {
    const quick = await firstLoadShortcut(exec, kind);
    if (quick) return quick;
  }
  let rejected = await count(exec, duplicatesSql(kind, s.key, '(row)'));
  if (s.alsoUnique) rejected += await count(exec, duplicatesSql(kind, s.alsoUnique.columns, s.alsoUnique.field));
  for (const ref of s.references) rejected += await count(exec, unresolvedSql(kind, ref));
  if (s.givenBack) await exec(givenBackSql(kind));
  if (kind === 'account') for (const sql of ADDRESS_SQL) await exec(sql);
  const aside = firstLoad ? await setAsideIfEmpty(exec, s.target.table) : null;
  const updated = aside ? 0 : await count(exec, updateSql(kind));
  const inserted = await count(exec, insertSql(kind, aside !== null));
  if (aside) for (const sql of aside.restore) await exec(sql);
  if (kind === 'account' && !aside) await exec(FINGERPRINT_SQL);
  return { inserted, updated, rejected };
}

export interface StagedError {
  fno: number;
  line: number;
  field: string;
  reason: string;
  ofno: number | null;
  oline: number | null;
}

/**
 * Errors found row by row (a JSON array of `fno`, `line`, `field`, `reason`) while reading (not
 * `late`) or after it, to be reported in order with the rest.
 */
export async function noteErrors(exec: Exec, rows: JsonParam, late: boolean) {
  await exec(
    `insert into import_error (late, fno, line, field, reason) select ${late}, fno, line, field, reason
    from json_to_recordset(${JSON_PARAM}) as r(fno int, line int, field text, reason text)`,
    rows,
  );
}

/**
 * The first `limit` errors and how many there are: those found while reading, then those found
 * after it (duplicates, references), each by file (in the order read) and line.
 */
export async function stagedErrors(exec: Exec, limit: number): Promise<{ first: StagedError[]; total: number }> {
  const total = await count(exec, 'select count(*)::int as n from import_error');
  const first =
    total && limit > 0
      ? await exec<StagedError>(`select fno, line, field, reason, ofno, oline from import_error order by late, fno, line, seq limit ${limit}`)
      : [];
  return { first, total };
}
