import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { botWorld, linkByNumber } from './support/bot-world.ts';
import type { Resident, ApiCall } from './support/telegram.ts';
import { viaTelegram } from '../src/billing/index.ts';

const world = botWorld(7_000_000);
const newResident = () => world.newResident();

const STALE = 'Эта кнопка уже не действует. Выберите действие заново.';
const FULL_MENU = [
  '📟 Передать показания',
  '💰 Баланс',
  '🧾 Квитанция',
  '👷 Вызвать контролёра',
  '🚨 Сообщить об аварии',
  '💬 Написать оператору',
  '🏠 Мои счета',
  '📋 Мои заявки',
  '⚙️ Настройки',
];
const REDUCED_MENU = ['🔎 Долг по номеру счёта', '📟 Передать показания', '🚨 Сообщить об аварии', '💬 Написать оператору'];

const ACCOUNTS = {
  mikhailova: { number: '002901800602302', house: '7', flat: '30', surname: 'Михайлова', address: 'г. Ессентуки, ул. Ермакова, д. 7, кв. 30' },
  semenov: { number: '002901800602303', house: '7', flat: '31', surname: 'Семёнов', address: 'г. Ессентуки, ул. Ермакова, д. 7, кв. 31' },
} as const;

const sql = <T>(query: string, params: unknown[] = []) => world.db.orm.em.fork().getConnection().execute<T[]>(query, params);

async function accountId(number: string): Promise<number> {
  const [row] = await sql<{ id: number }>('select id from account where long_number = ?', [number]);
  return Number(row!.id);
}

const sent = (calls: ApiCall[]) => calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText');
const texts = (calls: ApiCall[]) => sent(calls).map((c) => c.payload.text as string);

async function consented() {
  const r = newResident();
  await r.say('/start');
  await r.tap(/Согласен/);
  return r;
}

const link = linkByNumber;

async function linkedNumbers(r: Resident) {
  const resident = await world.kit.billing.residents.get({ actor: viaTelegram(r.id) });
  return resident.ok ? resident.value.accounts.map((a) => [a.longNumber, a.active]) : resident.error.code;
}

