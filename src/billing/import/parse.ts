import { readCsv, readJsonLines, type RawRecord } from './read.ts';
import { allowedFields, naturalKey, recordSchemas, type RecordKind } from './records.ts';
import type { Source } from './sources.ts';
import type { RowError } from './write.ts';

/** What the reader hands to the writer: checked rows by kind (in dependency order), and errors. */
export interface ParsedBatch {
  rows: Partial<Record<RecordKind, Record<string, unknown>[]>>;
  errors: RowError[];
  read: Partial<Record<RecordKind, number>>;
}

/**
 * Reads every source and checks every row (fields, formats, duplicates of a natural key);
 * `emit` receives a batch whenever `batchSize` good rows have gathered, and once at the end.
 */
export async function parseSources(sources: Source[], batchSize: number, emit: (batch: ParsedBatch) => Promise<void>) {
  const seen = new Map<RecordKind, Map<string, number>>();
  const fileIndex = new Map(sources.map((s, i) => [s.file, i] as const));
  let batch: ParsedBatch = { rows: {}, errors: [], read: {} };
  let buffered = 0;
  const report = (e: RowError) => batch.errors.push(e);

  const accept = (rec: Extract<RawRecord, { kind: RecordKind }>) => {
    batch.read[rec.kind] = (batch.read[rec.kind] ?? 0) + 1;
    const unknown = Object.keys(rec.data).filter((k) => !allowedFields[rec.kind].has(k));
    if (unknown.length) report({ file: rec.file, line: rec.line, field: unknown.join(', '), reason: 'unknown field' });
    const parsed = recordSchemas[rec.kind].safeParse(rec.data);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        if (issue.code === 'unrecognized_keys') continue; // reported above
        report({ file: rec.file, line: rec.line, field: issue.path.join('.') || '(row)', reason: issue.message });
      }
      return;
    }
    if (unknown.length) return;
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
      return;
    }
    for (const id of ids) keys.set(id, here);
    row.file = rec.file; // the parsed row is ours: no copy
    row.line = rec.line;
    batch.rows[rec.kind] ??= [];
    batch.rows[rec.kind]!.push(row);
    buffered++;
  };

  for (const source of sources) {
    const records = source.kind === 'jsonl' ? readJsonLines(source.file) : readCsv(source.file, source.kind);
    for await (const rec of records) {
      if ('error' in rec) report({ file: rec.file, line: rec.line, ...rec.error });
      else accept(rec);
      if (buffered >= batchSize) {
        const full = batch;
        batch = { rows: {}, errors: [], read: {} };
        buffered = 0;
        await emit(full);
      }
    }
  }
  await emit(batch);
}
