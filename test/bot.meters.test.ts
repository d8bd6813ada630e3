import { describe, expect, it } from 'vitest';
import { buttons } from '../src/bot/callback-data.ts';
import { botWorld } from './support/bot-world.ts';

const world = botWorld(8_900_000);
const STALE = 'Эта кнопка уже не действует. Выберите действие заново.';

const linkedAlla = () => world.newResident().agreeAndLink('002901800602302', '7', '30', 'Михайлова');
const linkedSemenov = () => world.newResident().agreeAndLink('002901800602303', '7', '31', 'Семёнов');

const SCREEN = [
  'Счётчики по лицевому счёту 002901800602302',
  '',
  '💧 Холодная вода (ХВС), № 17356088',
  'Место установки: С/У',
  'Модель: СХВ-15',
  'Установлен: 01.02.2021',
  'Поверка до: 01.02.2027',
  'Состояние: работает',
  'Последние показания: 58,500 м³ от 23.10.2026 (из квитанции)',
  'Средний расход: 4,250 м³ в месяц (за 2 месяца)',
  '',
  '💧 Горячая вода (ГВС), № 17356089',
  'Место установки: С/У',
  'Установлен: 10.12.2020',
  'Поверка до: 10.12.2026 — ⚠️ осталось 18 дней',
  'Состояние: работает',
  'Показаний пока нет',
  '',
  '💧 Холодная вода (ХВС), № 0311046',
  'Место установки: С/У',
  'Поверка до: 01.01.2015 — ❗ срок истёк, показания не принимаются',
  'Состояние: 🚫 отключён',
  'Показаний пока нет',
].join('\n');

describe('«Счётчики» in the bot (seeds 001/002 «Информация об ИПУ»)', () => {
  it('shows every meter of the account from the balance screen and by /meters, the disconnected one marked', async () => {
    const r = await linkedAlla();
    await r.say('💰 Баланс');
    await r.tap('🔢 Счётчики');
    expect(r.lastText()).toBe(SCREEN);
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual([
      '📟 Передать, № 17356088',
      '📈 История, № 17356088',
      '📟 Передать, № 17356089',
      '📈 История, № 17356089',
      // Disconnected: its history, no reading to pass.
      '📈 История, № 0311046',
    ]);
    await r.say('/meters');
    expect(r.lastText()).toBe(SCREEN);
  });

  it("a meter's button opens the readings dialogue with that meter chosen, the other its history", async () => {
    const r = await linkedAlla();
    await r.say('/meters');
    await r.tap('📈 История, № 17356088');
    expect(r.lastText()).toMatch(/^История показаний: Холодная вода \(ХВС\), № 17356088\n\nОктябрь 2026: 58,500 м³ \(\+4,500\)\n {2}снято 23\.10\.2026 · /);

    await r.say('/meters');
    const opening = await r.tap('📟 Передать, № 17356088');
    expect(opening.filter((c) => c.method === 'sendMessage').map((c) => c.payload.text)).toEqual([
      'Передача показаний по лицевому счёту 002901800602302\nПоказания принимаются до 25.11.2026 включительно и будут учтены в расчёте за этот месяц.',
      'Холодная вода (ХВС), № 17356088, С/У\nПоследние показания: 58,500 м³ от 23.10.2026\nВведите текущие показания — только цифры, например: 59,500\nИли расход с прошлых показаний со знаком «+», например: +1,000\nМожно приложить фото счётчика.',
    ]);
    await r.say('60');
    expect(r.lastText()).toMatch(/^Проверьте показания:\nХолодная вода \(ХВС\), № 17356088, С\/У: 60,000 м³ \(расход 1,500 м³\)/);
  });

  it('without a linked account /meters offers to link one', async () => {
    const r = world.newResident();
    await r.say('/start');
    await r.tap(/Согласен/);
    await r.say('/meters');
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual([expect.stringMatching(/Привязать/)]);
  });

  it("buttons forged with another resident's account are refused as stale and show nothing of it", async () => {
    const owner = await linkedAlla();
    const [row] = await world.db.orm.em
      .fork()
      .getConnection()
      .execute<{ account: number; meter: number }[]>(
        `select a.id as account, m.id as meter from account a join meter m on m.account_id = a.id where a.long_number = '002901800602302' and m.serial = '17356088'`,
      );
    const accountId = Number(row!.account);
    const meterId = Number(row!.meter);
    const intruder = await linkedSemenov();
    for (const data of [buttons.meters.show.pack({ accountId }), buttons.meters.pass.pack({ accountId, meterId })]) {
      const calls = await intruder.press(data);
      expect(intruder.toasts(calls), data).toEqual([STALE]);
      expect(calls.filter((c) => c.method === 'sendMessage')).toEqual([]);
    }
    // The intruder's readings still go to their own account, and the owner's screen is unchanged.
    await intruder.say('/readings');
    expect(intruder.lastText()).not.toContain('002901800602302');
    await owner.say('/meters');
    expect(owner.lastText()).toBe(SCREEN);
  });
});
