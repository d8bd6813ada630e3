import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationsList } from '../../../db/migrations/index.ts';
import type { Source } from './sources.ts';

/** The project's root, and what in it does the importing. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CODE = ['src/billing', 'src/money', 'db/entities', 'templates/matching'];

/**
 * The fingerprint of one import's input: the SHA-256 of every file's bytes, in the order read,
 * with its kind; whether a PIN key was given, and which (by its hash); and what does the
 * importing — the billing services' and the money code's source (the import itself, the address
 * keys of normalize.ts, the PIN hashing), the entities, the address vocabulary, the schema's
 * migrations — so that new code or a new migration never takes an old run for the same. The same
 * fingerprint means the same files imported the same way. `unchanged` tells afterwards whether the
 * files are still as they were when hashed (size and time of change): a file replaced while it was
 * being imported does not leave a fingerprint that is not its own.
 */
export async function exportFingerprint(sources: Source[], pinKey: string | null): Promise<{ fingerprint: string; unchanged: () => Promise<boolean> }> {
  const all = createHash('sha256');
  all.update(`pin:${pinKey === null ? '-' : createHash('sha256').update(pinKey).digest('hex')}\n`);
  all.update(`migrations:${migrationsList.map((m) => m.name).join(',')}\n`);
  for (const dir of CODE) {
    for (const file of await filesUnder(path.join(ROOT, dir))) {
      all.update(`code:${path.relative(ROOT, file)}:`);
      all.update(await readFile(file));
      all.update('\n');
    }
  }
  const seen = async () => (await Promise.all(sources.map((s) => stat(s.file)))).map((i) => `${i.size}:${i.mtimeMs}`).join('|');
  const before = await seen();
  for (const s of sources) {
    const file = createHash('sha256');
    for await (const chunk of createReadStream(s.file, { highWaterMark: 1 << 20 })) file.update(chunk as Buffer);
    all.update(`file:${s.kind}:${file.digest('hex')}\n`);
  }
  const hashed = await seen();
  return { fingerprint: all.digest('hex'), unchanged: async () => before === hashed && (await seen()) === hashed };
}

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(full)));
    else found.push(full);
  }
  return found;
}
