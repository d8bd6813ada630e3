import type { Update } from 'grammy/types';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { botWorld } from './support/bot-world.ts';

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(String(chunk));
    done();
  },
});
const world = botWorld(8_800_000, () => ({ log: createLogger('trace', sink) }));

describe('updates from nobody', () => {
  it('a channel post, a poll and an edited channel post are dropped: no call to Telegram, no error line', async () => {
    const kit = world.kit;
    const before = kit.api.calls.length;
    const junk = [
      { update_id: 97_000_001, channel_post: { message_id: 1, date: 0, chat: { id: -1009, type: 'channel', title: 'c' }, text: '/start' } },
      {
        update_id: 97_000_002,
        poll: {
          id: 'p',
          question: 'q',
          options: [],
          total_voter_count: 0,
          is_closed: false,
          is_anonymous: true,
          type: 'regular',
          allows_multiple_answers: false,
        },
      },
      { update_id: 97_000_003, edited_channel_post: { message_id: 1, date: 0, edit_date: 1, chat: { id: -1009, type: 'channel', title: 'c' }, text: 'x' } },
    ] as unknown as Update[];
    for (const u of junk) await kit.bot.handleUpdate(u);
    expect(kit.api.calls.slice(before)).toEqual([]);
    expect(lines.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
  });
});
