import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paperOptOutCsv } from '../src/billing/export.ts';
import { botWorld } from './support/bot-world.ts';
import { seedRequests, shareContact } from './support/requests.ts';
import { startSmtpServer, type TestSmtpServer } from './support/smtp.ts';
import type { Resident } from './support/telegram.ts';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => smtp.close());

const world = botWorld(8_900_000, () => ({ smtpUrl: smtp.url }));
beforeAll(async () => seedRequests(world.db));

const STALE = 'Эта кнопка уже не действует. Выберите действие заново.';
const linkedAlla = () => world.newResident().agreeAndLink('002901800602302', '7', '30', 'Михайлова');
const linkedSemenov = () => world.newResident().agreeAndLink('002901800602303', '7', '31', 'Семёнов');
const labels = (r: Resident) => r.lastInlineButtons().map((b) => b.text);
const codeIn = (subject: string | undefined) => /(\d{6})$/.exec(subject ?? '')?.[1] ?? '';

/** Settings → e-mail → address → the code from the letter. */
async function confirmAddress(r: Resident, address: string) {
  await r.say('⚙️ Настройки');
  await r.tap('✉️ Электронная почта');
  await r.tap('Указать адрес');
  const before = smtp.received.length;
  await r.say(address);
  const letter = await smtp.waitFor(before + 1);
  await r.say(codeIn(letter.subject));
  expect(r.lastText()).toBe(`Адрес ${address} подтверждён. Теперь квитанции можно получать на почту.`);
}

/** The text of a PDF, page by page, read back with pdfjs. */
async function pdfText(data: Uint8Array): Promise<string> {
  const doc = await getDocument({ data, useSystemFonts: false, isEvalSupported: false }).promise;
  let text = '';
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    text += `${content.items.map((x) => ('str' in x ? x.str : '')).join(' ')}\n`;
  }
  await doc.destroy();
  return text.replace(/\s+/g, ' ');
}

const OCTOBER = [
  'Начисления по услугам за октябрь 2026 г., ₽ (л/с 002901800602302)',
  '',
  'Холодная вода (ХВС)',
  '  на начало месяца: долг 150,00',
  '  начислено: 334,45, в т. ч. перерасчёт 100,00 за июль 2026 г. — сентябрь 2026 г.',
  '  льготы: 10,00',
  '  оплачено: 70,00',
  '  на конец месяца: долг 404,45',
  '',
  'Водоотведение',
  '  на начало месяца: долг 58,40',
  '  начислено: 0,00',
  '  оплачено: 30,00',
  '  на конец месяца: долг 28,40',
  '',
  'Всего по лицевому счёту',
  '  на начало месяца: долг 208,40',
  '  начислено: 334,45',
  '  льготы: 10,00',
  '  оплачено: 100,00',
  '  на конец месяца: долг 432,85',
].join('\n');

describe('«Детализация по услугам» (seeds 001/002, 004)', () => {
  it('opens the newest month from the balance screen, per service with the recalculation period, and pages ‹ › in place', async () => {
    const r = await linkedAlla();
    await r.say('💰 Баланс');
    await r.tap('🧾 Детализация по услугам');
    expect(r.lastText()).toBe(OCTOBER);
    expect(labels(r)).toEqual(['‹ Сентябрь 2026']);

    const calls = await r.tap('‹ Сентябрь 2026');
    expect(calls.filter((c) => c.method === 'editMessageText')).toHaveLength(1);
    expect(r.lastText()).toBe(
      [
        'Начисления по услугам за сентябрь 2026 г., ₽ (л/с 002901800602302)',
        '',
        'Холодная вода (ХВС)',
        '  на начало месяца: долг 140,00',
        '  начислено: 150,00',
        '  оплачено: 140,00',
        '  на конец месяца: долг 150,00',
        '',
        'Водоотведение',
        '  на начало месяца: долг 52,56',
        '  начислено: 58,40',
        '  оплачено: 52,56',
        '  на конец месяца: долг 58,40',
        '',
        'Всего по лицевому счёту',
        '  на начало месяца: долг 192,56',
        '  начислено: 208,40',
        '  оплачено: 192,56',
        '  на конец месяца: долг 208,40',
      ].join('\n'),
    );
    expect(labels(r)).toEqual(['Октябрь 2026 ›']);
    await r.tap('Октябрь 2026 ›');
    expect(r.lastText()).toBe(OCTOBER);
  });

  it('opens from the month table too; an account the utility sent no detail for is told so; a stranger’s is a stale button', async () => {
    const r = await linkedAlla();
    await r.say('💰 Баланс');
    await r.tap('📊 Начисления по месяцам');
    await r.tap('🧾 Детализация по услугам');
    expect(r.lastText()).toBe(OCTOBER);

    const s = await linkedSemenov();
    await s.say('💰 Баланс');
    await s.tap('🧾 Детализация по услугам');
    expect(s.lastText()).toBe('Детализации по услугам пока нет: водоканал ещё не передал её за последние месяцы.');
    // Alla's account pressed by Semenov (a forged button).
    const alla = r.lastInlineButtons()[0]!.callback_data;
    expect(s.toasts(await s.press(alla))).toEqual([STALE]);
  });
});