describe('«🏠 Мои счета»', () => {
  it('lists the linked account with ✅ for the active one', async () => {
    const r = await consented();
    await link(r, ACCOUNTS.mikhailova);
    const id = await accountId(ACCOUNTS.mikhailova.number);
    const calls = await r.say('🏠 Мои счета');
    expect(texts(calls)).toEqual([`Ваши лицевые счета:\n\n✅ 002901800602302 — ${ACCOUNTS.mikhailova.address}`]);
    expect(r.lastInlineButtons()).toEqual([
      { text: '📄 Карточка счёта 002901800602302', callback_data: `acc:card:${id}` },
      { text: 'Отвязать 002901800602302', callback_data: `acc:del:${id}` },
      { text: '➕ Привязать лицевой счёт', callback_data: 'link:start' },
    ]);
    expect(texts(await r.say('/accounts'))).toEqual(texts(calls));
  });

  it('«📄 Карточка счёта» opens the card of Алла’s account in place, and «← Назад» returns to the list', async () => {
    const r = await consented();
    await link(r, ACCOUNTS.mikhailova);
    await r.say('🏠 Мои счета');
    const calls = await r.tap('📄 Карточка счёта 002901800602302');
    expect(r.toasts(calls)).toEqual([]);
    expect(sent(calls).map((c) => c.method)).toEqual(['editMessageText']);
    expect(r.lastText()).toBe(
      [
        'Лицевой счёт 002901800602302',
        'Владелец: Алла М.',
        `Адрес: ${ACCOUNTS.mikhailova.address}`,
        'Проживает: 1 чел.',
        'Площадь: 73,50 м²',
        'Телефон: +7 *** ***-57-80',
        'Эл. почта: не указана',
        '',
        'Нормативы потребления на человека в месяц:',
        'Многоквартирный дом с централизованным ХВС, водоотведением, ванной и душем',
        '• Холодная вода (ХВС): 3,700 м³',
        '• Водоотведение: 6,600 м³',
        '',
        'Вас обслуживает Ессентукский «Водоканал»',
        'Адрес: 357600, г. Ессентуки, ул. Ермакова, д. 75А',
        'Часы работы: Пн–Пт 8:00–17:00',
        'Телефоны: (87934) 6-66-82',
        'Аварийная служба, круглосуточно: (87934) 6-34-00',
        'Эл. почта: ess@vodokanal.example',
      ].join('\n'),
    );
    // Neither the full name nor the phone on file reaches the chat.
    expect(JSON.stringify(calls)).not.toMatch(/МИХАЙЛОВА|Михайловна|905|214-57/);
    expect(r.lastInlineButtons()).toEqual([{ text: '← Назад', callback_data: 'acc:list' }]);
    await r.tap('← Назад');
    expect(r.lastText()).toBe(`Ваши лицевые счета:\n\n✅ 002901800602302 — ${ACCOUNTS.mikhailova.address}`);
  });

  it('the card in English, and of an account with nothing on file', async () => {
    const r = await consented();
    await link(r, { number: '002901800602304', house: '12 к2', flat: '5', surname: 'Воробьёва' });
    const id = await accountId('002901800602304');
    await r.say('⚙️ Настройки');
    await r.tap('🌐 Язык: Русский');
    await r.tap('English');
    await r.press(`acc:card:${id}`);
    const text = r.lastText();
    expect(text).toMatch(/^Personal account 002901800602304\nAccount holder: Ольга Ю\.\n/);
    expect(text).toContain('Residents: 2\nArea: 18,20 m²\nPhone: not on file\nE-mail: not on file\n\nYour water utility: Ессентукский «Водоканал»');
    expect(text).not.toMatch(/norms/);
  });

  it('with nothing linked offers to link', async () => {
    const r = await consented();
    await r.say('🏠 Мои счета');
    expect(r.lastText()).toBe('К вам пока не привязан ни один лицевой счёт.');
    expect(r.lastInlineButtons()).toEqual([{ text: '➕ Привязать лицевой счёт', callback_data: 'link:start' }]);
  });

  it('without consent asks for it', async () => {
    const r = newResident();
    await r.say('/start');
    await r.tap(/Не согласен/);
    const calls = await r.say('🏠 Мои счета');
    expect(texts(calls)).toEqual(['Для этого нужно согласие на обработку персональных данных.', expect.stringMatching(/152-ФЗ/)]);
  });

  it('a second account, switching, unlinking with confirmation, and the stale confirm button', async () => {
    const r = await consented();
    await link(r, ACCOUNTS.mikhailova);
    const first = await accountId(ACCOUNTS.mikhailova.number);
    const second = await accountId(ACCOUNTS.semenov.number);

    // Linking a second account from the list makes it the active one.
    await r.say('🏠 Мои счета');
    await link(r, ACCOUNTS.semenov, () => r.tap('➕ Привязать лицевой счёт'));
    expect(r.lastMenu()).toEqual(FULL_MENU);
    expect(await linkedNumbers(r)).toEqual([
      ['002901800602303', true],
      ['002901800602302', false],
    ]);
    await r.say('🏠 Мои счета');
    expect(r.lastText()).toBe(`Ваши лицевые счета:\n\n✅ 002901800602303 — ${ACCOUNTS.semenov.address}\n▫️ 002901800602302 — ${ACCOUNTS.mikhailova.address}`);
    expect(r.lastInlineButtons()).toEqual([
      { text: '📄 Карточка счёта 002901800602303', callback_data: `acc:card:${second}` },
      { text: 'Отвязать 002901800602303', callback_data: `acc:del:${second}` },
      { text: '📄 Карточка счёта 002901800602302', callback_data: `acc:card:${first}` },
      { text: 'Сделать основным: 002901800602302', callback_data: `acc:use:${first}` },
      { text: 'Отвязать 002901800602302', callback_data: `acc:del:${first}` },
      { text: '➕ Привязать лицевой счёт', callback_data: 'link:start' },
    ]);

    // «Сделать основным» switches, says so in a toast and redraws the list in place.
    let calls = await r.tap('Сделать основным: 002901800602302');
    expect(r.toasts(calls)).toEqual(['Основной лицевой счёт: 002901800602302.']);
    expect(sent(calls).map((c) => c.method)).toEqual(['editMessageText']);
    expect(r.lastText()).toBe(`Ваши лицевые счета:\n\n✅ 002901800602302 — ${ACCOUNTS.mikhailova.address}\n▫️ 002901800602303 — ${ACCOUNTS.semenov.address}`);
    expect(await linkedNumbers(r)).toEqual([
      ['002901800602302', true],
      ['002901800602303', false],
    ]);
    await r.say('💰 Баланс');
    expect(r.lastText()).toMatch(/^Лицевой счёт 002901800602302\n/);

    // «Отвязать» asks first; «← Назад» keeps the account.
    await r.say('🏠 Мои счета');
    calls = await r.tap('Отвязать 002901800602302');
    expect(r.toasts(calls)).toEqual([]);
    expect(sent(calls).map((c) => c.method)).toEqual(['editMessageText']);
    expect(r.lastText()).toBe(
      `Отвязать лицевой счёт 002901800602302 (${ACCOUNTS.mikhailova.address})? Данные счёта в водоканале не изменятся, снова привязать его можно в любой момент.`,
    );
    expect(r.lastInlineButtons()).toEqual([
      { text: 'Да, отвязать', callback_data: `acc:del!:${first}` },
      { text: '← Назад', callback_data: 'acc:list' },
    ]);
    await r.tap('← Назад');
    expect(r.lastText()).toMatch(/^Ваши лицевые счета:\n\n✅ 002901800602302 — .*\n▫️ 002901800602303 — /);
    expect(await linkedNumbers(r)).toEqual([
      ['002901800602302', true],
      ['002901800602303', false],
    ]);

    // «Да, отвязать» removes it; the other account becomes the active one.
    await r.tap('Отвязать 002901800602302');
    calls = await r.tap('Да, отвязать');
    expect(r.toasts(calls)).toEqual(['Лицевой счёт 002901800602302 отвязан.']);
    expect(r.lastText()).toBe(`Ваши лицевые счета:\n\n✅ 002901800602303 — ${ACCOUNTS.semenov.address}`);
    expect(await linkedNumbers(r)).toEqual([['002901800602303', true]]);
    await r.say('💰 Баланс');
    expect(r.lastText()).toMatch(/^Лицевой счёт 002901800602303\n/);

    // The confirm button, pressed again, and the other buttons about the unlinked account are stale.
    for (const data of [`acc:del!:${first}`, `acc:del:${first}`, `acc:use:${first}`, `acc:card:${first}`, `st:${first}`, `pay:${first}:0`]) {
      calls = await r.press(data);
      expect(r.toasts(calls), data).toEqual([STALE]);
      expect(sent(calls), data).toEqual([]);
    }
    expect(await linkedNumbers(r)).toEqual([['002901800602303', true]]);

    // Unlinking the last one leaves the offer to link.
    await r.say('🏠 Мои счета');
    await r.tap('Отвязать 002901800602303');
    await r.tap('Да, отвязать');
    expect(r.lastText()).toBe('К вам пока не привязан ни один лицевой счёт.');
    expect(await linkedNumbers(r)).toEqual([]);
    await r.say('💰 Баланс');
    expect(r.lastText()).toBe('Сначала привяжите лицевой счёт.');
  });

  it('linking an account already linked makes it active again', async () => {
    const r = await consented();
    await link(r, ACCOUNTS.mikhailova);
    await link(r, ACCOUNTS.semenov);
    await r.press('link:start');
    await r.tap(/По номеру/);
    for (const answer of [ACCOUNTS.mikhailova.number, '7', '30', 'МИХАЙЛОВА']) await r.say(answer);
    expect(r.lastText()).toBe('Этот лицевой счёт уже привязан: 002901800602302. Сделали его основным.');
    expect(await linkedNumbers(r)).toEqual([
      ['002901800602302', true],
      ['002901800602303', false],
    ]);
  });

  it('consent withdrawn elsewhere (the web fallback): a list button asks for consent again', async () => {
    const r = await consented();
    await link(r, ACCOUNTS.mikhailova);
    const id = await accountId(ACCOUNTS.mikhailova.number);
    await r.say('🏠 Мои счета');
    await r.tap('Отвязать 002901800602302');
    expect((await world.kit.billing.residents.withdrawConsent({ actor: viaTelegram(r.id) })).ok).toBe(true);
    let calls = await r.tap('← Назад');
    expect(texts(calls)).toEqual(['Для этого нужно согласие на обработку персональных данных.', expect.stringMatching(/152-ФЗ/)]);
    expect(r.lastInlineButtons().map((b) => b.callback_data)).toEqual(['consent:yes', 'consent:no']);
    calls = await r.press(`acc:del!:${id}`);
    expect(texts(calls)).toEqual(['Для этого нужно согласие на обработку персональных данных.', expect.stringMatching(/152-ФЗ/)]);
    // The session has caught up: /start offers the consent again, with the reduced menu.
    await r.say('/start');
    expect(r.lastMenu()).toEqual(REDUCED_MENU);
    expect(r.lastInlineButtons().map((b) => b.callback_data)).toEqual(['consent:yes', 'consent:no']);
  });

  it('another resident’s account ids are stale buttons', async () => {
    const owner = await consented();
    await link(owner, ACCOUNTS.mikhailova);
    const stranger = await consented();
    const id = await accountId(ACCOUNTS.mikhailova.number);
    for (const data of [`acc:use:${id}`, `acc:card:${id}`, `acc:del:${id}`, `acc:del!:${id}`]) {
      const calls = await stranger.press(data);
      expect(stranger.toasts(calls), data).toEqual([STALE]);
      expect(sent(calls), data).toEqual([]);
    }
    expect(await linkedNumbers(owner)).toEqual([['002901800602302', true]]);
  });
});

