import { describe, expect, it } from 'vitest';
import { botWorld } from './support/bot-world.ts';

// 27 November: the window of days 20–25 has closed.
const world = botWorld(9_000_000, { now: () => new Date('2026-11-27T09:00:00Z') });

const linked = (number: string, house: string, flat: string, surname: string) => world.newResident().agreeAndLink(number, house, flat, surname);

describe('readings outside the window and on an expired meter', () => {
  it('keeps a reading passed after the window and says exactly from when it counts', async () => {
    const r = await linked('002901800602302', '7', '30', 'Михайлова');
    const opening = await r.say('📟 Передать показания');
    expect(opening[0]!.payload.text).toBe(
      'Передача показаний по лицевому счёту 002901800602302\nПоказания принимаются с 20.12.2026 по 25.12.2026. Переданные сейчас сохраним и учтём с 20.12.2026.',
    );
    await r.tap(/№ 17356088/);
    await r.say('61');
    await r.tap('✅ Подтвердить');
    expect(r.lastText()).toMatch(
      /^Показания сохранены и будут учтены с 20\.12\.2026\.\nПо текущим тарифам за декабрь 2026 г\. будет начислено: вода [\d\s\u00a0,]+ ₽, водоотведение [\d\s\u00a0,]+ ₽, итого [\d\s\u00a0,]+ ₽\. Сумма войдёт в баланс 20\.12\.2026\.$/,
    );
  });

  it('leaves the balance as it was until the window opens: it does not contradict «будут учтены с 20.12»', async () => {
    const r = await linked('002901800602302', '7', '30', 'Михайлова');
    await r.say('💰 Баланс');
    const before = r.lastText();
    await r.say('📟 Передать показания');
    await r.tap(/№ 17356088/);
    await r.say('62');
    await r.tap('✅ Подтвердить');
    expect(r.lastText()).toMatch(/будут учтены с 20\.12\.2026/);
    await r.say('💰 Баланс');
    expect(r.lastText()).toBe(before);
  });

  it('does not take readings of a meter whose verification has passed, and says why', async () => {
    const r = await linked('002901800602303', '7', '31', 'Семёнов');
    await r.say('📟 Передать показания');
    const texts = r
      .messages()
      .slice(-2)
      .map((m) => m.payload.text);
    expect(texts[0]).toMatch(
      /^Холодная вода \(ХВС\), № 555001, кухня: срок поверки истёк 01\.10\.2026\. Показания такого счётчика не принимаются к расчёту — начисление идёт по среднему, а через 3 месяца по нормативу\./,
    );
    expect(texts[1]).toBe('Показания не переданы ни по одному счётчику.');
  });
});
