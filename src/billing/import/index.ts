import { Worker } from 'node:worker_threads';
import type { Orm } from '../../db/orm.ts';
import type { DirectKind, ParsedBatch } from './parse.ts';
import { checkPins } from './pins.ts';
import { KIND_ORDER, type RecordKind } from './records.ts';
import { listSources } from './sources.ts';
import { createStaging, merge, stage, stagedErrors, stagedOutages, stageOutages, STAGED_KINDS, type StagedKind } from './stage.ts';
import { jsonParam, writers, type Exec, type JsonParam, type RowError } from './write.ts';

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
}

export interface ImportOptions {
  batchSize?: number;
  maxErrors?: number;
  /** Check everything, write inside the transaction, then roll back. */
  dryRun?: boolean;
  /** The key of the PINs' fingerprints (IMPORT_PIN_KEY; pin.ts says why); without it every PIN given is checked by scrypt. */
  pinKey?: string | null;
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

  const counts: Partial<Record<RecordKind, KindCounts>> = {};
  const countsOf = (k: RecordKind) => (counts[k] ??= { read: 0, inserted: 0, updated: 0, unchanged: 0 });
  const tally = (kind: RecordKind, rows: number, outcome: { inserted: number; updated: number; rejected: number }) => {
    const c = countsOf(kind);
    c.inserted += outcome.inserted;
    c.updated += outcome.updated;
    c.unchanged += rows - outcome.rejected - outcome.inserted - outcome.updated;
  };
  const staged: Partial<Record<StagedKind, number>> = {};

  /** Writes the few-row kinds of a batch and stages the rest. */
  const take = async (exec: Exec, batch: ParsedBatch) => {
    batch.errors.forEach(report);
    for (const [kind, n] of Object.entries(batch.read)) countsOf(kind as RecordKind).read += n;
    for (const kind of DIRECT_ORDER) {
      const rows = batch.rows[kind];
      if (!rows?.length) continue;
      const outcome = await writers[kind](exec, rows as never);
      tally(kind, rows.length, { ...outcome, rejected: outcome.errors.length });
      outcome.errors.forEach(report);
    }
    if (batch.rows.outage?.length) {
      await stageOutages(exec, jsonParam(batch.rows.outage.map(({ file, line, ...data }) => ({ fno: fileNo.get(file as string), line, data }))));
    }
    if (batch.accounts.length) await stage(exec, 'account', jsonParam(await checkPins(exec, batch.accounts, options.pinKey ?? null)));
    for (const [kind, bytes] of Object.entries(batch.staged) as [StagedKind, Uint8Array][]) {
      await stage(exec, kind, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as JsonParam);
    }
    for (const [kind, n] of Object.entries(batch.stagedCount) as [StagedKind, number][]) staged[kind] = (staged[kind] ?? 0) + n;
  };
  const fileNo = new Map(sources.map((s, i) => [s.file, i] as const));
  const fileOf = (fno: number) => sources[fno]?.file ?? '(file)';

  let committed = false;
  try {
    await orm.em.fork().transactional(async (em) => {
      // The transaction's EntityManager runs the statements (write.ts says how a batch travels).
      const exec: Exec = async <Row extends object>(sql: string, param?: JsonParam) => {
        const params = param ? [param] : [];
        try {
          return await em.execute<Row[]>(sql, params, 'all');
        } catch (e) {
          throw new DatabaseError(e, em.getPlatform().formatQuery(sql, params));
        }
      };
      // The set-based checks hash and sort whole staging tables.
      await exec(`set local work_mem = '64MB'`);
      await createStaging(exec);
      const reader = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { sources, batchSize } });
      try {
        for await (const batch of batchesFrom(reader)) {
          await take(exec, batch);
          reader.postMessage({ type: 'credit' });
        }
      } finally {
        await reader.terminate();
      }
      console.error('TRACE read+stage', Math.round(performance.now() - started));
      for (const kind of STAGED_KINDS) {
        if (!staged[kind]) continue;
        tally(kind, staged[kind], await merge(exec, kind));
        console.error('TRACE merged', kind, Math.round(performance.now() - started));
      }
      for await (const rows of stagedOutages(exec, batchSize)) {
        const located = rows.map((r) => ({ ...r.data, file: fileOf(r.fno), line: r.line }));
        const outcome = await writers.outage(exec, located as never);
        tally('outage', rows.length, { ...outcome, rejected: outcome.errors.length });
        outcome.errors.forEach(report);
      }
      const found = await stagedErrors(exec, maxErrors - errors.length);
      for (const e of found.first) {
        const earlier = e.ofno === null ? '' : e.ofno === e.fno ? ` line ${e.oline}` : ` ${fileOf(e.ofno)}:${e.oline}`;
        report({ file: fileOf(e.fno), line: e.line, field: e.field, reason: `${e.reason}${earlier}` });
      }
      errorCount += found.total - found.first.length;
      if (errorCount > 0 || options.dryRun) throw new Rollback();
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
  };
}

/** The reader thread's batches as an async sequence; a crash of the thread ends it with the error. */
async function* batchesFrom(worker: Worker): AsyncGenerator<ParsedBatch> {
  const queue: ParsedBatch[] = [];
  let done = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: { type: 'batch'; batch: ParsedBatch } | { type: 'done' }) => {
    if (m.type === 'batch') queue.push(m.batch);
    else done = true;
    notify();
  });
  worker.on('error', (e) => {
    failure = e;
    notify();
  });
  worker.on('exit', () => {
    done = true;
    notify();
  });
  for (;;) {
    if (queue.length) yield queue.shift()!;
    else if (failure) throw failure;
    else if (done) return;
    else await new Promise<void>((r) => (wake = r));
  }
}
