import { beforeEach, describe, expect, it } from 'vitest';
import { OWNERSHIP_LIMITS, viaTelegram } from '../src/billing/index.ts';
import { botWorld } from './support/bot-world.ts';
import type { Resident } from './support/telegram.ts';

const world = botWorld(5_600_000);
const NOT_FOUND = /^Не нашли лицевой счёт/;
const LOCKED = /^Слишком много неудачных попыток/;

async function consented() {
  const r = world.newResident();
  await r.say('/start');
  await r.tap(/Согласен/);
  return r;
}

/** Семёнов's account, 002901800602303 (short number 602303), ул. Ермакова 7, кв. 31, Ессентуки. */
const semenov = {
  /** Only as far as the number: the lockout, if any, is told here. */
  pointByNumber: async (r: Resident) => {
    await r.press('link:start');
    await r.tap(/По номеру/);
    await r.say('002901800602303');
    return r.lastText();
  },
  byNumber: async (r: Resident, surname: string) => {
    await r.press('link:start');
    await r.tap(/По номеру/);
    for (const answer of ['002901800602303', '7', '31', surname]) await r.say(answer);
    return r.lastText();
  },
  byShortNumber: async (r: Resident, surname: string) => {
    await r.press('link:start');
    await r.tap(/По номеру/);
    await r.say('602303');
    await r.tap('Ессентукский «Водоканал»');
    for (const answer of ['7', '31', surname]) await r.say(answer);
    return r.lastText();
  },
  byAddress: async (r: Resident, surname: string) => {
    await r.press('link:start');
    await r.tap(/По адресу/);
    await r.tap('Ессентукский «Водоканал»');
    await r.say('ермакова');
    await r.tap(/ул\. Ермакова/);
    for (const answer of ['7', '31', surname]) await r.say(answer);
    return r.lastText();
  },
};

describe('the limits of failed tries to show an account is one’s own', () => {
  // Each test counts from nothing (they all try the same account).
  beforeEach(async () => {
    await world.db.orm.em.fork().execute('delete from ownership_failure');
  });

  it('one account takes five guesses of one resident whichever way they link', async () => {
    const r = await consented();
    expect(await semenov.byNumber(r, 'Иванов')).toMatch(NOT_FOUND);
    expect(await semenov.byNumber(r, 'Петров')).toMatch(NOT_FOUND);
    expect(await semenov.byShortNumber(r, 'Сидоров')).toMatch(NOT_FOUND);
    expect(await semenov.byShortNumber(r, 'Кузнецов')).toMatch(NOT_FOUND);
    expect(await semenov.byAddress(r, 'Смирнов')).toMatch(NOT_FOUND);
    // The sixth, by any way, is stopped as soon as the account is pointed at.
    await r.press('link:start');
    await r.tap(/По адресу/);
    await r.tap('Ессентукский «Водоканал»');
    await r.say('ермакова');
    await r.tap(/ул\. Ермакова/);
    await r.say('7');
    await r.say('31');
    expect(r.lastText()).toMatch(LOCKED);
    await r.press('link:start');
    await r.tap(/По номеру/);
    await r.say('602303');
    await r.tap('Ессентукский «Водоканал»');
    expect(r.lastText()).toMatch(LOCKED);
  });

  it('strangers guessing do not lock the owner out: the owner links after 25 strangers’ failures; past the account’s own limit everybody is sent to the office', async () => {
    const strangers = 5;
    for (let s = 0; s < strangers; s++) {
      const x = await consented();
      for (let i = 0; i < OWNERSHIP_LIMITS.perPersonAndAccount; i++) expect(await semenov.byNumber(x, `Чужой${i}`)).toMatch(NOT_FOUND);
      expect(await semenov.pointByNumber(x)).toMatch(LOCKED);
    }
    const owner = await consented();
    expect(await semenov.byNumber(owner, 'Семёнов')).toMatch(/^Лицевой счёт 002901800602303 привязан/);
    // The owner's success does not clear the strangers' tries: one more stranger reaches the account's limit (30).
    const last = await consented();
    for (let i = 0; i < OWNERSHIP_LIMITS.perAccount - strangers * OWNERSHIP_LIMITS.perPersonAndAccount; i++)
      expect(await semenov.byNumber(last, `Чужой${i}`)).toMatch(NOT_FOUND);
    const late = await consented();
    expect(await semenov.pointByNumber(late)).toMatch(LOCKED);
    expect(late.lastText()).toMatch(/позвоните в абонентский отдел/);
  });

  it('survive a Redis restart: the tries are counted in PostgreSQL', async () => {
    const r = await consented();
    for (let i = 0; i < OWNERSHIP_LIMITS.perPersonAndAccount; i++) expect(await semenov.byNumber(r, `Иванов${i}`)).toMatch(NOT_FOUND);
    // Everything this bot keeps in Redis is gone (as after a restart of a Redis that keeps nothing on disk).
    const prefix = String(world.kit.redis.options.keyPrefix);
    const keys = await world.kit.redis.keys('*');
    for (const k of keys) await world.kit.redis.del(k.slice(prefix.length));
    await r.say('/start');
    await r.press('link:start');
    await r.tap(/По номеру/);
    await r.say('002901800602303');
    expect(r.lastText()).toMatch(LOCKED);
    const [row] = await world.db.orm.em.fork().execute<{ n: number }[]>(`select count(*)::int as n from ownership_failure where who = ?`, [`tg:${r.id}`]);
    expect(row!.n).toBe(OWNERSHIP_LIMITS.perPersonAndAccount);
  });

  it('where the branch asks a PIN, a wrong surname is asked for it as the right one is, and the refusal is the same', async () => {
    const byNumber = async (r: Resident, surname: string, pin: string) => {
      await r.press('link:start');
      await r.tap(/По номеру/);
      for (const answer of ['051424000000012', '2']) await r.say(answer);
      await r.tap(/Частный дом/);
      await r.say(surname);
      const asked = r.lastText();
      await r.say(pin);
      return { asked, answer: r.lastText() };
    };
    const r = await consented();
    const wrongSurname = await byNumber(r, 'Петрова', 'FaEGlc');
    const wrongPin = await byNumber(r, 'Киреева', '000000');
    expect(wrongSurname.asked).toMatch(/ПИН-код/);
    expect(wrongPin.asked).toBe(wrongSurname.asked);
    expect(wrongSurname.answer).toMatch(NOT_FOUND);
    expect(wrongPin.answer).toBe(wrongSurname.answer);
    const right = await byNumber(r, 'Киреева', 'FaEGlc');
    expect(right.answer).toMatch(/051424000000012 привязан/);
    const resident = await world.kit.billing.residents.get({ actor: viaTelegram(r.id) });
    expect(resident.ok && resident.value.accounts.map((a) => a.longNumber)).toEqual(['051424000000012']);
  });
});
