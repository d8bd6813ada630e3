import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Orm } from '../../db/orm.ts';
import type { DirectKind, ParsedBatch } from './parse.ts';
import { exportFingerprint } from './fingerprint.ts';
import { checkPins } from './pins.ts';
import { KIND_ORDER, type RecordKind } from './records.ts';
import { listSources, type Source } from './sources.ts';
import {
  createStaging,
  isStaged,
  merge,
  noteErrors,
  stageColumns,
  stagedErrors,
  stagedOutages,
  stageOutages,
  STAGED_KINDS,
  toColumns,
  type StagedColumns,
  type StagedKind,
  type StageRow,
} from './stage.ts';
import { JSON_PARAM, jsonParam, writers, type Exec, type JsonParam, type RowError } from './write.ts';

export interface KindCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface ImportReport {
  /** True when the data is in the database; false when nothing was changed. */
  committed: boolean;
  dryRun: boolean;
  files: { file: string; kind: RecordKind | 'jsonl' }[];
  counts: Partial<Record<RecordKind, KindCounts>>;
  /** At most `maxErrors`, in the order found; `errorCount` counts them all. */
  errors: RowError[];
  errorCount: number;
  elapsedMs: number;
  /**
   * The files were those of the last committed import, imported the same way, and nothing has
   * written the tables it writes since it began: no row was read, nothing changed, and the counts
   * are that import's.
   */
  sameExport: boolean;
}

export interface ImportOptions {
  batchSize?: number;
  maxErrors?: number;
  /** Check everything, write inside the transaction, then roll back. */
  dryRun?: boolean;
  /** The key of the PINs' fingerprints (IMPORT_PIN_KEY; pin.ts says why); without it every PIN given is checked by scrypt. */
  pinKey?: string | null;
  /** Reader threads (default: 2, or 1 on one core). */
  readers?: number;
}

/** The few-row kinds, written batch by batch in this order; outages wait for the accounts' streets. */
const DIRECT_ORDER = KIND_ORDER.filter((k): k is Exclude<DirectKind, 'outage'> => !(STAGED_KINDS as readonly string[]).includes(k) && k !== 'outage');

class Rollback extends Error {}

/**
 * A statement PostgreSQL refused. The driver's message starts with the SQL as sent, the batch
 * written into it; the report keeps only what the database said.
 */
class DatabaseError extends Error {
  constructor(cause: unknown, sent: string) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(message.startsWith(`${sent} - `) ? message.slice(sent.length + 3) : message, { cause });
  }
}

/**
 * Loads billing data (src/billing/import/FORMAT.md) in one transaction: every row is checked, every
 * bad row is reported with its line, field and reason, and if there is any, nothing changes.
 * Rows are upserted by natural key, so a second run of the same file changes nothing. The reader
 * thread parses and checks; the kinds of many rows are staged and written set-based at the end
 * (stage.ts), so memory stays the same whatever the size of the export.
 */
