import { describe, expect, it } from 'vitest';
import { botWorld } from './support/bot-world.ts';
import { viaTelegram } from '../src/billing/index.ts';

const world = botWorld(5_000_000);
const newResident = () => world.newResident();

async function consented() {
  const r = newResident();
  await r.say('/start');
  await r.tap(/Согласен/);
  return r;
}

describe('/start and consent (152-ФЗ)', () => {
  it('greets, asks consent on its own screen and stores nothing before it', async () => {
    const r = newResident();
    const calls = await r.say('/start');
    expect(calls.map((c) => c.method)).toEqual(['sendMessage', 'sendMessage']);
    expect(calls[0]!.payload.text).toMatch(/Здравствуйте/);
    expect(calls[1]!.payload.text).toMatch(/152-ФЗ/);
    expect(r.lastInlineButtons().map((b) => b.callback_data)).toEqual(['consent:yes', 'consent:no']);
    expect((await world.kit.billing.residents.get({ actor: viaTelegram(r.id) })).ok).toBe(false);
  });

  it('records the consent with its version and time, then shows the main menu', async () => {
    const r = await consented();
    const resident = await world.kit.billing.residents.get({ actor: viaTelegram(r.id) });
    expect(resident).toMatchObject({ ok: true, value: { consentVersion: 'test-1', accounts: [] } });
    expect(r.lastMenu()).toContain('💰 Баланс');
    expect(r.lastText()).toMatch(/не привязан ни один лицевой счёт/);
  });

  it('declining leaves only the functions without personal data', async () => {
    const r = newResident();
    await r.say('/start');
    await r.tap(/Не согласен/);
    expect(r.lastMenu()).toEqual(['🔎 Долг по номеру счёта', '📟 Передать показания', '🚨 Сообщить об аварии', '💬 Написать оператору']);
    await r.say('💰 Баланс');
    expect(r.messages().at(-2)!.payload.text).toMatch(/нужно согласие/);
    expect((await world.kit.billing.residents.get({ actor: viaTelegram(r.id) })).ok).toBe(false);
  });
});

describe('linking an account', () => {
  it('by the 15-digit number, house, flat and surname', async () => {
    const r = await consented();
    await r.tap(/Привязать/);
    await r.tap(/По номеру/);
    expect(r.lastText()).toMatch(/15 цифр/);
    await r.say('0029 0180 0602 302');
    await r.say('7');
    await r.say('30');
    await r.say('михайлова');
    expect(r.lastText()).toBe('Лицевой счёт 002901800602302 привязан.\nАдрес: г. Ессентуки, ул. Ермакова, д. 7, кв. 30\nВладелец: Алла М.');
    const resident = await world.kit.billing.residents.get({ actor: viaTelegram(r.id) });
    expect(resident.ok && resident.value.accounts.map((a) => [a.longNumber, a.active])).toEqual([['002901800602302', true]]);
  });

  it('by address: branch, street typed and picked, house, private house, surname and PIN', async () => {
    const r = await consented();
    await r.tap(/Привязать/);
    await r.tap(/По адресу/);
    await r.tap('Железноводский «Водоканал»');
    await r.say('лесн');
    await r.tap(/ул\. Лесная/);
    await r.say('2');
    await r.tap(/Частный дом/);
    await r.say('КИРЕЕВА');
    expect(r.lastText()).toMatch(/ПИН-код/);
    await r.say('FaEGlc');
    expect(r.lastText()).toMatch(/051424000000012 привязан/);
  });

  it('answers the same whichever field was wrong, and locks after 5 failures on one account', async () => {
    const r = await consented();
    const attempt = async (surname: string) => {
      await r.press('link:start');
      await r.tap(/По номеру/);
      await r.say('002901800602303');
      await r.say('7');
      await r.say('31');
      await r.say(surname);
      return r.lastText();
    };
    for (let i = 0; i < 5; i++)
      expect(await attempt('Иванов')).toBe('Не нашли лицевой счёт с такими данными. Проверьте адрес, номер и фамилию — и попробуйте ещё раз.');
    expect(await attempt('Семёнов')).toMatch(/Слишком много неудачных попыток\. Попробуйте снова через 24 часа/);
    const resident = await world.kit.billing.residents.get({ actor: viaTelegram(r.id) });
    expect(resident.ok && resident.value.accounts).toEqual([]);
  });

  it('counts failures by the address itself, however the house and flat are spelled', async () => {
    const r = await consented();
    const attempt = async (house: string, flat: string) => {
      await r.press('link:start');
      await r.tap(/По адресу/);
      await r.tap('Ессентукский «Водоканал»');
      await r.say('пятигорская');
      await r.tap(/ул\. Пятигорская/);
      await r.say(house);
      await r.say(flat);
      await r.say('Иванова');
      return r.lastText();
    };
    const spellings: [string, string][] = [
      ['12 к2', '5'],
      ['12к2', 'ком. 5'],
      ['12 корп. 2', '5'],
      ['12К2', ' 5 '],
      ['12 к 2', '5'],
    ];
    for (const [house, flat] of spellings) expect(await attempt(house, flat)).toMatch(/^Не нашли лицевой счёт/);
    expect(await attempt('12к2', '5')).toMatch(/Слишком много неудачных попыток/);
  });

  it('repeats the step with a hint on a sticker, a photo, an edited message or a stale button', async () => {
    const r = await consented();
    await r.tap(/Привязать/);
    await r.tap(/По номеру/);
    const question = r.lastText();
    let calls = await r.sticker();
    expect(calls.map((c) => c.payload.text)).toEqual(['Пожалуйста, ответьте текстом.', question]);
    calls = await r.photo();
    expect(calls.map((c) => c.payload.text)).toEqual(['Пожалуйста, ответьте текстом.', question]);
    await r.edit('002901800602302');
    calls = await r.press('acc:del!:999');
    expect(r.toasts(calls)).toEqual(['Эта кнопка уже не действует. Выберите действие заново.']);
    calls = await r.say('абв');
    expect(calls.map((c) => c.payload.text)).toEqual([expect.stringMatching(/только цифры/), question]);
    await r.say('002901800602302');
    expect(r.lastText()).toMatch(/Номер дома/);
  });

  it('/cancel and «Отмена» leave the dialogue at any step', async () => {
    const r = await consented();
    await r.tap(/Привязать/);
    await r.tap(/По номеру/);
    await r.say('002901800602302');
    await r.say('/cancel');
    expect(r.lastText()).toBe('Действие отменено. Чем ещё помочь?');
    await r.say('7'); // no longer an answer to the dialogue
    expect(r.lastText()).toMatch(/Не понял сообщение/);
    await r.press('link:start');
    await r.say('✖️ Отмена');
    expect(r.lastText()).toBe('Действие отменено. Чем ещё помочь?');
  });
});
