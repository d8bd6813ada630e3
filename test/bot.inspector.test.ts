import { beforeAll, describe, expect, it } from 'vitest';
import { viaTelegram } from '../src/billing/index.ts';
import { requestRefusal } from '../conversations/request-steps.ts';
import { createBot } from '../src/bot/create-bot.ts';
import { redisLimits } from '../src/bot/limits.ts';
import { botWorld } from './support/bot-world.ts';
import { quietDeps } from './support/quiet-deps.ts';
import { jobsOf, lastRequestOf, requestCount, seedRequests, shareContact, texts, waitOnlyForOtherJobs } from './support/requests.ts';
import { ApiRecorder, BOT_INFO, Resident, type TestBot } from './support/telegram.ts';

// NOW is Sunday 22 November 2026 (Moscow): visits from Monday, working days, not on 24 November (a day off).
const world = botWorld(8_300_000);

beforeAll(async () => {
  await seedRequests(world.db);
  waitOnlyForOtherJobs(world.kit);
});

const linkedAlla = () => world.newResident().agreeAndLink('002901800602302', '7', '30', 'Михайлова');
const linkedSemenov = () => world.newResident().agreeAndLink('002901800602303', '7', '31', 'Семёнов');

const labels = (r: Resident) => r.lastInlineButtons().map((b) => b.text);

/** From the menu to the reason's question. */
async function openCall(r: Resident) {
  await r.say('👷 Вызвать контролёра');
  expect(r.lastText()).toBe('Что нужно сделать?');
  expect(labels(r)).toEqual(['👷 Визит контролёра', '🔧 Ввод счётчика или опломбировка']);
  await r.tap('👷 Визит контролёра');
}

/** From the day's question to the summary: a day, 10:00, the resident's own number, no comment. */
async function dayToSummary(r: Resident, day = 'пн, 23 ноя') {
  await r.tap(day);
  await r.tap('10:00');
  await shareContact(r, '79281234567');
  await r.tap('Пропустить');
}

