import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { csvKind } from './read.ts';
import { KIND_ORDER, type RecordKind } from './records.ts';
import type { RowError } from './write.ts';

export type Source = { file: string; kind: RecordKind | 'jsonl' };

/** The files to read, in the order their kinds depend on each other. */
export async function listSources(inputs: string[], errors: RowError[]): Promise<Source[]> {
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
  return sources
    .map((s, i) => ({ s, i }))
    .sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i)
    .map(({ s }) => s);
}
