import { Redis } from 'ioredis';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../src/billing/import/index.ts';
import { createBot } from '../src/bot/create-bot.ts';
import { memoryUpdateMarks, redisUpdateMarks } from '../src/bot/dedupe.ts';
import { memoryLimits, redisLimits } from '../src/bot/limits.ts';
import { RedisJsonStore } from '../src/bot/redis-json-store.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { FIXTURE_DIR } from './support/fixture.ts';
import { ApiRecorder, BOT_INFO, createTestBot, Resident, type TestBot } from './support/telegram.ts';
import { quietDeps } from './support/quiet-deps.ts';
import { localFileStore } from '../src/files/store.ts';

let db: TestDatabase;
let kit: TestBot;
let monitor: Redis;
let nextUser = 7_100_000;
/** Commands the bot's own Redis connection sent, as MONITOR saw them (name in lower case, then arguments). */
const seen: string[][] = [];
let botAddress = '';
let markers = 0;

beforeAll(async () => {
  db = await freshDatabase();
  await importFiles(db.orm, [FIXTURE_DIR]);
  kit = await createTestBot(db.orm);
  // The address of the bot's connection, as MONITOR names the source of a command.
  const info = String(await kit.redis.client('INFO'));
  botAddress = /\baddr=(\S+)/.exec(info)![1]!;
  monitor = await new Redis('redis://127.0.0.1:6379').monitor();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === botAddress) seen.push([args[0]!.toLowerCase(), ...args.slice(1)]);
  });
});
afterAll(async () => {
  monitor?.disconnect();
  const prefix = kit.redis.options.keyPrefix!;
  const own = (await kit.redis.keys('*')).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  if (own.length) await kit.redis.del(...own);
  await kit.close();
  await db.drop();
});

/**
 * The Redis commands that `act` made the bot send: everything its connection sent between two
 * ECHO markers of its own (one connection: MONITOR sees its commands in the order they ran).
 */
async function commandsOf(act: () => Promise<unknown>): Promise<string[][]> {
  const fence = async () => {
    const marker = `fence-${++markers}`;
    await kit.redis.echo(marker);
    for (let i = 0; i < 2000 && !seen.some((c) => c[0] === 'echo' && c[1] === marker); i++) await new Promise((r) => setTimeout(r, 5));
    const at = seen.findIndex((c) => c[0] === 'echo' && c[1] === marker);
    expect(at).toBeGreaterThanOrEqual(0);
    return seen.splice(0, at + 1);
  };
  await fence();
  await act();
  return (await fence()).slice(0, -1);
}

const prefix = () => kit.redis.options.keyPrefix!;
/** A command as «name key», the key without the test's prefix and with the resident's id as <id>. */
const shape = (id: number) => (c: string[]) => {
  const key = c[1]?.startsWith(prefix())
    ? c[1]
        .slice(prefix().length)
        .replaceAll(String(id), '<id>')
        .replace(/^upd:\d+$/, 'upd:<update>')
    : undefined;
  return key ? `${c[0]} ${key}` : c[0]!;
};
const hashTag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];

async function consented() {
  const r = new Resident(kit, ++nextUser);
  await r.say('/start');
  await r.tap(/Согласен/);
  return r;
}

