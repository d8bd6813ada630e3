import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBilling, type Billing } from '../src/billing/index.ts';
import { importFiles } from '../src/billing/import/index.ts';
import { streetKey } from '../src/billing/normalize.ts';
import { addressProof, numberProof, proveByAddress, proveByNumber } from '../src/billing/accounts.ts';
import { invalidInput } from '../src/billing/result.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { FIXTURE_DIR, NOW, STAFF } from './support/fixture.ts';

let db: TestDatabase;
let billing: Billing;
let alla: number; // МИХАЙЛОВА АЛЛА МИХАЙЛОВНА, 002901800602302

beforeAll(async () => {
  db = await freshDatabase();
  const report = await importFiles(db.orm, [FIXTURE_DIR]);
  expect(report.errors).toEqual([]);
  billing = createBilling({ orm: db.orm, now: () => NOW });
  const found = await accounts.findByNumber({ longNumber: '002901800602302', house: '7', flat: '30', surname: 'Михайлова' });
  if (!found.ok) throw new Error('fixture account not found');
  alla = found.value.accountId;
});
afterAll(async () => db.drop());

/**
 * The ownership check itself, as linking makes it (billing.residents.linkAccount, which adds the
 * limits of failed tries): the input parsed by the same schemas, then proven.
 */
const accounts = {
  findByAddress: (input: unknown) => {
    const parsed = addressProof.safeParse(input);
    return parsed.success ? proveByAddress(db.orm.em.fork() as never, parsed.data) : Promise.resolve(invalidInput(parsed.error));
  },
  findByNumber: (input: unknown) => {
    const parsed = numberProof.safeParse(input);
    return parsed.success ? proveByNumber(db.orm.em.fork() as never, parsed.data) : Promise.resolve(invalidInput(parsed.error));
  },
};

const address = { branchCode: 'alpha', street: 'ул. Ермакова', house: '7', flat: '30', surname: 'Михайлова' };

