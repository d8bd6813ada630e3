import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { migrationsList } from '../../../db/migrations/index.ts';
import type { Source } from './sources.ts';

/**
 * The fingerprint of one import's input: the SHA-256 of every file's bytes, in the order read,
 * with its kind; whether a PIN key was given, and which (by its hash); and what does the
 * importing — this folder's source and the schema's migrations — so that new import code or a new
 * migration never takes an old run for the same. The same fingerprint means the same files
 * imported the same way.
 */
export async function exportFingerprint(sources: Source[], pinKey: string | null): Promise<string> {
  const all = createHash('sha256');
  all.update(`pin:${pinKey === null ? '-' : createHash('sha256').update(pinKey).digest('hex')}\n`);
  all.update(`migrations:${migrationsList.map((m) => m.name).join(',')}\n`);
  const here = new URL('.', import.meta.url);
  for (const name of (await readdir(here)).sort()) {
    all
      .update(`code:${name}:`)
      .update(await readFile(new URL(name, here)))
      .update('\n');
  }
  for (const s of sources) {
    const file = createHash('sha256');
    for await (const chunk of createReadStream(s.file, { highWaterMark: 1 << 20 })) file.update(chunk as Buffer);
    all.update(`file:${s.kind}:${file.digest('hex')}\n`);
  }
  return all.digest('hex');
}