describe('Redis commands per update, as measured with MONITOR', () => {
  it('outside a dialogue: the dedupe mark, the dialogue state and the session read (and left as they were)', async () => {
    const r = await new Resident(kit, ++nextUser).agreeAndLink('002901800602302', '7', '30', 'Михайлова');
    const help = (await commandsOf(() => r.say('/help'))).map(shape(r.id));
    const balance = (await commandsOf(() => r.say('💰 Баланс'))).map(shape(r.id));
    console.log(`Redis commands, outside a dialogue: /help ${help.length} [${help.join(', ')}]; «Баланс» ${balance.length} [${balance.join(', ')}]`);
    // Read together (one write to Redis), each renewing its time to live: nothing changed, nothing written.
    const expected = ['getex sess:{<id>}', 'getex conv:{<id>}', 'set upd:<update>'];
    expect(help).toEqual(expected);
    expect(balance).toEqual(expected);
    expect(r.lastText()).toMatch(/Задолженность/);
  });

  it('inside a dialogue: the same, and the dialogue state written; as many at the fifth step as at the first', async () => {
    const r = await consented();
    const enter = (await commandsOf(() => r.tap(/Привязать/))).map(shape(r.id));
    const how = (await commandsOf(() => r.tap(/По номеру/))).map(shape(r.id));
    const number = (await commandsOf(() => r.say('002901800602302'))).map(shape(r.id));
    const house = (await commandsOf(() => r.say('7'))).map(shape(r.id));
    const flat = (await commandsOf(() => r.say('30'))).map(shape(r.id));
    const last = (await commandsOf(() => r.say('Михайлова'))).map(shape(r.id));
    expect(r.lastText()).toMatch(/^Лицевой счёт 002901800602302 привязан/);
    console.log(
      `Redis commands, inside a dialogue: entering ${enter.length}; a step (house, flat: typed answers) ${house.length} [${house.join(', ')}]; ` +
        `the last step ${last.length} [${last.join(', ')}]`,
    );
    const step = ['getex sess:{<id>}', 'getex conv:{<id>}', 'set upd:<update>', 'set conv:{<id>}'];
    for (const s of [how, house, flat]) expect(s).toEqual(step);
    // The limits of failed tries are billing's, in PostgreSQL: no Redis command for them. The
    // finished dialogue's state is deleted.
    expect(enter).toEqual(step);
    expect(number).toEqual(step);
    expect(last).toEqual(['getex sess:{<id>}', 'getex conv:{<id>}', 'set upd:<update>', 'del conv:{<id>}']);
  });

  it('every key is hash-tagged per resident (or per counter) and no MULTI spans two hash tags', async () => {
    const r = await consented();
    await r.say('/help');
    const all = await commandsOf(async () => {
      await r.tap(/Привязать/);
      await r.tap(/По номеру/);
      await r.say('002901800602399');
      for (const answer of ['7', '30', 'Никто']) await r.say(answer); // a failure: counted (in PostgreSQL)
      await r.say('/help');
    });
    let block: Set<string | undefined> | null = null;
    for (const c of all) {
      const key = c[1]?.startsWith(prefix()) ? c[1].slice(prefix().length) : undefined;
      if (key && !key.startsWith('upd:')) expect(hashTag(key), key).toMatch(new RegExp(`^(${r.id}|u:${r.id}|t:.+)$`));
      if (c[0] === 'multi') block = new Set();
      else if (c[0] === 'exec') {
        expect(block!.size).toBe(1);
        block = null;
      } else if (block && key) block.add(hashTag(key));
    }
  });

  it('a re-delivered update stops at its dedupe mark: the reads that went out with it, nothing more', async () => {
    const r = await consented();
    const update = {
      update_id: 93_000_000 + nextUser,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: r.id, type: 'private' as const },
        from: { id: r.id, is_bot: false, first_name: 'T' },
        text: '/help',
        entities: [{ type: 'bot_command' as const, offset: 0, length: 5 }],
      },
    };
    await kit.bot.handleUpdate(update as never);
    const again = (await commandsOf(() => kit.bot.handleUpdate(update as never))).map(shape(r.id));
    expect(again).toEqual(['getex sess:{<id>}', 'getex conv:{<id>}', 'set upd:<update>']);
    expect(kit.api.calls.filter((c) => c.payload.chat_id === r.id && c.payload.text?.startsWith('Что умеет бот'))).toHaveLength(1);
  });
});

