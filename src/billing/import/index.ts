import { Worker } from 'node:worker_threads';
import type { Orm } from '../../db/orm.ts';
import type { ParsedBatch } from './parse.ts';
import { KIND_ORDER, type RecordKind } from './records.ts';
import { listSources } from './sources.ts';
import { KnownAccounts, writers, type Exec, type JsonParam, type RowError } from './write.ts';

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
}

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
 * Rows are upserted by natural key, so a second run of the same file changes nothing.
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
  const known = new KnownAccounts();

  /** Writes one checked batch, kinds in dependency order. */
  const write = async (exec: Exec, batch: ParsedBatch) => {
    batch.errors.forEach(report);
    for (const [kind, n] of Object.entries(batch.read)) countsOf(kind as RecordKind).read += n;
    for (const kind of KIND_ORDER) {
      const rows = batch.rows[kind];
      if (!rows?.length) continue;
      const outcome = await writers[kind](exec, rows as never, known);
      const c = countsOf(kind);
      c.inserted += outcome.inserted;
      c.updated += outcome.updated;
      c.unchanged += rows.length - outcome.errors.length - outcome.inserted - outcome.updated;
      outcome.errors.forEach(report);
    }
  };

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
      const reader = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { sources, batchSize } });
      try {
        for await (const batch of batchesFrom(reader)) {
          await write(exec, batch);
          reader.postMessage({ type: 'credit' });
        }
      } finally {
        await reader.terminate();
      }
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
