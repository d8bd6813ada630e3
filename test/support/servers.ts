import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A loopback port nothing listens on (yet). */
export async function sparePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A Redis server of the test's own on a spare port (the machine's shared one stays up), which the
 * test stops and starts again on the same port. It keeps nothing on disk, as in production here.
 */
export async function ownRedis() {
  const port = await sparePort();
  let child: ChildProcess | null = null;
  const ping = () => run('redis-cli', ['-p', String(port), 'ping']).then((r) => r.stdout.trim() === 'PONG');
  const server = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      await until(ping, 'redis');
    },
    async stop() {
      const c = child;
      child = null;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGKILL');
      });
    },
  };
  await server.start();
  return server;
}

const PG_BIN = async () => {
  const versions = (await readdir('/usr/lib/postgresql')).sort();
  return `/usr/lib/postgresql/${versions.at(-1)}/bin`;
};

/**
 * A PostgreSQL cluster of the test's own on a spare port, made with initdb in a temporary
 * folder and run as the `postgres` user (PostgreSQL refuses root), which the test stops (fast
 * shutdown: sessions are cut as in a restart) and starts again with its data.
 */
export async function ownPostgres() {
  const bin = await PG_BIN();
  const port = await sparePort();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pg-'));
  await chmod(dir, 0o777);
  const data = path.join(dir, 'data');
  const asPostgres = (cmd: string, args: string[]) =>
    process.getuid?.() === 0 ? run('runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]) : run(path.join(bin, cmd), args);
  await asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off`;
  const server = {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      await asPostgres('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
    },
    async stop() {
      await asPostgres('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    },
    async remove() {
      await server.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
