import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../src/billing/import/index.ts';
import { withoutEmptyRows } from '../src/bot/create-bot.ts';
import { WEBHOOK_PATH, webhookHandler } from '../src/bot/start-bot.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { FIXTURE_DIR } from './support/fixture.ts';
import { createTestBot, Resident, type TestBot } from './support/telegram.ts';

let db: TestDatabase;
let kit: TestBot;
let nextUser = 6_000_000;

beforeAll(async () => {
  db = await freshDatabase();
  await importFiles(db.orm, [FIXTURE_DIR]);
  kit = await createTestBot(db.orm);
});
afterAll(async () => {
  await kit.close();
  await db.drop();
});

const linkedResident = () => new Resident(kit, ++nextUser).agreeAndLink('002901800602302', '7', '30', 'Михайлова');

/** Loses everything the bot keeps in Redis, as a restart without persistence does. */
async function loseRedisData() {
  const prefix = kit.redis.options.keyPrefix!;
  const keys = await kit.redis.keys('*'); // keys() patterns are prefixed by ioredis; results are not
  const own = keys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  if (own.length) await kit.redis.del(...own);
  expect(own.length).toBeGreaterThan(0);
}

describe('webhook', () => {
  it('refuses a call without the right secret token and handles one with it', async () => {
    const web = Fastify();
    web.post(WEBHOOK_PATH, webhookHandler(kit.bot, 'the-secret-token-0123') as never);
    const user = ++nextUser;
    const update = (id: number) => ({
      update_id: id,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: user, type: 'private' },
        from: { id: user, is_bot: false, first_name: 'T' },
        text: '/help',
        entities: [{ type: 'bot_command', offset: 0, length: 5 }],
      },
    });
    const missing = await web.inject({ method: 'POST', url: WEBHOOK_PATH, payload: update(91_000_001) });
    expect(missing.statusCode).toBe(401);
    const wrong = await web.inject({ method: 'POST', url: WEBHOOK_PATH, payload: update(91_000_002), headers: { 'x-telegram-bot-api-secret-token': 'nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(kit.api.calls.filter((c) => c.payload.chat_id === user)).toEqual([]);
    const right = await web.inject({
      method: 'POST',
      url: WEBHOOK_PATH,
      payload: update(91_000_003),
      headers: { 'x-telegram-bot-api-secret-token': 'the-secret-token-0123' },
    });
    expect(right.statusCode).toBe(200);
    expect(kit.api.calls.filter((c) => c.payload.chat_id === user).map((c) => c.method)).toEqual(['sendMessage']);
    await web.close();
  });
});

describe('what goes to the Bot API', () => {
  it('no inline keyboard carries an empty row, whichever screen made it', async () => {
    expect(withoutEmptyRows({ chat_id: 1, reply_markup: { inline_keyboard: [[{ text: 'a' }], []] } })).toEqual({
      chat_id: 1,
      reply_markup: { inline_keyboard: [[{ text: 'a' }]] },
    });
    const same = { chat_id: 1, reply_markup: { inline_keyboard: [[{ text: 'a' }]] } };
    expect(withoutEmptyRows(same)).toBe(same);
    // A screen whose keyboard ends with `.row()`: the inspector's reasons, one per row.
    const r = await linkedResident();
    await r.say('/inspector');
    const calls = await r.tap(/Визит контролёра/);
    const keyboards = calls.flatMap((c) => c.payload.reply_markup?.inline_keyboard ?? []);
    expect(keyboards.length).toBeGreaterThan(0);
    expect(keyboards.every((row: unknown[]) => row.length > 0)).toBe(true);
  });
});

describe('robustness', () => {
  it('handles a re-delivered update once', async () => {
    const user = ++nextUser;
    const update = {
      update_id: 92_000_001,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: user, type: 'private' as const },
        from: { id: user, is_bot: false, first_name: 'T' },
        text: '/help',
        entities: [{ type: 'bot_command' as const, offset: 0, length: 5 }],
      },
    };
    await kit.bot.handleUpdate(update as never);
    await kit.bot.handleUpdate(update as never);
    expect(kit.api.calls.filter((c) => c.payload.chat_id === user)).toHaveLength(1);
  });

  it('keeps working when Redis loses its data mid-conversation: consent comes back from the database', async () => {
    const r = await linkedResident();
    await r.say('🏠 Мои счета');
    await r.tap(/Привязать/);
    await r.tap(/По номеру/);
    await r.say('002901800602303');
    await loseRedisData();
    await r.say('7'); // the dialogue is gone: a polite answer, no crash
    expect(r.lastText()).toMatch(/Не понял сообщение/);
    expect(r.lastMenu()).toContain('💰 Баланс'); // still known as a resident who consented
    await r.say('💰 Баланс');
    expect(r.lastText()).toMatch(/Задолженность/);
  });

  it('one failing update does not stop the next ones, and the resident is told', async () => {
    const r = await linkedResident();
    const original = kit.billing.balance.ofActiveAccount;
    kit.billing.balance.ofActiveAccount = Object.assign(
      async () => {
        throw new Error('database went away');
      },
      { scope: original.scope },
    );
    try {
      await r.say('💰 Баланс');
      expect(r.lastText()).toMatch(/что-то пошло не так/);
    } finally {
      kit.billing.balance.ofActiveAccount = original;
    }
    await r.say('💰 Баланс');
    expect(r.lastText()).toMatch(/Задолженность/);
  });

  it('in a private chat, unexpected things get a polite answer', async () => {
    const r = await linkedResident();
    await r.sticker();
    expect(r.lastText()).toMatch(/Не понял сообщение/);
    const calls = await r.press('st:999999');
    expect(r.toasts(calls)).toEqual(['Эта кнопка уже не действует. Выберите действие заново.']);
  });
});

