import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botWorld, linkByNumber } from './support/bot-world.ts';
import { importFiles } from '../src/billing/import/index.ts';
import type { Resident, ApiCall } from './support/telegram.ts';
import { viaTelegram } from '../src/billing/index.ts';
import { STAFF } from './support/fixture.ts';

const world = botWorld(6_000_000);
const newResident = () => world.newResident();

const NBSP = '\u00a0';
const STALE = 'Эта кнопка уже не действует. Выберите действие заново.';

/** How the fixture accounts are proven in the linking dialogue (as a resident reads the receipt). */
const ACCOUNTS = {
  mikhailova: { number: '002901800602302', house: '7', flat: '30', surname: 'Михайлова', address: 'г. Ессентуки, ул. Ермакова, д. 7, кв. 30' },
  semenov: { number: '002901800602303', house: '7', flat: '31', surname: 'Семёнов', address: 'г. Ессентуки, ул. Ермакова, д. 7, кв. 31' },
  // A room: the receipt says «ком. 5», and that is what the resident types as the flat.
  vorobyova: { number: '002901800602304', house: '12 к2', flat: 'ком. 5', surname: 'Воробьёва', address: 'г. Ессентуки, ул. Пятигорская, д. 12 к2, ком. 5' },
} as const;
type Fixture = (typeof ACCOUNTS)[keyof typeof ACCOUNTS];

/** Month and year as the bot names them (the `month-name` message), and the «as of» line. */
const monthName = (month: number, year: number) => world.kit.i18n.t('ru', 'month-name', { month, year });
const asOf = (month: number, year: number) => world.kit.i18n.t('ru', 'balance-as-of', { month, year });

async function accountId(number: string): Promise<number> {
  const rows = await world.db.orm.em.fork().getConnection().execute<{ id: number }[]>('select id from account where long_number = ?', [number]);
  return Number(rows[0]!.id);
}

const detailOf = (id: number, month: string) => ({ text: '🧾 Детализация по услугам', callback_data: `sv:${id}:${month}` });
const sent = (calls: ApiCall[]) => calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText');
const texts = (calls: ApiCall[]) => sent(calls).map((c) => c.payload.text as string);
const buttonsOf = (call: ApiCall | undefined) => ((call?.payload.reply_markup?.inline_keyboard ?? []) as { text: string; callback_data: string }[][]).flat();

async function consented() {
  const r = newResident();
  await r.say('/start');
  await r.tap(/Согласен/);
  return r;
}

async function declined() {
  const r = newResident();
  await r.say('/start');
  await r.tap(/Не согласен/);
  return r;
}

const link = linkByNumber;

async function residentWith(...accounts: Fixture[]) {
  const r = await consented();
  for (const a of accounts) await link(r, a);
  return r;
}

