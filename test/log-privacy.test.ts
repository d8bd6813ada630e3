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
const world = botWorld(8_700_000, () => ({ log: createLogger('trace', sink) }));

/**
 * Everything personal that the walk below gives or shows: the account (number, short number),
 * the owner's name, the address, the phone on file, a meter's serial, the e-mail typed, what the
 * resident typed. None of it may be in the log, whatever fails.
 */
const PERSONAL = [
  '002901800602302',
  '602302',
  'Михайлова',
  'МИХАЙЛОВА',
  'АЛЛА',
  'Алла',
  'Ермакова',
  'Ессентуки',
  '905 214',
  '9052145780',
  '214-57-80',
  '17356088',
  'alla.privacy@example.ru',
  'ALLA.PRIVACY',
  '61,000',
];

describe('the log at trace level, with a Bot API that refuses calls', () => {
  it('holds ids and error codes, and nothing of a payload, a text or a row', async () => {
    const kit = world.kit;
    // Edits of a message the resident deleted, and every message that shows the account, refused as Telegram would:
    // the failing call's payload holds the number, the name, the address.
    kit.api.failures.set('editMessageText', () => ({ error_code: 400, description: 'Bad Request: message to edit not found' }));
    kit.api.failures.set('sendMessage', (p) =>
      /002901800602302/.test(String(p.text)) ? { error_code: 400, description: 'Bad Request: message is too long' } : undefined,
    );
    const r = world.newResident();
    await r.say('/start');
    await r.tap(/Согласен/);
    await r.tap(/Привязать/);
    await r.tap(/По номеру/);
    for (const answer of ['002901800602302', '7', '30', 'Михайлова Алла']) await r.say(answer);
    await r.say('💰 Баланс');
    await r.say('📟 Передать показания');
    await r.say('61,000');
    await r.say('⚙️ Настройки');
    await r.say('alla.privacy@example.ru');
    await r.say('/accounts');
    kit.api.failures.clear();
    // The walk went through: the refusals were met and logged.
    const log = lines.join('');
    expect(log).toMatch(/update failed/);
    expect(log).toContain('message is too long');
    expect(log.length).toBeGreaterThan(0);
    const found = PERSONAL.filter((p) => log.toLowerCase().includes(p.toLowerCase()));
    expect(found).toEqual([]);
  });
});
