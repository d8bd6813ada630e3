import type { StorageAdapter } from 'grammy';
import type { Redis } from 'ioredis';

/** How many keys' last known values are remembered (an update that failed leaves its key behind). */
const KNOWN_KEYS = 10_000;

/**
 * State kept in Redis as JSON under a time to live (the sessions, the dialogues), with as few
 * round trips as an update allows:
 * - a read is `GETEX … EX ttl`: it renews the time to live, so a value read and left unchanged
 *   need not be written back (grammY's session writes back every session it read);
 * - a write of the JSON just read, or a delete of a key just read as absent, sends nothing;
 * - `prefetch` starts a read ahead of time, so that two reads of one update (the session and
 *   the dialogue) leave in one write to Redis (ioredis's auto-pipelining) instead of two.
 * Every write and delete of an update follows its own read, which refreshes what is known of the
 * key: a value changed meanwhile by another instance is never mistaken for the one read.
 */
export class RedisJsonStore<T> implements StorageAdapter<T> {
  /** The JSON each key held when this instance last read or wrote it (null: absent). */
  private readonly known = new Map<string, string | null>();
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
    this.remember(key, json);
    return json === null ? undefined : (JSON.parse(json) as T);
  }

  async write(key: string, value: T) {
    const json = JSON.stringify(value);
    if (this.known.get(key) === json) return;
    await this.redis.set(key, json, 'EX', this.ttlSeconds);
    this.remember(key, json);
  }

  async delete(key: string) {
    if (this.known.has(key) && this.known.get(key) === null) return;
    await this.redis.del(key);
    this.remember(key, null);
  }

  private remember(key: string, json: string | null) {
    this.known.delete(key);
    this.known.set(key, json);
    if (this.known.size > KNOWN_KEYS) this.known.delete(this.known.keys().next().value!);
  }
}
