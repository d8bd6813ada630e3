import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * What residents send — photos of meters and of accidents, a meter's documents — kept as files.
 * A stored file is named by a random uuid under the month it came in (`YYYY/MM/<uuid>.<ext>`),
 * never by anything the resident or Telegram chose; that relative path is what the database keeps.
 */

/** Telegram lets bots download files up to 20 MB; nothing larger is kept. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** `image`: a photo (JPEG, PNG, WebP); `image_or_pdf`: a document, which may also be a PDF. */
export type FileKind = 'image' | 'image_or_pdf';

export interface StoredFile {
  /** Relative to the store: `2026/11/3f2c…-….jpg`. */
  path: string;
  mime: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf';
  size: number;
}

/** A file the store does not take (or a path it does not read); the reason is for the front door's words. */
export class FileRejected extends Error {
  constructor(readonly reason: 'too_big' | 'wrong_type' | 'bad_path') {
    super(`file rejected: ${reason}`);
    this.name = 'FileRejected';
  }
}

export interface FileStore {
  /**
   * Downloads the file at `source.url` and keeps it if it is at most MAX_FILE_BYTES and its first
   * bytes say it is of `kind`; otherwise FileRejected. A failed download is a plain Error whose
   * message never holds the URL (a Telegram file URL carries the bot's token).
   */
  save(source: { url: string }, o: { kind: FileKind; now?: Date }): Promise<StoredFile>;
  /** Keeps bytes already in hand (an upload on the web pages) by the same rules as `save`: the size, the type by its first bytes. */
  keep(bytes: Buffer, o: { kind: FileKind; now?: Date }): Promise<StoredFile>;
  /** The bytes of a stored file; FileRejected('bad_path') for a path that is not one the store gives. */
  read(path: string): Promise<Buffer>;
}

const TYPES: Array<{ ext: string; mime: StoredFile['mime']; kinds: FileKind[]; is: (b: Buffer) => boolean }> = [
  { ext: 'jpg', mime: 'image/jpeg', kinds: ['image', 'image_or_pdf'], is: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    ext: 'png',
    mime: 'image/png',
    kinds: ['image', 'image_or_pdf'],
    is: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  {
    ext: 'webp',
    mime: 'image/webp',
    kinds: ['image', 'image_or_pdf'],
    is: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
  { ext: 'pdf', mime: 'application/pdf', kinds: ['image_or_pdf'], is: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
];

/**
 * What the store keeps of each kind, by the type Telegram names: the bot's dialogues take exactly
 * these (with MAX_FILE_BYTES), so a file the resident was told is received is one the store keeps.
 */
export const ACCEPTED_TYPES: Record<FileKind, readonly StoredFile['mime'][]> = {
  image: TYPES.filter((t) => t.kinds.includes('image')).map((t) => t.mime),
  image_or_pdf: TYPES.filter((t) => t.kinds.includes('image_or_pdf')).map((t) => t.mime),
};

/** The type of a file by its first bytes (what it says it is does not count). */
export function detectType(bytes: Buffer, kind: FileKind): { ext: string; mime: StoredFile['mime'] } | null {
  const type = TYPES.find((t) => t.kinds.includes(kind) && t.is(bytes));
  return type ? { ext: type.ext, mime: type.mime } : null;
}

/** The body, read no further than `limit` bytes: a larger one is refused without being held whole. */
async function bodyUpTo(response: Response, limit: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw new FileRejected('too_big');
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new FileRejected('too_big');
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(chunks, size);
}

/** What `save` names files: only these are read back. */
export const STORED_PATH = /^\d{4}\/\d{2}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(jpg|png|webp|pdf)$/;

/** A store in a folder of the local disk (FILES_DIR); `fetch` is for tests. */
export function localFileStore(o: { dir: string; fetch?: typeof fetch }): FileStore {
  const get = o.fetch ?? fetch;
  const root = path.resolve(o.dir);
  const keep: FileStore['keep'] = async (bytes, { kind, now = new Date() }) => {
    if (bytes.length > MAX_FILE_BYTES) throw new FileRejected('too_big');
    const type = detectType(bytes, kind);
    if (!type) throw new FileRejected('wrong_type');
    const relative = path.posix.join(String(now.getUTCFullYear()), String(now.getUTCMonth() + 1).padStart(2, '0'), `${randomUUID()}.${type.ext}`);
    const target = path.join(root, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, bytes, { flag: 'wx' });
    return { path: relative, mime: type.mime, size: bytes.length };
  };
  return {
    async save(source, { kind, now = new Date() }) {
      let response: Response;
      try {
        response = await get(source.url);
      } catch (e) {
        // undici's message does not name the URL, but its cause may: keep neither.
        throw new Error(`file download: ${e instanceof Error ? e.name : 'failed'}`);
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new Error(`file download: HTTP ${response.status}`);
      }
      return keep(await bodyUpTo(response, MAX_FILE_BYTES), { kind, now });
    },

    keep,

    async read(stored) {
      const target = path.resolve(root, stored);
      if (!STORED_PATH.test(stored) || !target.startsWith(`${root}${path.sep}`)) throw new FileRejected('bad_path');
      return readFile(target);
    },
  };
}