describe('balance of the active account', () => {
  it('«💰 Баланс»: number, address, debt, what to pay and the verification date coming soon', async () => {
    const r = await residentWith(ACCOUNTS.mikhailova);
    const id = await accountId(ACCOUNTS.mikhailova.number);

    // The amount the billing service computes: the closing of October, then November's
    // charge and the payment received in November.
    const billing = await world.kit.billing.balance.get({ actor: STAFF, accountId: id });
    expect(billing).toMatchObject({ ok: true, value: { balance: 432_85 + 104_20 - 300_00, toPay: 237_05, asOfMonth: '2026-10' } });

    const calls = await r.say('💰 Баланс');
    expect(sent(calls)).toHaveLength(1);
    expect(r.lastText()).toBe(
      [
        'Лицевой счёт 002901800602302',
        'г. Ессентуки, ул. Ермакова, д. 7, кв. 30',
        '',
        'Задолженность: 237,05 ₽', // and no «К оплате» with the same figure on the next line
        asOf(10, 2026),
        '⚠️ Срок поверки счётчика истекает 10.12.2026 — через 18 дней. Позаботьтесь о поверке заранее.',
      ].join('\n'),
    );
    expect(asOf(10, 2026)).toBe('По данным на конец октября 2026 г. с учётом последующих начислений и оплат.');
    expect(r.lastInlineButtons()).toEqual([
      { text: '📊 Начисления по месяцам', callback_data: `st:${id}` },
      { text: '💳 История платежей', callback_data: `pay:${id}:0` },
      { text: '🧾 Детализация по услугам', callback_data: `sv:${id}` },
      { text: '📑 Сверка взаиморасчётов', callback_data: `rcn:${id}` },
      { text: '📈 История показаний', callback_data: `rh:${id}` },
      { text: '🔢 Счётчики', callback_data: `mt:${id}` },
      { text: '🔎 Долг по другому номеру счёта', callback_data: 'pb:start' },
    ]);
  });

  it('after consent the debt by number is reached from the balance screen and by /debt', async () => {
    const r = await residentWith(ACCOUNTS.mikhailova);
    expect(r.lastMenu()).not.toContain('🔎 Долг по номеру счёта'); // the consented menu is full
    await r.say('💰 Баланс');
    await r.tap('🔎 Долг по другому номеру счёта');
    expect(r.lastText()).toMatch(/^Введите 15-значный номер лицевого счёта/);
    await r.say('002901800602303');
    expect(r.lastText()).toMatch(/^По лицевому счёту 002901800602303:\n/);
    await r.say('/debt');
    expect(r.lastText()).toMatch(/^Введите 15-значный номер лицевого счёта/);
    await r.say('051424000000012');
    expect(r.lastText()).toMatch(/^По лицевому счёту 051424000000012:\n/);
    await r.say('/help');
    expect(r.lastText()).toContain('🔎 Долг по номеру счёта (/debt');
  });

  it('/balance answers the same', async () => {
    const r = await residentWith(ACCOUNTS.mikhailova);
    await r.say('💰 Баланс');
    const viaButton = r.lastText();
    const calls = await r.say('/balance');
    expect(texts(calls)).toEqual([viaButton]);
  });

  it('an overpayment and an expired verification', async () => {
    const r = await residentWith(ACCOUNTS.semenov);
    await r.say('/balance');
    const text = r.lastText();
    expect(text).toBe(
      [
        'Лицевой счёт 002901800602303',
        'г. Ессентуки, ул. Ермакова, д. 7, кв. 31',
        '',
        'Переплата: 470,46 ₽',
        asOf(10, 2026),
        '⚠️ Срок поверки счётчика истёк 01.10.2026. Показания такого счётчика не принимаются к расчёту: начисление идёт по среднему, а через 3 месяца — по нормативу. Вызовите контролёра или обратитесь в абонентский отдел.',
      ].join('\n'),
    );
    expect(text).not.toMatch(/К оплате|Задолженность/);
  });

  it('an account without meters is billed by the norm', async () => {
    const r = await residentWith(ACCOUNTS.vorobyova);
    await r.say('💰 Баланс');
    expect(r.lastText()).toBe(
      [
        'Лицевой счёт 002901800602304',
        'г. Ессентуки, ул. Пятигорская, д. 12 к2, ком. 5',
        '',
        'Задолженности нет.',
        'Счётчики по лицевому счёту не учитываются, начисление — по нормативу.',
      ].join('\n'),
    );
  });

  it('reading history of an account without meters says so instead of an empty choice', async () => {
    const r = await residentWith(ACCOUNTS.vorobyova);
    await r.say('💰 Баланс');
    const calls = await r.tap(/История показаний/);
    expect(texts(calls)).toEqual(['По лицевому счёту нет счётчиков, поэтому и показаний нет: начисление идёт по нормативу.']);
  });

  it('is about the active account: the one linked last, until another is made active', async () => {
    const r = await residentWith(ACCOUNTS.mikhailova, ACCOUNTS.semenov);
    await r.say('💰 Баланс');
    expect(r.lastText()).toMatch(/^Лицевой счёт 002901800602303\n/);
    await r.press(`acc:use:${await accountId(ACCOUNTS.mikhailova.number)}`);
    await r.say('💰 Баланс');
    expect(r.lastText()).toMatch(/^Лицевой счёт 002901800602302\n/);
  });

  it('without a linked account offers to link one', async () => {
    const r = await consented();
    const calls = await r.say('💰 Баланс');
    expect(texts(calls)).toEqual(['Сначала привяжите лицевой счёт.']);
    expect(r.lastInlineButtons()).toEqual([{ text: '➕ Привязать лицевой счёт', callback_data: 'link:start' }]);
    await r.tap(/Привязать/);
    expect(r.lastText()).toBe('Как найти ваш лицевой счёт?');
  });

  it('consent withdrawn elsewhere (the web fallback): asks for consent again, not to link', async () => {
    const r = await residentWith(ACCOUNTS.mikhailova);
    expect((await world.kit.billing.residents.withdrawConsent({ actor: viaTelegram(r.id) })).ok).toBe(true);
    const calls = await r.say('💰 Баланс');
    expect(texts(calls)).toEqual(['Для этого нужно согласие на обработку персональных данных.', expect.stringMatching(/152-ФЗ/)]);
    await r.tap(/Согласен/);
    await r.say('💰 Баланс');
    expect(r.lastText()).toBe('Сначала привяжите лицевой счёт.');
  });

  it('consent withdrawn elsewhere during the linking dialogue: offers the consent, then links', async () => {
    const r = await consented();
    await r.press('link:start');
    await r.tap(/По номеру/);
    await r.say(ACCOUNTS.mikhailova.number);
    expect((await world.kit.billing.residents.withdrawConsent({ actor: viaTelegram(r.id) })).ok).toBe(true);
    await r.say('7');
    await r.say('30');
    const calls = await r.say('Михайлова');
    expect(texts(calls)).toEqual(['Для этого нужно согласие на обработку персональных данных.', expect.stringMatching(/152-ФЗ/)]);
    expect(r.lastInlineButtons().map((b) => b.callback_data)).toEqual(['consent:yes', 'consent:no']);
    await r.tap(/Согласен/);
    await link(r, ACCOUNTS.mikhailova);
  });

  it('without consent asks for it and shows nothing', async () => {
    for (const r of [newResident(), await declined()]) {
      for (const ask of ['/balance', '💰 Баланс']) {
        const calls = await r.say(ask);
        expect(texts(calls)).toEqual(['Для этого нужно согласие на обработку персональных данных.', expect.stringMatching(/152-ФЗ/)]);
        expect(buttonsOf(sent(calls).at(-1)).map((b) => b.callback_data)).toEqual(['consent:yes', 'consent:no']);
      }
      expect((await world.kit.billing.residents.get({ actor: viaTelegram(r.id) })).ok).toBe(false);
    }
  });
});