export async function importFiles(orm: Orm, inputs: string[], options: ImportOptions = {}): Promise<ImportReport> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 50_000;
  const maxErrors = options.maxErrors ?? 1000;
  const errors: RowError[] = [];
  let errorCount = 0;
  const report = (e: RowError) => {
    errorCount++;
    if (errors.length < maxErrors) errors.push(e);
  };
  const fileErrors: RowError[] = [];
  const sources = await listSources(inputs, fileErrors);
  fileErrors.forEach(report);
  const fileNo = new Map(sources.map((s, i) => [s.file, i] as const));
  const fileOf = (fno: number) => sources[fno]?.file ?? '(file)';

  const counts: Partial<Record<RecordKind, KindCounts>> = {};
  const countsOf = (k: RecordKind) => (counts[k] ??= { read: 0, inserted: 0, updated: 0, unchanged: 0 });
  const tally = (kind: RecordKind, rows: number, outcome: { inserted: number; updated: number; rejected: number }) => {
    const c = countsOf(kind);
    c.inserted += outcome.inserted;
    c.updated += outcome.updated;
    c.unchanged += rows - outcome.rejected - outcome.inserted - outcome.updated;
  };
  const staged: Partial<Record<StagedKind, number>> = {};
  let pinsPending: Promise<void> = Promise.resolve();

  /** Writes the few-row kinds of a batch, stages the rest, and notes the errors (stage.ts orders them). */
  const take = async (exec: Exec, batch: ParsedBatch) => {
    const found = [...batch.errors];
    for (const [kind, n] of Object.entries(batch.read)) countsOf(kind as RecordKind).read += n;
    for (const kind of DIRECT_ORDER) {
      const rows = batch.rows[kind];
      if (!rows?.length) continue;
      const outcome = await writers[kind](exec, rows as never);
      tally(kind, rows.length, { ...outcome, rejected: outcome.errors.length });
      found.push(...outcome.errors);
    }
    if (batch.rows.outage?.length) {
      await stageOutages(exec, jsonParam(batch.rows.outage.map(({ file, line, ...data }) => ({ fno: fileNo.get(file as string), line, data }))));
    }
    if (batch.accounts.length) {
      // The PINs' scrypt (some 14 ms of CPU each, on libuv's threads) runs while the next batches
      // are read and staged; awaited here, it held every reader. One batch of accounts waits at a time.
      await pinsPending;
      pinsPending = checkPins(exec, batch.accounts, options.pinKey ?? null).then((rows) =>
        stageColumns(exec, 'account', toColumns('account', rows as StageRow[])),
      );
      pinsPending.catch(() => undefined); // awaited before the merge, which then fails with it
    }
    for (const [kind, columns] of Object.entries(batch.staged) as [StagedKind, StagedColumns][]) await stageColumns(exec, kind, columns);
    for (const [kind, n] of Object.entries(batch.stagedCount) as [StagedKind, number][]) staged[kind] = (staged[kind] ?? 0) + n;
    if (found.length) await noteErrors(exec, jsonParam(found.map(({ file, ...e }) => ({ fno: fileNo.get(file) ?? 0, ...e }))), false);
  };

  // Read before the transaction: the files' bytes, hashed (about 2 GB/s).
  const input = fileErrors.length === 0 && sources.length > 0 ? await exportFingerprint(sources, options.pinKey ?? null) : null;
  const fingerprint = input?.fingerprint ?? null;
  let sameExport = false;
  let committed = false;
  try {
    await orm.em.fork().transactional(async (em) => {
      // The transaction's EntityManager runs the statements (write.ts says how a batch travels).
      const exec: Exec = async <Row extends object>(sql: string, param?: JsonParam | readonly Buffer[]) => {
        const bindings = param === undefined ? null : Array.isArray(param) ? [...param] : [param];
        try {
          if (!bindings) return await em.execute<Row[]>(sql, [], 'all');
          // The batch is bound, not written into the SQL: the driver sends a Buffer as raw bytes.
          const trx = em.getTransactionContext();
          const query = em.getKnex().raw(sql, bindings);
          const result = (await (trx ? query.transacting(trx) : query)) as { rows: Row[] };
          return result.rows;
        } catch (e) {
          // The query builder's message starts with the statement as sent (the batch is not in it).
          throw new DatabaseError(e, bindings ? em.getKnex().raw(sql, bindings).toSQL().toNative().sql : em.getPlatform().formatQuery(sql, []));
        }
      };
      // The tables' triggers leave the import's own writes out of `billing_write` (the migration
      // Migration20261202012000_import_runs); one import at a time.
      await exec(`set local vodokanal.importing = 'on'`);
      await exec(`select pg_advisory_xact_lock(${IMPORT_LOCK})`);
      const run = await beginRun(exec, fingerprint);
      if (run.same) {
        for (const [kind, n] of Object.entries(run.same)) counts[kind as RecordKind] = { read: n, inserted: 0, updated: 0, unchanged: n };
        sameExport = true;
        if (options.dryRun) throw new Rollback();
        return;
      }
      // The set-based checks hash and sort whole staging tables.
      await exec(`set local work_mem = '64MB'`);
      // Into a database without accounts, empty tables are loaded bare and their keys built after (stage.ts).
      const firstLoad = (await exec(`select 1 from account limit 1`)).length === 0;
      if (firstLoad) await exec(`set local maintenance_work_mem = '256MB'`);
      await createStaging(exec);
      const readers = startReaders(sources, batchSize, options.readers ?? Math.min(2, availableParallelism()));
      try {
        for await (const { batch, from } of batchesFrom(readers)) {
          await take(exec, batch);
          from.postMessage({ type: 'credit' });
        }
      } finally {
        await Promise.all(readers.map((r) => r.terminate()));
      }
      await pinsPending;
      for (const kind of STAGED_KINDS) {
        if (!staged[kind]) continue;
        tally(kind, staged[kind], await merge(exec, kind, firstLoad));
      }
      for await (const rows of stagedOutages(exec, batchSize)) {
        const located = rows.map((r) => ({ ...r.data, file: fileOf(r.fno), line: r.line }));
        const outcome = await writers.outage(exec, located as never);
        tally('outage', rows.length, { ...outcome, rejected: outcome.errors.length });
        if (outcome.errors.length) await noteErrors(exec, jsonParam(outcome.errors.map(({ file, ...e }) => ({ fno: fileNo.get(file) ?? 0, ...e }))), true);
      }
      const found = await stagedErrors(exec, maxErrors - errors.length);
      for (const e of found.first) {
        const earlier = e.ofno === null ? '' : e.ofno === e.fno ? ` line ${e.oline}` : ` ${fileOf(e.ofno)}:${e.oline}`;
        report({ file: fileOf(e.fno), line: e.line, field: e.field, reason: `${e.reason}${earlier}` });
      }
      errorCount += found.total - found.first.length;
      if (errorCount > 0 || options.dryRun) throw new Rollback();
      if (fingerprint && (await input!.unchanged())) await recordRun(exec, fingerprint, run.snapshot, counts);
    });
    committed = true;
  } catch (e) {
    if (!(e instanceof Rollback)) {
      const message = e instanceof Error ? e.message : String(e);
      report({ file: '(database)', line: 0, field: '(batch)', reason: message });
    }
  }
  return {
    committed,
    dryRun: options.dryRun ?? false,
    files: sources,
    counts,
    errors,
    errorCount,
    elapsedMs: Math.round(performance.now() - started),
    sameExport,
  };
}

