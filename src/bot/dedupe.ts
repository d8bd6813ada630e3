import type { Redis } from 'ioredis';
import type { Context, NextFunction } from 'grammy';

/**
 * Each update is handled once, also when Telegram delivers it again (a webhook retry after a
 * timeout) or two instances both receive it.
 */
export function dedupeUpdates(redis: Redis | null) {
  const seen = new Map<number, number>();
  return async (ctx: Context, next: NextFunction) => {
    const id = ctx.update.update_id;
    if (redis) {
      const fresh = await redis.set(`upd:${id}`, '1', 'EX', 24 * 3600, 'NX');
      if (fresh === null) return;
    } else {
      const now = Date.now();
      if (seen.has(id)) return;
      seen.set(id, now + 3600_000);
      if (seen.size > 10_000) for (const [k, until] of seen) if (until < now) seen.delete(k);
    }
    await next();
  };
}
