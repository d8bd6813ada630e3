import type { Context, NextFunction } from 'grammy';

/**
 * Each update is handled once, also when Telegram delivers it again (a webhook retry after a
 * timeout): in memory, for the single instance without Redis. With Redis the mark is set in the
 * same command that reads the session (see redis-state.ts), so that two instances agree too.
 */
export function dedupeUpdates() {
  const seen = new Map<number, number>();
  return async (ctx: Context, next: NextFunction) => {
    const id = ctx.update.update_id;
    const now = Date.now();
    if (seen.has(id)) return;
    seen.set(id, now + 3600_000);
    if (seen.size > 10_000) for (const [k, until] of seen) if (until < now) seen.delete(k);
    await next();
  };
}
