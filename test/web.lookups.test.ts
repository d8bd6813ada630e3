import { visitor } from '../src/web/lookups.ts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Billing } from '../src/billing/index.ts';
import { memoryLimits, PUBLIC_LOOKUP } from '../src/bot/limits.ts';
import { createTranslator } from '../src/i18n.ts';
import { createLogger } from '../src/logger.ts';
import { buildWeb } from '../src/web/app.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { textOf, webVisitor } from './support/web.ts';

let db: TestDatabase;
let billing: Billing;
let web: FastifyInstance;

beforeAll(async () => {
  ({ db, billing } = await openFixtureBilling());
  web = await buildWeb({ billing, translator: createTranslator(), log: createLogger('silent'), readiness: { database: () => 'up' }, limits: memoryLimits() });
});
afterAll(async () => {
  await web.close();
  await db.drop();
});

describe('the web house', () => {
  it('shows the home page in Russian, with links to the lookups, and in English on request (remembered)', async () => {
    const v = webVisitor(web);
    const home = await v.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    expect(home.body).toContain('<html lang="ru">');
    expect(textOf(home.body)).toContain('Личный кабинет абонента');
    expect(home.body).toContain('href="/debt"');
    expect(home.body).toContain('href="/number"');
    const en = await v.get('/?lang=en');
    expect(en.body).toContain('<html lang="en">');
    expect(textOf(en.body)).toContain('Customer account');
    // The choice is kept: the next page comes in English without asking.
    expect((await v.get('/debt')).body).toContain('<html lang="en">');
  });

  it('sends the security headers: a CSP without inline scripts, no framing, no referrer', async () => {
    const res = await web.inject({ method: 'GET', url: '/' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves the stylesheet, and answers an unknown page politely', async () => {
    const css = await web.inject({ method: 'GET', url: '/assets/site.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    const missing = await web.inject({ method: 'GET', url: '/no-such-page' });
    expect(missing.statusCode).toBe(404);
    expect(textOf(missing.body)).toContain('Такой страницы нет. Начните с главной.');
  });
});

describe('debt by number without signing in (seed 000 §10)', () => {
  it('tells the overpayment and the passed verification date of a 15-digit number', async () => {
    const v = webVisitor(web);
    await v.get('/debt');
    const res = await v.post('/debt', { number: '0029 0180 0602 303' });
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(text).toContain('По лицевому счёту 002901800602303:');
    expect(text).toContain('Переплата: 470,46 ₽');
    expect(text).toContain('Срок поверки счётчика истёк 01.10.2026');
  });

  it('answers a malformed number next to the field and in the summary, keeping what was typed', async () => {
    const v = webVisitor(web);
    await v.get('/debt');
    const res = await v.post('/debt', { number: '12345' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain('<a href="#number">Введите 15 цифр номера лицевого счёта — как в квитанции.</a>');
    expect(res.body).toMatch(/id="number-error"[^>]*>.*Введите 15 цифр/);
    expect(res.body).toMatch(/<input id="number"[^>]*value="12345"[^>]*aria-describedby="number-hint number-error"[^>]*aria-invalid="true"/);
  });

  it('says the same for an unknown number as the bot does', async () => {
    const v = webVisitor(web);
    await v.get('/debt');
    const res = await v.post('/debt', { number: '000000000000000' });
    expect(res.statusCode).toBe(404);
    expect(textOf(res.body)).toContain('Не нашли лицевой счёт с таким номером. Проверьте цифры в квитанции.');
  });

  it('refuses a form without its token, or with a token of another visitor', async () => {
    const v = webVisitor(web);
    await v.get('/debt');
    const none = await v.post('/debt', { number: '002901800602303' }, null);
    expect(none.statusCode).toBe(403);
    expect(textOf(none.body)).toContain('Страница устарела.');
    expect(textOf(none.body)).not.toContain('Переплата');
    const other = webVisitor(web);
    await other.get('/debt');
    const foreign = await v.post('/debt', { number: '002901800602303' }, other.token);
    expect(foreign.statusCode).toBe(403);
  });

  it('stops a visitor after the bot’s hourly allowance of look-ups (by address); others are still served', async () => {
    const limits = memoryLimits();
    const limited = await buildWeb({ billing, translator: createTranslator(), log: createLogger('silent'), readiness: { database: () => 'up' }, limits });
    try {
      // The allowance used up from this address (the same counter the bot keeps for a Telegram user).
      for (let i = 0; i < PUBLIC_LOOKUP.max; i++) await limits.allow(`public:${visitor('10.1.1.1')}`, PUBLIC_LOOKUP.max, PUBLIC_LOOKUP.windowSeconds);
      const v = webVisitor(limited, { ip: '10.1.1.1' });
      await v.get('/debt');
      const stopped = await v.post('/debt', { number: '002901800602303' });
      expect(stopped.statusCode).toBe(429);
      expect(textOf(stopped.body)).toContain('Слишком много запросов за последний час.');
      expect(textOf(stopped.body)).not.toContain('Переплата');
      const other = webVisitor(limited, { ip: '10.1.1.2' });
      await other.get('/debt');
      expect((await other.post('/debt', { number: '002901800602303' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('cuts a burst of look-ups with the rate limiter (10 a minute per address)', async () => {
    const limited = await buildWeb({
      billing,
      translator: createTranslator(),
      log: createLogger('silent'),
      readiness: { database: () => 'up' },
      limits: memoryLimits(),
    });
    try {
      const v = webVisitor(limited, { ip: '10.2.2.2' });
      await v.get('/debt');
      const token = v.token;
      const codes: number[] = [];
      for (let i = 0; i < 11; i++) codes.push((await v.post('/debt', { number: '1' }, token)).statusCode);
      expect(codes.slice(0, 10)).toEqual(Array(10).fill(400));
      expect(codes[10]).toBe(429);
      expect(textOf(v.last)).toContain('Слишком много запросов подряд.');
    } finally {
      await limited.close();
    }
  });
});

describe('the 15-digit number from a short one (seed 000 §4)', () => {
  it('finds the number with its branch, and offers the debt look-up for it', async () => {
    const v = webVisitor(web);
    const form = await v.get('/number');
    expect(form.body).toContain('<label for="branch">Водоканал</label>');
    const res = await v.post('/number', { branch: 'beta', short: '12' });
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body)).toContain('Ваш 15-значный номер лицевого счёта: 051424000000012');
    expect(res.body).toContain('<input type="hidden" name="number" value="051424000000012">');
  });

  it('names each missing field, and does not find a number in another branch', async () => {
    const v = webVisitor(web);
    await v.get('/number');
    const empty = await v.post('/number', { branch: '', short: 'abc' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<a href="#branch">Выберите водоканал из списка.</a>');
    expect(empty.body).toContain('<a href="#short">Введите короткий номер лицевого счёта цифрами.</a>');
    const wrong = await v.post('/number', { branch: 'alpha', short: '12' });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).toMatch(/id="short-error"[^>]*>.*Не нашли лицевой счёт с таким номером в этом водоканале/);
  });
});
