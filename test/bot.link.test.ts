import { describe, expect, it } from 'vitest';
import { botWorld } from './support/bot-world.ts';
import { viaTelegram } from '../src/billing/index.ts';
import { NOW } from './support/fixture.ts';

const world = botWorld(5_000_000);

const ALL_PHONES = 'Ессентукский «Водоканал» — (87934) 6-66-82; Железноводский «Водоканал» — (87932) 4-21-11';

/** The lockout, with the time a day from now (billing's clock, pinned in tests) on Moscow's clock (UTC+3) and whom to call. */
function expectLockout(text: string, phones: string) {
  const m =
    /^Слишком много неудачных попыток\. Попробовать снова можно (\d\d)\.(\d\d)\.(\d{4}) после (\d\d):(\d\d)\.\nЕсли данные верные, позвоните в абонентский отдел: (.+)\.$/.exec(
      text,
    );
  expect(m, text).not.toBeNull();
  const [, d, mo, y, h, mi, said] = m!;
  const at = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h) - 3, Number(mi));
  expect(Math.abs(at - (NOW.getTime() + 24 * 3600_000))).toBeLessThan(3 * 60_000);
  expect(said).toBe(phones);
}
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

  it('takes the full name as the receipt prints it, its first word being the surname; any other order is a plain failure', async () => {
    const r = await consented();
    const attempt = async (name: string) => {
      await r.press('link:start');
      await r.tap(/По номеру/);
      for (const answer of ['002901800602304', '12 к2', '5', name]) await r.say(answer);
      return r.lastText();
    };
    expect(await attempt('Алла Воробьёва')).toBe('Не нашли лицевой счёт с такими данными. Проверьте адрес, номер и фамилию — и попробуйте ещё раз.');
    expect(await attempt('Воробьева  Ольга Юрьевна')).toMatch(/^Лицевой счёт 002901800602304 привязан/);
    const resident = await world.kit.billing.residents.get({ actor: viaTelegram(r.id) });
    expect(resident.ok && resident.value.accounts.map((a) => a.longNumber)).toEqual(['002901800602304']);
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

  it('by address, the street typed with a typo', async () => {
    const r = await consented();
    await r.tap(/Привязать/);
    await r.tap(/По адресу/);
    await r.tap('Ессентукский «Водоканал»');
    await r.say('Ермокова');
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['ул. Ермакова (г. Ессентуки)', 'Другая улица']);
    await r.tap(/ул\. Ермакова/);
    for (const answer of ['7', '30', 'Михайлова']) await r.say(answer);
    expect(r.lastText()).toMatch(/^Лицевой счёт 002901800602302 привязан/);
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
    // The sixth try is stopped as soon as the number is known: no house, flat or surname is asked.
    await r.press('link:start');
    await r.tap(/По номеру/);
    const calls = await r.say('002901800602303');
    expect(calls.filter((c) => c.method === 'sendMessage').map((c) => c.payload.text)).toEqual([expect.stringMatching(/^Слишком много/)]);
    expectLockout(r.lastText(), ALL_PHONES);
    await r.say('7');
    expect(r.lastText()).toMatch(/Не понял сообщение/);
    const resident = await world.kit.billing.residents.get({ actor: viaTelegram(r.id) });
    expect(resident.ok && resident.value.accounts).toEqual([]);
  });

  it('a resident locked out (ten failures a day) is told so, with until when and the phones, before the first question', async () => {
    const r = await consented();
    const fail = async (number: string) => {
      await r.press('link:start');
      await r.tap(/По номеру/);
      for (const answer of [number, '7', '99', 'Иванов']) await r.say(answer);
      expect(r.lastText()).toMatch(/^Не нашли лицевой счёт/);
    };
    // Five tries on each of two numbers (no more than five on one, see above): ten of this user.
    for (let i = 0; i < 5; i++) await fail('009900000000001');
    for (let i = 0; i < 5; i++) await fail('009900000000002');
    const calls = await r.press('link:start');
    const sent = calls.filter((c) => c.method === 'sendMessage');
    expect(sent).toHaveLength(1);
    expectLockout(sent[0]!.payload.text, ALL_PHONES);
    // Readings by number count the same tries: stopped before the number is asked.
    const readings = await r.say('/readings');
    expect(readings.filter((c) => c.method === 'sendMessage').map((c) => c.payload.text)).toEqual([expect.stringMatching(/^Слишком много/)]);
    // Whoever is not locked out is asked as usual.
    const other = await consented();
    await other.press('link:start');
    expect(other.lastText()).toBe('Как найти ваш лицевой счёт?');
  });

  it("a locked address is told before the surname, with its branch's phone", async () => {
    const r = await consented();
    const attempt = async () => {
      await r.press('link:start');
      await r.tap(/По адресу/);
      await r.tap('Железноводский «Водоканал»');
      await r.say('лесная');
      await r.tap(/ул\. Лесная/);
      await r.say('2');
      return r.tap(/Частный дом/);
    };
    for (let i = 0; i < 5; i++) {
      await attempt();
      await r.say('Петрова');
      expect(r.lastText()).toMatch(/ПИН-код/);
      await r.say('000000');
      expect(r.lastText()).toMatch(/^Не нашли лицевой счёт/);
    }
    await attempt();
    expectLockout(r.lastText(), '(87932) 4-21-11');
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
    await attempt('12к2', '5');
    expectLockout(r.messages().at(-2)!.payload.text, '(87934) 6-66-82');
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
