import type { Context, NextFunction, StorageAdapter } from 'grammy';
import type { Redis } from 'ioredis';
import { RedisAdapter } from '@grammyjs/storage-redis';

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
 * `sessions` and `conversations` are @grammyjs/storage-redis adapters for grammY's session and
 * for the conversations plugin, with a read taking the value fetched ahead for this update when
 * there is one. Commands issued in the same tick (many updates at once) go out as one pipeline
 * when the client has ioredis's `enableAutoPipelining` on, as src/main.ts sets it. The session is written back
 * only when it changed (grammY writes it after every update that looked at it); its expiry is
 * renewed by the read instead.
 */
export function redisState<C extends Context, S, V>(redis: Redis, o: RedisStateOptions<C>) {
  // Stored by @grammyjs/storage-redis itself; what is added here is only the reading ahead.
  const sessionStore = new RedisAdapter<S>({ instance: redis, ttl: o.sessionTtlSeconds });
  const conversationStore = new RedisAdapter<V>({ instance: redis, ttl: o.conversationTtlSeconds });
  const begin = beginCommand(redis);
  /** Fetched for an update that is being handled and not yet read by its middleware. */
  const ahead = new Map<string, { raw: string | null }>();
  /** The session as last read, per key, until it is written or the update ends. */
  const asRead = new Map<string, string>();

  const take = (key: string) => {
    const fetched = ahead.get(key);
    if (fetched) ahead.delete(key);
    return fetched;
  };

  const sessions: StorageAdapter<S> = {
    async read(key) {
      const fetched = take(key);
      if (!fetched) {
        // Not read ahead (no prefetch for this key): the adapter's own read; nothing to compare with.
        asRead.delete(key);
        return sessionStore.read(key);
      }
      if (fetched.raw === null) {
        asRead.delete(key);
        return undefined;
      }
      asRead.set(key, fetched.raw);
      return JSON.parse(fetched.raw) as S;
    },
    async write(key, value) {
      const before = asRead.get(key);
      asRead.delete(key);
      if (JSON.stringify(value) !== before) await sessionStore.write(key, value);
    },
    async delete(key) {
      asRead.delete(key);
      await sessionStore.delete(key);
    },
  };

  const conversations: StorageAdapter<V> = {
    async read(key) {
      const fetched = take(key);
      if (!fetched) return conversationStore.read(key);
      return fetched.raw === null ? undefined : (JSON.parse(fetched.raw) as V);
    },
    write: (key, value) => conversationStore.write(key, value),
    delete: (key) => conversationStore.delete(key),
  };

  async function prefetch(ctx: C, next: NextFunction) {
    const sessionKey = o.sessionKey(ctx);
    const conversationKey = o.conversationKey(ctx);
    const mark = `upd:${ctx.update.update_id}`;
    const reply = await begin(
      mark, sessionKey ?? mark, conversationKey ?? mark,
      o.dedupeTtlSeconds, o.sessionTtlSeconds, sessionKey === undefined ? 0 : 1, conversationKey === undefined ? 0 : 1,
    );
    if (reply === null) return; // handled before
    const [, session, conversation] = reply;
    const mine: [string, { raw: string | null }][] = [];
    if (sessionKey !== undefined) mine.push([sessionKey, { raw: session }]);
    if (conversationKey !== undefined) mine.push([conversationKey, { raw: conversation }]);
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

type Begin = (...args: (string | number)[]) => Promise<[number, string | null, string | null] | null>;

/** The script as an ioredis command: EVALSHA, and EVAL when this Redis does not know it yet. */
function beginCommand(redis: Redis): Begin {
  const r = redis as Redis & { vodokanalBeginUpdate?: Begin };
  if (!r.vodokanalBeginUpdate) r.defineCommand('vodokanalBeginUpdate', { numberOfKeys: 3, lua: BEGIN_LUA });
  return r.vodokanalBeginUpdate!.bind(r);
}