describe('«📊 Начисления по месяцам»', () => {
  it('the month table, newest first, and no «← Раньше» when all months fit', async () => {
    const r = await residentWith(ACCOUNTS.mikhailova);
    await r.say('💰 Баланс');
    const calls = await r.tap('📊 Начисления по месяцам');
    expect(calls.filter((c) => c.method === 'answerCallbackQuery')).toEqual([
      { method: 'answerCallbackQuery', payload: expect.not.objectContaining({ text: expect.anything() }) },
    ]);
    expect(sent(calls)).toHaveLength(1);
    expect([monthName(10, 2026), monthName(9, 2026), monthName(8, 2026)]).toEqual(['Октябрь 2026', 'Сентябрь 2026', 'Август 2026']);
    expect(r.lastText()).toBe(
      [
        'Начисления и оплаты, ₽ (л/с 002901800602302)',
        '',
        monthName(10, 2026),
        '  на начало: 208,40 · начислено: 334,45 (4,500 м³) · в т. ч. перерасчёт: 100,00',
        '  льготы: 10,00 · оплачено: 100,00 · на конец: 432,85',
        monthName(9, 2026),
        '  на начало: 192,56 · начислено: 208,40 (4,000 м³)',
        '  льготы: 0,00 · оплачено: 192,56 · на конец: 208,40',
        monthName(8, 2026),
        '  на начало: 0,00 · начислено: 192,56 (4,000 м³)',
        '  льготы: 0,00 · оплачено: 0,00 · на конец: 192,56',
      ].join('\n'),
    );
    // The newest month of the page opens into its detail by service.
    expect(buttonsOf(sent(calls)[0])).toEqual([detailOf(await accountId(ACCOUNTS.mikhailova.number), '2026-10')]);
  });

  describe('with a longer history (10 months of statements and 11 payments for 002901800602303)', () => {
    let dir: string;
    beforeAll(async () => {
      const statement = (period: string, opening: string, charged: string, paid: string, closing: string, volume = '10', recalculation?: string) =>
        JSON.stringify({
          record: 'statement',
          account: ACCOUNTS.semenov.number,
          period,
          opening,
          charged,
          volume,
          paid,
          closing,
          ...(recalculation ? { recalculation } : {}),
        });
      const payment = (n: number, receivedOn: string, amount: string, processedOn?: string) =>
        JSON.stringify({
          record: 'payment',
          account: ACCOUNTS.semenov.number,
          ref: `S-${n}`,
          kind: 'Почта России',
          received_on: receivedOn,
          amount,
          ...(processedOn ? { processed_on: processedOn } : {}),
        });
      const lines = [
        statement('2026-01', '0', '1234.56', '0', '1234.56', '20'),
        statement('2026-02', '1234.56', '500.00', '1234.56', '500.00'),
        ...['03', '04', '05', '07', '08'].map((m) => statement(`2026-${m}`, '500.00', '500.00', '500.00', '500.00')),
        // June's charge includes a recalculation of earlier months.
        statement('2026-06', '500.00', '500.00', '500.00', '500.00', '10', '-25.50'),
        statement('2026-09', '500.00', '466.87', '1000.00', '-33.13'),
        ...Array.from({ length: 11 }, (_, i) =>
          payment(
            i + 1,
            `2026-0${1 + Math.floor(i / 2)}-${String(10 + (i % 2) * 10)}`,
            `${100 + i}.00`,
            i % 2 ? undefined : `2026-0${1 + Math.floor(i / 2)}-25`,
          ),
        ),
      ];
      dir = await mkdtemp(path.join(tmpdir(), 'bot-balance-'));
      const file = path.join(dir, 'history-semenov.jsonl');
      await writeFile(file, `${lines.join('\n')}\n`);
      const report = await importFiles(world.db.orm, [file]);
      expect(report.errors).toEqual([]);
      expect(report.committed).toBe(true);
    });
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('shows 6 months per page, pages back with «← Раньше» and forward with «Новее →» in place, with the recalculation where there was one', async () => {
      const r = await residentWith(ACCOUNTS.semenov);
      const id = await accountId(ACCOUNTS.semenov.number);
      await r.press(`st:${id}`);
      const first = r.lastText().split('\n');
      expect(first.slice(0, 2)).toEqual(['Начисления и оплаты, ₽ (л/с 002901800602303)', '']);
      const months = (lines: string[]) => lines.filter((l) => l !== '' && !l.startsWith(' ') && !l.startsWith('Начисления'));
      expect(months(first)).toEqual([10, 9, 8, 7, 6, 5].map((m) => monthName(m, 2026)));
      // A negative balance reads as an overpayment, in words.
      expect(first.slice(2, 5)).toEqual([
        monthName(10, 2026),
        '  на начало: переплата 33,13 · начислено: 0,00 (0,000 м³)',
        '  льготы: 0,00 · оплачено: 437,33 · на конец: переплата 470,46',
      ]);
      expect(r.lastText()).not.toContain('(−)');
      expect(r.lastText()).toContain(
        [monthName(6, 2026), '  на начало: 500,00 · начислено: 500,00 (10,000 м³) · в т. ч. перерасчёт: −25,50', '  льготы: 0,00'].join('\n'),
      );
      // Only the month with a recalculation says so.
      expect(r.lastText().match(/перерасчёт/g)).toHaveLength(1);
      expect(r.lastInlineButtons()).toEqual([{ text: '← Раньше', callback_data: `st:${id}:2026-05` }, detailOf(id, '2026-10')]);

      const calls = await r.tap('← Раньше');
      expect(sent(calls).map((c) => c.method)).toEqual(['editMessageText']);
      const second = r.lastText().split('\n');
      expect(months(second)).toEqual([4, 3, 2, 1].map((m) => monthName(m, 2026)));
      expect(second.slice(-3)).toEqual([
        monthName(1, 2026),
        `  на начало: 0,00 · начислено: 1${NBSP}234,56 (20,000 м³)`,
        `  льготы: 0,00 · оплачено: 0,00 · на конец: 1${NBSP}234,56`,
      ]);
      expect(buttonsOf(sent(calls)[0])).toEqual([{ text: 'Новее →', callback_data: `st:${id}:2026-11` }, detailOf(id, '2026-04')]);

      const back = await r.tap('Новее →');
      expect(sent(back).map((c) => c.method)).toEqual(['editMessageText']);
      expect(months(r.lastText().split('\n'))).toEqual([10, 9, 8, 7, 6, 5].map((m) => monthName(m, 2026)));
      expect(r.lastInlineButtons()).toEqual([{ text: '← Раньше', callback_data: `st:${id}:2026-05` }, detailOf(id, '2026-10')]);
    });

    it('pages the payment history by 10', async () => {
      const r = await residentWith(ACCOUNTS.semenov);
      const id = await accountId(ACCOUNTS.semenov.number);
      let calls = await r.press(`pay:${id}:0`);
      let rows = r.lastText().split('\n').slice(2);
      expect(rows).toHaveLength(10);
      expect(rows[0]).toBe('10.06.2026 — 110,00 ₽, Почта России (обработан 25.06.2026)');
      expect(rows[1]).toBe('20.05.2026 — 109,00 ₽, Почта России');
      expect(buttonsOf(sent(calls)[0])).toEqual([{ text: '← Ранее', callback_data: `pay:${id}:10` }]);
      calls = await r.tap('← Ранее');
      rows = r.lastText().split('\n').slice(2);
      expect(rows).toEqual(['10.01.2026 — 100,00 ₽, Почта России (обработан 25.01.2026)']);
      expect(buttonsOf(sent(calls)[0])).toEqual([]);
    });

    it('leaves the balance as it was: it starts from the latest month', async () => {
      const r = await residentWith(ACCOUNTS.semenov);
      await r.say('💰 Баланс');
      expect(r.lastText()).toContain('\nПереплата: 470,46 ₽\n');
    });
  });
});

