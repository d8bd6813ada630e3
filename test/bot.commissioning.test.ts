import { beforeAll, describe, expect, it } from 'vitest';
import { botWorld } from './support/bot-world.ts';
import { jobsOf, lastRequestOf, requestCount, seedRequests, sendDocument, sendPhoto, shareContact, texts, waitOnlyForOtherJobs } from './support/requests.ts';
import type { Resident } from './support/telegram.ts';

// NOW is Sunday 22 November 2026 (Moscow).
const world = botWorld(8_400_000);

beforeAll(async () => {
  await seedRequests(world.db);
  waitOnlyForOtherJobs(world.kit);
});

const linkedAlla = () => world.newResident().agreeAndLink('002901800602302', '7', '30', 'Михайлова');
const labels = (r: Resident) => r.lastInlineButtons().map((b) => b.text);

async function openCommissioning(r: Resident) {
  await r.say('👷 Вызвать контролёра');
  await r.tap('🔧 Ввод счётчика или опломбировка');
}

/** The first meter: sealing of the cold-water meter billing knows, with its passport and certificate. */
async function sealKnownMeter(r: Resident, n = '1') {
  await r.tap('Опломбировка');
  await r.tap(/№ 17356088/);
  await r.tap('Та же: 01.02.2027');
  await r.say('61,5');
  await r.tap('Установил сам');
  await sendPhoto(r, `pass-${n}`);
  await sendDocument(r, `cert-${n}`, 'application/pdf');
}

/** After the meters: the phone, the two agreements. */
async function phoneAndAgreements(r: Resident) {
  await shareContact(r, '79281234567');
  await r.tap('✅ Принимаю условия');
  await r.tap('✅ Обеспечу доступ');
}

