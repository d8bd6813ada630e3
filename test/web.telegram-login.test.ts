import { createHash, createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Billing, viaTelegram } from '../src/billing/index.ts';
import { checkTelegramLogin } from '../src/web/telegram-login.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { textOf, webVisitor } from './support/web.ts';
import { openWebWorld } from './support/web-world.ts';
import { ALLA } from './support/web-signed-in.ts';

const TOKEN = '123456789:AAH-test-token-for-the-login-widget';
const OTHER_TOKEN = '987654321:AAH-another-bots-token';

/** What Telegram's widget sends back: the fields and their hash, computed here as Telegram documents it. */
function signed(fields: Record<string, string>, token = TOKEN): Record<string, string> {
  const checkString = Object.entries(fields)
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('\n');
  const hash = createHmac('sha256', createHash('sha256').update(token).digest()).update(checkString).digest('hex');
  return { ...fields, hash };
}
const now = () => String(Math.floor(Date.now() / 1000));
const query = (data: Record<string, string>) => `/signin/telegram/callback?${new URLSearchParams(data)}`;

describe('the Telegram Login Widget’s data, checked as Telegram documents it', () => {
  const user = { id: '97000001', first_name: 'Алла', username: 'alla_m', auth_date: now() };
  it('a valid hash of fresh data passes', () => {
    expect(checkTelegramLogin(signed(user), TOKEN)).toMatchObject({ ok: true, telegramId: 97_000_001 });
  });
  it('a wrong hash, or one made with another bot’s token, is refused', () => {
    expect(checkTelegramLogin({ ...signed(user), hash: 'a'.repeat(64) }, TOKEN)).toEqual({ ok: false, reason: 'hash' });
    expect(checkTelegramLogin(signed(user, OTHER_TOKEN), TOKEN)).toEqual({ ok: false, reason: 'hash' });
  });
  it('another user’s id (or any field) put into signed data breaks the hash', () => {
    expect(checkTelegramLogin({ ...signed(user), id: '97000002' }, TOKEN)).toEqual({ ok: false, reason: 'hash' });
    expect(checkTelegramLogin({ ...signed(user), username: 'someone' }, TOKEN)).toEqual({ ok: false, reason: 'hash' });
    const { first_name: _dropped, ...rest } = signed(user);
    expect(checkTelegramLogin(rest, TOKEN)).toEqual({ ok: false, reason: 'hash' });
  });
  it('data older than a day (or from the future) is stale; junk is malformed', () => {
    const old = String(Math.floor(Date.now() / 1000) - 24 * 3600 - 60);
    expect(checkTelegramLogin(signed({ ...user, auth_date: old }), TOKEN)).toEqual({ ok: false, reason: 'stale' });
    const ahead = String(Math.floor(Date.now() / 1000) + 3600);
    expect(checkTelegramLogin(signed({ ...user, auth_date: ahead }), TOKEN)).toEqual({ ok: false, reason: 'stale' });
    expect(checkTelegramLogin({ id: 'x', auth_date: now(), hash: 'zz' }, TOKEN)).toEqual({ ok: false, reason: 'malformed' });
  });
});

let db: TestDatabase;
let billing: Billing;
let world: Awaited<ReturnType<typeof openWebWorld>>;
let plain: Awaited<ReturnType<typeof openWebWorld>>;

beforeAll(async () => {
  ({ db, billing } = await openFixtureBilling());
  world = await openWebWorld(billing, { telegramLogin: { botToken: TOKEN, publicUrl: 'https://web.example.test' }, botUsername: () => 'vodokanal_test_bot' });
  plain = await openWebWorld(billing);
});
afterAll(async () => {
  await world.close();
  await plain.close();
  await db.drop();
});