describe('finding an account by address (seed 003)', () => {
  it('finds it however the resident types street, house and surname', async () => {
    for (const typed of [
      address,
      { ...address, street: 'ермакова', surname: 'МИХАЙЛОВА' },
      { ...address, street: '  Ермакова улица ', surname: '  михайлова ' },
      { ...address, flat: 'кв. 30' },
    ]) {
      const r = await accounts.findByAddress(typed);
      expect(r).toMatchObject({ ok: true, value: { longNumber: '002901800602302', owner: 'Алла М.', branchCode: 'alpha' } });
    }
  });

  it('treats ё as е and finds a room with a flat prefix', async () => {
    const r = await accounts.findByAddress({
      branchCode: 'alpha',
      street: 'Пятигорская',
      house: '12 корп. 2',
      flat: '5',
      flatPrefix: 'ком.',
      surname: 'Воробьева',
    });
    expect(r).toMatchObject({
      ok: true,
      value: { longNumber: '002901800602304', address: { street: 'ул. Пятигорская', house: '12 к2', flat: '5', flatPrefix: 'ком.' } },
    });
  });

  it('finds a room by its number alone, the prefix being optional', async () => {
    const r = await accounts.findByAddress({ branchCode: 'alpha', street: 'Пятигорская', house: '12к2', flat: '5', surname: 'Воробьёва' });
    expect(r).toMatchObject({ ok: true, value: { longNumber: '002901800602304' } });
    const wrongPrefix = await accounts.findByAddress({
      branchCode: 'alpha',
      street: 'Пятигорская',
      house: '12к2',
      flat: '5',
      flatPrefix: 'кв',
      surname: 'Воробьёва',
    });
    expect(wrongPrefix).toEqual({ ok: false, error: { code: 'account_not_found' } });
  });

  it('answers the same whichever field is wrong', async () => {
    const wrong = [
      { ...address, surname: 'Иванова' },
      { ...address, flat: '31' },
      { ...address, house: '8' },
      { ...address, street: 'Пятигорская' },
      { ...address, branchCode: 'beta' },
    ];
    for (const w of wrong) expect(await accounts.findByAddress(w)).toEqual({ ok: false, error: { code: 'account_not_found' } });
  });

  it('refuses malformed input with a typed error', async () => {
    const r = await accounts.findByAddress({ branchCode: 'alpha', house: '', surname: 'x' } as never);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('invalid_input');
  });

  it('suggests streets for what the resident typed', async () => {
    const r = await billing.accounts.searchStreets({ branchCode: 'alpha', query: 'ерма' });
    expect(r).toMatchObject({ ok: true, value: [{ name: 'ул. Ермакова', settlement: 'г. Ессентуки' }] });
    expect(await billing.accounts.searchStreets({ branchCode: 'nowhere', query: 'x' })).toEqual({ ok: false, error: { code: 'branch_not_found' } });
  });

  it('finds a street typed with a typo (pg_trgm) or with its numerals as words', async () => {
    // Streets as the import writes them (the key by streetKey), beside the fixture's.
    const conn = db.orm.em.getConnection();
    const [settlement] = await conn.execute(`select s.id from settlement s join branch b on b.id = s.branch_id where b.code = 'alpha' limit 1`);
    for (const name of ['ул. Королёва', 'ул. 8 Марта', 'ул. 50 лет Октября', 'ул. Кооперативная', 'пер. Марта'])
      await conn.execute(`insert into street (settlement_id, name, search_key) values (?, ?, ?)`, [settlement!.id, name, streetKey(name)]);
    const names = async (query: string) => {
      const r = await billing.accounts.searchStreets({ branchCode: 'alpha', query });
      if (!r.ok) throw new Error(r.error.code);
      return r.value.map((s) => s.name);
    };
    expect((await names('Каралёва'))[0]).toBe('ул. Королёва');
    expect((await names('Ермокова'))[0]).toBe('ул. Ермакова');
    expect((await names('Пятигорскя'))[0]).toBe('ул. Пятигорская');
    expect((await names('Восьмого Марта'))[0]).toBe('ул. 8 Марта');
    expect((await names('8-го марта'))[0]).toBe('ул. 8 Марта');
    expect((await names('Пятидесяти лет Октября'))[0]).toBe('ул. 50 лет Октября');
    expect((await names('50 лет октебря'))[0]).toBe('ул. 50 лет Октября');
    // The exact name before the merely alike, the word found before the typo.
    expect(await names('марта')).toEqual(['пер. Марта', 'ул. 8 Марта']);
    expect(await names('Кооперативная')).toEqual(['ул. Кооперативная']);
    expect(await names('Жуковского')).toEqual([]);
    // The other branch's streets are not offered.
    expect(await billing.accounts.searchStreets({ branchCode: 'beta', query: 'Каралёва' })).toEqual({ ok: true, value: [] });
  });
});

describe('finding an account by number (seeds 001/002)', () => {
  it('by the 15-digit number, typed with spaces', async () => {
    const r = await accounts.findByNumber({ longNumber: '0029 0180 0602 302', house: '7', flat: '30', surname: 'михайлова' });
    expect(r).toMatchObject({ ok: true, value: { accountId: alla } });
  });

  it('by the short number and branch', async () => {
    const r = await accounts.findByNumber({ branchCode: 'alpha', shortNumber: '602302', house: '7', flat: '30', surname: 'Михайлова' });
    expect(r).toMatchObject({ ok: true, value: { accountId: alla } });
  });

  it('asks for the PIN where the branch requires it, and a wrong PIN is just «not found»', async () => {
    const base = { longNumber: '051424000000012', house: '2', surname: 'Киреева' };
    expect(await accounts.findByNumber(base)).toEqual({ ok: false, error: { code: 'pin_required' } });
    expect(await accounts.findByNumber({ ...base, pin: 'wrong1' })).toEqual({ ok: false, error: { code: 'account_not_found' } });
    expect(await accounts.findByNumber({ ...base, pin: 'FaEGlc' })).toMatchObject({
      ok: true,
      value: { owner: 'Насибхан М.', address: { flat: null } },
    });
    // The PIN is asked before anything is compared: a wrong surname is asked it as the right one is,
    // and with the PIN the refusal is the same whichever was wrong.
    expect(await accounts.findByNumber({ ...base, surname: 'Иванова' })).toEqual({ ok: false, error: { code: 'pin_required' } });
    expect(await accounts.findByNumber({ ...base, surname: 'Иванова', pin: 'FaEGlc' })).toEqual({ ok: false, error: { code: 'account_not_found' } });
  });

  it('resolves a short number to the 15-digit one (seed 000 §4)', async () => {
    expect(await billing.accounts.resolveShortNumber({ branchCode: 'beta', shortNumber: '12' })).toEqual({
      ok: true,
      value: { longNumber: '051424000000012' },
    });
    expect(await billing.accounts.resolveShortNumber({ branchCode: 'alpha', shortNumber: '12' })).toEqual({ ok: false, error: { code: 'account_not_found' } });
  });
});