describe('«Ввод прибора учёта в эксплуатацию / опломбировка» in the bot (seed 001 §4)', () => {
  it('takes a meter billing knows and a new one, with their documents, to a number', async () => {
    const r = await linkedAlla();
    await openCommissioning(r);
    const intro = texts(r).at(-2)!;
    expect(intro).toMatch(/^🔧 Заявка на ввод счётчика в эксплуатацию или опломбировку\nЛицевой счёт: 002901800602302\nСобственник: Алла М\./);
    expect(intro).toMatch(/Паспорт собственника бот не спрашивает — контролёр посмотрит его на месте\.$/);
    expect(r.lastText()).toBe('Счётчик 1. Что нужно сделать?');
    await r.tap('Опломбировка');
    expect(r.lastText()).toBe('Какой счётчик?');
    expect(labels(r)).toEqual(['Холодная вода (ХВС), № 17356088, С/У', 'Горячая вода (ГВС), № 17356089, С/У', '➕ Новый счётчик']);
    await r.tap(/№ 17356088/);
    // A meter billing knows: its serial, model, service and place are not asked again; the next
    // verification is (a sealing after one moves it), the known date offered as a button.
    expect(r.lastText()).toBe('Дата следующей поверки — из свидетельства о поверке, в виде ДД.ММ.ГГГГ. Если она не изменилась, нажмите кнопку.');
    expect(labels(r)).toEqual(['Та же: 01.02.2027']);
    await r.say('01.11.2026');
    expect(texts(r).at(-2)).toMatch(/^Дата следующей поверки уже прошла/);
    await r.say('15.01.2033');
    expect(r.lastText()).toBe('Показания счётчика сейчас — только цифры, например 0 или 12,345:');
    await r.say('61,5');
    expect(r.lastText()).toMatch(/^Кто установил счётчик\?/);
    await r.tap('Установил сам');
    expect(r.lastText()).toMatch(/^Пришлите фото технического паспорта счётчика/);

    // A sticker, a text or a file of another kind instead of the photo: told what is needed, asked again.
    await r.sticker();
    expect(texts(r).slice(-2)).toEqual([
      'Нужна фотография или файл PDF. Пришлите снимок документа.',
      expect.stringMatching(/^Пришлите фото технического паспорта/),
    ]);
    await r.say('паспорт потерян');
    expect(texts(r).at(-2)).toBe('Нужна фотография или файл PDF. Пришлите снимок документа.');
    await sendDocument(r, 'zip-1', 'application/zip');
    expect(texts(r).at(-2)).toMatch(/^Этот файл не подойдёт: нужна фотография \(JPEG, PNG, WebP\) или PDF\./);
    // HEIC is not what the file store keeps: refused here, not lost later.
    await sendDocument(r, 'heic-1', 'image/heic');
    expect(texts(r).at(-2)).toMatch(/^Этот файл не подойдёт/);
    await sendDocument(r, 'huge-1', 'application/pdf', 30 * 1024 * 1024);
    expect(texts(r).at(-2)).toMatch(/^Файл больше 20 МБ/);
    await sendPhoto(r, 'pass-1');
    // For a meter billing knows the certificate is required: no «Пропустить».
    expect(r.lastText()).toBe('Пришлите фото свидетельства о поверке (снимком или файлом PDF).');
    await r.sticker();
    expect(r.lastText()).toBe('Пришлите фото свидетельства о поверке (снимком или файлом PDF).');
    await sendDocument(r, 'cert-1', 'application/pdf');

    expect(r.lastText()).toBe('Один счётчик в заявке. Добавить ещё?');
    await r.tap('➕ Добавить ещё счётчик');
    await r.tap('Ввод в эксплуатацию');
    // The meter already in this request is not offered again.
    expect(labels(r)).toEqual(['Горячая вода (ГВС), № 17356089, С/У', '➕ Новый счётчик']);
    await r.tap('➕ Новый счётчик');
    await r.tap('Горячая вода (ГВС)');
    await r.say('ab');
    expect(texts(r).at(-2)).toMatch(/^Номер — от 3 до 32 букв и цифр/);
    await r.say('ГВ-2026/15');
    await r.say('СВК-15');
    expect(r.lastText()).toMatch(/^Где установлен/);
    await r.tap('Пропустить');
    expect(r.lastText()).toMatch(/^Дата следующей поверки из паспорта/);
    await r.say('31.02.2030');
    expect(texts(r).at(-2)).toBe('Нужна дата в виде ДД.ММ.ГГГГ, например 15.03.2032.');
    await r.say('22.11.2026');
    expect(texts(r).at(-2)).toMatch(/^Дата следующей поверки уже прошла/);
    await r.say('15.03.2032');
    await r.say('12,3456');
    expect(texts(r).at(-2)).toBe('У этого счётчика 3 знака после запятой. Введите показания ещё раз.');
    await r.say('0');
    await r.say('ООО «Сантехник»');
    // An image sent as a file is checked for size too.
    await sendDocument(r, 'huge-2', 'image/jpeg', 25 * 1024 * 1024);
    expect(texts(r).at(-2)).toMatch(/^Файл больше 20 МБ/);
    await sendDocument(r, 'pass-2', 'image/jpeg');
    expect(r.lastText()).toMatch(/если оно есть\. Если нет — нажмите «Пропустить»\.$/);
    await r.tap('Пропустить');
    expect(r.lastText()).toBe('Счётчиков в заявке: 2. Добавить ещё?');
    await r.tap('Дальше');

    expect(r.lastText()).toMatch(/^Контактный телефон/);
    await shareContact(r, '+79051112233', r.id + 7);
    expect(r.lastText()).toMatch(/^Это номер другого человека/);
    await r.say('8 (928) 123-45-67');
    expect(texts(r).at(-2)).toBe('Телефон для связи: +7 928 123-45-67');
    expect(r.lastText()).toMatch(/^Условия:/);
    await r.say('да');
    expect(r.lastText()).toMatch(/^Условия:/);
    await r.tap('✅ Принимаю условия');
    expect(r.lastText()).toMatch(/^Для проверки нужен доступ/);
    await r.tap('✅ Обеспечу доступ');

    expect(r.lastText()).toBe(
      [
        'Проверьте заявку:',
        'Лицевой счёт: 002901800602302',
        'Собственник: Алла М.',
        'Адрес: г. Ессентуки, ул. Ермакова, д. 7, кв. 30',
        'Филиал: Ессентукский «Водоканал»',
        '',
        '1. Опломбировка: Холодная вода (ХВС), № 17356088, С/У, модель СХВ-15, поверка до 15.01.2033',
        'Показания: 61,500 м³; установил: собственник сам; документов: 2',
        '2. Ввод в эксплуатацию: Горячая вода (ГВС), № ГВ-2026/15, модель СВК-15, поверка до 15.03.2032',
        'Показания: 0,000 м³; установил: ООО «Сантехник»; документов: 1',
        '',
        'Телефон: +7 928 123-45-67',
        'Вы приняли условия и обеспечите доступ к счётчику.',
      ].join('\n'),
    );
    await r.tap('✅ Отправить');
    expect(r.lastText()).toMatch(/^Заявка П-\d{6} отправлена\. Срок выполнения — до 14\.12\.2026\. Об изменениях статуса сообщим в этом чате\.$/);

    const stored = await lastRequestOf(world.db, r.id);
    expect(stored).toMatchObject({
      kind: 'commissioning',
      contact_phone: '+79281234567',
      details: {
        acceptedTerms: true,
        accessGiven: true,
        meters: [
          { requestType: 'sealing', serial: '17356088', service: 'cold_water', verificationDue: '2033-01-15', reading: 61_500, installer: { self: true } },
          {
            requestType: 'commissioning',
            meterId: null,
            serial: 'ГВ-2026/15',
            service: 'hot_water',
            model: 'СВК-15',
            verificationDue: '2032-03-15',
            reading: 0,
          },
        ],
      },
    });
    expect(r.lastText()).toContain(stored!.number);
    const files = await world.db.orm.em
      .getConnection()
      .execute(
        `select role, meter_index, telegram_file_id, telegram_file_unique_id, media from request_attachment where request_id = ? order by meter_index, role`,
        [stored!.id],
      );
    expect(files).toEqual([
      { role: 'meter_passport', meter_index: 0, telegram_file_id: 'pass-1', telegram_file_unique_id: 'u-pass-1', media: 'photo' },
      { role: 'verification_certificate', meter_index: 0, telegram_file_id: 'cert-1', telegram_file_unique_id: 'u-cert-1', media: 'document' },
      { role: 'meter_passport', meter_index: 1, telegram_file_id: 'pass-2', telegram_file_unique_id: 'u-pass-2', media: 'document' },
    ]);
    expect(await jobsOf(world.db, stored!.id)).toEqual(['request.card', 'request.files']);
  });

  it('the same meters twice in a day: the second request is refused in words', async () => {
    const r = await linkedAlla();
    await openCommissioning(r);
    await sealKnownMeter(r, 'a');
    await r.tap('Дальше');
    await phoneAndAgreements(r);
    await r.tap('✅ Отправить');
    expect(r.lastText()).toMatch(/^Заявка П-\d{6} отправлена/);
    await openCommissioning(r);
    await sealKnownMeter(r, 'b');
    await r.tap('Дальше');
    await phoneAndAgreements(r);
    await r.tap('✅ Отправить');
    expect(r.lastText()).toBe('Такую заявку вы уже подали за последние сутки — повторять не нужно. О каждом изменении её статуса мы сообщим здесь.');
    expect(await requestCount(world.db, r.id)).toBe(1);
    // «Та же» keeps the date billing knows.
    expect((await lastRequestOf(world.db, r.id))!.details.meters[0].verificationDue).toBe('2027-02-01');
  });

  it('keeps the documents sent so far when the dialogue state is read back from Redis by another step', async () => {
    const r = await linkedAlla();
    await openCommissioning(r);
    await r.tap('Опломбировка');
    await r.tap(/№ 17356088/);
    await r.tap('Та же: 01.02.2027');
    await r.say('61,5');
    await r.tap('Установил сам');
    await sendPhoto(r, 'pass-r');
    // The session is lost (Redis restarted without it); the dialogue's own state is kept.
    await world.kit.redis.del(`sess:{${r.id}}`);
    await sendDocument(r, 'cert-r', 'application/pdf');
    await r.tap('Дальше');
    await phoneAndAgreements(r);
    await r.tap('✅ Отправить');
    const stored = await lastRequestOf(world.db, r.id);
    const files = await world.db.orm.em
      .getConnection()
      .execute(`select telegram_file_id from request_attachment where request_id = ? order by id`, [stored!.id]);
    expect(files.map((f) => f.telegram_file_id)).toEqual(['pass-r', 'cert-r']);
  });
});
