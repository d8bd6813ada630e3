import type { Redis } from 'ioredis';

/**
 * Rate limits of the front doors (lookups by number, requests, codes asked). The limits of failed
 * ownership checks are billing's, in PostgreSQL (src/billing/ownership-limits.ts).
 */
export interface AttemptLimits {
  /** A plain rate limit: true while `key` has been used fewer than `max` times in the window. */
  allow(key: string, max: number, windowSeconds: number): Promise<boolean>;
  /** True while `key` has been used fewer than `max` times in its window; counts nothing. With `use`: a limit on what succeeded only. */
  hasRoom(key: string, max: number): Promise<boolean>;
  /** Counts one use of `key` (the same counter as `allow`), the window starting with the first. */
  use(key: string, windowSeconds: number): Promise<void>;
}

/** Look-ups without linking (debt by number), per Telegram user or web visitor and hour: the number is the only key. */
export const PUBLIC_LOOKUP = { max: 20, windowSeconds: 3600 };

/** Each counter is a key of its own, hash-tagged by itself, so that on a Redis Cluster every command touches one slot. */
const rateKey = (key: string) => `rate:{${key}}`;

export function redisLimits(redis: Redis): AttemptLimits {
  /** INCR with the window set on the first one, in one transaction on the one key. */
  const bump = async (key: string, windowSeconds: number) => {
    const res = await redis.multi().incr(key).expire(key, windowSeconds, 'NX').exec();
    return Number(res?.[0]?.[1] ?? 0);
  };
  return {
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
  return {
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