describe('account summary (seed 000 §5)', () => {
  it('shows the owner masked, address, residents, area, meters with verification dates and norms', async () => {
    const r = await billing.accounts.summary({ actor: STAFF, accountId: alla });
    if (!r.ok) throw new Error(r.error.code);
    const s = r.value;
    expect(s.owner).toBe('Алла М.');
    expect(JSON.stringify(s)).not.toMatch(/МИХАЙЛОВА|михайлова/);
    expect(s).toMatchObject({ residents: 1, area: '73.50', shortNumber: '602302', branchName: 'Ессентукский «Водоканал»' });
    expect(s.address).toEqual({ settlement: 'г. Ессентуки', street: 'ул. Ермакова', house: '7', flat: '30', flatPrefix: null });
    expect(s.meters.map((m) => [m.serial, m.service, m.status, m.verificationDue])).toEqual([
      ['17356088', 'cold_water', 'active', '2027-02-01'],
      ['17356089', 'hot_water', 'active', '2026-12-10'],
      ['0311046', 'cold_water', 'disconnected', '2015-01-01'],
    ]);
    expect(s.meters[0]!.lastReading).toEqual({ value: 58_500, takenOn: '2026-10-23', source: 'receipt' });
    expect(s.norms.map((n) => [n.service, n.perPerson])).toEqual([
      ['cold_water', 3_700],
      ['sewerage', 6_600],
    ]);
  });
});

describe('the account card (seed 000 §5, 004)', () => {
  it('gives the phone and e-mail on file masked, and the serving organisation with its hours and phones', async () => {
    const r = await billing.accounts.summary({ actor: STAFF, accountId: alla });
    if (!r.ok) throw new Error(r.error.code);
    // On file: «+7 905 214-57-80», no e-mail.
    expect(r.value).toMatchObject({ phone: '+7 *** ***-57-80', email: null });
    expect(JSON.stringify(r.value)).not.toMatch(/905|214/);
    expect(r.value.organisation).toEqual({
      name: 'Ессентукский «Водоканал»',
      address: '357600, г. Ессентуки, ул. Ермакова, д. 75А',
      hours: 'Пн–Пт 8:00–17:00',
      phones: '(87934) 6-66-82',
      dispatcherPhone: '(87934) 6-34-00',
      email: 'ess@vodokanal.example',
    });
  });

  it('masks every form a phone or an e-mail may be kept in', async () => {
    const em = db.orm.em.fork();
    const conn = em.getConnection();
    const [row] = await conn.execute<{ phone: string | null; email: string | null }[]>('select phone, email from account where id = ?', [alla]);
    const cases: [string | null, string | null, string | null, string | null][] = [
      ['8 (928) 123-45-67', 'anna.kovaleva@mail.ru', '+7 *** ***-45-67', 'a***@mail.ru'],
      ['9281234567; 6-66-82', 'ANNA@Example.org', '+7 *** ***-45-67, ***-66-82', 'A***@Example.org'],
      ['+380441234567', 'не почта', '***-45-67', '***'],
      ['12', '  ', '***', null],
      [null, null, null, null],
    ];
    try {
      for (const [phone, email, maskedPhone, maskedEmail] of cases) {
        await conn.execute('update account set phone = ?, email = ? where id = ?', [phone, email, alla]);
        const r = await billing.accounts.summary({ actor: STAFF, accountId: alla });
        expect(r.ok && { phone: r.value.phone, email: r.value.email }, String(phone)).toEqual({ phone: maskedPhone, email: maskedEmail });
        const said = JSON.stringify(r);
        if (phone && phone.replace(/\D/g, '').length > 4) for (const kept of [phone, phone.replace(/\D/g, '')]) expect(said, phone).not.toContain(kept);
        if (email?.includes('@')) expect(said, email).not.toContain(email.split('@')[0]);
      }
    } finally {
      await conn.execute('update account set phone = ?, email = ? where id = ?', [row!.phone, row!.email, alla]);
    }
  });
});

