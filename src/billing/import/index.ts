import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Orm } from '../../db/orm.ts';
import { csvKind, readCsv, readJsonLines, type RawRecord } from './read.ts';
import { allowedFields, KIND_ORDER, naturalKey, recordSchemas, type RecordKind } from './records.ts';
import { KnownAccounts, writers, type Exec, type Located, type RowError } from './write.ts';

export interface KindCounts { read: number; inserted: number; updated: number; unchanged: number }

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

type Source = { file: string; kind: RecordKind | 'jsonl' };

async function listSources(inputs: string[], errors: RowError[]): Promise<Source[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) {
      errors.push({ file: input, line: 0, field: '(file)', reason: 'no such file or directory' });
    } else if (info.isDirectory()) {
      for (const name of (await readdir(input)).sort()) if (/\.(csv|jsonl|ndjson)$/i.test(name)) files.push(path.join(input, name));
    } else {
      files.push(input);
    }
  }
  const sources: Source[] = [];
  for (const file of files) {
    if (/\.(jsonl|ndjson)$/i.test(file)) sources.push({ file, kind: 'jsonl' });
    else if (/\.csv$/i.test(file)) {
      const kind = csvKind(file);
      if (kind) sources.push({ file, kind });
      else errors.push({ file, line: 0, field: '(file)', reason: `the file name does not say its kind (${KIND_ORDER.join(', ')})` });
    } else errors.push({ file, line: 0, field: '(file)', reason: 'not a .csv, .jsonl or .ndjson file' });
  }
  // CSV files in the order their kinds depend on each other; JSON Lines after them, as given.
  const rank = (s: Source) => (s.kind === 'jsonl' ? KIND_ORDER.length : KIND_ORDER.indexOf(s.kind));
  return sources.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i).map(({ s }) => s);
}

/**
 * Loads billing data (docs/import-format.md) in one transaction: every row is checked, every
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
  const buffers = new Map<RecordKind, Located<Record<string, unknown>>[]>();
  const seen = new Map<RecordKind, Map<string, number>>();
  const fileIndex = new Map(sources.map((s, i) => [s.file, i] as const));
  let buffered = 0;

  const known = new KnownAccounts();
  /** Writes what is buffered, kinds in dependency order. The buffers are taken at once, so
   * reading and checking the next batch goes on while PostgreSQL writes this one. */
  const flush = (exec: Exec) => {
    const batches = KIND_ORDER.map((kind) => [kind, buffers.get(kind) ?? []] as const).filter(([, rows]) => rows.length);
    buffers.clear();
    buffered = 0;
    return (async () => {
      for (const [kind, rows] of batches) {
        const outcome = await writers[kind](exec, rows as never, known);
        const c = countsOf(kind);
        c.inserted += outcome.inserted;
        c.updated += outcome.updated;
        c.unchanged += rows.length - outcome.errors.length - outcome.inserted - outcome.updated;
        outcome.errors.forEach(report);
      }
    })();
  };

  const accept = (rec: Extract<RawRecord, { kind: RecordKind }>) => {
    const c = countsOf(rec.kind);
    c.read++;
    const unknown = Object.keys(rec.data).filter((k) => !allowedFields[rec.kind].has(k));
    if (unknown.length) report({ file: rec.file, line: rec.line, field: unknown.join(', '), reason: 'unknown field' });
    const parsed = recordSchemas[rec.kind].safeParse(rec.data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === 'unrecognized_keys') continue; // reported above
        report({ file: rec.file, line: rec.line, field: issue.path.join('.') || '(row)', reason: issue.message });
      }
      return false;
    }
    if (unknown.length) return false;
    const keys = seen.get(rec.kind) ?? new Map<string, number>();
    seen.set(rec.kind, keys);
    const here = (fileIndex.get(rec.file) ?? 0) * 1e9 + rec.line;
    const row = parsed.data as Record<string, unknown>;
    // An account is identified by its long number, and its short number is unique in the branch too.
    const ids = [(naturalKey[rec.kind] as (r: unknown) => string)(row)];
    if (rec.kind === 'account') ids.push(`${row.branch}|short ${row.short_number}`);
    for (const id of ids) {
      const earlier = keys.get(id);
      if (earlier === undefined) continue;
      const [fi, line] = [Math.floor(earlier / 1e9), earlier % 1e9];
      const where = fi === fileIndex.get(rec.file) ? `line ${line}` : `${sources[fi]?.file}:${line}`;
      report({ file: rec.file, line: rec.line, field: id.includes('|short ') ? 'short_number' : '(row)', reason: `the same ${rec.kind} as ${where}` });
      return false;
    }
    for (const id of ids) keys.set(id, here);
    const list = buffers.get(rec.kind) ?? [];
    buffers.set(rec.kind, list);
    row.file = rec.file; // the parsed row is ours: no copy
    row.line = rec.line;
    list.push(row as Located<Record<string, unknown>>);
    buffered++;
    return true;
  };

  let committed = false;
  try {
    await orm.em.fork().transactional(async (em) => {
      // Straight to the driver with bound parameters: the ORM's execute() inlines parameters
      // into the SQL text, which for a batch of thousands of rows costs more than the insert.
      const knex = em.getConnection().getKnex();
      const trx = em.getTransactionContext();
      const exec: Exec = async (sql, params = []) => {
        const result = (await knex.raw(sql, params as never[]).transacting(trx)) as { rows: Record<string, unknown>[] };
        return result.rows;
      };
      let writing: Promise<void> = Promise.resolve();
      writing.catch(() => undefined);
      for (const source of sources) {
        const records = source.kind === 'jsonl' ? readJsonLines(source.file) : readCsv(source.file, source.kind);
        for await (const rec of records) {
          if ('error' in rec) report({ file: rec.file, line: rec.line, ...rec.error });
          else if (accept(rec) && buffered >= batchSize) {
            await writing; // at most one batch in flight: one connection, and bounded memory
            writing = flush(exec);
            writing.catch(() => undefined); // awaited above or below; this only silences the early rejection
          }
        }
      }
      await writing;
      await flush(exec);
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
