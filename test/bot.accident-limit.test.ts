import { describe, expect, it } from 'vitest';
import { botWorld } from './support/bot-world.ts';
import { ALPHA_DISPATCHER, location, requestsWorld } from './support/requests-world.ts';
import type { Resident } from './support/telegram.ts';

/*
 * Accidents without consent: billing keeps nobody to count them, so the bot limits them itself,
 * 5 a day per Telegram user, in Redis only (nothing of the person goes into PostgreSQL).
 */
const world = botWorld(8_650_000);
requestsWorld(world);

/**
 * One report from the menu to «Отправить», at its own point (about 1 km apart, none nearby to join; another
 * test's points at another longitude);
 * `meanwhile` runs at the summary, just before «Отправить».
 */
async function report(r: Resident, i: number, o: { longitude?: number; meanwhile?: () => Promise<unknown> } = {}) {
  await r.say('🚨 Сообщить об аварии');
  await r.photo(`limit-${r.id}-${i}`);
  await r.tap('✅ Готово');
  await location(r, 43.99 + i * 0.01, o.longitude ?? 42.83);
  await r.tap('Порыв трубы');
  await r.say(`Течёт вода из колодца, место ${i}`);
  await o.meanwhile?.();
  await r.tap('✅ Отправить');
  return r.lastText();
}
const reportsOf = async () =>
  Number((await world.db.orm.em.getConnection().execute(`select count(*)::int as n from service_request where kind = 'accident'`))[0]!.n);

describe('accidents without consent', () => {
  it('at most 5 a day per Telegram user, told politely with the dispatcher; another user is not affected', async () => {
    const r = world.newResident();
    for (let i = 0; i < 5; i++) expect(await report(r, i), `report ${i + 1}`).toMatch(/^Заявка А-\d{6} зарегистрирована/);
    const before = await reportsOf();
    expect(await report(r, 5)).toBe(
      'За последние сутки вы уже отправили 5 сообщений об аварии — больше принять не можем. Если авария опасна, позвоните, пожалуйста, диспетчеру.\n' +
        `Аварийно-диспетчерская служба, круглосуточно: ${ALPHA_DISPATCHER}`,
    );
    expect(r.lastMenu()).toContain('🔎 Долг по номеру счёта');
    expect(await reportsOf()).toBe(before);
    // Counted in Redis, by the Telegram user, for a day.
    const ttl = await world.kit.redis.ttl(`rate:{acc:${r.id}}`);
    expect(ttl).toBeGreaterThan(23 * 3600);
    expect(ttl).toBeLessThanOrEqual(24 * 3600);
    expect(await report(world.newResident(), 6)).toMatch(/^Заявка А-\d{6} зарегистрирована/);
  });

  it('only reports the service accepted are counted: a refusal spends no slot', async () => {
    const r = world.newResident();
    const sql = world.db.orm.em.getConnection();
    const area = async (km: number) => sql.execute(`update branch set area_radius_km = ${km} where code = 'alpha'`);
    // Alpha's area shrinks between the point and «Отправить»: the service refuses the report (outside_area).
    for (let i = 0; i < 3; i++) {
      try {
        expect(await report(r, i, { longitude: 42.87, meanwhile: () => area(0.001) }), `refusal ${i + 1}`).toMatch(/^Это место вне зоны обслуживания/);
      } finally {
        await area(12);
      }
    }
    expect(await world.kit.redis.get(`rate:{acc:${r.id}}`)).toBeNull();
    for (let i = 0; i < 5; i++) expect(await report(r, i, { longitude: 42.89 }), `report ${i + 1}`).toMatch(/^Заявка А-\d{6} зарегистрирована/);
    expect(await world.kit.redis.get(`rate:{acc:${r.id}}`)).toBe('5');
    expect(await report(r, 5, { longitude: 42.89 })).toMatch(/^За последние сутки вы уже отправили 5 сообщений об аварии/);
    expect(await world.kit.redis.get(`rate:{acc:${r.id}}`)).toBe('5');
  });
});