const RECONCILIATION = [
  'Сверка взаиморасчётов за август 2026 г. — октябрь 2026 г., ₽ (л/с 002901800602302)',
  '',
  'На начало периода, 01.08.2026: 0,00',
  '',
  'Август 2026: начислено 192,56, оплачено 0,00',
  'Сентябрь 2026: начислено 208,40, оплачено 192,56',
  'Октябрь 2026: начислено 334,45 (в т. ч. перерасчёт 100,00), льготы 10,00, оплачено 100,00',
  '',
  'Итого: начислено 735,41 (в т. ч. перерасчёт 100,00), льготы 10,00, оплачено 292,56',
  'На конец периода, 31.10.2026: долг 432,85',
].join('\n');

describe('«Сверка взаиморасчётов» (seed 003)', () => {
  it('from–to chosen by the resident, the table in chat, the PDF in the chat and by e-mail', async () => {
    const r = await linkedAlla();
    await r.say('💰 Баланс');
    await r.tap('📑 Сверка взаиморасчётов');
    expect(r.lastText()).toBe('Сверка взаиморасчётов: с какого месяца?');
    expect(labels(r)).toEqual(['Октябрь 2026', 'Сентябрь 2026', 'Август 2026']);
    await r.tap('Август 2026');
    expect(r.lastText()).toBe('Первый месяц: август 2026 г. Выберите последний месяц сверки.');
    // Only months from the first one on.
    expect(labels(r)).toEqual(['Октябрь 2026', 'Сентябрь 2026', 'Август 2026']);
    await r.tap('Октябрь 2026');
    expect(r.lastText()).toBe(RECONCILIATION);
    expect(labels(r)).toEqual(['📄 Получить PDF', '✉️ Отправить на почту']);

    // The PDF through the job runner, read back as text.
    const uploads = world.kit.api.documents.length;
    const calls = await r.tap('📄 Получить PDF');
    expect(r.toasts(calls)).toEqual(['Готовим документ…']);
    const sent = world.kit.api.documents.slice(uploads);
    expect(sent.map((d) => [d.filename, d.caption])).toEqual([
      ['sverka_002901800602302_2026-08_2026-10.pdf', 'Сверка взаиморасчётов за август 2026 г. — октябрь 2026 г., лицевой счёт 002901800602302'],
    ]);
    const text = await pdfText(new Uint8Array(sent[0]!.bytes));
    for (const piece of [
      'Сверка взаиморасчётов за август 2026 г. — октябрь 2026 г., ₽ (л/с 002901800602302)',
      'На начало периода, 01.08.2026: 0,00',
      'Сентябрь 2026 208,40 0,00 0,00 192,56',
      'Октябрь 2026 334,45 100,00 10,00 100,00',
      'Итого 735,41 100,00 10,00 292,56',
      'На конец периода, 31.10.2026: долг 432,85',
    ])
      expect(text).toContain(piece);

    // By e-mail: only to a confirmed address.
    const mailButton = r.lastInlineButtons().find((b) => b.text === '✉️ Отправить на почту')!.callback_data;
    await r.press(mailButton);
    expect(r.lastText()).toBe('Чтобы получить сверку на почту, укажите адрес электронной почты и подтвердите его кодом из письма.');
    await confirmAddress(r, 'sverka@mail.ru');
    const before = smtp.received.length;
    await r.press(mailButton);
    const letter = await smtp.waitFor(before + 1);
    expect(letter.envelopeTo).toEqual(['sverka@mail.ru']);
    expect(letter.subject).toBe('Сверка взаиморасчётов за август 2026 г. — октябрь 2026 г., лицевой счёт 002901800602302');
    expect(letter.attachments.map((a) => a.filename)).toEqual(['sverka_002901800602302_2026-08_2026-10.pdf']);
    expect(await pdfText(new Uint8Array(letter.attachments[0]!.content))).toContain('На конец периода, 31.10.2026: долг 432,85');
    expect(r.lastText()).toBe('Сверка взаиморасчётов отправлена на sverka@mail.ru.');
  });

  it('a range backwards or of a stranger’s account is refused politely', async () => {
    const r = await linkedAlla();
    await r.say('💰 Баланс');
    await r.tap('📑 Сверка взаиморасчётов');
    const from = r.lastInlineButtons()[0]!.callback_data; // rcn:f:<id>:2026-10
    const accountId = Number(from.split(':')[2]);
    // A first month without a statement offers nothing after it: a stale button.
    expect(r.toasts(await r.press(`rcn:f:${accountId}:2027-05`))).toEqual([STALE]);
    await r.press(`rcn:t:${accountId}:2026-10:2026-08`);
    expect(r.lastText()).toBe('Месяц «по» должен быть не раньше месяца «с». Начните, пожалуйста, заново.');
    const s = await linkedSemenov();
    expect(s.toasts(await s.press(`rcn:t:${accountId}:2026-08:2026-10`))).toEqual([STALE]);
    expect(s.toasts(await s.press(`rcn:pdf:chat:${accountId}:2026-08:2026-10`))).toEqual([STALE]);
  });
});

