import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Billing } from '../src/billing/index.ts';
import { textOf, webVisitor } from './support/web.ts';
import { openSignedInPair, type signedInResident } from './support/web-signed-in.ts';

let pair: Awaited<ReturnType<typeof openSignedInPair>>;
let billing: Billing;
let world: Awaited<ReturnType<typeof openSignedInPair>>['world'];
let alla: Awaited<ReturnType<typeof signedInResident>>;
let semenov: Awaited<ReturnType<typeof signedInResident>>;

beforeAll(async () => {
  pair = await openSignedInPair({ telegramBase: 95_000_000, tag: 's', net: 8 });
  ({ billing, world, alla, semenov } = pair);
});
afterAll(() => pair.close());

describe('settings on the signed-in web pages', () => {
  it('the language: the pages and the resident’s language follow it', async () => {
    const v = alla.visitor;
    const page = await v.get('/settings');
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('Язык страниц, писем и сообщений');
    const wrong = await v.post('/settings/language', { language: 'de' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('<a href="#language">');
    expect(wrong.body).toMatch(/id="language-error"[^>]*>Выберите язык/);
    const set = await v.post('/settings/language', { language: 'en' });
    expect(set.statusCode).toBe(303);
    expect(String(set.headers['set-cookie'])).toMatch(/lang=en/);
    expect(textOf((await v.get(set.headers.location as string)).body)).toContain('The language is saved.');
    const me = await billing.residents.get({ actor: alla.actor });
    expect(me.ok && me.value.language).toBe('en');
    await v.post('/settings/language', { language: 'ru' });
  });

  it('the reminders per account and kind; boxes of another resident’s account change nothing', async () => {
    const v = alla.visitor;
    await v.get('/settings');
    expect(v.last).toContain(`name="r-${alla.accountId}-reading_window" value="yes" checked`);
    // Only the verification box ticked, and a forged box for Семёнов's account off (it is ignored).
    const saved = await v.post('/settings/reminders', { [`r-${alla.accountId}-verification`]: 'yes', [`r-${semenov.accountId}-reading_window`]: '' });
    expect(saved.headers.location).toBe('/settings?said=reminders');
    const mine = await billing.reminders.settings({ actor: alla.actor });
    expect(mine.ok && mine.value.map((a) => a.on)).toEqual([{ reading_window: false, verification: true }]);
    const his = await billing.reminders.settings({ actor: semenov.actor });
    expect(his.ok && his.value.map((a) => a.on)).toEqual([{ reading_window: true, verification: true }]);
    expect(textOf((await v.get('/settings?said=reminders')).body)).toContain('Настройки напоминаний сохранены.');
  });

  it('the paper receipt with the e-mail subscription; someone else’s account is refused', async () => {
    const v = alla.visitor;
    await v.get('/settings');
    expect(v.last).not.toContain('action="/settings/paper"');
    await billing.receipts.subscribe({ actor: alla.actor, accountId: alla.accountId });
    await billing.receipts.subscribe({ actor: semenov.actor, accountId: semenov.accountId });
    await v.get('/settings');
    expect(textOf(v.last)).toContain('002901800602302: бумажная квитанция приходит по почте.');
    const foreign = await v.post('/settings/paper', { account: String(semenov.accountId), on: 'yes' });
    expect(foreign.statusCode).toBe(404);
    const his = await billing.email.get({ actor: semenov.actor });
    expect(his.ok && his.value.paperOptOutAccountIds).toEqual([]);
    await v.get('/settings');
    const declined = await v.post('/settings/paper', { account: String(alla.accountId), on: 'yes' });
    expect(declined.headers.location).toBe('/settings?said=paper-on');
    const mine = await billing.email.get({ actor: alla.actor });
    expect(mine.ok && mine.value.paperOptOutAccountIds).toEqual([alla.accountId]);
    expect(textOf((await v.get('/settings')).body)).toContain('002901800602302: бумажная квитанция не приходит');
  });

  it('the phone: a wrong one is named next to the field, a right one kept masked, then removed', async () => {
    const v = alla.visitor;
    await v.get('/settings');
    const bad = await v.post('/settings/phone', { phone: '12' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<a href="#phone">');
    expect(bad.body).toMatch(/id="phone-error"[^>]*>.*Введите номер телефона полностью/);
    expect(bad.body).toContain('value="12"');
    const good = await v.post('/settings/phone', { phone: '+7 928 123-45-67' });
    expect(good.headers.location).toBe('/settings?said=phone');
    const phone = await billing.residents.phone({ actor: alla.actor });
    expect(phone.ok && phone.value.phone).toBe('+79281234567');
    expect(textOf((await v.get('/settings')).body)).toContain(`Телефон для заявок: ${phone.ok ? phone.value.masked : ''}`);
    await v.post('/settings/phone/remove', {});
    const gone = await billing.residents.phone({ actor: alla.actor });
    expect(gone.ok && gone.value.phone).toBeNull();
  });

  it('a new e-mail address counts only once its code is typed', async () => {
    const v = alla.visitor;
    await v.get('/settings/email');
    const bad = await v.post('/settings/email', { address: 'nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/id="address-error"/);
    const letters = world.smtp.received.length;
    const sent = await v.post('/settings/email', { address: 'alla.new@example.test' });
    expect(sent.statusCode).toBe(200);
    expect(textOf(sent.body)).toContain('alla.new@example.test');
    const before = await billing.email.get({ actor: alla.actor });
    expect(before.ok && before.value.address).toBe('alla.s@example.test');
    const { code, to } = await world.codeOf(letters + 1);
    expect(to).toEqual(['alla.new@example.test']);
    const wrong = await v.post('/settings/email/code', { address: 'alla.new@example.test', code: code === '000000' ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toMatch(/id="code-error"/);
    const ok = await v.post('/settings/email/code', { address: 'alla.new@example.test', code });
    expect(ok.headers.location).toBe('/settings?said=email');
    const after = await billing.email.get({ actor: alla.actor });
    expect(after.ok && after.value.address).toBe('alla.new@example.test');
  });

  it('every form needs its token, and a session without its resident is sent to sign in', async () => {
    const v = alla.visitor;
    for (const [url, fields] of [
      ['/settings/language', { language: 'en' }],
      ['/settings/reminders', {}],
      ['/settings/paper', { account: String(alla.accountId), on: 'no' }],
      ['/settings/phone', { phone: '+79281234567' }],
      ['/settings/phone/remove', {}],
      ['/settings/email', { address: 'x@example.test' }],
      ['/settings/withdraw', { sure: 'yes' }],
    ] as const) {
      await v.get('/settings');
      expect((await v.post(url, fields, null)).statusCode, url).toBe(403);
    }
    const stranger = webVisitor(world.web, { ip: '10.8.0.9' });
    expect((await stranger.get('/settings')).headers.location).toBe('/signin');
    expect((await stranger.get('/settings/withdraw')).headers.location).toBe('/signin');
  });

  it('withdrawing the consent asks once more, deletes the resident as the bot does and ends the session', async () => {
    const v = semenov.visitor;
    await v.get('/settings/withdraw');
    expect(textOf(v.last)).toContain('Мы удалим ваш кабинет');
    const unsure = await v.post('/settings/withdraw', {});
    expect(unsure.statusCode).toBe(400);
    expect(unsure.body).toContain('<a href="#sure">');
    const cookie = v.jar.get('sid')!;
    const done = await v.post('/settings/withdraw', { sure: 'yes' });
    expect(done.statusCode).toBe(200);
    expect(textOf(done.body)).toContain('Согласие отозвано, данные кабинета удалены.');
    expect(String(done.headers['set-cookie'])).toMatch(/sid=;/);
    expect((await billing.residents.get({ actor: semenov.actor })).ok).toBe(false);
    // The old cookie, kept by someone, opens nothing: the resident is gone.
    v.jar.set('sid', cookie);
    expect((await v.get('/settings')).headers.location).toBe('/signin');
    expect((await v.get('/receipts')).headers.location).toBe('/signin');
  });
});
