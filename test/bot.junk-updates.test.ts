import { Writable } from 'node:stream';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTelegramShape } from '../src/bot/update-shape.ts';
import { createLogger } from '../src/logger.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { createTestBot, type TestBot } from './support/telegram.ts';

let db: TestDatabase;
let kit: TestBot;
const lines: { level: number; msg: string }[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l));
    done();
  },
});

beforeAll(async () => {
  db = await freshDatabase();
  kit = await createTestBot(db.orm, { log: createLogger('info', sink) });
});
afterAll(async () => {
  await kit.close();
  await db.drop();
});

let updateId = 88_000_000;
const user = { id: 6_880_001, is_bot: false, first_name: 'T' };
const chat = { id: user.id, type: 'private', first_name: 'T' };
const message = (extra: Record<string, unknown>) => ({ message_id: 1, date: 0, chat, from: user, ...extra });

// Bodies Telegram never sends (found by npm run fuzz): each used to end in an error line.
const JUNK: Record<string, unknown>[] = [
  { message: message({ text: 123 }) },
  { message: message({ text: ['a'] }) },
  { message: message({ from: 'x', text: '/help' }) },
  { message: message({ chat: { id: null, type: 'private' }, text: '/help' }) },
  { message: message({ chat: { id: 'abc', type: 'private' }, text: '/help' }) },
  { message: message({ entities: 'x', text: '/start' }) },
  { message: message({ photo: 'x' }) },
  { message: 'text' },
  { message: null },
  { callback_query: { id: 7, from: user, data: {} } },
  { callback_query: { id: null, from: user, data: 5 } },
];

describe('junk updates (found by npm run fuzz)', () => {
  it('are told from real ones', () => {
    for (const junk of JUNK) expect(hasTelegramShape({ update_id: 1, ...junk } as unknown as Update), JSON.stringify(junk)).toBe(false);
    const real = [
      { message: message({ text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] }) },
      { message: message({ sticker: { file_id: 's', file_unique_id: 'u' } }) },
      { message: { message_id: 1, date: 0, chat: { id: -100, type: 'channel', title: 'c' }, text: 'x' } },
      { callback_query: { id: '1', from: user, chat_instance: '1', data: 'consent:yes' } },
      { inline_query: { id: '1', from: user, query: '' } },
    ];
    for (const u of real) expect(hasTelegramShape({ update_id: 1, ...u } as unknown as Update), JSON.stringify(u)).toBe(true);
  });

  it('are ignored with a warning by update id, not an error, and nothing is sent for them', async () => {
    lines.length = 0;
    const before = kit.api.calls.length;
    for (const junk of JUNK) await kit.bot.handleUpdate({ update_id: ++updateId, ...junk } as unknown as Update);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.filter((l) => l.msg === 'bot: an update not in the Bot API’s shape was ignored')).toHaveLength(JUNK.length);
    expect(kit.api.calls.slice(before).map((c) => c.method)).toEqual([]);
  });

  it('a press without its message (an inline message, or forged) is answered all the same', async () => {
    const before = kit.api.calls.length;
    for (const data of ['pb:start', 'consent:yes', 'acc:list:914778', 'nonsense']) {
      await kit.bot.handleUpdate({ update_id: ++updateId, callback_query: { id: `q-${data}`, from: user, chat_instance: '1', data } } as unknown as Update);
    }
    const answered = kit.api.calls
      .slice(before)
      .filter((c) => c.method === 'answerCallbackQuery')
      .map((c) => c.payload.callback_query_id);
    expect(answered).toEqual(['q-pb:start', 'q-consent:yes', 'q-acc:list:914778', 'q-nonsense']);
  });

  it.each(['/readings', '/accident', '/inspector', '/debt', '/operator', '/settings'])(
    'a press of a kind of button the bot has none of (a game) is answered, also inside a dialogue (after %s)',
    async (command) => {
      await kit.bot.handleUpdate({
        update_id: ++updateId,
        message: message({ text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] }),
      } as unknown as Update);
      await kit.bot.handleUpdate({
        update_id: ++updateId,
        message: message({ text: command, entities: [{ type: 'bot_command', offset: 0, length: command.length }] }),
      } as unknown as Update);
      const before = kit.api.calls.length;
      await kit.bot.handleUpdate({
        update_id: ++updateId,
        callback_query: {
          id: `q-game${updateId}`,
          from: user,
          chat_instance: '1',
          message: { message_id: 5, date: 0, chat, text: 'old' },
          game_short_name: 'g',
        },
      } as unknown as Update);
      const answered = kit.api.calls
        .slice(before)
        .filter((c) => c.method === 'answerCallbackQuery')
        .map((c) => c.payload.callback_query_id);
      expect(answered).toEqual([`q-game${updateId}`]);
    },
  );
});
