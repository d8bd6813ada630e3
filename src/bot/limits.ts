import type { Redis } from 'ioredis';

/**
 * Counters of failed ownership checks: at most 5 per account (or address) in 24 hours and
 * 10 per Telegram user a day, so that the surname cannot be guessed by trying.
 */
export interface AttemptLimits {
  /** Seconds until the user may try again, or 0 if they may try now. */
  blockedFor(userId: number, target: string): Promise<number>;
  recordFailure(userId: number, target: string): Promise<void>;
  clear(userId: number, target: string): Promise<void>;
  /** A plain rate limit: true while `key` has been used fewer than `max` times in the window. */
  allow(key: string, max: number, windowSeconds: number): Promise<boolean>;
}

export const PER_TARGET = { max: 5, windowSeconds: 24 * 3600 };
export const PER_USER = { max: 10, windowSeconds: 24 * 3600 };

const keys = (userId: number, target: string) => ({ user: `lim:user:${userId}`, target: `lim:target:${target}` });

export function redisLimits(redis: Redis): AttemptLimits {
  return {
    async blockedFor(userId, target) {
      const k = keys(userId, target);
      const res = (await redis.multi().get(k.user).get(k.target).ttl(k.user).ttl(k.target).exec()) ?? [];
      const [u, t, uTtl, tTtl] = [0, 1, 2, 3].map((i) => res[i]?.[1] as string | number | null | undefined);
      const waits = [
        Number(u ?? 0) >= PER_USER.max ? Number(uTtl) : 0,
        Number(t ?? 0) >= PER_TARGET.max ? Number(tTtl) : 0,
      ];
      return Math.max(0, ...waits);
    },
    async recordFailure(userId, target) {
      const k = keys(userId, target);
      await redis
        .multi()
        .incr(k.user)
        .expire(k.user, PER_USER.windowSeconds, 'NX')
        .incr(k.target)
        .expire(k.target, PER_TARGET.windowSeconds, 'NX')
        .exec();
    },
    async clear(_userId, target) {
      await redis.del(keys(0, target).target);
    },
    async allow(key, max, windowSeconds) {
      const res = (await redis.multi().incr(`rate:${key}`).expire(`rate:${key}`, windowSeconds, 'NX').exec()) ?? [];
      return Number(res[0]?.[1] ?? 0) <= max;
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
    async recordFailure(userId, target) {
      const k = keys(userId, target);
      bump(k.user, PER_USER.windowSeconds);
      bump(k.target, PER_TARGET.windowSeconds);
    },
    async clear(_userId, target) {
      counters.delete(keys(0, target).target);
    },
    async allow(key, max, windowSeconds) {
      bump(`rate:${key}`, windowSeconds);
      return (get(`rate:${key}`)?.n ?? 0) <= max;
    },
  };
}