/** The key of the advisory lock that lets one import run at a time. */
const IMPORT_LOCK = 0x766f646f; // 'vodo'

/*
 * The same export again. A nightly export often brings nothing new: the same files, byte for byte.
 * Reading and checking 13 million rows only to find each unchanged is most of an import's time, so
 * the last committed import is kept by the fingerprint of its input (fingerprint.ts) and the
 * snapshot its transaction began with. If this import's fingerprint is the same, and no transaction
 * that wrote a table the import writes (noted in `billing_write` by the tables' triggers, all but the
 * import's own) was committed outside that snapshot — none began or ended after that import began —
 * then the database holds what these files would write, and nothing is read. Anything else (one
 * byte of one file, another file, a resident's reading, a PIN key) reads everything, as always.
 * So does a database restored into another cluster, whose transaction ids are behind the snapshot
 * kept. Not seen: writes made with the triggers off (`session_replication_role = replica`,
 * `pg_restore --disable-triggers`, `alter table … disable trigger`).
 */
async function beginRun(exec: Exec, fingerprint: string | null): Promise<{ snapshot: string; same: Record<string, number> | null }> {
  const [now] = await exec<{ snapshot: string }>(`select pg_current_snapshot()::text as snapshot`);
  const snapshot = now!.snapshot;
  if (!fingerprint) return { snapshot, same: null };
  const [last] = await exec<{ read: Record<string, number> }>(
    `select r.read from import_run r where r.fingerprint = '${hex(fingerprint)}'
      and pg_current_xact_id() >= pg_snapshot_xmax(r.started)
      and not exists (select 1 from billing_write w where not pg_visible_in_snapshot(w.xact, r.started))`,
  );
  return { snapshot, same: last?.read ?? null };
}