describe('«Войти через Telegram» on the web pages', () => {
  it('offered only with a bot token and PUBLIC_URL; the widget’s script allowed by the CSP of that page only', async () => {
    const off = webVisitor(plain.web, { ip: '10.10.0.9' });
    expect((await off.get('/signin/telegram')).statusCode).toBe(404);
    expect((await off.get('/signin')).body).not.toContain('/signin/telegram');
    const v = webVisitor(world.web, { ip: '10.10.0.1' });
    const signin = await v.get('/signin');
    expect(signin.body).toContain('href="/signin/telegram"');
    expect(String(signin.headers['content-security-policy'])).not.toContain('telegram.org');
    const page = await v.get('/signin/telegram');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('src="https://telegram.org/js/telegram-widget.js?22"');
    expect(page.body).toContain('data-telegram-login="vodokanal_test_bot"');
    expect(page.body).toContain('data-auth-url="https://web.example.test/signin/telegram/callback"');
    expect(page.body).toContain('<noscript>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self' https:\/\/telegram\.org/);
    expect(csp).toMatch(/frame-src https:\/\/oauth\.telegram\.org/);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('lands on the bot’s resident by the Telegram id; the same signed address twice signs nobody in', async () => {
    const telegramId = 97_000_010;
    const actor = viaTelegram(telegramId);
    await billing.residents.giveConsent({ actor, version: 't', language: 'ru' });
    await billing.residents.linkAccount({ actor, proof: { by: 'number', ...ALLA, flatPrefix: null, pin: null } });
    const data = signed({ id: String(telegramId), first_name: 'Алла', auth_date: now() });
    const v = webVisitor(world.web, { ip: '10.10.0.2' });
    const landed = await v.get(query(data));
    expect(landed.statusCode).toBe(303);
    expect(landed.headers.location).toBe('/account');
    expect(textOf((await v.get('/account')).body)).toContain('Лицевой счёт 002901800602302');
    const replay = webVisitor(world.web, { ip: '10.10.0.3' });
    const again = await replay.get(query(data));
    expect(again.statusCode).toBe(401);
    expect(textOf(again.body)).toContain('Эта ссылка для входа уже использована');
    expect((await replay.get('/account')).headers.location).toBe('/signin');
  });

  it('a wrong hash, another user’s id in signed data, or stale data: refused, no session', async () => {
    const v = webVisitor(world.web, { ip: '10.10.0.4' });
    const data = signed({ id: '97000010', first_name: 'Алла', auth_date: now() });
    const forged = await v.get(query({ ...data, id: '97000011' }));
    expect(forged.statusCode).toBe(401);
    expect(textOf(forged.body)).toContain('Не удалось проверить вход через Telegram');
    expect((await v.get(query({ ...data, hash: '0'.repeat(64) }))).statusCode).toBe(401);
    const stale = await v.get(query(signed({ id: '97000010', first_name: 'Алла', auth_date: String(Math.floor(Date.now() / 1000) - 2 * 24 * 3600) })));
    expect(stale.statusCode).toBe(401);
    expect(textOf(stale.body)).toContain('Ссылка для входа устарела');
    expect((await v.get('/account')).headers.location).toBe('/signin');
  });

  it('a Telegram user without consent reads the consent first; agreeing creates them as the bot does', async () => {
    const telegramId = 97_000_020;
    const v = webVisitor(world.web, { ip: '10.10.0.5' });
    expect((await v.get('/signin/telegram/consent')).headers.location).toBe('/signin/telegram');
    const landed = await v.get(query(signed({ id: String(telegramId), first_name: 'Иван', auth_date: now() })));
    expect(landed.headers.location).toBe('/signin/telegram/consent');
    expect((await billing.residents.get({ actor: viaTelegram(telegramId) })).ok).toBe(false);
    const consent = await v.get('/signin/telegram/consent');
    expect(textOf(consent.body)).toContain('Федеральный закон № 152-ФЗ');
    expect((await v.post('/signin/telegram/consent', { agree: 'yes' }, null)).statusCode).toBe(403);
    await v.get('/signin/telegram/consent');
    const unticked = await v.post('/signin/telegram/consent', {});
    expect(unticked.statusCode).toBe(400);
    expect(unticked.body).toContain('<a href="#agree">');
    const agreed = await v.post('/signin/telegram/consent', { agree: 'yes' });
    expect(agreed.headers.location).toBe('/account');
    const me = await billing.residents.get({ actor: viaTelegram(telegramId) });
    expect(me.ok && me.value.telegramId).toBe(telegramId);
    const account = await v.get('/account');
    expect(account.statusCode).toBe(200);
    expect(textOf(account.body)).toContain('К кабинету пока не привязан ни один лицевой счёт');
    // Another visitor without the pending cookie cannot finish someone's consent.
    const other = webVisitor(world.web, { ip: '10.10.0.6' });
    await other.get('/signin');
    expect((await other.post('/signin/telegram/consent', { agree: 'yes' })).headers.location).toBe('/signin/telegram');
  });
});
