import type { Context, NextFunction, StorageAdapter } from 'grammy';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';

export interface RedisStateOptions<C extends Context> {
  /** The session's key for this update (as given to grammY's `session`), if it has one. */
  sessionKey: (ctx: C) => string | undefined;
  /** The conversations plugin's key for this update, if the update will reach that plugin. */
  conversationKey: (ctx: C) => string | undefined;
  sessionTtlSeconds: number;
  conversationTtlSeconds: number;
  /** How long an update id is remembered as handled. */
  dedupeTtlSeconds: number;
}

/**
 * What every update needs from Redis, in one command (a script) instead of four round trips: the mark that it is
 * being handled (each update once, also when Telegram delivers it again or two instances both
 * receive it), the session, and the conversations plugin's state. `prefetch` must run after
 * `sequentialize`, so that what it reads is what the chat's previous update left behind.
 *
 * `sessions` and `conversations` are storage adapters for grammY's session and for the
 * conversations plugin, in the format of @grammyjs/storage-redis (JSON under the same keys). A read
 * takes the value fetched ahead for this update, else asks Redis. The session is written back
 * only when it changed (grammY writes it after every update that looked at it); its expiry is
 * renewed by the read instead.
 */
export function redisState<C extends Context, S, V>(redis: Redis, o: RedisStateOptions<C>) {
  const send = batched(redis);
  /** Fetched for an update that is being handled and not yet read by its middleware. */
  const ahead = new Map<string, { raw: string | null }>();
  /** The session as last read from Redis, per key, until it is written or the update ends. */
  const asRead = new Map<string, string>();

  const take = (key: string) => {
    const fetched = ahead.get(key);
    if (fetched) ahead.delete(key);
    return fetched;
  };

  const sessions: StorageAdapter<S> = {
    async read(key) {
      const fetched = take(key);
      const raw = fetched ? fetched.raw : ((await send(['getex', key, 'EX', o.sessionTtlSeconds])) as string | null);
      if (raw === null) {
        asRead.delete(key);
        return undefined;
      }
      asRead.set(key, raw);
      return JSON.parse(raw) as S;
    },
    async write(key, value) {
      const raw = JSON.stringify(value);
      const before = asRead.get(key);
      asRead.delete(key);
      if (raw !== before) await send(['set', key, raw, 'EX', o.sessionTtlSeconds]);
    },
    async delete(key) {
      asRead.delete(key);
      await send(['del', key]);
    },
  };

  const conversations: StorageAdapter<V> = {
    async read(key) {
      const fetched = take(key);
      const raw = fetched ? fetched.raw : ((await send(['get', key])) as string | null);
      return raw === null ? undefined : (JSON.parse(raw) as V);
    },
    async write(key, value) {
      await send(['set', key, JSON.stringify(value), 'EX', o.conversationTtlSeconds]);
    },
    async delete(key) {
      await send(['del', key]);
    },
  };

  async function prefetch(ctx: C, next: NextFunction) {
    const sessionKey = o.sessionKey(ctx);
    const conversationKey = o.conversationKey(ctx);
    const mark = `upd:${ctx.update.update_id}`;
    const args = [
      3, mark, sessionKey ?? mark, conversationKey ?? mark,
      o.dedupeTtlSeconds, o.sessionTtlSeconds, sessionKey === undefined ? 0 : 1, conversationKey === undefined ? 0 : 1,
    ];
    const reply = (await send(['evalsha', BEGIN_SHA, ...args]).catch((err: unknown) =>
      // Not yet in this Redis's script cache (first use, or after a restart or SCRIPT FLUSH).
      String(err).includes('NOSCRIPT') ? send(['eval', BEGIN_LUA, ...args]) : Promise.reject(err),
    )) as [number, string | null, string | null] | null;
    if (reply === null) return; // handled before
    const [, session, conversation] = reply;
    const mine: [string, { raw: string | null }][] = [];
    if (sessionKey !== undefined) mine.push([sessionKey, { raw: session as string | null }]);
    if (conversationKey !== undefined) mine.push([conversationKey, { raw: conversation as string | null }]);
    for (const [key, fetched] of mine) ahead.set(key, fetched);
    try {
      await next();
    } finally {
      // Whatever this update did not read (it failed early, or went another way) is not left
      // behind for a later one; nor is the session as it was read.
      for (const [key, fetched] of mine) if (ahead.get(key) === fetched) ahead.delete(key);
      if (sessionKey !== undefined) asRead.delete(sessionKey);
    }
  }

  return { prefetch, sessions, conversations };
}

/**
 * The start of an update, as one command: mark it as being handled (SET NX, so that a
 * re-delivered one stops here: nil), then read the session renewing its expiry, and the
 * conversations plugin's state. KEYS: the mark, the session, the conversation state; ARGV: the
 * mark's and the session's TTL, and whether the session and the conversation state are wanted.
 */
const BEGIN_LUA = `
if not redis.call('SET', KEYS[1], '1', 'EX', ARGV[1], 'NX') then return nil end
local session = false
if ARGV[3] == '1' then session = redis.call('GETEX', KEYS[2], 'EX', ARGV[2]) end
local conversation = false
if ARGV[4] == '1' then conversation = redis.call('GET', KEYS[3]) end
return {1, session, conversation}`;
const BEGIN_SHA = createHash('sha1').update(BEGIN_LUA).digest('hex');

/**
 * Commands issued while the current event is being handled (the update that just arrived, the
 * replies that just came back) go to Redis together as one pipeline, written once: under load,
 * one round trip serves many updates instead of one each. Alone, a command waits for nothing.
 */
function batched(redis: Redis) {
  let queued: { command: (string | number)[]; resolve: (value: unknown) => void; reject: (err: unknown) => void }[] = [];
  const flush = () => {
    const items = queued;
    queued = [];
    redis
      .pipeline(items.map((i) => i.command))
      .exec()
      .then(
        (results) =>
          items.forEach((item, n) => {
            const [err, value] = results?.[n] ?? [new Error('redis: no reply in the pipeline'), null];
            if (err) item.reject(err);
            else item.resolve(value);
          }),
        (err) => {
          for (const item of items) item.reject(err);
        },
      );
  };
  return (command: (string | number)[]) =>
    new Promise<unknown>((resolve, reject) => {
      if (queued.push({ command, resolve, reject }) === 1) process.nextTick(flush);
    });
}
