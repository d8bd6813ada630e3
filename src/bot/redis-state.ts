import type { Context, NextFunction, StorageAdapter } from 'grammy';
import type { Redis } from 'ioredis';

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
 * What every update needs from Redis, in one round trip instead of four: the mark that it is
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
      const raw = fetched ? fetched.raw : await redis.getex(key, 'EX', o.sessionTtlSeconds);
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
      if (raw !== before) await redis.set(key, raw, 'EX', o.sessionTtlSeconds);
    },
    async delete(key) {
      asRead.delete(key);
      await redis.del(key);
    },
  };

  const conversations: StorageAdapter<V> = {
    async read(key) {
      const fetched = take(key);
      const raw = fetched ? fetched.raw : await redis.get(key);
      return raw === null ? undefined : (JSON.parse(raw) as V);
    },
    async write(key, value) {
      await redis.set(key, JSON.stringify(value), 'EX', o.conversationTtlSeconds);
    },
    async delete(key) {
      await redis.del(key);
    },
  };

  async function prefetch(ctx: C, next: NextFunction) {
    const sessionKey = o.sessionKey(ctx);
    const conversationKey = o.conversationKey(ctx);
    const batch = redis.pipeline().set(`upd:${ctx.update.update_id}`, '1', 'EX', o.dedupeTtlSeconds, 'NX');
    if (sessionKey !== undefined) batch.getex(sessionKey, 'EX', o.sessionTtlSeconds);
    if (conversationKey !== undefined) batch.get(conversationKey);
    const results = (await batch.exec()) ?? [];
    for (const [err] of results) if (err) throw err;
    const value = (i: number) => (results[i]?.[1] ?? null) as string | null;
    if (value(0) === null) return; // handled before
    const mine: [string, { raw: string | null }][] = [];
    if (sessionKey !== undefined) mine.push([sessionKey, { raw: value(1) }]);
    if (conversationKey !== undefined) mine.push([conversationKey, { raw: value(sessionKey !== undefined ? 2 : 1) }]);
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
