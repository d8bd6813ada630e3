import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../src/billing/import/index.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { FIXTURE_DIR } from './support/fixture.ts';
import { BOT_INFO } from './support/telegram.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await freshDatabase();
  await importFiles(db.orm, [FIXTURE_DIR]);
});
afterAll(async () => {
  await db.drop();
});

/** A Bot API that takes the bot's start and hands it one update, then never answers what the bot sends. */
async function hangingBotApi() {
  const hung: ServerResponse[] = [];
  let handed = false;
  const seen: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const method = (req.url ?? '').split('/').pop() ?? '';
      seen.push(method);
      const answer = (result: unknown) => res.end(JSON.stringify({ ok: true, result }));
      res.setHeader('content-type', 'application/json');
      if (method === 'getMe') return answer(BOT_INFO);
      if (method === 'getUpdates') {
        if (handed) return void setTimeout(() => answer([]), 200);
        handed = true;
        const user = { id: 6_930_001, is_bot: false, first_name: 'T' };
        return answer([
          {
            update_id: 96_000_001,
            message: {
              message_id: 1,
              date: 0,
              chat: { id: user.id, type: 'private' },
              from: user,
              text: '/help',
              entities: [{ type: 'bot_command', offset: 0, length: 5 }],
            },
          },
        ]);
      }
      if (method === 'sendMessage') return void hung.push(res);
      return answer(true);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    root: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('shutdown', () => {
  it('SIGTERM while the bot waits on a Bot API that does not answer: the process exits within SHUTDOWN_TIMEOUT_SECONDS', async () => {
    const api = await hangingBotApi();
    const prefix = `test:shutdown:${process.pid}:${Date.now()}:`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: db.url,
        REDIS_URL: 'redis://127.0.0.1:6379',
        REDIS_KEY_PREFIX: prefix,
        BOT_TOKEN: '7000001:TEST-TOKEN-FOR-VITEST-ONLY-xxxxxxxx',
        TELEGRAM_API_ROOT: api.root,
        PORT: '0',
        SEED_DEMO: 'false',
        LOG_LEVEL: 'info',
        SHUTDOWN_TIMEOUT_SECONDS: '3',
        DATA_DIR: `/tmp/vodokanal-shutdown-${process.pid}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!(api.seen.includes('sendMessage') && out.includes('vodokanal is running')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(api.seen).toContain('sendMessage');
      const t0 = Date.now();
      child.kill('SIGTERM');
      const code = await exited;
      const took = Date.now() - t0;
      expect(out).toContain('shutting down');
      expect(took).toBeLessThan(3_000 + 1_500);
      expect(code === 0 || code === 1).toBe(true);
      // Every key of the process is behind REDIS_KEY_PREFIX: its update's dedupe mark is there, none bare.
      const redis = new Redis('redis://127.0.0.1:6379');
      try {
        expect(await redis.exists(`${prefix}upd:96000001`)).toBe(1);
        expect(await redis.exists('upd:96000001')).toBe(0);
      } finally {
        redis.disconnect();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await api.close();
    }
  }, 60_000);
});