describe('balance and verification date (seed 000 §10)', () => {
  it('moves on from the last statement by later charges and payments', async () => {
    const r = await billing.balance.get({ actor: STAFF, accountId: alla });
    // closing of October 432.85 + November charge 104.20 − November payment 300.00
    expect(r).toMatchObject({ ok: true, value: { balance: 23_705, toPay: 23_705, asOfMonth: '2026-10', today: '2026-11-22' } });
  });

  it('takes the nearest date over active meters and warns when it is near', async () => {
    const r = await billing.balance.get({ actor: STAFF, accountId: alla });
    expect(r.ok && r.value.verification).toEqual({ date: '2026-12-10', state: 'due_soon', daysLeft: 18 });
  });

  it('knows an overpayment and a passed verification date', async () => {
    const r = await billing.balance.getPublic({ longNumber: '002901800602303' });
    expect(r).toMatchObject({ ok: true, value: { balance: -47_046, toPay: 0, verification: { date: '2026-10-01', state: 'expired', daysLeft: -52 } } });
  });

  it('without login tells only the money and the date', async () => {
    const r = await billing.balance.getPublic({ longNumber: '002901800602302' });
    if (!r.ok) throw new Error(r.error.code);
    expect(Object.keys(r.value).sort()).toEqual(['asOfMonth', 'balance', 'toPay', 'today', 'verification']);
    expect(await billing.balance.getPublic({ longNumber: '000000000000000' })).toEqual({ ok: false, error: { code: 'account_not_found' } });
    expect((await billing.balance.getPublic({ longNumber: '123' })).ok).toBe(false);
  });

  it('has no verification date for an account without meters', async () => {
    const found = await accounts.findByNumber({ longNumber: '002901800602304', house: '12к2', flat: '5', flatPrefix: 'ком', surname: 'Воробьёва' });
    if (!found.ok) throw new Error(found.error.code);
    const r = await billing.balance.get({ actor: STAFF, accountId: found.value.accountId });
    expect(r).toMatchObject({ ok: true, value: { balance: 0, verification: null, asOfMonth: null } });
  });
});

