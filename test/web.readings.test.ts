import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttemptLimits, memoryLimits } from '../src/bot/limits.ts';
import { createTranslator } from '../src/i18n.ts';
import { createLogger } from '../src/logger.ts';
import { buildWeb } from '../src/web/app.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { textOf, webVisitor } from './support/web.ts';

let db: TestDatabase;
let web: FastifyInstance;
let limits: AttemptLimits;
const sql = (q: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute<Record<string, number>[]>(q, params);
const count = async () => Number((await sql('select count(*)::int as n from reading'))[0]?.n);

beforeAll(async () => {
  const fixture = await openFixtureBilling();
  db = fixture.db;
  limits = memoryLimits();
  web = await buildWeb({ billing: fixture.billing, translator: createTranslator(), log: createLogger('silent'), readiness: { database: () => 'up' }, limits });
});
afterAll(async () => {
  await web.close();
  await db.drop();
});

/** The meters' fields of the form on the page: their names. */
const meterFields = (html: string) => [...html.matchAll(/<input id="(m\d+)"/g)].map((m) => m[1]!);

describe('readings without signing in (seeds 001/002)', () => {
  it('the number with its house and flat opens the meters; a value is passed and charged', async () => {
    const v = webVisitor(web, { ip: '10.3.0.1' });
    await v.get('/readings');
    const meters = await v.post('/readings', { number: '002901800602302', house: '7', flat: '30' });
    expect(meters.statusCode).toBe(200);
    expect(textOf(meters.body)).toContain('Передача показаний по лицевому счёту 002901800602302');
    const fields = meterFields(meters.body);
    expect(fields.length).toBeGreaterThan(0);
    const before = await count();
    const lastValue = /Последние показания: ([\d\s,]+) м³/.exec(textOf(meters.body))?.[1];
    expect(lastValue).toBeDefined();
    const next = (Number(lastValue!.replace(/\s/g, '').replace(',', '.')) + 1).toFixed(3).replace('.', ',');
    const submission = /name="submission" value="([^"]+)"/.exec(meters.body)![1]!;
    const token = v.token;
    const done = await v.post('/readings/submit', { number: '002901800602302', house: '7', flat: '30', submission, [fields[0]!]: next });
    expect(done.statusCode).toBe(200);
    expect(textOf(done.body)).toMatch(/Показания (приняты|сохранены)/);
    expect(textOf(done.body)).toMatch(/итого [\d\s,]+ ₽/);
    expect(await count()).toBe(before + 1);
    // Nothing is kept of who passed it: the place was the only proof.
    expect(await sql('select sent_by from reading order by id desc limit 1')).toEqual([{ sent_by: null }]);
    // The same form sent twice (a double click, a reload) stores nothing more.
    const twice = await v.post('/readings/submit', { number: '002901800602302', house: '7', flat: '30', submission, [fields[0]!]: next }, token);
    expect(twice.statusCode).toBe(200);
    expect(await count()).toBe(before + 1);
  });

  it('needs the flat in a block of flats; a wrong place is answered next to the number, and counted', async () => {
    const v = webVisitor(web, { ip: '10.3.0.2' });
    await v.get('/readings');
    const noFlat = await v.post('/readings', { number: '002901800602302', house: '7', flat: '' });
    expect(noFlat.statusCode).toBe(404);
    expect(noFlat.body).toMatch(/id="number-error"[^>]*>.*Не нашли лицевой счёт с таким номером, домом и квартирой/);
    // What was typed stays in the form.
    expect(noFlat.body).toMatch(/<input id="house"[^>]*value="7"/);
    const empty = await v.post('/readings', { number: '123', house: '', flat: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<a href="#number">');
    expect(empty.body).toContain('<a href="#house">Укажите номер дома, как в квитанции.</a>');
  });

  it('locks a visitor out of the account after five failed tries (billing’s limits, as the bot’s), says until when, and serves the others', async () => {
    const number = '002901800602303';
    const v = webVisitor(web, { ip: '10.4.0.1' });
    await v.get('/readings');
    for (let i = 0; i < 5; i++) expect((await v.post('/readings', { number, house: '7', flat: '99' })).statusCode).toBe(404);
    // Even the right place is refused to this visitor now.
    const right = await v.post('/readings', { number, house: '7', flat: '31' });
    expect(right.statusCode).toBe(429);
    expect(textOf(right.body)).toMatch(/попыт/i);
    expect(meterFields(right.body)).toEqual([]);
    // Someone else (the owner) is not locked out by them.
    const owner = webVisitor(web, { ip: '10.4.0.9' });
    await owner.get('/readings');
    const served = await owner.post('/readings', { number, house: '7', flat: '31' });
    expect(served.statusCode).toBe(200);
    expect(textOf(served.body)).not.toMatch(/попыт/i);
    expect(textOf(served.body)).toContain('Холодная вода');
  });

  it('answers a malformed value and a value below the last next to its meter, storing nothing', async () => {
    const v = webVisitor(web, { ip: '10.3.0.3' });
    await v.get('/readings');
    const meters = await v.post('/readings', { number: '002901800602302', house: '7', flat: '30' });
    const fields = meterFields(meters.body);
    const before = await count();
    const bad = await v.post('/readings/submit', { number: '002901800602302', house: '7', flat: '30', submission: 'web-test-bad-1', [fields[0]!]: 'abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(new RegExp(`id="${fields[0]}-error"[^>]*>.*Показания — это только цифры`));
    expect(bad.body).toMatch(new RegExp(`<input id="${fields[0]}"[^>]*value="abc"`));
    const low = await v.post('/readings/submit', { number: '002901800602302', house: '7', flat: '30', submission: 'web-test-bad-2', [fields[0]!]: '1' });
    expect(low.statusCode).toBe(400);
    expect(textOf(low.body)).toMatch(/меньше предыдущих/);
    const none = await v.post('/readings/submit', { number: '002901800602302', house: '7', flat: '30', submission: 'web-test-bad-3' });
    expect(none.statusCode).toBe(400);
    expect(textOf(none.body)).toContain('Введите показания хотя бы одного счётчика.');
    expect(await count()).toBe(before);
  });

  it('refuses the forms without their token', async () => {
    const v = webVisitor(web, { ip: '10.3.0.4' });
    await v.get('/readings');
    expect((await v.post('/readings', { number: '002901800602302', house: '7', flat: '30' }, null)).statusCode).toBe(403);
    expect((await v.post('/readings/submit', { number: '002901800602302', house: '7', flat: '30', m1: '1' }, null)).statusCode).toBe(403);
  });
});
