import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../src/billing/import/index.ts';
import { buttons } from '../src/bot/callback-data.ts';
import { botWorld } from './support/bot-world.ts';

const world = botWorld(8_000_000);

const linkedAlla = () => world.newResident().agreeAndLink('002901800602302', '7', '30', 'Михайлова');

describe('«Передать показания» in the bot', () => {
  it('walks meter after meter, checks each value, confirms and charges at once', async () => {
    const r = await linkedAlla();
    const opening = await r.say('📟 Передать показания');
    expect(opening[0]!.payload.text).toBe(
      'Передача показаний по лицевому счёту 002901800602302\nПоказания принимаются до 25.11.2026 включительно и будут учтены в расчёте за этот месяц.',
    );
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual([
      'Все счётчики по очереди',
      'Холодная вода (ХВС), № 17356088, С/У',
      'Горячая вода (ГВС), № 17356089, С/У',
    ]);
    await r.tap('Все счётчики по очереди');
    expect(r.lastText()).toBe(
      'Холодная вода (ХВС), № 17356088, С/У\nПоследние показания: 58,500 м³ от 23.10.2026\nВведите текущие показания — только цифры, например: 59,500\nИли расход с прошлых показаний со знаком «+», например: +1,000\nМожно приложить фото счётчика.',
    );

    let calls = await r.say('12а');
    expect(calls[0]!.payload.text).toMatch(/только цифры/);
    calls = await r.say('1,2345');
    expect(calls[0]!.payload.text).toBe('У этого счётчика 3 знака после запятой. Введите показания ещё раз.');
    calls = await r.say('57');
    expect(calls[0]!.payload.text).toMatch(/^Показания 57,000 м³ меньше предыдущих \(58,500 м³\)/);
    await r.sticker();
    expect(r.lastText()).toMatch(/^Холодная вода/);

    await r.say('61 м3'); // the unit as the receipt writes it is no mistake
    expect(r.lastText()).toBe(
      'Горячая вода (ГВС), № 17356089, С/У\nВведите текущие показания — только цифры, например: 123,000\nМожно приложить фото счётчика.',
    );
    await r.tap('Пропустить этот счётчик');
    expect(r.lastText()).toBe(
      'Проверьте показания:\nХолодная вода (ХВС), № 17356088, С/У: 61,000 м³ (расход 2,500 м³)\n\nПоказания переданы не по всем счётчикам. Передать только эти?',
    );
    // The date taken is today unless changed: the common path is as short as it was.
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['✅ Подтвердить', '📅 Показания сняты в другой день', '✏️ Ввести заново']);
    const confirmButton = r.lastInlineButtons().find((b) => b.text === '✅ Подтвердить')!;
    await r.tap('✅ Подтвердить');
    expect(r.lastText()).toBe(
      'Показания приняты и сразу учтены в расчёте.\nНачислено по текущим тарифам за ноябрь 2026 г.: вода 130,25 ₽, водоотведение 62,73 ₽, итого 192,98 ₽.',
    );

    // A second tap on the same button stores nothing more.
    const second = await r.press(confirmButton.callback_data);
    expect(r.toasts(second)).toEqual(['Эта кнопка уже не действует. Выберите действие заново.']);
    const [rows] = await world.db.orm.em
      .getConnection()
      .execute(`select count(*)::int as n from reading r join meter m on m.id = r.meter_id where m.serial = '17356088' and r.source = 'telegram'`);
    expect(rows!.n).toBe(1);
    const [taken] = await world.db.orm.em
      .getConnection()
      .execute(
        `select r.taken_on::text as taken_on from reading r join meter m on m.id = r.meter_id where m.serial = '17356088' and r.source = 'telegram' and r.superseded_at is null`,
      );
    expect(taken!.taken_on).toBe('2026-11-22');
  });

  it("asks «Вы уверены?» for an unusual volume and corrects this month's reading", async () => {
    const r = await linkedAlla();
    await r.say('📟 Передать показания');
    await r.tap('Все счётчики по очереди');
    await r.say('95');
    expect(r.lastText()).toMatch(/^Вы уверены\? Расход 36,500 м³ заметно больше обычного/);
    await r.tap('Ввести заново');
    expect(r.lastText()).toMatch(/^Холодная вода/);
    await r.say('95');
    await r.tap('Да, показания верные');
    await r.say('5');
    expect(r.lastText()).toMatch(/^Проверьте показания:\nХолодная вода .*: 95,000 м³ .*\nГорячая вода .*: 5,000 м³$/);
    await r.tap('✅ Подтвердить');
    expect(r.lastText()).toMatch(/^Показания приняты и сразу учтены в расчёте\.\nПрежние показания этого месяца заменены, история сохранена\./);
  });

  it('the history keeps the replaced reading, marked, beside the correction', async () => {
    const r = await linkedAlla();
    await r.say('💰 Баланс');
    await r.tap('📈 История показаний');
    await r.tap(/№ 17356088/);
    const lines = r.lastText().split('\n');
    // Each row is two lines: the month and the value, then when taken, when recorded and how.
    const telegram = lines.flatMap((l, i) => (l.endsWith(' · Telegram') ? [`${lines[i - 1]}\n${l}`] : []));
    const when = '  снято \\d\\d\\.\\d\\d\\.\\d{4} · внесено \\d\\d\\.\\d\\d\\.\\d{4} · Telegram';
    expect(telegram).toEqual([
      expect.stringMatching(new RegExp(`^[А-Я][а-я]+ \\d{4}: 95,000 м³ \\(\\+[\\d,]+\\)\n${when}$`)),
      expect.stringMatching(new RegExp(`^[А-Я][а-я]+ \\d{4}: [\\d,]+ м³ \\(\\+[\\d,]+\\) — заменены исправленными\n${when}$`)),
    ]);
  });

  it('the values may have been read on another day: typed as ДД.ММ.ГГГГ, not after today nor before the last reading', async () => {
    const r = await linkedAlla();
    await r.say('📟 Передать показания');
    await r.tap('Холодная вода (ХВС), № 17356088, С/У');
    await r.say('61');
    const summary = r.lastText();
    const row = 'Проверьте показания:\nХолодная вода (ХВС), № 17356088, С/У: 61,000 м³ (расход 2,500 м³)';
    const partial = '\n\nПоказания переданы не по всем счётчикам. Передать только эти?';
    expect(summary).toBe(`${row}${partial}`);
    await r.tap('📅 Показания сняты в другой день');
    expect(r.lastText()).toBe('Когда сняты показания? Напишите дату в виде ДД.ММ.ГГГГ, например 22.11.2026.');
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['Сегодня']);
    // «Сегодня» goes back to the summary as it was.
    await r.tap('Сегодня');
    expect(r.lastText()).toBe(summary);
    await r.tap('📅 Показания сняты в другой день');
    let calls = await r.say('вчера');
    expect(calls[0]!.payload.text).toBe('Не получилось прочитать дату. Напишите её так: 20.11.2026.');
    calls = await r.say('23.11.2026');
    expect(calls[0]!.payload.text).toBe('Дата снятия не может быть позже сегодняшнего дня (22.11.2026).');
    calls = await r.say('20.10.2026');
    expect(calls[0]!.payload.text).toBe('Дата снятия не может быть раньше последних показаний (23.10.2026).');
    await r.say('21.11.2026');
    expect(r.lastText()).toBe(`${row}\nДата снятия показаний: 21.11.2026${partial}`);
    await r.tap('✅ Подтвердить');
    expect(r.lastText()).toMatch(
      /^Показания приняты и сразу учтены в расчёте\.\n(Прежние показания этого месяца заменены, история сохранена\.\n)?Начислено по текущим тарифам за ноябрь 2026 г\./,
    );
    const [taken] = await world.db.orm.em
      .getConnection()
      .execute(
        `select r.taken_on::text as taken_on, r.period::text as period from reading r join meter m on m.id = r.meter_id where m.serial = '17356088' and r.source = 'telegram' and r.superseded_at is null`,
      );
    expect(taken).toEqual({ taken_on: '2026-11-21', period: '2026-11-01' });
  });

  it('«объём изменения»: «+2,5» adds the volume to the last reading', async () => {
    const r = await linkedAlla();
    await r.say('📟 Передать показания');
    await r.tap('Горячая вода (ГВС), № 17356089, С/У');
    const calls = await r.say('+1');
    expect(calls[0]!.payload.text).toBe('Прежних показаний этого счётчика нет, поэтому расход прибавить не к чему. Введите сами показания со счётчика.');
    await r.say('/cancel');
    await r.say('📟 Передать показания');
    await r.tap('Холодная вода (ХВС), № 17356088, С/У');
    await r.say('+2,5');
    expect(r.lastText()).toMatch(/^Проверьте показания:\nХолодная вода \(ХВС\), № 17356088, С\/У: 61,000 м³ \(расход 2,500 м³\)/);
    await r.tap('✅ Подтвердить');
    expect(r.lastText()).toMatch(/^Показания приняты и сразу учтены в расчёте\./);
    const [stored] = await world.db.orm.em
      .getConnection()
      .execute(
        `select r.value, r.taken_on::text as taken_on from reading r join meter m on m.id = r.meter_id where m.serial = '17356088' and r.source = 'telegram' and r.superseded_at is null`,
      );
    expect(stored).toEqual({ value: '61.000', taken_on: '2026-11-22' }); // m³ in the column
  });

  it('a reading refused at the last step offers the inspector and still puts the main menu back', async () => {
    const r = await linkedAlla();
    await r.say('📟 Передать показания');
    await r.tap('Холодная вода (ХВС), № 17356088, С/У');
    await r.say('61');
    // Meanwhile the meter's verification ran out (the office recorded it): the service refuses the reading.
    const sql = (q: string, params: unknown[] = []) => world.db.orm.em.getConnection().execute(q, params);
    const [before] = await sql(`select verification_due from meter where serial = '17356088'`);
    await sql(`update meter set verification_due = '2020-01-01' where serial = '17356088'`);
    try {
      const calls = await r.tap('✅ Подтвердить');
      const sent = calls.filter((c) => c.method === 'sendMessage');
      expect(sent.map((c) => c.payload.text)).toEqual([
        'Холодная вода (ХВС), № 17356088, С/У: срок поверки истёк, показания не приняты.',
        'Если счётчик нужно проверить, вызовите контролёра: причина и счётчик уже будут указаны в заявке.',
      ]);
      expect(sent[0]!.payload.reply_markup.keyboard.flat().map((b: { text: string } | string) => (typeof b === 'string' ? b : b.text))).toContain(
        '📟 Передать показания',
      );
      expect(r.lastMenu()).toContain('📟 Передать показания');
      expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['👷 Вызвать контролёра — № 17356088']);
      expect(r.lastInlineButtons()[0]!.callback_data).toMatch(/^rq:insp:\d+:expired$/);
    } finally {
      await sql(`update meter set verification_due = ? where serial = '17356088'`, [before!.verification_due]);
    }
  });

  it('/cancel leaves without storing anything', async () => {
    const r = await linkedAlla();
    await r.say('📟 Передать показания');
    await r.tap(/№ 17356089/);
    expect(r.lastText()).toMatch(/^Горячая вода/);
    await r.say('/cancel');
    expect(r.lastText()).toBe('Действие отменено. Чем ещё помочь?');
  });

  it('without linking (seeds 001/002): number, house and flat give the meters and nothing else', async () => {
    const r = world.newResident();
    await r.say('/start');
    await r.tap(/Не согласен/);
    await r.say('📟 Передать показания');
    expect(r.lastText()).toBe('Номер лицевого счёта — 15 цифр из квитанции:');
    await r.say('12345');
    expect(r.lastText()).toBe('Номер лицевого счёта — 15 цифр из квитанции:');
    await r.say('002901800602302');
    await r.say('7');
    await r.say('30');
    await r.tap('Все счётчики по очереди');
    const texts = r
      .messages()
      .map((m) => m.payload.text)
      .join('\n');
    expect(texts).not.toMatch(/Михайлова|Алла|Ермакова/);
    expect(r.lastText()).toMatch(/^Холодная вода \(ХВС\), № 17356088/);
    await r.say('/cancel');
  });

  it('without consent, readings passed by number end with the menu without consent', async () => {
    const r = world.newResident();
    await r.say('/start');
    await r.tap(/Не согласен/);
    const menu = r.lastMenu();
    expect(menu).toEqual(['🔎 Долг по номеру счёта', '📟 Передать показания', '🚨 Сообщить об аварии', '💬 Написать оператору']);
    await r.say('📟 Передать показания');
    for (const answer of ['002901800602302', '7', '30']) await r.say(answer);
    await r.tap(/№ 17356089/);
    await r.say('6');
    if (/Вы уверены/.test(r.lastText())) await r.tap('Да, показания верные');
    await r.tap('✅ Подтвердить');
    expect(r.lastText()).toMatch(/^Показания приняты/);
    expect(r.lastMenu()).toEqual(menu);
  });

  it('without linking, a wrong house or flat says only that nothing was found', async () => {
    const r = world.newResident();
    await r.say('/readings');
    await r.say('002901800602302');
    await r.say('7');
    await r.say('31');
    expect(r.lastText()).toBe('Не нашли лицевой счёт с таким номером, домом и квартирой. Проверьте данные по квитанции и начните заново.');
    // nothing about this user was stored: no consent, no resident
    const [row] = await world.db.orm.em.getConnection().execute(`select count(*)::int as n from resident where telegram_id = ?`, [r.id]);
    expect(row!.n).toBe(0);
  });

  it('without linking, after five failures on a number the lockout is said as soon as the number is typed', async () => {
    const r = world.newResident();
    for (let i = 0; i < 5; i++) {
      await r.say('/readings');
      for (const answer of ['002901800602303', '7', '99']) await r.say(answer);
      expect(r.lastText()).toMatch(/^Не нашли лицевой счёт/);
    }
    await r.say('/readings');
    const calls = await r.say('002901800602303');
    expect(calls.filter((c) => c.method === 'sendMessage').map((c) => c.payload.text)).toEqual([
      expect.stringMatching(
        /^Слишком много неудачных попыток\. Попробовать снова можно \d\d\.\d\d\.\d{4} после \d\d:\d\d\.\nЕсли данные верные, позвоните в абонентский отдел: Ессентукский «Водоканал» — \(87934\) 6-66-82; Железноводский «Водоканал» — \(87932\) 4-21-11\.$/,
      ),
    ]);
  });
});