describe('statements and payments', () => {
  it('gives the month table newest first and pages back (seed 000 §8)', async () => {
    const first = await billing.balance.statements({ actor: STAFF, accountId: alla, limit: 2 });
    if (!first.ok) throw new Error(first.error.code);
    expect(first.value.hasMore).toBe(true);
    expect(first.value.items[0]).toEqual({
      month: '2026-10',
      opening: 20_840,
      charged: 33_445,
      recalculation: 10_000,
      volume: 4_500,
      benefits: 1_000,
      paid: 10_000,
      closing: 43_285,
    });
    expect(first.value.items.map((s) => s.month)).toEqual(['2026-10', '2026-09']);
    const older = await billing.balance.statements({ actor: STAFF, accountId: alla, limit: 2, before: '2026-09' });
    // Paging forward is `before` too: the page after the newest statement is the newest page.
    expect(first.value.newerBefore).toBeNull();
    // The page names its account (the table's title), so that the bot asks one service for it.
    expect(older.ok && older.value).toEqual({
      longNumber: '002901800602302',
      items: [expect.objectContaining({ month: '2026-08', closing: 19_256 })],
      hasMore: false,
      newerBefore: '2026-11',
    });
    const middle = await billing.balance.statements({ actor: STAFF, accountId: alla, limit: 1, before: '2026-09' });
    expect(middle.ok && [middle.value.items.map((s) => s.month), middle.value.hasMore, middle.value.newerBefore]).toEqual([['2026-08'], false, '2026-10']);
    const newer = await billing.balance.statements({ actor: STAFF, accountId: alla, limit: 1, before: '2026-10' });
    expect(newer.ok && [newer.value.items.map((s) => s.month), newer.value.hasMore, newer.value.newerBefore]).toEqual([['2026-09'], true, '2026-11']);
    const range = await billing.balance.statements({ actor: STAFF, accountId: alla, from: '2026-09', to: '2026-09' });
    expect(range.ok && range.value.items.map((s) => s.month)).toEqual(['2026-09']);
    for (const s of first.value.items) expect(s.closing).toBe(s.opening + s.charged - s.benefits - s.paid);
  });

  it('lists payments newest first (seed 001)', async () => {
    const r = await billing.balance.payments({ actor: STAFF, accountId: alla, limit: 2 });
    expect(r).toEqual({
      ok: true,
      value: {
        total: 3,
        items: [
          { kind: 'Сбербанк Онлайн', receivedOn: '2026-11-05', processedOn: null, amount: 30_000 },
          { kind: 'Сбербанк Онлайн', receivedOn: '2026-10-08', processedOn: '2026-10-09', amount: 10_000 },
        ],
      },
    });
  });
});

describe('reading history (seed 000 §7)', () => {
  it('shows date, source, value and volume, newest first, with paging', async () => {
    const summary = await billing.accounts.summary({ actor: STAFF, accountId: alla });
    if (!summary.ok) throw new Error('no summary');
    const meterId = summary.value.meters[0]!.meterId;
    // Recorded late in the evening of 24.10 in UTC, already the 25th in the branch (Europe/Moscow).
    const conn = db.orm.em.getConnection();
    const [saved] = await conn.execute(`select id, recorded_at from reading where meter_id = ? and taken_on = '2026-10-23'`, [meterId]);
    await conn.execute('update reading set recorded_at = ? where id = ?', ['2026-10-24T22:30:00Z', saved!.id]);
    const page1 = await billing.readings
      .history({ actor: STAFF, accountId: alla, meterId, limit: 2 })
      .finally(() => conn.execute('update reading set recorded_at = ? where id = ?', [saved!.recorded_at, saved!.id]));
    expect(page1).toMatchObject({
      ok: true,
      value: {
        total: 3,
        meter: { serial: '17356088', service: 'cold_water' },
        items: [
          { takenOn: '2026-10-23', source: 'receipt', value: 58_500, volume: 4_500, period: '2026-10', recordedOn: '2026-10-25' },
          { takenOn: '2026-09-21', source: 'portal', value: 54_000, volume: 4_000, period: '2026-09' },
        ],
      },
    });
    const page2 = await billing.readings.history({ actor: STAFF, accountId: alla, meterId, limit: 2, offset: 2 });
    expect(page2.ok && page2.value.items).toEqual([
      { takenOn: '2026-08-22', source: 'initial', value: 50_000, volume: null, period: '2026-08', recordedOn: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) },
    ]);
  });

  it("does not show another account's meter", async () => {
    const summary = await billing.accounts.summary({ actor: STAFF, accountId: alla });
    const meterId = summary.ok ? summary.value.meters[0]!.meterId : 0;
    const other = await accounts.findByNumber({ longNumber: '002901800602303', house: '7', flat: '31', surname: 'Семенов' });
    if (!other.ok) throw new Error('no other');
    expect(await billing.readings.history({ actor: STAFF, accountId: other.value.accountId, meterId })).toEqual({
      ok: false,
      error: { code: 'meter_not_found' },
    });
  });
});
