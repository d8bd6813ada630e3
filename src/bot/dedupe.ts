import type { Context, NextFunction } from 'grammy';
import type { Redis } from 'ioredis';

/** Where the updates being handled are marked: `mark` is true the first time an update id is seen. */
export interface UpdateMarks {
  mark(updateId: number): Promise<boolean>;
}

/** One `SET upd:<id> 1 NX EX <ttl>` per update, so that several instances agree too. */
export function redisUpdateMarks(redis: Redis, ttlSeconds: number): UpdateMarks {
  return {
    mark: async (updateId) => (await redis.set(`upd:${updateId}`, '1', 'EX', ttlSeconds, 'NX')) === 'OK',
  };
}

/** In memory, for the single instance without Redis. */
export function memoryUpdateMarks(ttlSeconds: number, now: () => number = Date.now): UpdateMarks {
  const seen = new Map<number, number>();
  return {
    async mark(updateId) {
      const t = now();
      const until = seen.get(updateId);
      if (until !== undefined && until > t) return false;
      seen.set(updateId, t + ttlSeconds * 1000);
      if (seen.size > 10_000) for (const [k, u] of seen) if (u <= t) seen.delete(k);
      return true;
    },
  };
}

/**
 * Each update is handled once, also when Telegram delivers it again (a webhook retry after a
 * timeout) or two instances both receive it. Installed before `sequentialize`, so that a copy
 * is dropped at once instead of waiting behind the chat's other updates. The mark is set when
 * the update starts: one that failed half-way is not handled a second time.
 */
export function dedupeUpdates(marks: UpdateMarks) {
  return async (ctx: Context, next: NextFunction) => {
    if (await marks.mark(ctx.update.update_id)) await next();
  };
}
