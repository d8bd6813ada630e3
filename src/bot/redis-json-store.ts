import type { StorageAdapter } from 'grammy';
import type { Redis } from 'ioredis';

/**
 * State kept in Redis as JSON under a time to live (the sessions, the dialogues), with as few
 * round trips as an update allows:
 * - a read is `GETEX … EX ttl`: it renews the time to live, so a value read and left unchanged
 *   need not be written back (grammY's session writes back every session it read);
 * - a write of the very object a read returned, with the same JSON as it was read with, sends
 *   nothing. The JSON is kept with the object, not with the key: an update that left its value
 *   alone never writes over what another update (a group chat's, another instance's) wrote since;
 * - `prefetch` starts a read ahead of time, so that two reads of one update (the session and
 *   the dialogue) leave in one write to Redis (ioredis's auto-pipelining) instead of two.
 * A delete always goes to Redis; skipping one of a key read as absent is the caller's to know
 * (held-writes.ts does, per update).
 */
export class RedisJsonStore<T> implements StorageAdapter<T> {
  /** The JSON each value was read or written with. */
  private readonly readAs = new WeakMap<object, string>();
  private readonly ahead = new Map<string, Promise<string | null>>();

  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {}

  /** Starts reading `key`; the next `read` of it takes this answer. */
  prefetch(key: string) {
    if (this.ahead.has(key)) return;
    const pending = this.redis.getex(key, 'EX', this.ttlSeconds);
    // Redis away: the read that takes it fails with the error; one never taken is not an unhandled rejection.
    pending.catch(() => undefined);
    this.ahead.set(key, pending);
  }

  /** Drops a read started ahead and not taken (the update ended before it needed the key). */
  forget(key: string) {
    this.ahead.delete(key);
  }

  async read(key: string): Promise<T | undefined> {
    const pending = this.ahead.get(key);
    this.ahead.delete(key);
    const json = await (pending ?? this.redis.getex(key, 'EX', this.ttlSeconds));
    if (json === null) return undefined;
    const value = JSON.parse(json) as T;
    if (typeof value === 'object' && value !== null) this.readAs.set(value, json);
    return value;
  }

  async write(key: string, value: T) {
    const json = JSON.stringify(value);
    const isObject = typeof value === 'object' && value !== null;
    if (isObject && this.readAs.get(value) === json) return;
    await this.redis.set(key, json, 'EX', this.ttlSeconds);
    if (isObject) this.readAs.set(value, json);
  }

  async delete(key: string) {
    await this.redis.del(key);
  }
}
