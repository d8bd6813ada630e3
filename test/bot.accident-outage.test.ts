import { beforeAll, describe, expect, it } from 'vitest';
import { botWorld } from './support/bot-world.ts';
import { OPERATOR, location, requestsWorld, texts } from './support/requests-world.ts';

const world = botWorld(8_700_000);
requestsWorld(world);

const ASK_PHOTOS = 'Пришлите фото места аварии — одно или несколько, можно альбомом. Когда всё отправите, нажмите «Готово».';
const OFFER_HOME =
  'Аварийное отключение по адресу ул. Ермакова, 7 до 22.11.2026 18:00. Причина: порыв водовода.\n' +
  'Заявка не нужна: мы знаем об отключении и сообщим, когда вода появится. Если у вас что-то другое, сообщите об аварии.';
const OFFER_POINT =
  'Плановое отключение до 22.11.2026 16:00. Причина: промывка сетей.\n' +
  'Заявка не нужна: мы знаем об отключении и сообщим, когда вода появится. Если у вас что-то другое, сообщите об аварии.';
const THANKS = 'Спасибо! Когда подачу воды восстановят, бот сообщит.';

const reports = async () =>
  Number((await world.db.orm.em.getConnection().execute(`select count(*)::int n from service_request where kind = 'accident'`))[0]!.n);

beforeAll(async () => {
  const [street] = await world.db.orm.em.getConnection().execute(`select id from street where name = 'ул. Ермакова'`);
  const base = { actor: OPERATOR, branchCode: 'alpha', streets: [], circle: null };
  const home = await world.kit.billing.outages.announce({
    ...base,
    kind: 'emergency',
    reason: 'порыв водовода',
    startsAt: '2026-11-22T08:00:00Z',
    endsAt: '2026-11-22T15:00:00Z',
    streets: [{ streetId: Number(street!.id), houses: ['7'] }],
  });
  const circle = await world.kit.billing.outages.announce({
    ...base,
    kind: 'planned',
    reason: 'промывка сетей',
    startsAt: '2026-11-22T06:00:00Z',
    endsAt: '2026-11-22T13:00:00Z',
    circle: { latitude: 44.03, longitude: 42.85, radiusKm: 0.5 },
  });
  if (!home.ok || !circle.ok) throw new Error('outages not announced');
});

describe('the accident report offers an outage already known', () => {
  it('at the resident’s own house: no report needed; «Понятно» ends it with nothing filed', async () => {
    const r = await world.newResident().agreeAndLink('002901800602302', '7', '30', 'Михайлова');
    const before = await reports();
    const calls = await r.say('🚨 Сообщить об аварии');
    expect(texts(calls).at(-1)).toBe(OFFER_HOME);
    expect(r.lastInlineButtons().map((b) => b.text)).toEqual(['Понятно', 'Это другое, сообщить']);
    // A sticker is not an answer: the question again.
    await r.sticker();
    expect(r.lastText()).toBe(OFFER_HOME);
    await r.tap('Понятно');
    expect(r.lastText()).toBe(THANKS);
    expect(await reports()).toBe(before);
  });

  it('«Это другое, сообщить» goes on with the report, and the same outage is not offered again at the place', async () => {
    const r = await world.newResident().agreeAndLink('002901800602302', '7', '30', 'Михайлова');
    await r.say('🚨 Сообщить об аварии');
    const calls = await r.tap('Это другое, сообщить');
    expect(texts(calls)).toEqual([ASK_PHOTOS]);
    await r.photo(`ph-${r.id}`);
    await r.tap('✅ Готово');
    await r.say('Ермакова 7');
    await r.tap('Ессентукский «Водоканал»');
    expect(r.lastText()).toBe('Что случилось? Выберите вид повреждения:');
  });

  it('at a point inside an outage’s circle, without an account', async () => {
    const r = world.newResident();
    await r.say('/start');
    await r.tap(/Согласен/);
    const calls0 = await r.say('🚨 Сообщить об аварии');
    expect(texts(calls0).at(-1)).toBe(ASK_PHOTOS);
    await r.photo(`ph-${r.id}`);
    await r.tap('✅ Готово');
    const calls = await location(r, 44.031, 42.851);
    expect(texts(calls)).toEqual([OFFER_POINT]);
    await r.tap('Понятно');
    expect(r.lastText()).toBe(THANKS);
  });
});
