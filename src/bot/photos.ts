import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Telegram lets bots download files up to 20 MB. */
export const MAX_PHOTO_BYTES = 20 * 1024 * 1024;

export class PhotoRejected extends Error {
  constructor(readonly reason: 'too_big' | 'not_an_image') {
    super(`photo rejected: ${reason}`);
  }
}

/** JPEG, PNG or WebP by their first bytes; anything else is not kept. */
function imageExtension(bytes: Buffer): string | null {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return null;
}

export interface PhotoStore {
  /** Downloads a file Telegram holds (its `file_path` from getFile) and keeps it; returns the path under the store. */
  save(filePath: string, now?: Date): Promise<string>;
}

export function photoStore(o: { dir: string; fileUrl: (filePath: string) => string; fetch?: typeof fetch }): PhotoStore {
  const get = o.fetch ?? fetch;
  return {
    async save(filePath, now = new Date()) {
      const response = await get(o.fileUrl(filePath));
      if (!response.ok) throw new Error(`photo download: HTTP ${response.status}`);
      const declared = Number(response.headers.get('content-length') ?? 0);
      if (declared > MAX_PHOTO_BYTES) throw new PhotoRejected('too_big');
      const bytes = Buffer.from(await response.arrayBuffer());
      if (bytes.length > MAX_PHOTO_BYTES) throw new PhotoRejected('too_big');
      const ext = imageExtension(bytes);
      if (!ext) throw new PhotoRejected('not_an_image');
      const relative = path.posix.join(String(now.getUTCFullYear()), String(now.getUTCMonth() + 1).padStart(2, '0'), `${randomUUID()}.${ext}`);
      const target = path.join(o.dir, relative);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, bytes);
      return relative;
    },
  };
}