describe('settings', () => {
  it('switching the language to English: the next replies are English, and back', async () => {
    const r = await consented();
    await link(r, ACCOUNTS.mikhailova);
    await r.say('⚙️ Настройки');
    expect(r.lastText()).toBe('Настройки');
    expect(r.lastInlineButtons().map((b) => b.callback_data)).toEqual(['set:lang', 'set:email', 'set:phone', 'set:rmd', 'set:withdraw']);
    await r.tap('🌐 Язык: Русский');
    expect(r.lastInlineButtons()).toEqual([
      { text: 'Русский', callback_data: 'lang:ru' },
      { text: 'English', callback_data: 'lang:en' },
    ]);

    const en = (key: string, vars?: Record<string, string | number>) => world.kit.i18n.t('en', key, vars);
    let calls = await r.tap('English');
    expect(texts(calls)).toEqual([en('language-set')]);
    expect(r.lastMenu()).toEqual(
      [
        'menu-readings',
        'menu-balance',
        'menu-receipt',
        'menu-inspector',
        'menu-accident',
        'menu-operator',
        'menu-accounts',
        'menu-requests',
        'menu-settings',
      ].map((k) => en(k)),
    );
    expect(await world.kit.billing.residents.get({ actor: viaTelegram(r.id) })).toMatchObject({ ok: true, value: { language: 'en' } });

    calls = await r.say('/help');
    expect(texts(calls)).toEqual([en('help')]);
    calls = await r.say(en('menu-accounts'));
    expect(texts(calls)[0]).toMatch(new RegExp(`^${escapeRegExp(en('accounts-list'))}\\n\\n✅ 002901800602302 — `));
    calls = await r.press('link:start'); // inside a dialogue too
    expect(texts(calls)).toEqual([en('link-start')]);
    calls = await r.say('/cancel');
    expect(texts(calls)).toEqual([en('cancelled')]);

    await r.say(en('menu-settings'));
    await r.press('set:lang');
    calls = await r.tap('Русский');
    expect(texts(calls)).toEqual(['Язык: русский.']);
    expect(r.lastMenu()).toEqual(FULL_MENU);
    calls = await r.say('/help');
    expect(texts(calls)[0]).toMatch(/^Что умеет бот:/);
  });

  it('without consent the language is kept in the session only', async () => {
    const r = newResident();
    await r.say('/start');
    await r.tap(/Не согласен/);
    await r.say('/settings');
    expect(r.lastInlineButtons().map((b) => b.callback_data)).toEqual(['set:lang']);
    const calls = await r.press('lang:en');
    expect(texts(calls)).toEqual([world.kit.i18n.t('en', 'language-set')]);
    expect(r.lastMenu()).toEqual(['menu-public-balance', 'menu-readings', 'menu-accident', 'menu-operator'].map((k) => world.kit.i18n.t('en', k)));
    expect((await world.kit.billing.residents.get({ actor: viaTelegram(r.id) })).ok).toBe(false);
  });

  it('withdrawing consent: «← Назад» keeps everything; confirming deletes the resident and the links', async () => {
    const r = await consented();
    await link(r, ACCOUNTS.mikhailova);
    await link(r, ACCOUNTS.semenov);
    const [row] = await sql<{ id: number }>('select id from resident where telegram_id = ?', [r.id]);
    const residentId = Number(row!.id);
    const links = async () => Number((await sql<{ n: string }>('select count(*) as n from account_link where resident_id = ?', [residentId]))[0]!.n);
    expect(await links()).toBe(2);

    await r.say('⚙️ Настройки');
    await r.tap('Отозвать согласие на обработку данных');
    expect(r.lastText()).toMatch(/^Отозвать согласие\? Мы удалим привязку лицевых счетов/);
    let calls = await r.tap('← Назад');
    expect(calls.map((c) => c.method)).toEqual(['answerCallbackQuery', 'deleteMessage']);
    expect(await links()).toBe(2);

    await r.press('set:withdraw');
    calls = await r.tap('Да, отозвать и удалить');
    expect(texts(calls)).toEqual(['Согласие отозвано, ваши данные в боте удалены. Справка о задолженности по номеру счёта по-прежнему доступна.']);
    expect(r.lastMenu()).toEqual(REDUCED_MENU);
    expect(await world.kit.billing.residents.get({ actor: viaTelegram(r.id) })).toEqual({ ok: false, error: { code: 'resident_not_found' } });
    expect(await links()).toBe(0);
    expect(await sql('select id from resident where id = ?', [residentId])).toEqual([]);

    // Nothing personal is reachable any more; the public lookup still is.
    calls = await r.say('💰 Баланс');
    expect(texts(calls)[0]).toBe('Для этого нужно согласие на обработку персональных данных.');
    calls = await r.press(`st:${await accountId(ACCOUNTS.mikhailova.number)}`);
    expect(texts(calls).join('\n')).not.toMatch(/Начисления и оплаты/);
    await r.say('🔎 Долг по номеру счёта');
    await r.say(ACCOUNTS.mikhailova.number);
    expect(r.lastText()).toMatch(/^По лицевому счёту 002901800602302:\nЗадолженность: 237,05 ₽/);

    // Agreeing again starts from nothing.
    await r.say('/start');
    await r.tap(/Согласен/);
    expect(await linkedNumbers(r)).toEqual([]);
  });
});

