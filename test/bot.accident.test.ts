import { describe, expect, it } from 'vitest';
import { viaTelegram } from '../src/billing/index.ts';
import { botWorld } from './support/bot-world.ts';
import { dispatcherLine } from '../src/bot/screens/requests.ts';
import { ALPHA_DISPATCHER, OPERATOR, album, contact, document, lastReplyKeyboard, location, message, requestsWorld, texts } from './support/requests-world.ts';
import type { Resident } from './support/telegram.ts';

const world = botWorld(8_600_000);
const { jobs } = requestsWorld(world);

const linkedAlla = () => world.newResident().agreeAndLink('002901800602302', '7', '30', 'Михайлова');
async function consented() {
  const r = world.newResident();
  await r.say('/start');
  await r.tap(/Согласен/);
  return r;
}

const BETA_DISPATCHER = '(87932) 3-11-50';
const INTRO =
  '🚨 Сообщение об аварии на наружных сетях водопровода и канализации: на улице, во дворе, на проезжей части.\n' +
  'Если течёт в квартире или в подъезде, обратитесь в управляющую компанию.\n\n';
const ASK_PHOTOS = 'Пришлите фото места аварии — одно или несколько, можно альбомом. Когда всё отправите, нажмите «Готово».';
const ASK_PLACE = 'Где авария? Нажмите «📍 Отправить местоположение» или напишите адрес: улица и дом, перекрёсток или ориентир.';
const ASK_DAMAGE = 'Что случилось? Выберите вид повреждения:';
const ASK_DESCRIPTION = 'Коротко опишите, что видите: например, «из-под люка течёт вода, заливает дорогу».';
const EVERY_DISPATCHER = `Аварийно-диспетчерская служба, круглосуточно:\n• Ессентукский «Водоканал»: ${ALPHA_DISPATCHER}\n• Железноводский «Водоканал»: ${BETA_DISPATCHER}`;
const STALE = 'Эта кнопка уже не действует. Выберите действие заново.';

/** The number and the request id of the report the last message announced (numbers are per branch: the newest). */
async function lastReport(r: Resident) {
  const number = /Заявка (А-\d{6}) зарегистрирована/.exec(r.lastText())?.[1];
  expect(number).toBeDefined();
  const [row] = await world.db.orm.em
    .getConnection()
    .execute(`select id from service_request where number = ? and kind = 'accident' order by id desc limit 1`, [number]);
  return { number: number!, requestId: Number(row!.id) };
}

/** From the menu to the summary, with one photo and a point. */
async function reportAt(r: Resident, latitude: number, longitude: number) {
  await r.say('🚨 Сообщить об аварии');
  await r.photo(`ph-${r.id}`);
  await r.tap('✅ Готово');
  return location(r, latitude, longitude);
}

