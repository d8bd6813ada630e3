import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Billing } from '../src/billing/index.ts';
import { openFixtureBilling, residentWithAddress } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { textOf, webVisitor } from './support/web.ts';
import { openWebWorld } from './support/web-world.ts';

let db: TestDatabase;
let billing: Billing;
let world: Awaited<ReturnType<typeof openWebWorld>>;
let letters = 0;

beforeAll(async () => {
  ({ db, billing } = await openFixtureBilling());
  world = await openWebWorld(billing);
});
afterAll(async () => {
  await world.close();
  await db.drop();
});

const alla = { number: '002901800602302', house: '7', flat: '30', surname: 'Михайлова' };

describe('signing up and in on the web pages, without Telegram and without SMS', () => {
  it('consent, the account proven, the e-mail confirmed by a code: the balance; later a sign-in by a new code', async () => {
    const v = webVisitor(world.web, { ip: '10.6.0.1' });
    const consent = await v.get('/signup');
    expect(textOf(consent.body)).toContain('Федеральный закон № 152-ФЗ');
    // Without the tick nothing is created.
    const unticked = await v.post('/signup', {});
    expect(unticked.statusCode).toBe(400);
    expect(unticked.body).toContain('<a href="#agree">');
    const agreed = await v.post('/signup', { agree: 'yes' });
    expect(agreed.statusCode).toBe(303);
    expect(agreed.headers.location).toBe('/signup/account');
    expect(String(agreed.headers['set-cookie'])).toMatch(/sid=.+; Max-Age=1800; Path=\/; HttpOnly; SameSite=Lax/);

    await v.get('/signup/account');
    const wrong = await v.post('/signup/account', { ...alla, surname: 'Иванова' });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.body).toMatch(/id="number-error"[^>]*>.*Не нашли лицевой счёт по этим данным/);
    const linked = await v.post('/signup/account', alla);
    expect(linked.statusCode).toBe(303);
    expect(linked.headers.location).toBe('/signup/email');
    // Not signed in yet: the account page waits for the e-mail.
    expect((await v.get('/account')).headers.location).toBe('/signup/account');

    await v.get('/signup/email');
    const bad = await v.post('/signup/email', { address: 'not an address' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/id="address-error"/);
    const sent = await v.post('/signup/email', { address: 'alla@example.test' });
    expect(sent.statusCode).toBe(200);
    expect(textOf(sent.body)).toContain('Мы отправили код на alla@example.test');
    const first = await world.codeOf(++letters);
    expect(first.to).toEqual(['alla@example.test']);
    const wrongCode = await v.post('/signup/code', { address: 'alla@example.test', code: first.code === '000000' ? '111111' : '000000' });
    expect(wrongCode.statusCode).toBe(400);
    expect(wrongCode.body).toMatch(/id="code-error"[^>]*>.*Код не подходит/);
    const confirmed = await v.post('/signup/code', { address: 'alla@example.test', code: first.code });
    expect(confirmed.headers.location).toBe('/account');
    const account = await v.get('/account');
    expect(account.statusCode).toBe(200);
    expect(textOf(account.body)).toContain('Лицевой счёт 002901800602302');
    expect(textOf(account.body)).toMatch(/Задолженность|Переплата|Задолженности нет/);

    // Signing out ends it; the next sign-in is by a code to the same address, landing on the same resident.
    await v.post('/signout', {});
    expect((await v.get('/account')).headers.location).toBe('/signin');
    const other = webVisitor(world.web, { ip: '10.6.0.2' });
    await other.get('/signin');
    const asked = await other.post('/signin', { address: 'alla@example.test' });
    expect(textOf(asked.body)).toContain('Если адрес alla@example.test подтверждён');
    const again = await world.codeOf(++letters);
    const signedIn = await other.post('/signin/code', { address: 'alla@example.test', code: again.code });
    expect(signedIn.headers.location).toBe('/account');
    expect(textOf((await other.get('/account')).body)).toContain('Лицевой счёт 002901800602302');
  });

  it('a Telegram resident who confirmed an address in the bot signs in on the web as themselves', async () => {
    await residentWithAddress(billing, 93_000_001, 'tg-resident@example.test');
    const v = webVisitor(world.web, { ip: '10.6.0.5' });
    await v.get('/signin');
    await v.post('/signin', { address: 'tg-resident@example.test' });
    const { code } = await world.codeOf(++letters);
    expect((await v.post('/signin/code', { address: 'tg-resident@example.test', code })).headers.location).toBe('/account');
    expect(textOf((await v.get('/account')).body)).toContain('Лицевой счёт 002901800602302');
  });

  it('an unknown address gets the same answer and no letter', async () => {
    const v = webVisitor(world.web, { ip: '10.6.0.3' });
    await v.get('/signin');
    const asked = await v.post('/signin', { address: 'nobody@example.test' });
    expect(asked.statusCode).toBe(200);
    expect(textOf(asked.body)).toContain('Если адрес nobody@example.test подтверждён');
    const code = await v.post('/signin/code', { address: 'nobody@example.test', code: '123456' });
    expect(code.statusCode).toBe(400);
    expect((await v.get('/account')).headers.location).toBe('/signin');
    expect(world.smtp.received.length).toBe(letters);
  });

  it('refuses a forged or missing session cookie, and forms without their token', async () => {
    const v = webVisitor(world.web, { ip: '10.6.0.4' });
    v.jar.set('sid', '1.in.9999999999');
    expect((await v.get('/account')).headers.location).toBe('/signin');
    await v.get('/signup');
    expect((await v.post('/signup', { agree: 'yes' }, null)).statusCode).toBe(403);
    await v.get('/signin');
    expect((await v.post('/signin', { address: 'alla@example.test' }, null)).statusCode).toBe(403);
    expect(world.smtp.received.length).toBe(letters);
  });
});
