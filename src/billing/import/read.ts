import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { parse } from 'csv-parse';
import { kindFromName, type RecordKind } from './records.ts';

export type RawRecord =
  | { file: string; line: number; kind: RecordKind; data: Record<string, unknown> }
  | { file: string; line: number; error: { field: string; reason: string } };

/** A CSV file's kind is its name: `accounts.csv`, `accounts_2026-10.csv` → account. */
export function csvKind(file: string): RecordKind | null {
  const stem = path.basename(file).replace(/\.csv$/i, '');
  const word = /^[a-z_]+?(?=[_-]?\d|$)/i.exec(stem)?.[0] ?? stem;
  return kindFromName(word) ?? kindFromName(stem);
}

async function detectDelimiter(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8192), 0, 8192, 0);
    const firstLine = buffer.subarray(0, bytesRead).toString('utf8').split(/\r?\n/)[0] ?? '';
    const count = (ch: string) => firstLine.split(ch).length - 1;
    // Russian spreadsheet software writes «;» because the decimal separator is a comma.
    return count(';') > count(',') ? ';' : count('\t') > count(',') ? '\t' : ',';
  } finally {
    await handle.close();
  }
}

export async function* readCsv(file: string, kind: RecordKind): AsyncGenerator<RawRecord> {
  const parser = createReadStream(file).pipe(
    parse({
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      delimiter: await detectDelimiter(file),
      bom: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { file, line: info.lines, kind, data: record };
    }
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    yield { file, line: err.lines ?? 0, error: { field: '(file)', reason: `CSV error: ${err.message ?? String(e)}` } };
  }
}

/** JSON Lines: one object per line, its kind in `"record"` (`"kind"` is a field of charges and payments). */
export async function* readJsonLines(file: string): AsyncGenerator<RawRecord> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, '') : text).trim();
    if (trimmed === '') continue;
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch {
      yield { file, line, error: { field: '(line)', reason: 'not valid JSON' } };
      continue;
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      yield { file, line, error: { field: '(line)', reason: 'not a JSON object' } };
      continue;
    }
    const { record: kindText, ...rest } = data as Record<string, unknown>;
    const kind = typeof kindText === 'string' ? kindFromName(kindText) : null;
    if (!kind) {
      yield { file, line, error: { field: 'record', reason: `unknown record kind ${JSON.stringify(kindText ?? null)}` } };
      continue;
    }
    yield { file, line, kind, data: rest };
  }
}
