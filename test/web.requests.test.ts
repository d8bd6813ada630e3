import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Billing } from '../src/billing/index.ts';
import { localFileStore } from '../src/files/store.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { seedRequests } from './support/requests.ts';
import { textOf, webVisitor } from './support/web.ts';
import { openWebWorld } from './support/web-world.ts';
import { SEMENOV, signedInResident } from './support/web-signed-in.ts';

let db: TestDatabase;
let billing: Billing;
let world: Awaited<ReturnType<typeof openWebWorld>>;
let alla: Awaited<ReturnType<typeof signedInResident>>;
let semenov: Awaited<ReturnType<typeof signedInResident>>;
let filesDir: string;
const sent: { name: string; data: unknown }[] = [];

/** A JPEG by its first bytes (what the store looks at), with some body. */
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]), Buffer.alloc(2000, 7), Buffer.from([0xff, 0xd9])]);
const OPERATOR = { kind: 'operator' as const, operatorId: 1, branchCodes: ['alpha'] };

beforeAll(async () => {
  ({ db, billing } = await openFixtureBilling());
  await seedRequests(db);
  filesDir = await mkdtemp(path.join(os.tmpdir(), 'web-files-'));
  world = await openWebWorld(billing, {
    files: localFileStore({ dir: filesDir }),
    jobs: {
      send: async (name: string, data: unknown) => {
        sent.push({ name, data });
        return null;
      },
    } as never,
  });
  alla = await signedInResident(world, billing, { telegramId: 96_000_001, address: 'alla.q@example.test', ip: '10.9.0.1' });
  semenov = await signedInResident(world, billing, { telegramId: 96_000_002, address: 'semenov.q@example.test', ip: '10.9.0.2', account: SEMENOV });
});
afterAll(async () => {
  await world.close();
  await db.drop();
  await rm(filesDir, { recursive: true, force: true });
});

const sql = () => db.orm.em.getConnection();