describe('«Отказ от бумажного носителя ПД» (seed 002)', () => {
  const exported = async () => {
    const r = await world.kit.billing.receipts.exportPaperOptOut({});
    if (!r.ok) throw new Error('export');
    return paperOptOutCsv(r.value.accounts);
  };

  it('only with a confirmed e-mail and the subscription; ending the subscription brings the paper back, and says so; exported', async () => {
    const r = await linkedSemenov();
    await confirmAddress(r, 'paper@mail.ru');
    await r.say('⚙️ Настройки');
    await r.tap('✉️ Электронная почта');
    // Not subscribed: no opt-out offered, and a forged one is refused.
    expect(labels(r)).not.toContain('📄 Отказаться от бумажной: 002901800602303');
    const accountId = Number(r.lastInlineButtons()[0]!.callback_data.split(':')[2]);
    expect(r.toasts(await r.press(`em:paper:on:${accountId}`))).toEqual([STALE]);

    await r.tap('📬 Подписаться: 002901800602303');
    expect(r.lastText()).toContain('Бумажная квитанция: приходит');
    await r.tap('📄 Отказаться от бумажной: 002901800602303');
    expect(r.lastText()).toBe(
      'Готово: по лицевому счёту 002901800602303 квитанция будет приходить только на почту, бумажную приносить не будут. Передадим это в водоканал; вернуть бумажную можно здесь же.',
    );
    const again = await exported();
    // The day of the choice in the branch's timezone (the tests' clock is 22 November 2026).
    expect(again).toBe('account;paper_receipt_opt_out;changed_on\n002901800602303;true;2026-11-22\n');
    // The same state, the same file.
    expect(await exported()).toBe(again);

    await r.say('⚙️ Настройки');
    await r.tap('✉️ Электронная почта');
    expect(r.lastText()).toContain('Бумажная квитанция: отказ, только на почту');
    await r.tap('Отписаться: 002901800602303');
    expect(r.lastText()).toBe('Без рассылки на почту бумажная квитанция по лицевому счёту 002901800602303 снова будет приходить.');
    expect(await exported()).toBe('account;paper_receipt_opt_out;changed_on\n002901800602303;false;2026-11-22\n');
  });

  it('removing the address ends the subscription and the opt-out, and says so', async () => {
    const r = await linkedAlla();
    await confirmAddress(r, 'paper2@mail.ru');
    await r.say('⚙️ Настройки');
    await r.tap('✉️ Электронная почта');
    await r.tap('📬 Подписаться: 002901800602302');
    await r.tap('📄 Отказаться от бумажной: 002901800602302');
    expect(await exported()).toContain('002901800602302;true;');
    await r.say('⚙️ Настройки');
    await r.tap('✉️ Электронная почта');
    await r.tap('Удалить адрес');
    await r.tap('Да, удалить');
    expect(r.lastText()).toBe('Адрес электронной почты удалён, рассылка квитанций отключена. Бумажная квитанция снова будет приходить.');
    expect(await exported()).toContain('002901800602302;false;');
  });
});