describe('the language inside a dialogue', () => {
  it('is the resident’s at every step, also after the session was lost mid-dialogue', async () => {
    const r = await consented();
    await r.say('/settings');
    await r.press('lang:en');
    const en = (key: string) => kit.i18n.t('en', key);
    await r.press('link:start');
    expect(r.lastText()).toBe(en('link-start'));
    await r.tap(en('link-by-number'));
    expect(r.lastText()).toBe(en('link-ask-number'));
    await r.say('002901800602302');
    expect(r.lastText()).toBe(en('link-ask-house'));
    await r.sticker(); // a hint, then the question again: replayed steps
    expect(r.lastText()).toBe(en('link-ask-house'));
    // The session alone is lost: the language comes back from the database with the consent.
    await kit.redis.del(`sess:{${r.id}}`);
    await r.say('7');
    expect(r.lastText()).toBe(en('link-ask-flat'));
    await r.say('30');
    await r.say('Михайлова');
    expect(r.lastText()).toMatch(/^Personal account 002901800602302 has been linked/);
  });
});

describe('the JSON store of sessions and dialogues', () => {
  const key = () => `json:{${++nextUser}}`;

  it('renews the time to live on a read and writes only what changed', async () => {
    const store = new RedisJsonStore<{ n: number }>(kit.redis, 3600);
    const k = key();
    await kit.redis.set(k, JSON.stringify({ n: 1 }), 'EX', 60);
    const commands = await commandsOf(async () => {
      const value = (await store.read(k))!;
      await store.write(k, value); // as read: nothing sent
      value.n = 2;
      await store.write(k, value); // changed: written
      await store.write(k, value); // as written: nothing sent
    });
    expect(commands.map((c) => c[0])).toEqual(['getex', 'set']);
    expect(await kit.redis.ttl(k)).toBeGreaterThan(3500);
    expect(JSON.parse((await kit.redis.get(k))!)).toEqual({ n: 2 });

    // A delete always goes to Redis; the bot skips the one of a dialogue it read as absent (held-writes.ts, per update).
    const absent = key();
    const none = await commandsOf(async () => {
      expect(await store.read(absent)).toBeUndefined();
      await store.delete(absent);
    });
    expect(none.map((c) => c[0])).toEqual(['getex', 'del']);
    const deleted = await commandsOf(async () => {
      await store.read(k);
      await store.delete(k);
    });
    expect(deleted.map((c) => c[0])).toEqual(['getex', 'del']);
    expect(await kit.redis.exists(k)).toBe(0);
  });

  it('writes a value another instance changed after this one last saw it', async () => {
    const ours = new RedisJsonStore<{ n: number }>(kit.redis, 3600);
    const theirs = new RedisJsonStore<{ n: number }>(kit.redis, 3600);
    const k = key();
    await ours.write(k, { n: 1 });
    await theirs.read(k);
    await theirs.write(k, { n: 2 });
    // Every write follows its own read in the same update: the read learns the other's value.
    const value = (await ours.read(k))!;
    expect(value).toEqual({ n: 2 });
    await ours.write(k, { n: 1 });
    expect(JSON.parse((await kit.redis.get(k))!)).toEqual({ n: 1 });
  });

  it('an update that left its value alone does not write over what another update wrote since', async () => {
    const store = new RedisJsonStore<{ n: number }>(kit.redis, 3600);
    const k = key();
    await kit.redis.set(k, JSON.stringify({ n: 1 }));
    const groupUpdate = (await store.read(k))!; // e.g. the resident's update in a group chat
    const privateUpdate = (await store.read(k))!;
    privateUpdate.n = 2;
    await store.write(k, privateUpdate);
    const commands = await commandsOf(() => store.write(k, groupUpdate));
    expect(commands).toEqual([]);
    expect(JSON.parse((await kit.redis.get(k))!)).toEqual({ n: 2 });
  });

  it('gives a read started ahead to the next read of its key, and one never taken fails nobody', async () => {
    const store = new RedisJsonStore<{ n: number }>(kit.redis, 3600);
    const k = key();
    await kit.redis.set(k, JSON.stringify({ n: 5 }));
    const commands = await commandsOf(async () => {
      store.prefetch(k);
      store.prefetch(k); // already under way: not sent again
      expect(await store.read(k)).toEqual({ n: 5 });
      expect(await store.read(k)).toEqual({ n: 5 }); // taken: the next read asks again
    });
    expect(commands.map((c) => c[0])).toEqual(['getex', 'getex']);

    const down = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const away = new RedisJsonStore<{ n: number }>(down, 60);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      away.prefetch(k);
      away.forget(k);
      away.prefetch(`${k}:2`);
      await expect(away.read(`${k}:2`)).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      down.disconnect();
    }
  });
});