describe('what the bot says outside a dialogue', () => {
  const location = (r: Resident) =>
    r.send({
      message: {
        message_id: 1,
        date: 0,
        chat: { id: r.id, type: 'private' },
        from: { id: r.id, is_bot: false, first_name: 'T' },
        location: { latitude: 44.04, longitude: 42.86 },
      },
    } as never);

  it('a shared location is taken for a possible accident, a photo is told what it can go with', async () => {
    const r = await linkedResident();
    await location(r);
    expect(r.lastText()).toBe('Если это авария, нажмите «🚨 Сообщить об аварии»: я спрошу, что случилось, и там же попрошу отправить местоположение.');
    expect(r.lastMenu()).toContain('🚨 Сообщить об аварии');
    await r.photo('p-outside');
    expect(r.lastText()).toBe(
      [
        'Фото можно приложить:',
        '• к показаниям — нажмите «📟 Передать показания» и пришлите снимок счётчика, когда я попрошу показания;',
        '• к сообщению об аварии — нажмите «🚨 Сообщить об аварии».',
      ].join('\n'),
    );
    // Without consent both buttons are on the menu too.
    const stranger = new Resident(kit, ++nextUser);
    await stranger.say('/start');
    await stranger.tap(/Не согласен/);
    await stranger.photo('p-stranger');
    expect(stranger.lastText()).toMatch(/^Фото можно приложить:/);
    expect(stranger.lastMenu()).toEqual(expect.arrayContaining(['📟 Передать показания', '🚨 Сообщить об аварии']));
  });

  it('the consent buttons say «Согласен» / «Не согласен», with no «(на)»', async () => {
    const r = new Resident(kit, ++nextUser);
    await r.say('/start');
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['✅ Согласен', 'Не согласен']);
  });

  it('/help names everything the bot does, with its command', async () => {
    const r = await linkedResident();
    await r.say('/help');
    const help = r.lastText();
    for (const part of [
      '📟 Передать показания (/readings)',
      '💰 Баланс (/balance)',
      '🧾 Квитанция (/receipt)',
      '👷 Вызвать контролёра (/inspector) — проверка, ввод в эксплуатацию или опломбировка счётчика',
      '🚨 Сообщить об аварии (/accident)',
      '📋 Мои заявки (/requests)',
      '🔎 Долг по номеру счёта (/debt)',
      '🏠 Мои счета (/accounts)',
      '⚙️ Настройки (/settings) — язык, электронная почта',
    ])
      expect(help).toContain(part);
  });

  it('the operator button, with no operators’ group configured, says so without developer wording', async () => {
    const r = await linkedResident();
    await r.say('💬 Написать оператору');
    expect(r.lastText()).toMatch(/^Написать оператору в боте пока нельзя\. Позвоните, пожалуйста, в абонентский отдел/);
    expect(r.lastText()).not.toMatch(/функци|готовится/);
  });
});