/** This import as the last one; the writes it began after are forgotten. */
async function recordRun(exec: Exec, fingerprint: string, snapshot: string, counts: ImportReport['counts']) {
  if (!/^\d+:\d+:[\d,]*$/.test(snapshot)) throw new Error('import: an unexpected snapshot');
  const read = Object.fromEntries(Object.entries(counts).map(([kind, c]) => [kind, c.read]));
  await exec(`delete from billing_write where pg_visible_in_snapshot(xact, '${snapshot}'::pg_snapshot)`);
  await exec('delete from import_run');
  await exec(`insert into import_run (fingerprint, started, read) values ('${hex(fingerprint)}', '${snapshot}', ${JSON_PARAM}::jsonb)`, jsonParam(read));
}

const hex = (s: string) => {
  if (!/^[0-9a-f]{64}$/.test(s)) throw new Error('import: not a fingerprint');
  return s;
};

/** Staged CSV files smaller than this in all are read by one thread. */
const SECOND_READER_BYTES = 32 * 2 ** 20;

/**
 * The reader threads, each with its share of the files. The few-row kinds and JSON Lines (any
 * kind, in order) go to the first, as their rows are written batch by batch in the order read;
 * the CSV files of staged kinds are shared out by size (their order does not matter: stage.ts).
 */
function startReaders(sources: Source[], batchSize: number, wanted: number): Worker[] {
  const sized = sources.map((s, i) => ({ i, s, size: statSync(s.file, { throwIfNoEntry: false })?.size ?? 0 }));
  // A thread costs its start (the loader compiles the modules again): worth it only for big files.
  const big = sized.filter(({ s }) => s.kind !== 'jsonl' && isStaged(s.kind)).reduce((sum, f) => sum + f.size, 0) > SECOND_READER_BYTES;
  const shares: number[][] = Array.from({ length: big ? Math.max(1, wanted) : 1 }, () => []);
  const load = shares.map(() => 0);
  for (const { i, s, size } of sized) {
    if (s.kind === 'jsonl' || !isStaged(s.kind)) {
      shares[0]!.push(i);
      load[0]! += size;
    }
  }
  for (const { i, size } of sized.filter(({ s }) => s.kind !== 'jsonl' && isStaged(s.kind)).sort((a, b) => b.size - a.size)) {
    const least = load.indexOf(Math.min(...load));
    shares[least]!.push(i);
    load[least]! += size;
  }
  return shares
    .filter((mine, n) => n === 0 || mine.length > 0)
    .map((mine) => new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { sources, mine: mine.sort((a, b) => a - b), batchSize } }));
}

/** The reader threads' batches as one async sequence, each with its thread; a crash of one ends it with the error. */
async function* batchesFrom(workers: Worker[]): AsyncGenerator<{ batch: ParsedBatch; from: Worker }> {
  const queue: { batch: ParsedBatch; from: Worker }[] = [];
  let running = workers.length;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  for (const worker of workers) {
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      running--;
      notify();
    };
    worker.on('message', (m: { type: 'batch'; batch: ParsedBatch } | { type: 'done' }) => {
      if (m.type === 'batch') {
        queue.push({ batch: m.batch, from: worker });
        notify();
      } else end();
    });
    worker.on('error', (e) => {
      failure = e;
      notify();
    });
    worker.on('exit', end);
  }
  for (;;) {
    if (queue.length) yield queue.shift()!;
    else if (failure) throw failure;
    else if (running === 0) return;
    else await new Promise<void>((r) => (wake = r));
  }
}