describe('requests on the signed-in web pages', () => {
  let allaRequest = 0;

  it('the inspector call: wrong input next to its field, then the request made by the bot’s service, in «Мои заявки»', async () => {
    const v = alla.visitor;
    const list = await v.get('/requests');
    expect(textOf(list.body)).toContain('Мои заявки (0)');
    const form = await v.get('/requests/inspector');
    expect(form.statusCode).toBe(200);
    const day = /<select id="day"[\s\S]*?<option value="(\d{4}-\d{2}-\d{2})"/.exec(form.body)?.[1];
    expect(day).toBeDefined();
    // No reason, a wrong phone, an hour outside the branch's: each named at its field.
    const wrong = await v.post('/requests/inspector', { account: String(alla.accountId), reason: '', day: day!, hour: '3', phone: '12', comment: '' });
    expect(wrong.statusCode).toBe(400);
    for (const f of ['reason', 'phone']) expect(wrong.body).toContain(`<a href="#${f}">`);
    expect(wrong.body).toMatch(/id="phone-error"[^>]*>.*Не похоже на номер телефона/);
    const hour = await v.post('/requests/inspector', { account: String(alla.accountId), reason: 'seal', day: day!, hour: '3', phone: '+79281234567' });
    expect(hour.statusCode).toBe(400);
    expect(hour.body).toMatch(/id="hour-error"[^>]*>.*В это время контролёр не выезжает/);
    const made = await v.post('/requests/inspector', {
      account: String(alla.accountId),
      reason: 'seal',
      day: day!,
      hour: '10',
      phone: '8 928 123-45-67',
      comment: 'Домофон 30',
    });
    expect(made.statusCode).toBe(200);
    const number = /Заявка (К-\d+) отправлена/.exec(textOf(made.body))?.[1];
    expect(number).toBeDefined();
    const [row] = await sql().execute(`select id, contact_phone, comment, details from service_request where number = ?`, [number]);
    expect(row).toMatchObject({ contact_phone: '+79281234567', comment: 'Домофон 30' });
    allaRequest = Number(row!.id);
    expect(sent).toContainEqual({ name: 'request.card', data: { requestId: allaRequest } });
    const mine = await v.get('/requests');
    expect(textOf(mine.body)).toContain('Мои заявки (1)');
    expect(textOf(mine.body)).toContain('Отправлено');
    const detail = await v.get(`/requests/${allaRequest}`);
    expect(detail.statusCode).toBe(200);
    expect(textOf(detail.body)).toContain(`Заявка ${number}`);
  });

  it('someone else’s request or account: nothing shown, nothing made', async () => {
    const v = semenov.visitor;
    const theirs = await v.get(`/requests/${allaRequest}`);
    expect(theirs.statusCode).toBe(404);
    expect(textOf(theirs.body)).not.toContain('Домофон');
    expect((await v.get(`/requests/inspector?account=${alla.accountId}`)).statusCode).toBe(404);
    await v.get('/requests/inspector');
    const before = await sql().execute(`select count(*)::int n from service_request`);
    const forged = await v.post('/requests/inspector', {
      account: String(alla.accountId),
      reason: 'seal',
      day: '2026-11-25',
      hour: '10',
      phone: '+79281234567',
    });
    expect(forged.statusCode).toBe(404);
    expect(await sql().execute(`select count(*)::int n from service_request`)).toEqual(before);
  });

  it('the accident report: an outage known at home first, then at the place; the photo kept by its first bytes', async () => {
    const [street] = await sql().execute(`select id from street where name = 'ул. Ермакова'`);
    const home = await billing.outages.announce({
      actor: OPERATOR,
      branchCode: 'alpha',
      kind: 'emergency',
      reason: 'порыв водовода',
      startsAt: '2026-11-22T08:00:00Z',
      endsAt: '2026-11-22T15:00:00Z',
      streets: [{ streetId: Number(street!.id), houses: ['7'] }],
      circle: null,
    });
    expect(home.ok).toBe(true);
    const v = alla.visitor;
    const offer = await v.get('/requests/accident');
    expect(textOf(offer.body)).toContain('Аварийное отключение по адресу ул. Ермакова, 7');
    expect(textOf(offer.body)).toContain('Заявка не нужна');
    const place = await v.get('/requests/accident?report=1');
    expect(place.body).toContain('action="/requests/accident/place"');
    // Neither an address nor a point; then a point half typed.
    const none = await v.post('/requests/accident/place', {});
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('<a href="#address">');
    const half = await v.post('/requests/accident/place', { latitude: '44.04', longitude: 'abc' });
    expect(half.body).toMatch(/id="longitude-error"/);
    const noBranch = await v.post('/requests/accident/place', { address: 'ул. Ермакова, 7' });
    expect(noBranch.body).toMatch(/id="branch-error"/);
    // The same outage at the typed address: offered, and «Это другое» goes on.
    const there = await v.post('/requests/accident/place', { address: 'ул. Ермакова, 7', branch: 'alpha' });
    expect(textOf(there.body)).toContain('Заявка не нужна');
    const details = await v.post('/requests/accident/place', { address: 'ул. Ермакова, 7', branch: 'alpha', outage: 'seen' });
    expect(details.body).toContain('enctype="multipart/form-data"');
    const fields = { address: 'ул. Ермакова, 7', branch: 'alpha', latitude: '', longitude: '', damage: 'pipe_burst', description: 'Из-под люка течёт вода' };
    // Without the form token: refused before anything is kept.
    expect(
      (await v.postMultipart('/requests/accident', fields, [{ name: 'photos', filename: 'a.jpg', type: 'image/jpeg', bytes: JPEG }], null)).statusCode,
    ).toBe(403);
    await v.get('/requests/accident?report=1');
    await v.post('/requests/accident/place', { address: 'ул. Ермакова, 7', branch: 'alpha', outage: 'seen' });
    const noPhoto = await v.postMultipart('/requests/accident', fields, []);
    expect(noPhoto.statusCode).toBe(400);
    expect(noPhoto.body).toMatch(/id="photos-error"[^>]*>.*Приложите хотя бы одно фото/);
    // A text file called .jpg: its first bytes say what it is.
    const fake = await v.postMultipart('/requests/accident', fields, [
      { name: 'photos', filename: 'x.jpg', type: 'image/jpeg', bytes: Buffer.from('not a photo at all') },
    ]);
    expect(fake.statusCode).toBe(400);
    expect(fake.body).toMatch(/id="photos-error"[^>]*>.*не похож на фотографию/);
    const missing = await v.postMultipart('/requests/accident', { ...fields, damage: '', description: '' }, [
      { name: 'photos', filename: 'a.jpg', type: 'image/jpeg', bytes: JPEG },
    ]);
    expect(missing.body).toContain('<a href="#damage">');
    expect(missing.body).toContain('<a href="#description">');
    const done = await v.postMultipart('/requests/accident', fields, [
      { name: 'photos', filename: 'a.jpg', type: 'image/jpeg', bytes: JPEG },
      { name: 'photos', filename: 'b.jpg', type: 'image/jpeg', bytes: JPEG },
    ]);
    expect(done.statusCode).toBe(200);
    const number = /Заявка (А-\d+) зарегистрирована/.exec(textOf(done.body))?.[1];
    expect(number).toBeDefined();
    const files = await sql().execute(
      `select a.stored_path, a.mime, a.size, a.telegram_file_id from request_attachment a join service_request r on r.id = a.request_id where r.number = ? order by a.id`,
      [number],
    );
    expect(files).toHaveLength(2);
    for (const f of files) {
      expect(f).toMatchObject({ mime: 'image/jpeg', size: JPEG.length, telegram_file_id: null });
      expect(await readFile(path.join(filesDir, f.stored_path))).toEqual(JPEG);
    }
    // The same report again is a duplicate (the bot's rule), and nothing more is kept.
    await v.get('/requests/accident?report=1');
    await v.post('/requests/accident/place', { address: 'ул. Ермакова, 7', branch: 'alpha', outage: 'seen', nearby: 'seen' });
    const again = await v.postMultipart('/requests/accident', fields, [{ name: 'photos', filename: 'a.jpg', type: 'image/jpeg', bytes: JPEG }]);
    expect(again.statusCode).toBe(409);
    expect(textOf(again.body)).toContain('Такое же сообщение уже отправлено');
  });

  it('an accident already reported nearby is offered to join; the joiner follows it', async () => {
    const v = semenov.visitor;
    await v.get('/requests/accident?report=1');
    const offered = await v.post('/requests/accident/place', { address: 'ул. Ермакова, 7', branch: 'alpha', outage: 'seen' });
    expect(textOf(offered.body)).toContain('Об аварии рядом уже сообщили');
    const requestId = /name="request" value="(\d+)"/.exec(offered.body)?.[1];
    const joined = await v.post('/requests/accident/join', { address: 'ул. Ермакова, 7', branch: 'alpha', request: requestId! });
    expect(joined.statusCode).toBe(200);
    expect(textOf(joined.body)).toMatch(/добавлено к заявке А-\d+/);
    const mine = await billing.requests.mine({ actor: semenov.actor });
    expect(mine.ok && mine.value.requests.map((r) => r.requestId)).toContain(Number(requestId));
    // An id that was not offered for that place is no right to follow it.
    await v.get('/requests/accident?report=1');
    const forged = await v.post('/requests/accident/join', { address: 'ул. Пятигорская, 1', branch: 'alpha', request: String(allaRequest) });
    expect(forged.statusCode).toBe(409);
  });

  it('without a session the pages send to sign in', async () => {
    const v = webVisitor(world.web, { ip: '10.9.0.9' });
    for (const url of ['/requests', '/requests/inspector', '/requests/accident', `/requests/${allaRequest}`])
      expect((await v.get(url)).headers.location, url).toBe('/signin');
  });
});