describe('reading history (seed 000 §7)', () => {
  it("lists a meter's readings with the month they count for, value, volume, when taken, when recorded and how they were passed", async () => {
    const r = await linkedAlla();
    await r.say('💰 Баланс');
    await r.tap('📈 История показаний');
    expect(r.lastText()).toBe('Выберите счётчик:');
    await r.tap(/№ 17356088/);
    expect(r.lastText()).toMatch(/^История показаний: Холодная вода \(ХВС\), № 17356088\n\n/);
    // Recorded when the office's file was loaded (in the branch's timezone); readings.test.ts has the dates.
    expect(r.lastText()).toMatch(/\nОктябрь 2026: 58,500 м³ \(\+4,500\)\n {2}снято 23\.10\.2026 · внесено \d\d\.\d\d\.\d{4} · из квитанции\n/);
    expect(r.lastText()).toMatch(/\nАвгуст 2026: 50,000 м³\n {2}снято 22\.08\.2026 · внесено \d\d\.\d\d\.\d{4} · первоначальные$/);
    const stranger = world.newResident();
    await stranger.say('/start');
    await stranger.tap(/Согласен/);
    const calls = await stranger.press(r.lastInlineButtons()[0]?.callback_data ?? 'rh:1:1:0');
    expect(stranger.toasts(calls)).toEqual(['Эта кнопка уже не действует. Выберите действие заново.']);
  });
});

