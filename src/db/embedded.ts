import { mkdir } from 'node:fs/promises';
import path from 'node:path';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * What this PostgreSQL is given beyond PGlite's own start parameters. PGlite's PostgreSQL keeps its
 * shared memory inside the WebAssembly memory, which is touched when allocated and never handed
 * back: the 128 MB of buffers initdb writes into postgresql.conf would be resident from the first
 * second. The demo data is about 60 MB on disk and the files are in the OS page cache anyway.
 */
export const EMBEDDED_SETTINGS = ['shared_buffers=16MB'];

/**
 * PostgreSQL without a server: PGlite (PostgreSQL compiled to WASM) keeping its files in
 * `dataDir`, served on a loopback port so the ordinary `pg` driver and our migrations run
 * unchanged. PGlite is single-session: the server takes two connections (the ORM's pool of one
 * and pg-boss's pool of one) and runs their queries one at a time, a transaction begun on one
 * connection to its end before the other's next query.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const [{ PGlite }, { PGLiteSocketServer }, { pg_trgm }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite-socket'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
  ]);
  const dir = path.resolve(dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  // pg_trgm ships with PGlite as an extension to load: the street search's similarity needs it.
  const db = await PGlite.create({
    dataDir: dir,
    extensions: { pg_trgm },
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((s) => ['-c', s])],
  });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 2 });
  await server.start();
  const conn = server.getServerConn(); // "127.0.0.1:PORT"
  return {
    url: `postgresql://postgres@${conn}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
