import type { Redis } from 'ioredis';

/**
 * The pace of everything sent first by one channel (Telegram's; the mail server's), for all instances together: a token bucket of
 * `rate` messages a second, and a pause that a 429 sets for its `retry_after` and every sender
 * keeps. With Redis both are keys there (`{notices}:bucket`, `{notices}:pause`, one hash slot);
 * without it, this process's memory (one instance).
 */
export interface Pace {
  /** Waits until this instance may send one message (no pause, a token taken). */
  take(): Promise<void>;
  /** Telegram said 429: nobody sends for `seconds`. */
  pause(seconds: number): Promise<void>;
  /** Whether a 429's pause holds now (asked again right before a send: another sender may have met one meanwhile). */
  paused(): Promise<boolean>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Returns 0 when a token was taken, else how many ms to wait (the pause's rest, or the next token).
// Redis's own clock (TIME), so instances with drifting clocks share one bucket.
const TAKE = `
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then return pause end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 60000)
return wait`;

// A longer pause is never shortened by a shorter one.
const PAUSE = `
local left = redis.call('PTTL', KEYS[1])
if left < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 0`;

/** A burst of a fifth of a second's messages: the rate is kept over any second. */
const burstOf = (rate: number) => Math.max(1, Math.floor(rate / 5));

/** `name`: whose pace — `notices` (Telegram's, the default) or `mail` (the mail server's, keys `{mail}:…`). */
export function redisPace(redis: Redis, rate: number, prefix = '', name = 'notices'): Pace {
  const keys = [`${prefix}{${name}}:bucket`, `${prefix}{${name}}:pause`];
  return {
    async take() {
      for (;;) {
        const wait = Number(await redis.eval(TAKE, 2, keys[0]!, keys[1]!, String(rate), String(burstOf(rate))));
        if (wait <= 0) return;
        await sleep(wait);
      }
    },
    async pause(seconds) {
      await redis.eval(PAUSE, 1, keys[1]!, String(Math.max(1, Math.ceil(seconds * 1000))));
    },
    async paused() {
      return (await redis.pttl(keys[1]!)) > 0;
    },
  };
}

export function memoryPace(rate: number): Pace {
  const burst = burstOf(rate);
  let tokens = burst;
  let at = Date.now();
  let pausedUntil = 0;
  return {
    async take() {
      for (;;) {
        const now = Date.now();
        if (pausedUntil > now) {
          await sleep(pausedUntil - now);
          continue;
        }
        tokens = Math.min(burst, tokens + ((now - at) * rate) / 1000);
        at = now;
        if (tokens >= 1) {
          tokens -= 1;
          return;
        }
        await sleep(Math.ceil(((1 - tokens) * 1000) / rate));
      }
    },
    async pause(seconds) {
      pausedUntil = Math.max(pausedUntil, Date.now() + seconds * 1000);
    },
    async paused() {
      return pausedUntil > Date.now();
    },
  };
}