describe('«💳 История платежей»', () => {
  it('rows newest first with the date, amount, kind and when it was processed', async () => {
    const r = await residentWith(ACCOUNTS.mikhailova);
    await r.say('💰 Баланс');
    const calls = await r.tap('💳 История платежей');
    expect(sent(calls)).toHaveLength(1);
    const lines = r.lastText().split('\n');
    expect(lines.slice(0, 2)).toEqual(['Платежи по лицевому счёту 002901800602302', '']);
    expect(lines.slice(2)).toEqual([
      '05.11.2026 — 300,00 ₽, Сбербанк Онлайн',
      '08.10.2026 — 100,00 ₽, Сбербанк Онлайн (обработан 09.10.2026)',
      '10.09.2026 — 192,56 ₽, оплата "Город" (обработан 12.09.2026)',
    ]);
    expect(buttonsOf(sent(calls)[0])).toEqual([]);
  });

  it('an account without payments says so', async () => {
    const r = await residentWith(ACCOUNTS.vorobyova);
    await r.press(`pay:${await accountId(ACCOUNTS.vorobyova.number)}:0`);
    expect(r.lastText()).toBe('Платежи по лицевому счёту 002901800602304\n\nПлатежей пока нет.');
  });
});

describe('stale buttons', () => {
  const expectStale = (r: Resident, calls: ApiCall[]) => {
    expect(r.toasts(calls)).toEqual([STALE]);
    expect(sent(calls)).toEqual([]);
  };

  it('for an account that is not the resident’s: a toast and no data', async () => {
    const r = await residentWith(ACCOUNTS.mikhailova);
    const other = await accountId(ACCOUNTS.semenov.number);
    expectStale(r, await r.press(`st:${other}`));
    expectStale(r, await r.press(`st:${other}:2026-10`));
    expectStale(r, await r.press(`pay:${other}:0`));
    expectStale(r, await r.press('st:987654'));
    expectStale(r, await r.press('pay:987654:0'));
  });

  it('for an account unlinked since the buttons were shown', async () => {
    const r = await residentWith(ACCOUNTS.mikhailova, ACCOUNTS.semenov);
    await r.say('💰 Баланс');
    const [statements, payments] = r.lastInlineButtons();
    const id = await accountId(ACCOUNTS.semenov.number);
    expect(statements!.callback_data).toBe(`st:${id}`);
    expect((await world.kit.billing.residents.unlinkAccount({ actor: viaTelegram(r.id), accountId: id })).ok).toBe(true);
    expectStale(r, await r.press(statements!.callback_data));
    expectStale(r, await r.press(payments!.callback_data));
    // The account still linked is not affected.
    await r.say('💰 Баланс');
    expect(r.lastText()).toMatch(/^Лицевой счёт 002901800602302\n/);
  });

  it('without consent the button asks for consent instead', async () => {
    const r = await declined();
    const calls = await r.press(`st:${await accountId(ACCOUNTS.mikhailova.number)}`);
    expect(texts(calls)).toEqual(['Для этого нужно согласие на обработку персональных данных.', expect.stringMatching(/152-ФЗ/)]);
    expect(calls.filter((c) => c.method === 'answerCallbackQuery')).toHaveLength(1);
  });
});