describe('the paper-receipt opt-out and the account’s link', () => {
  it('unlinking the account (its subscription goes with the link) brings the paper receipt back', async () => {
    const r = await linkedSemenov();
    await confirmAddress(r, 'paper3@mail.ru');
    await r.say('⚙️ Настройки');
    await r.tap('✉️ Электронная почта');
    await r.tap('📬 Подписаться: 002901800602303');
    await r.tap('📄 Отказаться от бумажной: 002901800602303');
    const accountId = Number(
      r
        .lastInlineButtons()
        .find((b) => b.callback_data.startsWith('em:paper:'))
        ?.callback_data.split(':')[3],
    );
    const state = async () =>
      (await world.db.orm.em.fork().getConnection().execute<{ on: boolean }[]>('select paper_opt_out_chosen as on from account where id = ?', [accountId]))[0]!
        .on;
    expect(await state()).toBe(true);
    await r.say('🏠 Мои счета');
    await r.tap('Отвязать 002901800602303');
    expect(r.toasts(await r.tap('Да, отвязать'))).toEqual(['Лицевой счёт 002901800602303 отвязан.']);
    expect(await state()).toBe(false);
  });
});

describe('the phone (seeds 001/002 «Смена номера телефона»)', () => {
  it('shared with the contact button (own only), masked in the settings and the card, offered first in a request, removable', async () => {
    const r = await linkedAlla();
    await r.say('⚙️ Настройки');
    await r.tap('📱 Телефон');
    expect(r.lastText()).toBe('Телефон в боте не указан. Поделитесь номером — мы предложим его, когда заявке понадобится телефон для связи.');
    await r.tap('📱 Поделиться номером');
    const ask = r.messages().at(-1)!.payload;
    expect(ask.text).toBe('Нажмите «📱 Поделиться номером» внизу: Telegram передаст номер вашего аккаунта.');
    expect(ask.reply_markup.keyboard[0][0]).toEqual({ text: '📱 Поделиться номером', request_contact: true });

    // Someone else's contact is not kept.
    await shareContact(r, '+79051112233', r.id + 1);
    expect(r.lastText()).toBe('Это номер другого человека. Сохранить можно только свой номер: нажмите «📱 Поделиться номером» в настройках.');
    await shareContact(r, '79281234567');
    expect(r.lastText()).toBe('Номер +7 *** ***-45-67 сохранён.');
    const stored = await world.db.orm.em.fork().getConnection().execute<{ phone: string }[]>('select phone from resident where telegram_id = ?', [r.id]);
    expect(stored).toEqual([{ phone: '+79281234567' }]);

    await r.say('⚙️ Настройки');
    await r.tap('📱 Телефон');
    expect(r.lastText()).toBe('Ваш телефон в боте: +7 *** ***-45-67. Мы предлагаем его, когда заявке нужен телефон для связи.');
    await r.say('🏠 Мои счета');
    await r.tap(/Карточка счёта/);
    expect(r.lastText()).toContain('Ваш телефон в боте: +7 *** ***-45-67');
    expect(r.lastText()).not.toContain('45-67\n\nВаш');

    // The request's phone step offers it first.
    await r.say('👷 Вызвать контролёра');
    await r.tap('👷 Визит контролёра');
    await r.tap('Пломбировка счётчика');
    await r.tap('пн, 23 ноя');
    await r.tap('10:00');
    expect(r.messages().at(-1)!.payload.reply_markup.keyboard[0][0]).toEqual({ text: '✅ Мой номер +7 *** ***-45-67' });
    await r.say('✅ Мой номер +7 *** ***-45-67');
    expect(r.messages().at(-2)!.payload.text).toBe('Телефон для связи: +7 *** ***-45-67');
    await r.say('✖️ Отмена');

    await r.say('⚙️ Настройки');
    await r.tap('📱 Телефон');
    await r.tap('Удалить номер');
    expect(r.lastText()).toBe('Номер удалён из бота.');
    expect(await world.db.orm.em.fork().getConnection().execute('select phone from resident where telegram_id = ?', [r.id])).toEqual([{ phone: null }]);
  });
});
