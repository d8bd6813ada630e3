import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Billing, viaTelegram } from '../src/billing/index.ts';
import { openFixtureBilling, payOverpaidAccount } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { textOf, webVisitor } from './support/web.ts';
import { openWebWorld } from './support/web-world.ts';

/*
 * The pages of a signed-in resident («Личный кабинет»): accounts, the month table, payments,
 * meters, readings and their history. Each page and form is tried as its resident, without the
 * form token, with a session that is gone, and with another resident's account or meter.
 */

let db: TestDatabase;
let billing: Billing;
let world: Awaited<ReturnType<typeof openWebWorld>>;
let accountId: (n: string) => Promise<number>;
let letters = 0;
let visitors = 0;
const sql = <T = Record<string, unknown>>(q: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute<T[]>(q, params);

const ALLA = { number: '002901800602302', house: '7', flat: '30', surname: 'Михайлова' };
const SEMENOV = { number: '002901800602303', house: '7', flat: '31', surname: 'Семёнов' };
let semenovAccount: number;
let semenovMeter: number;
let allaAccount: number;

beforeAll(async () => {
  const fixture = await openFixtureBilling();
  ({ db, billing, accountId } = fixture);
  await payOverpaidAccount(db);
  world = await openWebWorld(billing);
  allaAccount = await accountId(ALLA.number);
  semenovAccount = await accountId(SEMENOV.number);
  // Семёнов's account belongs to a Telegram resident here: for Алла's web resident it is someone else's.
  const other = viaTelegram(95_000_001);
  await billing.residents.giveConsent({ actor: other, version: 't' });
  const linked = await billing.residents.linkAccount({
    actor: other,
    proof: { by: 'number', longNumber: SEMENOV.number, house: '7', flat: '31', flatPrefix: null, surname: 'Семёнов', pin: null },
  });
  if (!linked.ok) throw new Error('Семёнов not linked');
  const [m] = await sql<{ id: number }>(`select id from meter where account_id = ?`, [semenovAccount]);
  semenovMeter = Number(m!.id);
});
afterAll(async () => {
  await world.close();
  await db.drop();
});

/** A resident signed up on the web (consent, Алла's account, an address confirmed by its code). */
async function signedIn() {
  const n = ++visitors;
  const v = webVisitor(world.web, { ip: `10.8.0.${n}` });
  await v.get('/signup');
  await v.post('/signup', { agree: 'yes' });
  await v.get('/signup/account');
  await v.post('/signup/account', ALLA);
  await v.get('/signup/email');
  const address = `account-${n}@example.test`;
  await v.post('/signup/email', { address });
  const { code } = await world.codeOf(++letters);
  expect((await v.post('/signup/code', { address, code })).headers.location).toBe('/account');
  return v;
}

const PAGES = ['/account', '/account/accounts', '/account/accounts/link', '/account/balance', '/account/payments', '/account/meters', '/account/readings'];
const linksOf = (html: string) => [...html.matchAll(/<nav class="account-nav"[\s\S]*?<\/nav>/g)].map((m) => m[0]);
const fieldError = (html: string, id: string) => textOf(new RegExp(`<p class="field-error" id="${id}-error">([\\s\\S]*?)</p>`).exec(html)?.[1] ?? '');

describe('the signed-in pages', () => {
  it('every page has the navigation with the current page marked, and works without signing in only as a way to sign in', async () => {
    const v = await signedIn();
    for (const path of PAGES) {
      const page = await v.get(path);
      expect(page.statusCode, path).toBe(200);
      const [nav] = linksOf(page.body);
      expect(nav, path).toBeDefined();
      expect(nav, path).toContain(`href="${path === '/account/accounts/link' ? '/account/accounts' : path}" aria-current="page"`);
      for (const section of ['Лицевые счета', 'Начисления', 'История оплат', 'Счётчики', 'Передать показания', 'Квитанции', 'Настройки', 'Выйти'])
        expect(textOf(nav!), path).toContain(section);
      expect(page.headers['cache-control'], path).toBe('no-store');
    }
    // Nobody signed in, and a session that went away: each page sends to the sign-in, nothing of the account shown.
    const stranger = webVisitor(world.web, { ip: '10.8.1.1' });
    const token = v.jar.get('sid')!;
    await v.post('/signout', {}, /name="_csrf" value="([^"]+)"/.exec((await v.get('/account')).body)![1]);
    const replay = webVisitor(world.web, { ip: '10.8.1.2' });
    replay.jar.set('sid', token);
    for (const who of [stranger, replay])
      for (const path of [...PAGES, '/account/accounts/unlink?account=1', '/account/meters/1/history']) {
        const page = await who.get(path);
        expect(page.statusCode, path).toBe(303);
        expect(page.headers.location, path).toBe('/signin');
      }
  });

  it('forms refuse a post without the form token, and a post of a session that is gone', async () => {
    const v = await signedIn();
    const forms: [string, Record<string, string>][] = [
      ['/account/accounts/active', { account: String(allaAccount) }],
      ['/account/accounts/unlink', { account: String(allaAccount) }],
      ['/account/accounts/link', SEMENOV],
      ['/account/readings', { takenOn: '2026-11-22' }],
      ['/signout/everywhere', {}],
    ];
    for (const [path, fields] of forms) {
      await v.get('/account');
      expect((await v.post(path, fields, null)).statusCode, path).toBe(403);
      expect((await v.post(path, fields, 'forged')).statusCode, path).toBe(403);
    }
    // Still linked, still signed in: none of them did anything.
    expect(textOf((await v.get('/account/accounts')).body)).toContain(`Лицевой счёт ${ALLA.number}`);
    const page = await v.get('/account');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    await billing.webSessions.end({ token: v.jar.get('sid')! });
    for (const [path, fields] of forms) {
      const res = await v.post(path, fields, csrf);
      expect(res.statusCode, path).toBe(303);
      expect(res.headers.location, path).toBe('/signin');
    }
  });

  it('the posts that change something are limited: the eleventh in a minute from one address is refused', async () => {
    const v = await signedIn();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      await v.get('/account/accounts');
      statuses.push((await v.post('/account/accounts/active', { account: String(allaAccount) })).statusCode);
    }
    expect(statuses).toEqual([...Array(10).fill(303), 429]);
    expect(textOf(v.last)).toContain('Слишком много запросов подряд.');
  });

  it('accounts: another linked with the sign-up proof (errors at the fields), made active, unlinked after a confirmation', async () => {
    const v = await signedIn();
    const list = await v.get('/account/accounts');
    expect(textOf(list.body)).toContain(`Лицевой счёт ${ALLA.number} основной`);
    await v.get('/account/accounts/link');
    expect(v.last).toContain('action="/account/accounts/link"');
    const empty = await v.post('/account/accounts/link', { number: '123', house: '', flat: '', surname: '' });
    expect(empty.statusCode).toBe(400);
    expect(fieldError(empty.body, 'number')).toContain('Введите 15 цифр номера лицевого счёта');
    expect(fieldError(empty.body, 'house')).toContain('Укажите номер дома');
    expect(fieldError(empty.body, 'surname')).toContain('Укажите фамилию владельца');
    expect(empty.body).toContain('<a href="#number">');
    const wrong = await v.post('/account/accounts/link', { ...SEMENOV, surname: 'Иванов' });
    expect(wrong.statusCode).toBe(404);
    expect(fieldError(wrong.body, 'number')).toContain('Не нашли лицевой счёт по этим данным');
    const linked = await v.post('/account/accounts/link', SEMENOV);
    expect(linked.headers.location).toBe('/account/accounts?done=linked');
    const both = textOf((await v.get('/account/accounts?done=linked')).body);
    expect(both).toContain('Лицевой счёт привязан и выбран основным.');
    expect(both).toContain(`Лицевой счёт ${SEMENOV.number} основной`);
    expect(both).toContain(`Лицевой счёт ${ALLA.number}`);
    expect(both).toContain('Владелец: Пётр И.');

    // Алла's made the active one again: the pages follow it.
    expect((await v.post('/account/accounts/active', { account: String(allaAccount) })).headers.location).toBe('/account/accounts?done=active');
    expect(textOf((await v.get('/account/balance')).body)).toContain(`Лицевой счёт ${ALLA.number}`);
    // Unlinking Семёнов's: asked first, with the number and address, then done.
    const ask = await v.get(`/account/accounts/unlink?account=${semenovAccount}`);
    expect(ask.statusCode).toBe(200);
    expect(textOf(ask.body)).toContain(`Отвязать лицевой счёт ${SEMENOV.number} (г. Ессентуки, ул. Ермакова, д. 7, кв. 31)?`);
    expect((await v.post('/account/accounts/unlink', { account: String(semenovAccount) })).headers.location).toBe('/account/accounts?done=unlinked');
    const after = textOf((await v.get('/account/accounts?done=unlinked')).body);
    expect(after).toContain('Лицевой счёт отвязан.');
    expect(after).not.toContain(SEMENOV.number);
    // A malformed id is a bad request, not a crash.
    await v.get('/account/accounts');
    expect((await v.post('/account/accounts/active', { account: 'x' })).statusCode).toBe(400);
    // The last one unlinked too: the pages say so and offer linking.
    await v.get(`/account/accounts/unlink?account=${allaAccount}`);
    await v.post('/account/accounts/unlink', { account: String(allaAccount) });
    for (const path of ['/account/balance', '/account/payments', '/account/meters', '/account/readings']) {
      const page = await v.get(path);
      expect(page.statusCode, path).toBe(200);
      expect(textOf(page.body), path).toContain('К кабинету пока не привязан ни один лицевой счёт.');
      expect(page.body, path).toContain('href="/account/accounts/link"');
    }
  });

  it("someone else's account or meter, named in a form or an address, is refused and left as it was", async () => {
    const v = await signedIn();
    const links = async () => (await sql<{ n: string }>(`select count(*) as n from account_link where account_id = ?`, [semenovAccount]))[0]!.n;
    const before = await links();
    expect((await v.get(`/account/accounts/unlink?account=${semenovAccount}`)).statusCode).toBe(404);
    expect(textOf(v.last)).toContain('Такого лицевого счёта нет среди привязанных к вашему кабинету.');
    await v.get('/account/accounts');
    expect((await v.post('/account/accounts/unlink', { account: String(semenovAccount) })).statusCode).toBe(404);
    await v.get('/account/accounts');
    expect((await v.post('/account/accounts/active', { account: String(semenovAccount) })).statusCode).toBe(404);
    await v.get('/account/accounts');
    expect((await v.post('/account/accounts/active', { account: '999999999' })).statusCode).toBe(404);
    expect(await links()).toBe(before);
    // The pages still show Алла's account, nothing of Семёнов's.
    for (const path of ['/account/balance', '/account/payments', '/account/meters']) {
      const page = textOf((await v.get(path)).body);
      expect(page, path).toContain(ALLA.number);
      expect(page, path).not.toContain(SEMENOV.number);
    }
    // His meter's history is not found under hers; a reading for his meter slipped into her form is not taken.
    const history = await v.get(`/account/meters/${semenovMeter}/history`);
    expect(history.statusCode).toBe(404);
    expect(textOf(history.body)).toContain('Такого счётчика нет у основного лицевого счёта.');
    expect((await v.get('/account/meters/abc/history')).statusCode).toBe(404);
    const his = async () => (await sql<{ n: string }>(`select count(*) as n from reading where meter_id = ?`, [semenovMeter]))[0]!.n;
    const hisBefore = await his();
    await v.get('/account/readings');
    const slipped = await v.post('/account/readings', { [`m${semenovMeter}`]: '999', takenOn: '2026-11-22' });
    expect(slipped.statusCode).toBe(400);
    expect(await his()).toBe(hisBefore);
  });

  it('the balance with the month table, and the payment history, of the active account', async () => {
    const v = await signedIn();
    const balance = await v.get('/account/balance');
    const page = textOf(balance.body);
    expect(page).toContain('Задолженность:');
    expect(page).toContain('Срок поверки счётчика истекает 10.12.2026');
    expect(page).toMatch(/Октябрь 2026 208,40 334,45 100,00 4,500 10,00 100,00 432,85/);
    expect(page).toMatch(/Август 2026 0,00 192,56 — 4,000 0,00 0,00 192,56/);
    expect(balance.body).toContain('data-label="На конец"');
    // Семёнов's closing overpayment is said in words.
    await v.get('/account/accounts/link');
    await v.post('/account/accounts/link', SEMENOV);
    expect(textOf((await v.get('/account/balance')).body)).toContain('переплата 470,46');
    const semenovPayments = textOf((await v.get('/account/payments')).body);
    expect(semenovPayments).toContain('20.10.2026 Сбербанк Онлайн — 437,33');
    await v.get('/account/accounts');
    await v.post('/account/accounts/active', { account: String(allaAccount) });
    const payments = textOf((await v.get('/account/payments')).body);
    expect(payments).toMatch(
      /05\.11\.2026 Сбербанк Онлайн — 300,00 08\.10\.2026 Сбербанк Онлайн 09\.10\.2026 100,00 10\.09\.2026 оплата "Город" 12\.09\.2026 192,56/,
    );
    // A page past the end is empty, with the way back.
    // In English too.
    const english = textOf((await v.get('/account/payments?lang=en')).body);
    expect(english).toContain('Payments received for the account');
    expect(english).toContain('Sign out');
    const far = await v.get('/account/payments?page=9&lang=ru');
    expect(textOf(far.body)).toContain('Платежей пока нет.');
    expect(far.body).toContain('href="/account/payments?page=8"');
  });

  it('meters with their verification dates and last readings; readings passed, checked, corrected; the history per meter', async () => {
    const v = await signedIn();
    const meters = textOf((await v.get('/account/meters')).body);
    expect(meters).toContain('Холодная вода (ХВС), № 17356088');
    expect(meters).toContain('Поверка до 01.02.2027');
    expect(meters).toMatch(/Поверка до 10\.12\.2026 — осталось 18 дней/);
    expect(meters).toContain('Последние показания 58,500 м³ от 23.10.2026 (из квитанции)');
    expect(meters).toContain('Состояние отключён');

    const form = await v.get('/account/readings');
    expect(form.statusCode).toBe(200);
    const fields = [...form.body.matchAll(/<input id="(m\d+)"/g)].map((m) => m[1]!);
    expect(fields.length).toBe(2);
    const [cold, hot] = fields as [string, string];
    expect(form.body).toContain('value="2026-11-22"');
    // Wrong input: at the field, in the summary, what was typed kept.
    const bad = await v.post('/account/readings', { [cold]: 'abc', [hot]: '', takenOn: '2026-11-22' });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, cold)).toContain('Показания — это только цифры');
    expect(bad.body).toContain(`<a href="#${cold}">`);
    expect(bad.body).toMatch(new RegExp(`id="${cold}"[^>]*value="abc"`));
    const below = await v.post('/account/readings', { [cold]: '50', takenOn: '2026-11-22' });
    expect(fieldError(below.body, cold)).toContain('меньше предыдущих');
    const none = await v.post('/account/readings', { takenOn: '2026-11-22' });
    expect(fieldError(none.body, cold)).toContain('Введите показания хотя бы одного счётчика.');
    const future = await v.post('/account/readings', { [cold]: '60', takenOn: '2026-11-30' });
    expect(fieldError(future.body, 'takenOn')).toContain('не может быть позже сегодняшнего дня (22.11.2026)');
    const early = await v.post('/account/readings', { [cold]: '60', takenOn: '2026-10-01' });
    expect(fieldError(early.body, 'takenOn')).toContain('не может быть раньше последних показаний (23.10.2026)');
    // A day the calendar has not (the web's check, not an error page; the posts here are within the rate limit).
    const noDate = await v.post('/account/readings', { [cold]: '60', takenOn: '31.02.2026' });
    expect(fieldError(noDate.body, 'takenOn')).toContain('Укажите дату снятия показаний');

    // Typed as a resident writes a date (a browser without a date field sends the text as it is).
    const passed = await v.post('/account/readings', { [cold]: '60,5', takenOn: '22.11.2026' });
    expect(passed.statusCode).toBe(200);
    expect(textOf(passed.body)).toContain('Показания приняты и сразу учтены в расчёте.');
    expect(textOf(passed.body)).toMatch(/Начислено по текущим тарифам за ноябрь 2026/);
    const count = async () =>
      Number((await sql<{ n: string }>(`select count(*) as n from reading r join meter m on m.id = r.meter_id where m.account_id = ?`, [allaAccount]))[0]!.n);
    const stored = await count();
    // A correction the same month replaces it; the history keeps both.
    await v.get('/account/readings');
    expect(textOf(v.last)).toContain('В этом месяце уже переданы показания 60,500 м³ — новые заменят их.');
    const corrected = await v.post('/account/readings', { [cold]: '61', takenOn: '2026-11-22' });
    expect(textOf(corrected.body)).toContain('Прежние показания этого месяца заменены, история сохранена.');
    expect(await count()).toBe(stored + 1);
    // The same form posted twice is one submission: stored once.
    const submission = /name="submission" value="([^"]+)"/.exec((await v.get('/account/readings')).body)![1]!;
    await v.post('/account/readings', { [cold]: '62', takenOn: '2026-11-22', submission });
    await v.get('/account/readings');
    await v.post('/account/readings', { [cold]: '62', takenOn: '2026-11-22', submission });
    expect(await count()).toBe(stored + 2);
    // Who passed them is kept: the web resident, not a stranger by place.
    const [sent] = await sql<{ sent_by: string }>(`select sent_by from reading where superseded_at is null and meter_id = ? order by id desc limit 1`, [
      Number(cold.slice(1)),
    ]);
    expect(sent!.sent_by).toMatch(/^web:\d+$/);
    // Passed on the web pages: the «личный кабинет» is their source, as billing gets them back.
    const sources = await sql<{ source: string }>(`select distinct source from reading where meter_id = ? and period = '2026-11-01' and sent_by like 'web:%'`, [
      Number(cold.slice(1)),
    ]);
    expect(sources).toEqual([{ source: 'portal' }]);

    const history = await v.get(`/account/meters/${cold.slice(1)}/history`);
    expect(history.statusCode).toBe(200);
    const rows = textOf(history.body);
    expect(rows).toContain('Холодная вода (ХВС), № 17356088');
    expect(rows).toMatch(/Ноябрь 2026 62,000 3,500 22\.11\.2026 22\.11\.2026 личный кабинет/);
    expect(rows).toMatch(/Ноябрь 2026 заменены исправленными 22\.11\.2026 61,000/);
    expect(rows).toMatch(/Октябрь 2026 58,500 4,500 23\.10\.2026 \S+ из квитанции/);
    expect(rows).toMatch(/Август 2026 50,000 — 22\.08\.2026 \S+ первоначальные/);
  });

  it('the readings form sent again with other values (back, edited, sent) is a correction, not the first values again', async () => {
    const v = await signedIn();
    const form = await v.get('/account/readings');
    const cold = /name="(m\d+)"/.exec(form.body)![1]!;
    const value = async () =>
      (
        await sql<{ value: string }>(`select value::text from reading where meter_id = ? and superseded_at is null order by taken_on desc, id desc limit 1`, [
          Number(cold.slice(1)),
        ])
      )[0]!.value;
    const submission = /name="submission" value="([^"]+)"/.exec(form.body)![1]!;
    await v.post('/account/readings', { [cold]: '63', takenOn: '2026-11-22', submission });
    expect(await value()).toBe('63.000');
    const edited = await v.post('/account/readings', { [cold]: '63,5', takenOn: '2026-11-22', submission });
    expect(edited.statusCode).toBe(200);
    expect(textOf(edited.body)).toContain('Прежние показания этого месяца заменены, история сохранена.');
    expect(await value()).toBe('63.500');
    // And the first values sent once more with that form: the same submission as the first, nothing new.
    await v.post('/account/readings', { [cold]: '63', takenOn: '2026-11-22', submission });
    expect(await value()).toBe('63.500');
  });
});