describe('«Сообщить об аварии»', () => {
  it('with a location: the dispatcher first, a photo, the point, damage, description, a shared phone, the summary and the report', async () => {
    const r = await linkedAlla();
    let calls = await r.say('🚨 Сообщить об аварии');
    // Where the accident is, is not known yet: every dispatcher, the resident's own branch first.
    expect(texts(calls)).toEqual([`${INTRO}${EVERY_DISPATCHER}`, ASK_PHOTOS]);

    calls = await r.photo('acc-one');
    expect(texts(calls)).toEqual(['Фото добавлено (всего: 1). Пришлите ещё или нажмите «Готово».']);
    calls = await r.tap('✅ Готово');
    expect(texts(calls)).toEqual([ASK_PLACE]);
    expect(lastReplyKeyboard(r)).toEqual([{ text: '📍 Отправить местоположение', request_location: true }, { text: '✖️ Отмена' }]);

    calls = await location(r, 44.1, 42.9);
    expect(texts(calls)).toEqual(['Место: точка на карте.', ASK_DAMAGE]);
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['Порыв трубы']);
    await r.tap('Порыв трубы');
    expect(r.lastText()).toBe(ASK_DESCRIPTION);
    calls = await r.say('Из-под люка бьёт вода, заливает дорогу');
    expect(texts(calls)).toEqual(['Оставьте телефон для связи — диспетчер сможет уточнить подробности. Нажмите «📱 Поделиться номером» или напишите номер.']);
    expect(lastReplyKeyboard(r)).toEqual([{ text: '📱 Поделиться номером', request_contact: true }, { text: 'Без телефона' }, { text: '✖️ Отмена' }]);
    calls = await r.say('12345');
    expect(texts(calls)).toEqual(['Не похоже на номер телефона. Введите его полностью, например +7 928 123-45-67 или 8 928 123-45-67.']);
    // Someone else's contact is not taken as the resident's phone (the same rule as the other requests).
    calls = await message(r, { contact: { phone_number: '79990001122', first_name: 'Сосед', user_id: r.id + 1 } });
    expect(texts(calls)).toEqual(['Это номер другого человека. Поделитесь своим номером или введите номер, по которому с вами связаться.']);
    calls = await contact(r, '79051112233');
    expect(texts(calls)).toEqual([
      'Телефон для связи: +7 905 111-22-33',
      'Проверьте сообщение об аварии:\nМесто: точка на карте\nПовреждение: Порыв трубы\nОписание: Из-под люка бьёт вода, заливает дорогу\nФото: 1\nТелефон: +7 905 111-22-33',
    ]);

    jobs.splice(0);
    calls = await r.tap('✅ Отправить');
    expect(r.lastText()).toMatch(
      new RegExp(
        `^Заявка А-\\d{6} зарегистрирована\\. Срок реагирования — до 23\\.11\\.2026 12:00 \\(24 часа\\)\\.\\n` +
          `Об изменениях статуса сообщим здесь; заявка есть в «📋 Мои заявки»\\.\\n` +
          `Аварийно-диспетчерская служба, круглосуточно: \\+7 \\(87934\\) 6-11-11$`,
      ),
    );
    expect(r.lastMenu()).toContain('💰 Баланс');
    const { requestId } = await lastReport(r);
    expect(jobs).toEqual([
      { name: 'request.card', payload: { requestId } },
      { name: 'request.files', payload: { requestId } },
    ]);
    const view = await world.kit.billing.requests.get({ actor: viaTelegram(r.id), requestId });
    expect(view).toMatchObject({
      ok: true,
      value: {
        kind: 'accident',
        status: 'sent',
        branchCode: 'alpha',
        location: { latitude: 44.1, longitude: 42.9 },
        address: null,
        contactPhone: '+79051112233',
        comment: 'Из-под люка бьёт вода, заливает дорогу',
        details: { damage: { code: 'pipe_burst', name: 'Порыв трубы' } },
        attachments: [{ role: 'photo', telegramFileId: 'acc-one' }],
        own: true,
      },
    });
    // The summary's button, pressed again after the report: nothing more is filed.
    const again = await r.press('ac:send');
    expect(r.toasts(again)).toEqual([STALE]);
  });

  it('with a typed address and no linked account: every branch’s dispatcher, a sticker refused, an album, the branch asked', async () => {
    const r = await consented();
    let calls = await r.say('/accident');
    expect(texts(calls)[0]).toBe(`${INTRO}${EVERY_DISPATCHER}`);
    calls = await r.sticker();
    expect(texts(calls)).toEqual(['Здесь нужна фотография места аварии — стикер или текст не подойдут. Пришлите фото (значок 📎), затем нажмите «Готово».']);
    calls = await r.say('Там течёт');
    expect(texts(calls)[0]).toMatch(/^Здесь нужна фотография/);
    // «Готово» before any photo (from an old message) is not taken.
    calls = await r.press('ac:ph');
    expect(r.toasts(calls)).toEqual(['Сначала пришлите хотя бы одно фото.']);

    calls = await album(r, 'album-1', ['al-1', 'al-2', 'al-3']);
    expect(texts(calls)).toEqual(['Фото получены. Пришлите ещё или нажмите «Готово».']);
    calls = await document(r, 'scan-1', 'application/pdf');
    expect(texts(calls)).toEqual(['Этот файл не похож на фотографию. Пришлите снимок места аварии.']);
    // What the file store does not keep is refused now, not lost later: HEIC, an image file over 20 MB.
    calls = await document(r, 'heic-1', 'image/heic');
    expect(texts(calls)).toEqual(['Этот файл не похож на фотографию. Пришлите снимок места аварии.']);
    calls = await message(r, {
      document: { file_id: 'huge-1', file_unique_id: 'u-huge-1', file_name: 'big.jpg', mime_type: 'image/jpeg', file_size: 25 * 1024 * 1024 },
    });
    expect(texts(calls)).toEqual(['Файл больше 20 МБ — бот не сможет его сохранить. Пришлите снимок поменьше.']);
    calls = await document(r, 'doc-photo', 'image/jpeg');
    expect(texts(calls)).toEqual(['Фото добавлено (всего: 4). Пришлите ещё или нажмите «Готово».']);
    await r.tap('✅ Готово');

    calls = await r.say('ул. Ермакова, 7');
    expect(texts(calls)).toEqual(['В каком населённом пункте авария? Выберите филиал:']);
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['Ессентукский «Водоканал»', 'Железноводский «Водоканал»']);
    // A branch not listed (an old or forged button): asked again, not the first branch taken.
    calls = await r.press('ac:b:gamma');
    expect(texts(calls)).toEqual(['Этого филиала в списке уже нет. Выберите из списка ниже.', 'В каком населённом пункте авария? Выберите филиал:']);
    calls = await r.tap('Ессентукский «Водоканал»');
    expect(texts(calls)).toEqual(['Место: ул. Ермакова, 7.', ASK_DAMAGE]);
    // A damage type not offered: the question again.
    calls = await r.press('ac:d:flood');
    expect(texts(calls)).toEqual(['Этот вид повреждения в боте больше не выбирается. Выберите из списка ниже.', ASK_DAMAGE]);
    await r.tap('Порыв трубы');
    await r.say('Провал асфальта, вода во дворе');
    calls = await r.say('Без телефона');
    expect(texts(calls)).toEqual([
      'Хорошо, без телефона.',
      'Проверьте сообщение об аварии:\nМесто: ул. Ермакова, 7\nПовреждение: Порыв трубы\nОписание: Провал асфальта, вода во дворе\nФото: 4\nТелефон: не указан',
    ]);
    await r.tap('✅ Отправить');
    const { requestId } = await lastReport(r);
    const view = await world.kit.billing.requests.get({ actor: viaTelegram(r.id), requestId });
    expect(view.ok && view.value.address).toBe('ул. Ермакова, 7');
    expect(view.ok && view.value.contactPhone).toBeNull();
    expect(view.ok && view.value.attachments.map((a) => a.telegramFileId)).toEqual(['al-1', 'al-2', 'al-3', 'doc-photo']);
    // How Telegram holds each file: the album's photos as photos, the image sent as a file as a document.
    const media = await world.db.orm.em.getConnection().execute(`select media from request_attachment where request_id = ? order by id`, [requestId]);
    expect(media.map((m) => m.media)).toEqual(['photo', 'photo', 'photo', 'document']);
  });

  it('a linked resident of alpha types an address in beta: the branch is asked (own first), beta’s accidents, beta’s dispatcher, filed with beta', async () => {
    const r = await linkedAlla();
    // Someone else's open reports at the same house: one in each town.
    const other = await consented();
    const known: Record<string, string> = {};
    for (const branchCode of ['alpha', 'beta']) {
      const filed = await world.kit.billing.requests.reportAccident({
        actor: viaTelegram(other.id),
        place: { kind: 'address', branchCode, address: 'ул. Ленина, 15' },
        damageCode: 'pipe_burst',
        description: `Течёт вода у дома, ${branchCode}`,
        photos: [{ fileId: `town-${branchCode}`, fileUniqueId: `u-town-${branchCode}` }],
      });
      expect(filed.ok).toBe(true);
      if (filed.ok) known[branchCode] = filed.value.number;
    }

    await r.say('🚨 Сообщить об аварии');
    await r.photo('town-1');
    await r.tap('✅ Готово');
    let calls = await r.say('Ленина 15');
    expect(texts(calls)).toEqual(['В каком населённом пункте авария? Выберите филиал:']);
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['Ессентукский «Водоканал»', 'Железноводский «Водоканал»']);
    calls = await r.tap('Железноводский «Водоканал»');
    // The nearby check is beta's: alpha's report at the same street and house is not offered.
    expect(texts(calls)).toEqual([
      'Место: Ленина 15.',
      `Об аварии рядом уже сообщили:\n• ${known.beta}, Порыв трубы, ул. Ленина, 15, 22.11.2026 12:00\n\nЭто та же авария? Подтвердите — и новой заявки не понадобится.`,
    ]);
    await r.tap('Нет, это другое');
    await r.tap('Порыв трубы');
    await r.say('Вода течёт по тротуару');
    await r.say('Без телефона');
    await r.tap('✅ Отправить');
    expect(r.lastText().split('\n').at(-1)).toBe(`Аварийно-диспетчерская служба, круглосуточно: ${BETA_DISPATCHER}`);
    const { requestId } = await lastReport(r);
    const view = await world.kit.billing.requests.get({ actor: viaTelegram(r.id), requestId });
    expect(view.ok && [view.value.branchCode, view.value.address]).toEqual(['beta', 'Ленина 15']);

    // Refused by the service: the chosen branch's dispatcher too, not the home one.
    await r.say('🚨 Сообщить об аварии');
    await r.photo('town-2');
    await r.tap('✅ Готово');
    await r.say('Ленина 15');
    await r.tap('Железноводский «Водоканал»');
    await r.tap('Нет, это другое');
    await r.tap('Порыв трубы');
    await r.say('Вода течёт по тротуару');
    await r.say('Без телефона');
    await r.tap('✅ Отправить');
    expect(r.lastText()).toBe(
      `Такое же сообщение уже отправлено за последние сутки — повторять его не нужно.\nАварийно-диспетчерская служба, круглосуточно: ${BETA_DISPATCHER}`,
    );
  });

  it('a linked resident of beta: beta’s dispatcher and beta’s button first', async () => {
    const r = await consented();
    const linked = await world.kit.billing.residents.linkAccount({
      actor: viaTelegram(r.id),
      proof: { by: 'number', longNumber: '051424000000012', house: '2', flat: null, flatPrefix: null, surname: 'Киреева', pin: 'FaEGlc' },
    });
    expect(linked.ok).toBe(true);
    const calls = await r.say('🚨 Сообщить об аварии');
    expect(texts(calls)[0]).toBe(
      `${INTRO}Аварийно-диспетчерская служба, круглосуточно:\n• Железноводский «Водоканал»: ${BETA_DISPATCHER}\n• Ессентукский «Водоканал»: ${ALPHA_DISPATCHER}`,
    );
    await r.photo('home-1');
    await r.tap('✅ Готово');
    await r.say('ул. Лесная, 2');
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['Железноводский «Водоканал»', 'Ессентукский «Водоканал»']);
  });

  it('a location outside every branch’s area: another utility’s territory, and what to do; another point goes on', async () => {
    const r = await consented();
    await r.say('🚨 Сообщить об аварии');
    await r.photo('far-1');
    await r.tap('✅ Готово');
    const calls = await location(r, 55.7558, 37.6173);
    expect(texts(calls)).toEqual([
      'Это место вне зоны обслуживания наших филиалов: там сети другой организации водоснабжения, и наша бригада туда не выезжает.\n' +
        'Сообщите об аварии местному водоканалу или в единую дежурно-диспетчерскую службу по телефону 112.\n' +
        'Если точка отправлена по ошибке, отправьте другую или напишите адрес.',
    ]);
    expect(lastReplyKeyboard(r)[0]).toEqual({ text: '📍 Отправить местоположение', request_location: true });
    await location(r, 44.05, 42.87);
    expect(r.lastText()).toBe(ASK_DAMAGE);
    await r.say('/cancel');
    expect(r.lastText()).toBe('Действие отменено. Чем ещё помочь?');
  });

  it('without consent: no phone asked, the number to follow it by, nobody kept', async () => {
    const r = world.newResident();
    let calls = await r.say('🚨 Сообщить об аварии');
    expect(texts(calls)[0]).toMatch(/^🚨 Сообщение об аварии/);
    await r.photo('anon-1');
    await r.tap('✅ Готово');
    await location(r, 43.99, 42.83);
    await r.tap('Порыв трубы');
    calls = await r.say('Колодец без крышки, течёт вода');
    expect(texts(calls)).toEqual([
      'Телефон не спрашиваем: без согласия на обработку персональных данных бот их не хранит. Следить за заявкой можно по её номеру — у диспетчера.',
      'Проверьте сообщение об аварии:\nМесто: точка на карте\nПовреждение: Порыв трубы\nОписание: Колодец без крышки, течёт вода\nФото: 1\nТелефон: не указан',
    ]);
    await r.tap('✅ Отправить');
    const { number, requestId } = await lastReport(r);
    expect(r.lastText().split('\n')[1]).toBe(`Следить за заявкой можно по номеру ${number} — у диспетчера.`);
    expect(r.lastMenu()).toContain('🔎 Долг по номеру счёта');
    const conn = world.db.orm.em.getConnection();
    const [people] = await conn.execute('select count(*)::int as n from resident where telegram_id = ?', [r.id]);
    expect(people!.n).toBe(0);
    const [request] = await conn.execute('select resident_id, account_id, contact_phone from service_request where id = ?', [requestId]);
    expect(request).toEqual({ resident_id: null, account_id: null, contact_phone: null });
  });

  it('an accident already known nearby is offered; the second resident joins it and hears its statuses', async () => {
    const first = await consented();
    await reportAt(first, 44.0, 42.8);
    await first.tap('Порыв трубы');
    await first.say('Фонтан из-под асфальта у остановки');
    await first.say('Без телефона');
    await first.tap('✅ Отправить');
    const { number, requestId } = await lastReport(first);

    const second = await consented();
    await second.say('🚨 Сообщить об аварии');
    await second.photo('near-1');
    await second.tap('✅ Готово');
    let calls = await location(second, 44.0006, 42.8006); // about 80 m away
    expect(texts(calls)).toEqual([
      'Место: точка на карте.',
      `Об аварии рядом уже сообщили:\n• ${number}, Порыв трубы, точка на карте, 22.11.2026 12:00\n\nЭто та же авария? Подтвердите — и новой заявки не понадобится.`,
    ]);
    expect(second.lastInlineButtons()).toEqual([
      { text: `✅ Да, это ${number}`, callback_data: `rq:join:${requestId}` },
      { text: 'Нет, это другое', callback_data: 'ac:new' },
    ]);
    calls = await second.tap(`✅ Да, это ${number}`);
    expect(texts(calls)).toEqual([
      `Спасибо, ваше подтверждение добавлено к заявке ${number}. Статусы по ней будут приходить сюда.\nАварийно-диспетчерская служба, круглосуточно: ${ALPHA_DISPATCHER}`,
    ]);
    const [count] = await world.db.orm.em
      .getConnection()
      .execute(`select count(*)::int as n from service_request where kind = 'accident' and latitude between 43.999 and 44.001`);
    expect(count!.n).toBe(1);
    // Both residents are told of the next status: the author and the one who joined.
    const moved = await world.kit.billing.requests.move({ actor: OPERATOR, requestId, from: 'sent', to: 'accepted' });
    expect(moved.ok && moved.value.notices).toHaveLength(2);
    const mine = await world.kit.billing.requests.mine({ actor: viaTelegram(second.id) });
    expect(mine.ok && mine.value.requests.map((x) => x.number)).toEqual([number]);

    // A third one says it is another accident: the report goes on.
    const third = await consented();
    await reportAt(third, 44.0004, 42.8004);
    calls = await third.tap('Нет, это другое');
    expect(texts(calls)).toEqual([ASK_DAMAGE]);
  });

  it('a Redis restart mid-dialogue: with its data the report goes on; without it the resident is told and starts again', async () => {
    const r = await consented();
    await r.say('🚨 Сообщить об аварии');
    await r.photo('redis-1');
    await r.tap('✅ Готово');
    // The connection drops and comes back (Redis restarted with its data kept).
    world.kit.redis.disconnect(true);
    await location(r, 44.08, 42.82);
    expect(r.lastText()).toBe(ASK_DAMAGE);
    await r.tap('Порыв трубы');
    expect(r.lastText()).toBe(ASK_DESCRIPTION);

    // Redis restarted without its data: the dialogue is gone, the answer is polite, a new one works.
    const prefix = world.kit.redis.options.keyPrefix!;
    const own = (await world.kit.redis.keys('*')).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    expect(own.some((k) => k === `conv:{${r.id}}`)).toBe(true);
    await world.kit.redis.del(...own);
    const calls = await r.say('Течёт вода из колодца');
    expect(texts(calls)).toEqual(['Не понял сообщение. Выберите действие кнопками внизу экрана или наберите /help.']);
    expect(r.lastMenu()).toContain('📋 Мои заявки'); // the consent comes back from the database
    await r.say('🚨 Сообщить об аварии');
    expect(r.lastText()).toBe(ASK_PHOTOS);
  });

  it('the consent withdrawn before «Отправить» with a phone: offered to send without it, and the report is not lost', async () => {
    const r = await consented();
    await reportAt(r, 44.07, 42.95);
    await r.tap('Порыв трубы');
    await r.say('Вода течёт по улице от колодца');
    await contact(r, '79051112233');
    expect(r.lastText()).toMatch(/^Проверьте сообщение об аварии:/);
    const withdrawn = await world.kit.billing.residents.withdrawConsent({ actor: viaTelegram(r.id) });
    expect(withdrawn.ok).toBe(true);
    let calls = await r.tap('✅ Отправить');
    expect(texts(calls)).toEqual([
      'Согласие на обработку персональных данных отозвано, поэтому телефон сохранить нельзя. Сообщение об аварии можно отправить без телефона — следить за ним можно будет по номеру у диспетчера.',
    ]);
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['✅ Отправить без телефона']);
    calls = await r.tap('✅ Отправить без телефона');
    const { number, requestId } = await lastReport(r);
    expect(r.lastText().split('\n')[1]).toBe(`Следить за заявкой можно по номеру ${number} — у диспетчера.`);
    const [request] = await world.db.orm.em.getConnection().execute('select resident_id, contact_phone from service_request where id = ?', [requestId]);
    expect(request).toEqual({ resident_id: null, contact_phone: null });
  });

  it('no damage types offered in the bot: a polite answer with the dispatcher, no empty keyboard', async () => {
    const sql = world.db.orm.em.getConnection();
    await sql.execute('update damage_type set use_in_bot = false');
    try {
      const r = await consented();
      await reportAt(r, 44.09, 42.97);
      expect(r.lastText()).toBe(
        `Извините, сейчас сообщение об аварии через бот принять не можем. Пожалуйста, позвоните диспетчеру.\nАварийно-диспетчерская служба, круглосуточно: ${ALPHA_DISPATCHER}`,
      );
      expect(r.messages().at(-1)!.payload.reply_markup.inline_keyboard).toBeUndefined();
      expect(r.lastMenu()).toContain('🚨 Сообщить об аварии');
    } finally {
      await sql.execute('update damage_type set use_in_bot = true');
    }
  });

  it('a branch without a dispatcher’s number: its office phones are not called the 24-hour dispatcher', () => {
    const t = (key: string, vars?: Record<string, string | number>) => `${key}${vars ? ` ${Object.values(vars).join(' | ')}` : ''}`;
    const branch = (code: string, dispatcherPhone: string | null, phones: string | null) =>
      ({ code, name: `B-${code}`, timezone: 'Europe/Moscow', dispatcherPhone, phones }) as never;
    expect(dispatcherLine(t, [branch('a', null, '(87934) 6-34-00')])).toBe('accident-office (87934) 6-34-00');
    expect(dispatcherLine(t, [branch('a', '112-11', null), branch('b', null, '(87932) 3-11-50')])).toBe(
      ['accident-dispatchers', 'accident-dispatcher-of B-a | 112-11', 'accident-offices', 'accident-dispatcher-of B-b | (87932) 3-11-50'].join('\n'),
    );
    expect(dispatcherLine(t, [branch('a', '112-11', '1')], 'a')).toBe('accident-dispatcher 112-11');
  });
});
