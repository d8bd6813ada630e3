// The peers of npm run bench:embedded-memory, built as the app is (src/cli/build.mjs) and run on
// plain node as it is: `node dist/bench/embedded-memory-peer.mjs <bare|modules|pglite> <data dir>`.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const [kind, dataDir] = process.argv.slice(2);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

if (kind === 'modules') {
  // The packages the app's build imports, read from it (so the list cannot drift), loaded and not started.
  const source = await readFile(`${ROOT}dist/main.mjs`, 'utf8');
  const specifiers = new Set([...source.matchAll(/^import\s[^;]*?from\s+"([^"]+)";/gm)].map((m) => m[1]!));
  for (const s of specifiers) await import(s);
}
if (kind === 'pglite') {
  const [{ startEmbeddedPostgres }, { default: pg }] = await Promise.all([import('../../src/db/embedded.ts'), import('pg')]);
  const db = await startEmbeddedPostgres(dataDir!);
  // What the start-up asks of it before it idles: the migrations' table, the demo check, pg-boss's schema.
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  await client.query('select * from mikro_orm_migrations order by id');
  await client.query('select count(*) from account');
  await client.query('select * from pgboss.version');
  await client.query('select count(*) from statement');
  await client.end();
}
process.stdout.write('peer ready\n');
setInterval(() => undefined, 60_000);