describe('«🔎 Долг по номеру счёта» without consent', () => {
  const PERSONAL = /МИХАЙЛОВА|Михайлова|Алла|СЕМЁНОВ|Семёнов|Пётр|КИРЕЕВА|Киреева|Насибхан|Ермакова|Лесная|Ессентуки|Железноводск|кв\.|д\. \d/;

  it('by the 15-digit number: the debt and the verification date, nothing personal', async () => {
    const r = await declined();
    expect(r.lastMenu()).toContain('🔎 Долг по номеру счёта');
    const all: ApiCall[] = [];
    all.push(...(await r.say('🔎 Долг по номеру счёта')));
    expect(r.lastText()).toMatch(/^Введите 15-значный номер лицевого счёта/);
    expect(r.lastInlineButtons()).toEqual([{ text: 'У меня короткий номер', callback_data: 'pb:short' }]);
    all.push(...(await r.say('0029 0180 0602 302')));
    expect(r.lastText()).toBe(
      [
        'По лицевому счёту 002901800602302:',
        'Задолженность: 237,05 ₽', // and no «К оплате» with the same figure on the next line
        asOf(10, 2026),
        '⚠️ Срок поверки счётчика истекает 10.12.2026 — через 18 дней. Позаботьтесь о поверке заранее.',
      ].join('\n'),
    );
    for (const text of texts(all)) expect(text).not.toMatch(PERSONAL);
    expect((await world.kit.billing.residents.get({ actor: viaTelegram(r.id) })).ok).toBe(false);
  });

  it('an overpayment and an expired verification, by the number', async () => {
    const r = await declined();
    await r.say('🔎 Долг по номеру счёта');
    await r.say('002901800602303');
    const text = r.lastText();
    expect(text).toMatch(/^По лицевому счёту 002901800602303:\nПереплата: 470,46 ₽\n/);
    expect(text).toContain('⚠️ Срок поверки счётчика истёк 01.10.2026.');
    expect(text).not.toMatch(PERSONAL);
  });

  it('«У меня короткий номер»: branch, short number, the 15-digit number shown, then the balance', async () => {
    const r = await declined();
    await r.say('🔎 Долг по номеру счёта');
    await r.tap('У меня короткий номер');
    expect(r.lastText()).toMatch(/^Короткий номер действует внутри водоканала/);
    expect(r.lastInlineButtons()).toEqual([
      { text: 'Ессентукский «Водоканал»', callback_data: 'pb:b:alpha' },
      { text: 'Железноводский «Водоканал»', callback_data: 'pb:b:beta' },
    ]);
    await r.tap('Ессентукский «Водоканал»');
    const calls = await r.say('602302');
    expect(texts(calls)).toEqual([
      'Ваш 15-значный номер лицевого счёта: 002901800602302',
      expect.stringMatching(/^По лицевому счёту 002901800602302:\nЗадолженность: 237,05 ₽\n/),
    ]);
    for (const text of texts(calls)) expect(text).not.toMatch(PERSONAL);
  });

  it('a short number of another branch (with a PIN there) gives its balance without asking the PIN', async () => {
    const r = await declined();
    await r.say('🔎 Долг по номеру счёта');
    await r.tap('У меня короткий номер');
    await r.tap('Железноводский «Водоканал»');
    const calls = await r.say('12');
    expect(texts(calls)).toEqual([
      'Ваш 15-значный номер лицевого счёта: 051424000000012',
      'По лицевому счёту 051424000000012:\nЗадолженности нет.\nСчётчики по лицевому счёту не учитываются, начисление — по нормативу.',
    ]);
  });

  it('an unknown short number says not found and asks again', async () => {
    const r = await declined();
    await r.say('🔎 Долг по номеру счёта');
    await r.tap('У меня короткий номер');
    await r.tap('Железноводский «Водоканал»');
    const calls = await r.say('602302'); // a number of the other branch
    expect(texts(calls)).toEqual(['Не нашли лицевой счёт с таким номером. Проверьте цифры в квитанции.', expect.stringMatching(/^Введите 15-значный номер/)]);
    await r.say('051424000000012');
    expect(r.lastText()).toMatch(/^По лицевому счёту 051424000000012:/);
  });

  it('an unknown 15-digit number says not found and offers to try again', async () => {
    const r = await declined();
    await r.say('🔎 Долг по номеру счёта');
    const calls = await r.say('002901800699999');
    expect(texts(calls)).toEqual(['Не нашли лицевой счёт с таким номером. Проверьте цифры в квитанции.']);
    expect(r.lastInlineButtons()).toEqual([{ text: 'Попробовать ещё раз', callback_data: 'pb:start' }]);
    await r.tap('Попробовать ещё раз');
    expect(r.lastText()).toMatch(/^Введите 15-значный номер/);
    await r.say('002901800602302');
    expect(r.lastText()).toMatch(/^По лицевому счёту 002901800602302:/);
  });

  it('letters get the hint and the question again', async () => {
    const r = await declined();
    await r.say('🔎 Долг по номеру счёта');
    const question = r.lastText();
    let calls = await r.say('Михайлова');
    expect(texts(calls)).toEqual(['Номер лицевого счёта — это только цифры: 15 цифр или короткий номер. Попробуйте ещё раз.', question]);
    calls = await r.say('60230');
    expect(texts(calls)).toEqual([expect.stringMatching(/только цифры/), question]);
    await r.say('002901800602302');
    expect(r.lastText()).toMatch(/^По лицевому счёту 002901800602302:/);
  });

  it('after 20 requests in an hour answers with the rate-limit message', async () => {
    const r = await declined();
    for (let i = 0; i < 20; i++) {
      await r.say('🔎 Долг по номеру счёта');
      await r.say(i % 2 ? '002901800602302' : '002901800602303');
      expect(r.lastText()).toMatch(/^По лицевому счёту 00290180060230[23]:/);
    }
    await r.say('🔎 Долг по номеру счёта');
    const calls = await r.say('002901800602302');
    expect(texts(calls)).toEqual(['Слишком много запросов за последний час. Попробуйте позже — через час лимит обновится.']);
    // Another resident is not limited by it.
    const other = await declined();
    await other.say('🔎 Долг по номеру счёта');
    await other.say('002901800602302');
    expect(other.lastText()).toMatch(/^По лицевому счёту 002901800602302:/);
  });
});
