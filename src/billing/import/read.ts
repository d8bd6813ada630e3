import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import path from 'node:path';
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

/**
 * A file's text, a megabyte at a time, read on the calling thread. The readers run on threads of
 * their own with nothing else to do meanwhile; a stream would read on libuv's thread pool, which
 * the PINs' scrypt keeps busy for seconds at the start of an import.
 */
function* textChunks(file: string): Generator<string> {
  const fd = openSync(file, 'r');
  try {
    const bytes = Buffer.allocUnsafe(1 << 20);
    const decoder = new StringDecoder('utf8');
    for (;;) {
      const n = readSync(fd, bytes, 0, bytes.length, null);
      if (n === 0) break;
      const text = decoder.write(bytes.subarray(0, n));
      if (text) yield text;
    }
    const rest = decoder.end();
    if (rest) yield rest;
  } finally {
    closeSync(fd);
  }
}

/**
 * RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes, CRLF), streamed.
 * Written here rather than taken from csv-parse because an import reads millions of rows and
 * csv-parse spent more time per row than validating and writing it together.
 */
const QUOTE = 34;
const LF = 10;

/** Yields the records as they are read, a chunk at a time (one a record cost a promise each). */
export async function* readCsv(file: string, kind: RecordKind): AsyncGenerator<RawRecord[]> {
  const delimiter = await detectDelimiter(file);
  let header: string[] | null = null;
  let fields: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let afterQuote = false; // a quote seen inside a quoted field: end of field or an escaped quote
  let line = 1; // physical line where the current record started
  let physical = 1;
  let first = true;
  const out: RawRecord[] = [];
  const delim = delimiter.charCodeAt(0);

  const endRecord = () => {
    fields.push(field);
    field = '';
    const row = fields;
    fields = [];
    const recordLine = line;
    line = physical;
    if (row.length === 1 && row[0]!.trim() === '') return; // blank line
    if (!header) {
      header = row.map((h) => h.trim().toLowerCase());
      return;
    }
    if (row.length !== header.length) {
      out.push({ file, line: recordLine, error: { field: '(row)', reason: `has ${row.length} fields, the header has ${header.length}` } });
      return;
    }
    const data: Record<string, unknown> = {};
    for (let i = 0; i < header.length; i++) data[header[i]!] = row[i]!.trim();
    out.push({ file, line: recordLine, kind, data });
  };

  for (let chunk of textChunks(file)) {
    if (first) {
      chunk = chunk.replace(/^\uFEFF/, '');
      first = false;
    }
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
      if (quoted) {
        if (afterQuote) {
          afterQuote = false;
          if (ch === QUOTE) {
            field += '"'; // "" is a quote inside a quoted field
            start = i + 1;
            continue;
          }
          quoted = false; // the quote closed the field: this character is read as unquoted
          start = i;
        } else if (ch === QUOTE) {
          field += chunk.slice(start, i);
          afterQuote = true;
          continue;
        } else {
          if (ch === LF) physical++;
          continue;
        }
      }
      if (ch === QUOTE && field === '' && i === start) {
        quoted = true;
        start = i + 1;
      } else if (ch === delim) {
        field += chunk.slice(start, i);
        fields.push(field);
        field = '';
        start = i + 1;
      } else if (ch === LF) {
        field += chunk.slice(start, i);
        if (field.endsWith('\r')) field = field.slice(0, -1);
        physical++;
        endRecord();
        start = i + 1;
      }
    }
    if (!(quoted && afterQuote)) field += chunk.slice(start);
    if (out.length) yield out.splice(0);
  }
  if (quoted && !afterQuote) {
    out.push({ file, line, error: { field: '(row)', reason: 'a quoted field is not closed' } });
  } else if (field !== '' || fields.length) {
    endRecord();
  }
  if (out.length) yield out.splice(0);
}

/** JSON Lines: one object per line, its kind in `"record"` (`"kind"` is a field of charges and payments). */
export async function* readJsonLines(file: string): AsyncGenerator<RawRecord[]> {
  let chunk: RawRecord[] = [];
  for (const rec of jsonLines(file)) {
    chunk.push(rec);
    if (chunk.length === 1000) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length) yield chunk;
}

/** The file's lines, without their CR LF or LF. */
function* linesOf(file: string): Generator<string> {
  let rest = '';
  for (const chunk of textChunks(file)) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const p of parts) yield p.endsWith('\r') ? p.slice(0, -1) : p;
  }
  if (rest) yield rest.endsWith('\r') ? rest.slice(0, -1) : rest;
}

function* jsonLines(file: string): Generator<RawRecord> {
  let line = 0;
  for (const text of linesOf(file)) {
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
