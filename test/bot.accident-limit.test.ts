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

/** One report from the menu to «Отправить», at its own point (about 1 km apart, none nearby to join). */
async function report(r: Resident, i: number) {
  await r.say('🚨 Сообщить об аварии');
  await r.photo(`limit-${r.id}-${i}`);
  await r.tap('✅ Готово');
  await location(r, 43.99 + i * 0.01, 42.83);
  await r.tap('Порыв трубы');
  await r.say(`Течёт вода из колодца, место ${i}`);
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
});