describe('«Вызвать контролёра» in the bot (seed 000 §9)', () => {
  it('walks reason, day, hour, phone and comment to a number, and hands the request to the jobs', async () => {
    const r = await linkedAlla();
    await openCall(r);
    const header = texts(r).at(-2)!;
    expect(header).toBe(
      [
        '👷 Вызов контролёра',
        'Лицевой счёт: 002901800602302',
        'Собственник: Алла М.',
        'Адрес: г. Ессентуки, ул. Ермакова, д. 7, кв. 30',
        'Филиал: Ессентукский «Водоканал»',
      ].join('\n'),
    );
    expect(header).not.toMatch(/МИХАЙЛОВА|Михайлова/);
    expect(r.lastText()).toBe('Причина вызова:');
    // Only the reasons flagged for the bot.
    expect(labels(r)).toEqual(['Пломбировка счётчика', 'Проверка после поверки', 'Показания меньше предыдущих (проверка счётчика)']);
    await r.sticker();
    expect(texts(r).slice(-2)).toEqual(['Пожалуйста, выберите вариант кнопкой под сообщением.', 'Причина вызова:']);
    // A reason no longer offered (an old or forged button): the question again, not the first reason.
    await r.press('rq:r:gone');
    expect(texts(r).slice(-2)).toEqual(['Эта причина больше не принимается в боте. Выберите другую.', 'Причина вызова:']);
    await r.tap('Пломбировка счётчика');

    expect(r.lastText()).toBe('В какой день вам удобно принять контролёра?');
    const days = labels(r);
    expect(days.slice(0, 4)).toEqual(['пн, 23 ноя', 'ср, 25 ноя', 'чт, 26 ноя', 'пт, 27 ноя']);
    expect(days).toHaveLength(15);
    expect(days.some((d) => /сб|вс/.test(d))).toBe(false);
    // A date typed instead of a button; a day not offered (today, the day off) pressed by an old or forged button.
    await r.say('24.11.2026');
    expect(texts(r).slice(-2)).toEqual([
      'Выберите день кнопкой: контролёр выезжает только в дни, указанные на кнопках.',
      'В какой день вам удобно принять контролёра?',
    ]);
    for (const date of ['2026-11-24', '2026-11-22', '2026-11-28']) {
      await r.press(`rq:d:${date}`);
      expect(texts(r).slice(-2)).toEqual(['На этот день записаться уже нельзя. Выберите другой.', 'В какой день вам удобно принять контролёра?']);
    }
    await r.tap('пн, 23 ноя');

    expect(r.lastText()).toBe('В какое время вам удобно?');
    expect(labels(r)).toEqual(['8:00', '9:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
    await r.press('rq:h:18');
    expect(texts(r).at(-2)).toBe('В это время контролёр не выезжает. Выберите другое.');
    await r.tap('10:00');

    const phoneQuestion = r.messages().at(-1)!.payload;
    expect(phoneQuestion.text).toMatch(/^Контактный телефон/);
    expect(phoneQuestion.reply_markup.keyboard[0][0]).toEqual({ text: '📱 Поделиться номером', request_contact: true });
    await shareContact(r, '+79051112233', r.id + 1);
    expect(r.lastText()).toBe('Это номер другого человека. Поделитесь своим номером или введите номер, по которому с вами связаться.');
    // A contact with no Telegram user (from the address book) is not the resident's own either.
    await shareContact(r, '+79051112233', 0);
    expect(r.lastText()).toBe('Это номер другого человека. Поделитесь своим номером или введите номер, по которому с вами связаться.');
    await r.say('12-34');
    expect(r.lastText()).toMatch(/^Не похоже на номер телефона/);
    expect(r.messages().at(-1)!.payload.reply_markup.keyboard[0][0]).toEqual({ text: '📱 Поделиться номером', request_contact: true });
    await r.sticker();
    expect(texts(r).at(-2)).toBe('Нажмите «📱 Поделиться номером» или введите номер цифрами.');
    await shareContact(r, '79281234567');
    expect(texts(r).at(-2)).toBe('Телефон для связи: +7 928 123-45-67');
    expect(r.lastText()).toMatch(/^Комментарий для контролёра/);
    await r.say('Подъезд 2, домофон 30');

    expect(r.lastText()).toBe(
      [
        'Проверьте заявку:',
        'Лицевой счёт: 002901800602302',
        'Собственник: Алла М.',
        'Адрес: г. Ессентуки, ул. Ермакова, д. 7, кв. 30',
        'Филиал: Ессентукский «Водоканал»',
        'Причина: Пломбировка счётчика',
        'Визит: пн, 23 ноя, 10:00',
        'Телефон: +7 928 123-45-67',
        'Комментарий: Подъезд 2, домофон 30',
      ].join('\n'),
    );
    const send = r.lastInlineButtons()[0]!;
    await r.tap('✅ Отправить');
    expect(r.lastText()).toMatch(
      /^Заявка К-\d{6} отправлена\. Желаемое время визита: пн, 23 ноя, около 10:00 — его подтвердят по телефону\. Срок выполнения — до 14\.12\.2026\. Об изменениях статуса сообщим в этом чате\.$/,
    );
    expect(r.lastMenu()).toContain('👷 Вызвать контролёра');

    const stored = await lastRequestOf(world.db, r.id);
    expect(stored).toMatchObject({
      kind: 'inspector',
      status: 'sent',
      contact_phone: '+79281234567',
      comment: 'Подъезд 2, домофон 30',
      long_number: '002901800602302',
      details: { reason: { code: 'seal', name: 'Пломбировка счётчика' }, visitAt: '2026-11-23T07:00:00.000Z' },
    });
    expect(r.lastText()).toContain(stored!.number);
    expect(await jobsOf(world.db, stored!.id)).toEqual(['request.card', 'request.files']);

    // «Отправить» pressed again: the dialogue is over, nothing more is made.
    const again = await r.press(send.callback_data);
    expect(r.toasts(again)).toEqual(['Эта кнопка уже не действует. Выберите действие заново.']);
    expect(await requestCount(world.db, r.id)).toBe(1);
  });

  it('the consent withdrawn mid-dialogue: told so, not «data not lost»; an unknown refusal is not error-generic either', async () => {
    const r = await linkedAlla();
    await openCall(r);
    await r.tap('Пломбировка счётчика');
    await dayToSummary(r, 'пт, 4 дек');
    const withdrawn = await world.kit.billing.residents.withdrawConsent({ actor: viaTelegram(r.id) });
    expect(withdrawn.ok).toBe(true);
    await r.tap('✅ Отправить');
    expect(r.lastText()).toBe(
      'Согласие на обработку персональных данных отозвано — без него заявку принять нельзя. Дать согласие снова можно командой /start.',
    );
    const t = (key: string) => key;
    expect(requestRefusal(t, 'something_new')).toBe('request-not-sent');
    expect(requestRefusal(t, 'something_new')).not.toBe('error-generic');
  });

  it('needs the consent and a linked account', async () => {
    const stranger = world.newResident();
    await stranger.say('/inspector');
    expect(texts(stranger).slice(-2)[0]).toMatch(/согласие/i);
    await stranger.tap(/Согласен/);
    await stranger.say('/inspector');
    await stranger.tap('👷 Визит контролёра');
    expect(stranger.lastText()).toBe('Заявку можно подать по привязанному лицевому счёту. Сначала привяжите его — это займёт минуту.');
    expect(labels(stranger)).toEqual(['➕ Привязать лицевой счёт']);
  });

  it('an expired meter refused in «Передать показания» offers the inspector with the reason and the meter filled in', async () => {
    const r = await linkedSemenov();
    await r.say('📟 Передать показания');
    const refusal = r.messages().find((m) => /срок поверки истёк/.test(m.payload.text))!;
    expect(refusal.payload.reply_markup.inline_keyboard.flat().map((b: { text: string }) => b.text)).toEqual(['👷 Вызвать контролёра']);
    const button = refusal.payload.reply_markup.inline_keyboard[0][0].callback_data as string;
    expect(button).toMatch(/^rq:insp:\d+:expired$/);
    await r.press(button);
    const shown = texts(r).slice(-3);
    expect(shown[0]).toMatch(
      /^👷 Вызов контролёра\nЛицевой счёт: 002901800602303\nСобственник: Пётр И\.\n.*\nФилиал: .*\nСчётчик: Холодная вода \(ХВС\), № 555001$/,
    );
    expect(shown.slice(1)).toEqual(['Причина: Проверка после поверки', 'В какой день вам удобно принять контролёра?']);
    await dayToSummary(r);
    expect(r.lastText()).toContain('Счётчик: Холодная вода (ХВС), № 555001\nПричина: Проверка после поверки\nВизит: пн, 23 ноя, 10:00');
    await r.tap('✅ Отправить');
    expect(r.lastText()).toMatch(/^Заявка К-\d{6} отправлена/);
    const stored = await lastRequestOf(world.db, r.id);
    expect(stored!.details).toMatchObject({ reason: { code: 'after_verification' }, meter: { serial: '555001' } });
  });

  it('a value below the previous one, mid-dialogue: the button leaves the readings for the inspector', async () => {
    const r = await linkedAlla();
    await r.say('📟 Передать показания');
    await r.tap(/№ 17356088/);
    await r.say('57');
    const refusal = r.messages().at(-2)!.payload;
    expect(refusal.text).toMatch(/^Показания 57,000 м³ меньше предыдущих/);
    expect(refusal.reply_markup.inline_keyboard.flat().map((b: { text: string }) => b.text)).toEqual(['👷 Вызвать контролёра']);
    // The question is put again (the resident may still correct the value), and the button works from there.
    expect(r.lastText()).toMatch(/^Холодная вода/);
    await r.press(refusal.reply_markup.inline_keyboard[0][0].callback_data);
    expect(texts(r).slice(-3, -1)[0]).toMatch(/Счётчик: Холодная вода \(ХВС\), № 17356088$/);
    expect(texts(r).slice(-2)).toEqual(['Причина: Показания меньше предыдущих (проверка счётчика)', 'В какой день вам удобно принять контролёра?']);
    // The readings dialogue is left: a number typed now is not a reading.
    await r.say('61');
    expect(r.lastText()).toBe('В какой день вам удобно принять контролёра?');
    await r.say('/cancel');
  });

  it("another account's meter in the button: the call goes on without it, the reason asked", async () => {
    const semenov = await linkedSemenov();
    const [meter] = await world.db.orm.em.getConnection().execute(`select id from meter where serial = '555001'`);
    const r = await linkedAlla();
    await r.press(`rq:insp:${meter!.id}:expired`);
    const shown = texts(r).slice(-3);
    expect(shown[0]).not.toMatch(/555001/);
    expect(shown.slice(1)).toEqual([
      'Этот счётчик не относится к выбранному сейчас лицевому счёту. Заявку можно подать без него или выбрать нужный счёт в «Мои счета».',
      'Причина вызова:',
    ]);
    await r.say('/cancel');
    expect(semenov.id).not.toBe(r.id);
  });

  it('the same call twice in a day is refused, and so is the eleventh request of the day', async () => {
    const r = await linkedAlla();
    await openCall(r);
    await r.tap('Пломбировка счётчика');
    await dayToSummary(r, 'ср, 25 ноя');
    await r.tap('✅ Отправить');
    expect(r.lastText()).toMatch(/^Заявка К-\d{6} отправлена/);
    await openCall(r);
    await r.tap('Пломбировка счётчика');
    await dayToSummary(r, 'ср, 25 ноя');
    await r.tap('✅ Отправить');
    expect(r.lastText()).toBe('Такую заявку вы уже подали за последние сутки — повторять не нужно. О каждом изменении её статуса мы сообщим здесь.');

    const actor = viaTelegram(r.id);
    const active = await world.kit.billing.residents.activeAccount({ actor });
    if (!active.ok) throw new Error('no account');
    for (let i = 0; i < 9; i++) {
      const made = await world.kit.billing.requests.callInspector({
        actor,
        accountId: active.value.accountId,
        reasonCode: 'seal',
        visit: { date: '2026-11-26', hour: 9 },
        phone: '+79281234567',
        comment: `Заявка ${i}`,
      });
      expect(made.ok).toBe(true);
    }
    await openCall(r);
    await r.tap('Пломбировка счётчика');
    await dayToSummary(r, 'чт, 26 ноя');
    await r.tap('✅ Отправить');
    expect(r.lastText()).toBe(
      'За последние сутки вы подали 10 заявок — больше бот пока не примет. Срочный вопрос можно решить по телефону абонентского отдела.',
    );
    expect(await requestCount(world.db, r.id)).toBe(10);
  });

  it('goes on after a restart: another bot instance over the same Redis takes the dialogue where it was', async () => {
    const r = await linkedAlla();
    await openCall(r);
    await r.tap('Пломбировка счётчика');
    await r.tap('пт, 27 ноя');
    expect(r.lastText()).toBe('В какое время вам удобно?');

    // A second instance (the first one restarted, or the other of two), with the same Redis; the session is lost too.
    const { mail, renderer, log } = quietDeps(world.db.orm);
    const api = new ApiRecorder();
    const { bot } = createBot({
      token: '7000001:TEST-TOKEN-FOR-VITEST-ONLY-xxxxxxxx',
      botInfo: BOT_INFO,
      fetch: api.fetch,
      redis: world.kit.redis,
      files: world.kit.files,
      deps: { billing: world.kit.billing, mail, renderer, jobs: world.kit.runner.jobs, limits: redisLimits(world.kit.redis), log, consentVersion: 'test-1' },
    });
    await bot.init();
    await world.kit.redis.del(`sess:{${r.id}}`);
    const same = new Resident({ ...world.kit, bot, api } as TestBot, r.id);
    await same.press('rq:h:11');
    expect(same.lastText()).toMatch(/^Контактный телефон/);
    await shareContact(same, '79281234567');
    await same.tap('Пропустить');
    expect(same.lastText()).toContain('Визит: пт, 27 ноя, 11:00');
    await same.tap('✅ Отправить');
    expect(same.lastText()).toMatch(/^Заявка К-\d{6} отправлена/);
  });

  it('after the dialogue state is lost (Redis flushed), its buttons are stale and nothing is made', async () => {
    const r = await linkedAlla();
    await openCall(r);
    await r.tap('Пломбировка счётчика');
    await dayToSummary(r, 'пн, 30 ноя');
    expect(r.lastText()).toMatch(/^Проверьте заявку:/);
    const before = await requestCount(world.db, r.id);
    await world.kit.redis.del(`conv:{${r.id}}`, `sess:{${r.id}}`);
    const calls = await r.tap('✅ Отправить');
    expect(r.toasts(calls)).toEqual(['Эта кнопка уже не действует. Выберите действие заново.']);
    expect(await requestCount(world.db, r.id)).toBe(before);
    // The consent is still known (from the database): the call can be made again from the menu.
    await openCall(r);
    expect(r.lastText()).toBe('Причина вызова:');
  });
});