describe('a photo of the meter (optional)', () => {
  it('is downloaded, checked and kept with the reading', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1000, 7)]);
    world.kit.api.files.set('photos/meter-ok.jpg', jpeg);
    world.kit.api.files.set('photos/not-image.jpg', Buffer.from('<html>surprise</html>'));
    const r = await linkedAlla();
    await r.say('📟 Передать показания');
    await r.tap('Все счётчики по очереди');
    let calls = await r.photo('not-image', 30);
    expect(calls.find((c) => c.method === 'sendMessage')!.payload.text).toMatch(/Не получилось сохранить фото/);
    calls = await r.photo('too-big', 21 * 1024 * 1024);
    expect(calls.find((c) => c.method === 'sendMessage')!.payload.text).toMatch(/Фото слишком большое/);
    calls = await r.photo('meter-ok', jpeg.length);
    expect(calls.map((c) => c.method)).toEqual(['getFile', 'sendMessage', 'sendMessage']);
    expect(calls[1]!.payload.text).toBe('Фото счётчика сохраним вместе с показаниями. Теперь введите показания цифрами.');
    await r.say('96');
    if (/Вы уверены/.test(r.lastText())) await r.tap('Да, показания верные');
    await r.tap('Пропустить этот счётчик');
    await r.tap('✅ Подтвердить');
    expect(r.lastText()).toMatch(/^Показания приняты/);
    const [row] = await world.db.orm.em
      .getConnection()
      .execute(`select photo_path from reading where superseded_at is null and photo_path is not null order by id desc limit 1`);
    expect(row!.photo_path).toMatch(/^\d{4}\/\d{2}\/[0-9a-f-]{36}\.jpg$/);
    const { readFile } = await import('node:fs/promises');
    const path = await import('node:path');
    expect(await readFile(path.join(world.kit.filesDir, row!.photo_path))).toEqual(jpeg);
  });
});

