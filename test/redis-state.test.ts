import { Context } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { redisState } from '../src/bot/redis-state.ts';

const redis = new Redis('redis://127.0.0.1:6379', { enableAutoPipelining: true, keyPrefix: `test:${process.pid}:${Date.now()}:redis-state:` });
afterAll(async () => {
  const prefix = redis.options.keyPrefix!;
  const own = (await redis.keys('*')).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  if (own.length) await redis.del(...own);
  await redis.quit();
});

const state = redisState<Context, { n?: number }, unknown>(redis, {
  sessionKey: (ctx) => (ctx.from ? `sess:${ctx.from.id}` : undefined),
  conversationKey: (ctx) => (ctx.chat?.type === 'private' ? `conv:${ctx.chat.id}` : undefined),
  sessionTtlSeconds: 1000,
  conversationTtlSeconds: 100,
  dedupeTtlSeconds: 100,
});
const me = { id: 1, is_bot: true, first_name: 'B', username: 'b' } as UserFromGetMe;
const update = (id: number, user: number): Update =>
  ({ update_id: id, message: { message_id: 1, date: 0, chat: { id: user, type: 'private' }, from: { id: user, is_bot: false, first_name: 'R' }, text: 'hi' } }) as Update;
const ctxOf = (u: Update) => new Context(u, null as never, me);

describe('Redis state of an update (one command: dedupe mark, session, conversation state)', () => {
  it('lets an update through once, and hands the session and the conversation state read ahead to the adapters', async () => {
    await redis.set('sess:501', JSON.stringify({ n: 1 }));
    await redis.set('conv:501', JSON.stringify({ version: [0, 0], state: {} }));
    const seen: unknown[] = [];
    const handle = async (u: Update) =>
      state.prefetch(ctxOf(u), async () => {
        seen.push([await state.sessions.read('sess:501'), await state.conversations.read('conv:501')]);
      });
    await handle(update(7001, 501));
    await handle(update(7001, 501)); // delivered again
    expect(seen).toEqual([[{ n: 1 }, { version: [0, 0], state: {} }]]);
  });

  it('renews the session expiry on read, and writes the session back only when it changed', async () => {
    await redis.set('sess:502', JSON.stringify({ n: 1 }), 'EX', 10);
    await state.prefetch(ctxOf(update(7002, 502)), async () => {
      const session = await state.sessions.read('sess:502');
      expect(await redis.ttl('sess:502')).toBeGreaterThan(900);
      // Another instance changes it meanwhile; writing back what was read must not undo that.
      await redis.set('sess:502', JSON.stringify({ n: 5 }), 'EX', 1000);
      await state.sessions.write('sess:502', session!);
    });
    expect(JSON.parse((await redis.get('sess:502'))!)).toEqual({ n: 5 });
    await state.prefetch(ctxOf(update(7003, 502)), async () => {
      await state.sessions.write('sess:502', { n: (await state.sessions.read('sess:502'))!.n! + 1 });
    });
    expect(JSON.parse((await redis.get('sess:502'))!)).toEqual({ n: 6 });
  });

  it('reads from Redis when nothing was read ahead (a lost session is empty)', async () => {
    expect(await state.sessions.read('sess:503')).toBeUndefined();
    await redis.set('sess:503', JSON.stringify({ n: 3 }));
    expect(await state.sessions.read('sess:503')).toEqual({ n: 3 });
    await state.sessions.delete('sess:503');
    expect(await redis.exists('sess:503')).toBe(0);
  });

  it('sends the commands of many updates arriving together as one pipeline, each getting its own answer', async () => {
    const users = Array.from({ length: 20 }, (_, i) => 600 + i);
    await Promise.all(users.map((u) => redis.set(`sess:${u}`, JSON.stringify({ n: u }))));
    const got = await Promise.all(
      users.map(async (u, i) => {
        let session: unknown;
        await state.prefetch(ctxOf(update(7100 + i, u)), async () => {
          session = await state.sessions.read(`sess:${u}`);
        });
        return session;
      }),
    );
    expect(got).toEqual(users.map((n) => ({ n })));
  });
});
