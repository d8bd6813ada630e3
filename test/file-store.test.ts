import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRejected, localFileStore, MAX_FILE_BYTES, type FileStore } from '../src/files/store.ts';

/** What the stand-in for Telegram's file server answers, by path. */
const routes = new Map<string, (res: ServerResponse) => void>();
const bytes = (res: ServerResponse, body: Buffer) => {
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  res.end(body);
};

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF'), Buffer.alloc(2000, 1)]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 2)]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0x08, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(300, 3)]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let server: Server;
let base: string;
const sockets = new Set<Socket>();
let dir: string;
let store: FileStore;

beforeAll(async () => {
  routes.set('/meter.jpg', (res) => bytes(res, JPEG));
  routes.set('/meter.png', (res) => bytes(res, PNG));
  routes.set('/meter.webp', (res) => bytes(res, WEBP));
  routes.set('/passport.pdf', (res) => bytes(res, PDF));
  routes.set('/notes.txt', (res) => bytes(res, Buffer.from('показания 123,456 — это не фото')));
  // A JPEG header, named .jpg, but HTML inside.
  routes.set('/fake.jpg', (res) => bytes(res, Buffer.from('<html><body>surprise</body></html>')));
  // Says 25 MB up front and sends a little: refused on the header, without waiting for the rest.
  routes.set('/declared-big.jpg', (res) => {
    res.writeHead(200, { 'content-length': 25 * 1024 * 1024 });
    res.write(JPEG);
  });
  // Says nothing of its size (chunked) and sends 1 byte more than the limit.
  routes.set('/actual-big.jpg', (res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    res.write(JPEG);
    const chunk = Buffer.alloc(1024 * 1024, 9);
    let left = MAX_FILE_BYTES + 1 - JPEG.length;
    const more = () => {
      while (left > 0) {
        const part = chunk.subarray(0, Math.min(chunk.length, left));
        left -= part.length;
        if (!res.write(part)) return void res.once('drain', more);
      }
      res.end();
    };
    more();
  });
  // Exactly the limit: kept.
  routes.set('/just-fits.jpg', (res) => bytes(res, Buffer.concat([JPEG, Buffer.alloc(MAX_FILE_BYTES - JPEG.length, 5)])));
  server = createServer((req, res) => {
    const route = routes.get(new URL(req.url ?? '/', 'http://x').pathname);
    if (route) route(res);
    else {
      res.writeHead(404);
      res.end('Not Found');
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(os.tmpdir(), 'file-store-'));
  store = localFileStore({ dir });
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

/** Every file under the store's folder, relative. */
async function listed(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => 'saved',
    (e: unknown) => (e instanceof FileRejected ? e.reason : `error: ${(e as Error).message}`),
  );

describe('the file store', () => {
  it('keeps JPEG, PNG and WebP images and PDF documents under YYYY/MM/<uuid>.<ext>, and reads them back', async () => {
    const now = new Date('2026-11-22T09:00:00Z');
    const cases = [
      { url: '/meter.jpg', kind: 'image', body: JPEG, mime: 'image/jpeg', ext: 'jpg' },
      { url: '/meter.png', kind: 'image', body: PNG, mime: 'image/png', ext: 'png' },
      { url: '/meter.webp', kind: 'image', body: WEBP, mime: 'image/webp', ext: 'webp' },
      { url: '/passport.pdf', kind: 'image_or_pdf', body: PDF, mime: 'application/pdf', ext: 'pdf' },
      { url: '/meter.png', kind: 'image_or_pdf', body: PNG, mime: 'image/png', ext: 'png' },
    ] as const;
    const paths: string[] = [];
    for (const c of cases) {
      const saved = await store.save({ url: `${base}${c.url}` }, { kind: c.kind, now });
      expect(saved).toEqual({
        path: expect.stringMatching(new RegExp(`^2026/11/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\\.${c.ext}$`)),
        mime: c.mime,
        size: c.body.length,
      });
      expect(await store.read(saved.path)).toEqual(c.body);
      paths.push(saved.path);
    }
    // Each save is a file of its own, the same picture twice included.
    expect(new Set(paths).size).toBe(cases.length);
    expect((await listed()).sort()).toEqual([...paths].sort());
  });

  it('names a file by a uuid, never by what the sender called it', async () => {
    const saved = await store.save({ url: `${base}/meter.jpg?name=..%2F..%2Fevil.jpg` }, { kind: 'image', now: new Date('2027-01-05T00:00:00Z') });
    expect(saved.path).toMatch(/^2027\/01\/[0-9a-f-]{36}\.jpg$/);
    expect(saved.path).not.toMatch(/meter|evil/);
  });

  it('refuses what is not of the kind asked, by its first bytes, and keeps nothing of it', async () => {
    const before = await listed();
    expect(await rejection(store.save({ url: `${base}/notes.txt` }, { kind: 'image' }))).toBe('wrong_type');
    expect(await rejection(store.save({ url: `${base}/notes.txt` }, { kind: 'image_or_pdf' }))).toBe('wrong_type');
    expect(await rejection(store.save({ url: `${base}/fake.jpg` }, { kind: 'image' }))).toBe('wrong_type');
    // A PDF is a document, not a photo.
    expect(await rejection(store.save({ url: `${base}/passport.pdf` }, { kind: 'image' }))).toBe('wrong_type');
    expect(await listed()).toEqual(before);
  });

  it('refuses a file over 20 MB, whether its size is declared or only found while reading, and keeps one of exactly 20 MB', async () => {
    const before = await listed();
    const started = Date.now();
    expect(await rejection(store.save({ url: `${base}/declared-big.jpg` }, { kind: 'image' }))).toBe('too_big');
    // Refused on the header: the 25 MB never came, and the store did not wait for them.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await rejection(store.save({ url: `${base}/actual-big.jpg` }, { kind: 'image' }))).toBe('too_big');
    expect(await listed()).toEqual(before);
    const fits = await store.save({ url: `${base}/just-fits.jpg` }, { kind: 'image' });
    expect(fits.size).toBe(MAX_FILE_BYTES);
  });

  it('says a download failed without repeating the URL (a Telegram file URL holds the bot token)', async () => {
    const secret = '7000001:SECRET-TOKEN';
    const missing = await rejection(store.save({ url: `${base}/file/bot${secret}/photos/nope.jpg` }, { kind: 'image' }));
    expect(missing).toBe('error: file download: HTTP 404');
    const closed = await rejection(store.save({ url: `http://127.0.0.1:1/file/bot${secret}/x.jpg` }, { kind: 'image' }));
    expect(closed).toMatch(/^error: file download/);
    expect(closed).not.toContain(secret);
  });

  it('reads only the paths it gives: none that leaves its folder, is absolute or is not one of its names', async () => {
    const saved = await store.save({ url: `${base}/meter.jpg` }, { kind: 'image' });
    for (const bad of [
      '../x',
      '../../etc/passwd',
      `${saved.path}/../../../../x`,
      `2026/11/../../../${path.basename(dir)}/${saved.path}`,
      path.join(dir, saved.path),
      '/etc/passwd',
      '',
      '2026/11/not-a-uuid.jpg',
      saved.path.replace('.jpg', '.exe'),
      `${saved.path}\0.jpg`,
    ]) {
      expect(await rejection(store.read(bad)), bad).toBe('bad_path');
    }
    expect(await store.read(saved.path)).toEqual(JPEG);
  });
});
