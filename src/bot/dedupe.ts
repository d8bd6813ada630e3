import type { Context, NextFunction } from 'grammy';
import type { Redis } from 'ioredis';
import { isOutage } from '../outage.ts';

/** Where the updates being handled are marked: `mark` is true the first time an update id is seen. */
export interface UpdateMarks {
  mark(updateId: number): Promise<boolean>;
  /** Forgets a mark: the update was not handled after all and is to be handled when it comes again. */
  unmark(updateId: number): Promise<void>;
}

const markKey = (updateId: number) => `upd:${updateId}`;

/** One `SET upd:<id> 1 NX EX <ttl>` per update, so that several instances agree too. */
export function redisUpdateMarks(redis: Redis, ttlSeconds: number): UpdateMarks {
  return {
    mark: async (updateId) => (await redis.set(markKey(updateId), '1', 'EX', ttlSeconds, 'NX')) === 'OK',
    unmark: async (updateId) => void (await redis.del(markKey(updateId))),
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
    unmark: async (updateId) => void seen.delete(updateId),
  };
}

/**
 * Each update is handled once, also when Telegram delivers it again (a webhook retry after a
 * timeout) or two instances both receive it. Installed after `sequentialize` (a copy waits behind
 * the chat's other updates before it is dropped), so that the mark goes to Redis in the same write
 * as the reads the update will need (create-bot.ts). The mark is set when
 * the update starts: one that failed half-way is not handled a second time — except when it
 * failed because PostgreSQL or Redis was unavailable: then nothing of it was kept, the mark is
 * taken back, and the update is handled when it comes again (redelivered after the webhook's
 * 5xx, or handed again by the polling loop). If Redis itself cannot set the mark, the error goes
 * up the same way and nothing was handled.
 */
export function dedupeUpdates(marks: UpdateMarks) {
  // Marks that could not be taken back (Redis went away in the middle of the update): this
  // instance lets the update through once more when it comes again.
  const owed = new Set<number>();
  return async (ctx: Context, next: NextFunction) => {
    const id = ctx.update.update_id;
    if (!owed.delete(id) && !(await marks.mark(id))) return;
    try {
      await next();
    } catch (err) {
      if (isOutage(err))
        await marks.unmark(id).catch(() => {
          if (owed.size < 10_000) owed.add(id);
        });
      throw err;
    }
  };
}
