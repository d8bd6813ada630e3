import type { Redis } from 'ioredis';

/**
 * Counters of failed ownership checks: at most 5 per account (or address) in 24 hours and
 * 10 per Telegram user a day, so that the surname cannot be guessed by trying.
 */
/** Whose tries are counted: a Telegram user id, or (the web pages) a key of the visitor's address. */
export type Who = number | string;

export interface AttemptLimits {
  /** Seconds until the user may try again, or 0 if they may try now. */
  blockedFor(userId: Who, target: string): Promise<number>;
  /** Seconds until the user's own counter lets them try again (whatever the target), or 0: known before the first question. */
  userBlockedFor(userId: Who): Promise<number>;
  recordFailure(userId: Who, target: string): Promise<void>;
  clear(userId: Who, target: string): Promise<void>;
  /** A plain rate limit: true while `key` has been used fewer than `max` times in the window. */
  allow(key: string, max: number, windowSeconds: number): Promise<boolean>;
  /** True while `key` has been used fewer than `max` times in its window; counts nothing. With `use`: a limit on what succeeded only. */
  hasRoom(key: string, max: number): Promise<boolean>;
  /** Counts one use of `key` (the same counter as `allow`), the window starting with the first. */
  use(key: string, windowSeconds: number): Promise<void>;
}

export const PER_TARGET = { max: 5, windowSeconds: 24 * 3600 };
export const PER_USER = { max: 10, windowSeconds: 24 * 3600 };
/** Look-ups without linking (debt by number), per Telegram user or web visitor and hour: the number is the only key. */
export const PUBLIC_LOOKUP = { max: 20, windowSeconds: 3600 };

/**
 * Each counter is a key of its own, hash-tagged by whose it is (`{u:<user>}`, `{t:<target>}`), so
 * that on a Redis Cluster every command below touches one slot; the commands for the two keys go
 * out side by side (pipelined by ioredis's auto-pipelining), never in one MULTI.
 */
const keys = (userId: Who, target: string) => ({ user: `lim:{u:${userId}}`, target: `lim:{t:${target}}` });
const rateKey = (key: string) => `rate:{${key}}`;

export function redisLimits(redis: Redis): AttemptLimits {
  /** Seconds until the counter at `key` is below `max` again, or 0. */
  const wait = async (key: string, max: number) => {
    const [n, ttl] = await Promise.all([redis.get(key), redis.ttl(key)]);
    return Number(n ?? 0) >= max ? Math.max(0, ttl) : 0;
  };
  /** INCR with the window set on the first one, in one transaction on the one key. */
  const bump = async (key: string, windowSeconds: number) => {
    const res = await redis.multi().incr(key).expire(key, windowSeconds, 'NX').exec();
    return Number(res?.[0]?.[1] ?? 0);
  };
  return {
    async blockedFor(userId, target) {
      const k = keys(userId, target);
      return Math.max(0, ...(await Promise.all([wait(k.user, PER_USER.max), wait(k.target, PER_TARGET.max)])));
    },
    async userBlockedFor(userId) {
      return wait(keys(userId, '').user, PER_USER.max);
    },
    async recordFailure(userId, target) {
      const k = keys(userId, target);
      await Promise.all([bump(k.user, PER_USER.windowSeconds), bump(k.target, PER_TARGET.windowSeconds)]);
    },
    async clear(_userId, target) {
      await redis.del(keys(0, target).target);
    },
    async allow(key, max, windowSeconds) {
      return (await bump(rateKey(key), windowSeconds)) <= max;
    },
    async hasRoom(key, max) {
      return Number((await redis.get(rateKey(key))) ?? 0) < max;
    },
    async use(key, windowSeconds) {
      await bump(rateKey(key), windowSeconds);
    },
  };
}

/** The same rules in memory, for the embedded default without Redis (one instance). */
export function memoryLimits(now: () => number = Date.now): AttemptLimits {
  const counters = new Map<string, { n: number; until: number }>();
  const get = (key: string) => {
    const c = counters.get(key);
    if (c && c.until <= now()) counters.delete(key);
    return counters.get(key);
  };
  const bump = (key: string, windowSeconds: number) => {
    const c = get(key) ?? { n: 0, until: now() + windowSeconds * 1000 };
    c.n++;
    counters.set(key, c);
  };
  const wait = (key: string, max: number) => {
    const c = get(key);
    return c && c.n >= max ? Math.ceil((c.until - now()) / 1000) : 0;
  };
  return {
    async blockedFor(userId, target) {
      const k = keys(userId, target);
      return Math.max(wait(k.user, PER_USER.max), wait(k.target, PER_TARGET.max));
    },
    async userBlockedFor(userId) {
      return wait(keys(userId, '').user, PER_USER.max);
    },
    async recordFailure(userId, target) {
      const k = keys(userId, target);
      bump(k.user, PER_USER.windowSeconds);
      bump(k.target, PER_TARGET.windowSeconds);
    },
    async clear(_userId, target) {
      counters.delete(keys(0, target).target);
    },
    async allow(key, max, windowSeconds) {
      bump(rateKey(key), windowSeconds);
      return (get(rateKey(key))?.n ?? 0) <= max;
    },
    async hasRoom(key, max) {
      return (get(rateKey(key))?.n ?? 0) < max;
    },
    async use(key, windowSeconds) {
      bump(rateKey(key), windowSeconds);
    },
  };
}
