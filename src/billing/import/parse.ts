import { readCsv, readJsonLines, type RawRecord } from './read.ts';
import { allowedFields, naturalKey, recordSchemas, type RecordKind } from './records.ts';
import type { Source } from './sources.ts';
import { fastStage } from './fast.ts';
import { isStaged, toColumns, toStage, type StagedColumns, type StagedKind, type StageRow } from './stage.ts';
import type { RowError } from './write.ts';

/** The kinds written batch by batch as they are read (few rows: dictionaries, branches, tariffs). */
export type DirectKind = Exclude<RecordKind, StagedKind>;

/**
 * What the reader hands to the writer: checked rows of the few-row kinds, by kind (in dependency
 * order); the rows of the staged kinds as their staging tables take them (src/billing/import/stage.ts),
 * already as columns of bytes (stage.ts, `toColumns`) except the accounts (their PINs are dealt with by the writer); and errors.
 */
export interface ParsedBatch {
  rows: Partial<Record<DirectKind, Record<string, unknown>[]>>;
  accounts: Record<string, unknown>[];
  staged: Partial<Record<Exclude<StagedKind, 'account'>, StagedColumns>>;
  stagedCount: Partial<Record<StagedKind, number>>;
  errors: RowError[];
  read: Partial<Record<RecordKind, number>>;
}

const emptyBatch = (): ParsedBatch => ({ rows: {}, accounts: [], staged: {}, stagedCount: {}, errors: [], read: {} });

/**
 * Reads the sources numbered `mine` (of `all`) and checks every row (fields, formats; duplicates of a natural key for the
 * few-row kinds, the staged ones are compared in the database); `emit` receives a batch whenever
 * `batchSize` good rows have gathered, and once at the end.
 */
export async function parseSources(all: Source[], mine: number[], batchSize: number, emit: (batch: ParsedBatch) => Promise<void>) {
  const seen = new Map<RecordKind, Map<string, number>>();
  const fileIndex = new Map(all.map((s, i) => [s.file, i] as const));
  let batch = emptyBatch();
  const stagedRows: Partial<Record<StagedKind, Record<string, unknown>[]>> = {};
  let buffered = 0;
  const report = (e: RowError) => batch.errors.push(e);

  const accept = (rec: Extract<RawRecord, { kind: RecordKind }>) => {
    batch.read[rec.kind] = (batch.read[rec.kind] ?? 0) + 1;
    const unknown = Object.keys(rec.data).filter((k) => !allowedFields[rec.kind].has(k));
    if (unknown.length) report({ file: rec.file, line: rec.line, field: unknown.join(', '), reason: 'unknown field' });
    const plain = unknown.length ? null : fastStage[rec.kind as StagedKind]?.(rec.data);
    if (plain) {
      plain.fno = fileIndex.get(rec.file) ?? 0;
      plain.line = rec.line;
      stagedRows[rec.kind as StagedKind] ??= [];
      stagedRows[rec.kind as StagedKind]!.push(plain);
      buffered++;
      return;
    }
    const parsed = recordSchemas[rec.kind].safeParse(rec.data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === 'unrecognized_keys') continue; // reported above
        report({ file: rec.file, line: rec.line, field: issue.path.join('.') || '(row)', reason: issue.message });
      }
      return;
    }
    if (unknown.length) return;
    const fno = fileIndex.get(rec.file) ?? 0;
    const row = parsed.data as Record<string, unknown>;
    if (isStaged(rec.kind)) {
      const staged = (toStage[rec.kind] as (r: unknown) => Record<string, unknown>)(row);
      staged.fno = fno;
      staged.line = rec.line;
      stagedRows[rec.kind] ??= [];
      stagedRows[rec.kind]!.push(staged);
      buffered++;
      return;
    }
    const keys = seen.get(rec.kind) ?? new Map<string, number>();
    seen.set(rec.kind, keys);
    const id = (naturalKey[rec.kind] as (r: unknown) => string)(row);
    const earlier = keys.get(id);
    if (earlier !== undefined) {
      const [fi, line] = [Math.floor(earlier / 1e9), earlier % 1e9];
      const where = fi === fno ? `line ${line}` : `${all[fi]?.file}:${line}`;
      report({ file: rec.file, line: rec.line, field: '(row)', reason: `the same ${rec.kind} as ${where}` });
      return;
    }
    keys.set(id, fno * 1e9 + rec.line);
    row.file = rec.file; // the parsed row is ours: no copy
    row.line = rec.line;
    batch.rows[rec.kind as DirectKind] ??= [];
    batch.rows[rec.kind as DirectKind]!.push(row);
    buffered++;
  };

  const flush = async () => {
    for (const [kind, rows] of Object.entries(stagedRows) as [StagedKind, Record<string, unknown>[]][]) {
      if (!rows.length) continue;
      batch.stagedCount[kind] = rows.length;
      if (kind === 'account') batch.accounts = rows;
      else batch.staged[kind] = toColumns(kind, rows as StageRow[]);
      delete stagedRows[kind];
    }
    const full = batch;
    batch = emptyBatch();
    buffered = 0;
    await emit(full);
  };

  for (const source of mine.map((i) => all[i]!)) {
    const records = source.kind === 'jsonl' ? readJsonLines(source.file) : readCsv(source.file, source.kind);
    for await (const chunk of records) {
      for (const rec of chunk) {
        if ('error' in rec) report({ file: rec.file, line: rec.line, ...rec.error });
        else accept(rec);
        if (buffered >= batchSize) await flush();
      }
    }
  }
  await flush();
}