describe('«Квитанция» in the bot', () => {
  it('offers the months with statements and sends the PDF named after the account and month', async () => {
    const r = await linkedAlla();
    await r.say('🧾 Квитанция');
    expect(r.lastText()).toBe('Квитанция по лицевому счёту 002901800602302: выберите месяц.');
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['Октябрь 2026', 'Сентябрь 2026', 'Август 2026', '📬 Присылать на почту каждый месяц']);
    const calls = await r.tap('Октябрь 2026');
    expect(calls.map((c) => c.method)).toEqual(['answerCallbackQuery', 'sendChatAction', 'sendDocument']);
    expect(calls[1]!.payload.action).toBe('upload_document');
    const sent = world.kit.api.documents.at(-1)!;
    expect(sent.filename).toBe('kvitanciya_002901800602302_2026-10.pdf');
    expect(sent.bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(sent.caption).toBe('Квитанция за октябрь 2026 г., лицевой счёт 002901800602302');
    const stranger = world.newResident();
    await stranger.say('/start');
    await stranger.tap(/Согласен/);
    const stale = await stranger.press(r.lastInlineButtons()[0]!.callback_data);
    expect(stranger.toasts(stale)).toEqual(['Эта кнопка уже не действует. Выберите действие заново.']);
  });

  it('offers every month with a statement, 12 a page, paging both ways in the same message', async () => {
    // Семёнов's 18 months before the fixture's October (04.2025–09.2026), imported as billing would bring them.
    const older = Array.from({ length: 18 }, (_, i) => `${2025 + Math.floor((3 + i) / 12)}-${String(((3 + i) % 12) + 1).padStart(2, '0')}`);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'older-'));
    try {
      const file = path.join(dir, 'history.jsonl');
      const row = (period: string) =>
        JSON.stringify({ record: 'statement', account: '002901800602303', period, opening: '-33.13', charged: '0', volume: '0', paid: '0', closing: '-33.13' });
      await writeFile(file, `${older.map(row).join('\n')}\n`);
      const report = await importFiles(world.db.orm, [file]);
      expect(report.errorCount).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const r = await world.newResident().agreeAndLink('002901800602303', '7', '31', 'Семёнов');
    await r.say('🧾 Квитанция');
    expect(r.lastText()).toBe('Квитанция по лицевому счёту 002901800602303: выберите месяц.');
    const first = [
      ...['Октябрь', 'Сентябрь', 'Август', 'Июль', 'Июнь', 'Май', 'Апрель', 'Март', 'Февраль', 'Январь'].map((m) => `${m} 2026`),
      'Декабрь 2025',
      'Ноябрь 2025',
    ];
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual([...first, '← Раньше', '📬 Присылать на почту каждый месяц']);

    // «← Раньше» edits the same message: the 7 older months, and the way back.
    const back = await r.tap('← Раньше');
    expect(back.map((c) => c.method)).toEqual(['answerCallbackQuery', 'editMessageText']);
    expect(back[1]!.payload.text).toBe('Квитанция по лицевому счёту 002901800602303: выберите месяц.');
    const second = ['Октябрь', 'Сентябрь', 'Август', 'Июль', 'Июнь', 'Май', 'Апрель'].map((m) => `${m} 2025`);
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual([...second, 'Новее →', '📬 Присылать на почту каждый месяц']);

    // A month 18 months back makes its receipt like the newest one.
    await r.tap('Апрель 2025');
    const sent = world.kit.api.documents.at(-1)!;
    expect(sent.filename).toBe('kvitanciya_002901800602303_2025-04.pdf');
    expect(sent.caption).toBe('Квитанция за апрель 2025 г., лицевой счёт 002901800602303');

    const forward = await r.tap('Новее →');
    expect(forward.map((c) => c.method)).toEqual(['answerCallbackQuery', 'editMessageText']);
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual([...first, '← Раньше', '📬 Присылать на почту каждый месяц']);

    // A page cursor before the oldest month is a stale button, not an empty picker.
    const { accountId } = buttons.receipt.month.unpack(r.lastInlineButtons()[0]!.callback_data)!;
    const empty = await r.press(buttons.receipt.monthsBefore.pack({ accountId, before: '2025-04' }));
    expect(r.toasts(empty)).toEqual(['Эта кнопка уже не действует. Выберите действие заново.']);
  });
});