describe('update marks and attempt counters', () => {
  it('marks an update once, in Redis and in memory', async () => {
    const id = 94_000_000 + Math.floor(Math.random() * 1e6);
    const redisMarks = redisUpdateMarks(kit.redis, 60);
    expect([await redisMarks.mark(id), await redisMarks.mark(id), await redisMarks.mark(id + 1)]).toEqual([true, false, true]);
    expect(await kit.redis.ttl(`upd:${id}`)).toBeGreaterThan(50);
    let now = 0;
    const memory = memoryUpdateMarks(60, () => now);
    expect([await memory.mark(id), await memory.mark(id)]).toEqual([true, false]);
    now = 61_000;
    expect(await memory.mark(id)).toBe(true); // forgotten after its time
  });

  it('count the front doors’ rates in Redis as in memory, each key with its own expiry', async () => {
    const user = ++nextUser;
    for (const limits of [redisLimits(kit.redis), memoryLimits()]) {
      expect([await limits.allow(`x:${user}`, 2, 60), await limits.allow(`x:${user}`, 2, 60), await limits.allow(`x:${user}`, 2, 60)]).toEqual([
        true,
        true,
        false,
      ]);
      // A limit on what succeeded: asking counts nothing, each `use` counts one, on the same counter as `allow`.
      const done = `y:${user}`;
      expect([await limits.hasRoom(done, 2), await limits.hasRoom(done, 2)]).toEqual([true, true]);
      await limits.use(done, 60);
      expect(await limits.hasRoom(done, 2)).toBe(true);
      await limits.use(done, 60);
      expect(await limits.hasRoom(done, 2)).toBe(false);
      expect(await limits.allow(done, 3, 60)).toBe(true);
      expect(await limits.hasRoom(done, 3)).toBe(false);
    }
    expect(await kit.redis.ttl(`rate:{x:${user}}`)).toBeGreaterThan(0);
    expect(await kit.redis.ttl(`rate:{y:${user}}`)).toBeGreaterThan(50);
  });
});

describe('without Redis', () => {
  it('keeps sessions, dialogues and the dedupe marks in memory, with the language inside dialogues', async () => {
    const { billing, mail, renderer, log } = quietDeps(db.orm);
    const api = new ApiRecorder();
    const { bot, i18n } = createBot({
      token: '7000001:TEST-TOKEN-FOR-VITEST-ONLY-xxxxxxxx',
      botInfo: BOT_INFO,
      fetch: api.fetch,
      redis: null,
      files: localFileStore({ dir: os.tmpdir() }),
      deps: {
        billing,
        mail,
        renderer,
        jobs: {
          send: async () => {
            throw new Error('no jobs in this test');
          },
        },
        limits: memoryLimits(),
        log,
        consentVersion: 'test-1',
      },
    });
    await bot.init();
    const r = new Resident({ bot, api, runner: { drained: async () => undefined } } as unknown as TestBot, ++nextUser);
    await r.say('/start');
    await r.tap(/Согласен/);
    await r.say('/settings');
    await r.press('lang:en');
    await r.press('link:start');
    await r.tap(i18n.t('en', 'link-by-number'));
    await r.say('002901800602302');
    await r.sticker();
    expect(r.lastText()).toBe(i18n.t('en', 'link-ask-house'));
    const update = {
      update_id: 95_000_001,
      message: { message_id: 1, date: 0, chat: { id: r.id, type: 'private' as const }, from: { id: r.id, is_bot: false, first_name: 'T' }, text: '7' },
    };
    await bot.handleUpdate(update as never);
    await bot.handleUpdate(update as never); // delivered again: dropped, not taken for the flat
    expect(r.lastText()).toBe(i18n.t('en', 'link-ask-flat'));
    expect(r.messages().filter((m) => m.payload.text === i18n.t('en', 'link-ask-flat'))).toHaveLength(1);
  });
});