/** Someone writing in a group the bot is a member of. */
class GroupMember {
  private static messageId = 9_000_000;
  private static updateId = 3_000_000_000; // above the ids the Resident helper uses
  constructor(
    readonly userId: number,
    readonly chat: { id: number; type: 'group' | 'supergroup'; title: string },
  ) {}

  async send(message: Record<string, unknown>): Promise<ApiCall[]> {
    const before = world.kit.api.calls.length;
    const from = { id: this.userId, is_bot: false, first_name: 'Тест', language_code: 'ru' };
    await world.kit.bot.handleUpdate({
      update_id: ++GroupMember.updateId,
      message: { message_id: ++GroupMember.messageId, date: 0, chat: this.chat, from, ...message },
    } as unknown as Update);
    return world.kit.api.calls.slice(before);
  }

  say(text: string) {
    const command = text.startsWith('/') ? text.split(' ')[0]! : null;
    return this.send({ text, ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command.length }] } : {}) });
  }
}

describe('group chats', () => {
  const PRIVATE_ONLY = 'Я работаю с лицевыми счетами только в личных сообщениях — напишите мне напрямую.';

  it('a command gets only «напишите мне в личные сообщения», and nothing personal', async () => {
    const r = await consented();
    await link(r, ACCOUNTS.mikhailova);
    const groups = [
      new GroupMember(r.id, { id: -1001234567890, type: 'supergroup', title: 'Дом 7' }),
      new GroupMember(r.id, { id: -4242, type: 'group', title: 'Соседи' }),
    ];
    for (const g of groups) {
      for (const command of ['/balance', '/start', '/accounts', '/balance@vodokanal_test_bot', '/settings', '/help']) {
        const calls = await g.say(command);
        expect(calls, command).toEqual([{ method: 'sendMessage', payload: { chat_id: g.chat.id, text: PRIVATE_ONLY } }]);
      }
    }
    // The private chat is untouched by it.
    expect(await linkedNumbers(r)).toEqual([['002901800602302', true]]);
    await r.say('/balance');
    expect(r.lastText()).toMatch(/^Лицевой счёт 002901800602302\n/);
  });

  it('other messages get no answer at all', async () => {
    const r = await consented();
    await link(r, ACCOUNTS.mikhailova);
    const g = new GroupMember(r.id, { id: -4243, type: 'group', title: 'Соседи' });
    for (const text of ['💰 Баланс', '🔎 Долг по номеру счёта', '002901800602302', 'привет', '✖️ Отмена']) {
      expect(await g.say(text), text).toEqual([]);
    }
    expect(await g.send({ sticker: { file_id: 'x', file_unique_id: 'x', type: 'regular', width: 1, height: 1, is_animated: false, is_video: false } })).toEqual(
      [],
    );
    // Nor does an unknown stranger get anything but the pointer to the private chat.
    const stranger = new GroupMember(7_999_999, { id: -4243, type: 'group', title: 'Соседи' });
    expect(await stranger.say('002901800602302')).toEqual([]);
    expect(texts(await stranger.say('/balance'))).toEqual([PRIVATE_ONLY]);
  });

  it('a dialogue started in private is not answered from a group', async () => {
    const r = await consented();
    await r.press('link:start');
    await r.tap(/По номеру/);
    const g = new GroupMember(r.id, { id: -4244, type: 'group', title: 'Соседи' });
    expect(await g.say(ACCOUNTS.mikhailova.number)).toEqual([]);
    // The dialogue still waits for the number in private.
    await r.say(ACCOUNTS.mikhailova.number);
    expect(r.lastText()).toMatch(/^Номер дома/);
  });
});

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
