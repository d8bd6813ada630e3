import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBilling, type Billing } from '../src/billing/index.ts';
import { importFiles } from '../src/billing/import/index.ts';
import { freshDatabase, type TestDatabase } from './support/db.ts';
import { FIXTURE_DIR, NOW, STAFF } from './support/fixture.ts';
import { viaTelegram } from '../src/billing/index.ts';

let db: TestDatabase;
let clock = new Date('2026-11-22T09:00:00Z');
let billing: Billing;
beforeAll(async () => {
  db = await freshDatabase();
  await importFiles(db.orm, [FIXTURE_DIR]);
  billing = createBilling({ orm: db.orm, now: () => clock });
});
afterAll(async () => db.drop());

const alla = { by: 'number' as const, longNumber: '002901800602302', house: '7', flat: '30', surname: 'Михайлова' };
const semyonov = { by: 'address' as const, branchCode: 'alpha', street: 'Ермакова', house: '7', flat: '31', surname: 'семенов' };

describe('residents (the Telegram side of an account)', () => {
  it('exist only after consent, which records its version and time', async () => {
    expect(await billing.residents.consent({ actor: viaTelegram(11) })).toEqual({ ok: false, error: { code: 'resident_not_found' } });
    expect(await billing.residents.linkAccount({ actor: viaTelegram(11), proof: alla })).toEqual({ ok: false, error: { code: 'resident_not_found' } });
    expect(await billing.residents.giveConsent({ actor: viaTelegram(11), version: 'v1', language: 'en' })).toEqual({
      ok: true,
      value: { language: 'en', consentVersion: 'v1', linkedAccounts: 0 },
    });
    const first = await billing.residents.get({ actor: viaTelegram(11) });
    expect(first).toMatchObject({ ok: true, value: { consentVersion: 'v1', consentAt: '2026-11-22T09:00:00.000Z', language: 'en' } });
    clock = new Date('2026-11-23T09:00:00Z');
    await billing.residents.giveConsent({ actor: viaTelegram(11), version: 'v1' });
    expect(await billing.residents.get({ actor: viaTelegram(11) })).toMatchObject({ ok: true, value: { consentAt: '2026-11-22T09:00:00.000Z' } });
    await billing.residents.giveConsent({ actor: viaTelegram(11), version: 'v2' });
    expect(await billing.residents.get({ actor: viaTelegram(11) })).toMatchObject({
      ok: true,
      value: { consentVersion: 'v2', consentAt: '2026-11-23T09:00:00.000Z' },
    });
  });

  it('link accounts by proof; the last linked is active; switching and unlinking keep one active', async () => {
    await billing.residents.giveConsent({ actor: viaTelegram(12), version: 'v1' });
    const a = await billing.residents.linkAccount({ actor: viaTelegram(12), proof: alla });
    expect(a).toMatchObject({ ok: true, value: { alreadyLinked: false, account: { longNumber: '002901800602302' } } });
    const b = await billing.residents.linkAccount({ actor: viaTelegram(12), proof: semyonov });
    expect(b).toMatchObject({ ok: true, value: { account: { longNumber: '002901800602303' } } });
    expect(await billing.residents.activeAccount({ actor: viaTelegram(12) })).toMatchObject({
      ok: true,
      value: { longNumber: '002901800602303', owner: 'Пётр И.' },
    });
    const again = await billing.residents.linkAccount({ actor: viaTelegram(12), proof: alla });
    expect(again).toMatchObject({ ok: true, value: { alreadyLinked: true } });
    expect(await billing.residents.activeAccount({ actor: viaTelegram(12) })).toMatchObject({ ok: true, value: { longNumber: '002901800602302' } });
    const ids = a.ok && b.ok ? [a.value.account.accountId, b.value.account.accountId] : [];
    const switched = await billing.residents.setActiveAccount({ actor: viaTelegram(12), accountId: ids[1]! });
    expect(switched.ok && switched.value.accounts.map((x) => [x.longNumber, x.active])).toEqual([
      ['002901800602303', true],
      ['002901800602302', false],
    ]);
    const unlinked = await billing.residents.unlinkAccount({ actor: viaTelegram(12), accountId: ids[1]! });
    expect(unlinked.ok && unlinked.value.accounts.map((x) => [x.longNumber, x.active])).toEqual([['002901800602302', true]]);
    expect(await billing.residents.unlinkAccount({ actor: viaTelegram(12), accountId: ids[1]! })).toEqual({ ok: false, error: { code: 'account_not_linked' } });
    expect(await billing.accounts.summary({ actor: viaTelegram(13), accountId: ids[0]! })).toEqual({ ok: false, error: { code: 'resident_not_found' } });
  });

  it('a wrong proof links nothing and says nothing about why', async () => {
    await billing.residents.giveConsent({ actor: viaTelegram(14), version: 'v1' });
    expect(await billing.residents.linkAccount({ actor: viaTelegram(14), proof: { ...alla, surname: 'Петрова' } })).toEqual({
      ok: false,
      error: { code: 'account_not_found' },
    });
    expect(await billing.residents.activeAccount({ actor: viaTelegram(14) })).toEqual({ ok: false, error: { code: 'account_not_linked' } });
  });

  it('the active account and its balance in one call, as activeAccount and balance.get give them', async () => {
    expect(await billing.balance.ofActiveAccount({ actor: viaTelegram(17) })).toEqual({ ok: false, error: { code: 'resident_not_found' } });
    expect(await billing.residents.activeAccount({ actor: viaTelegram(17) })).toEqual({ ok: false, error: { code: 'resident_not_found' } });
    await billing.residents.giveConsent({ actor: viaTelegram(16), version: 'v1', language: 'en' });
    expect(await billing.balance.ofActiveAccount({ actor: viaTelegram(16) })).toEqual({ ok: false, error: { code: 'account_not_linked' } });
    await billing.residents.linkAccount({ actor: viaTelegram(16), proof: alla });
    await billing.residents.linkAccount({ actor: viaTelegram(16), proof: semyonov });
    for (const pick of [0, 1]) {
      const active = await billing.residents.activeAccount({ actor: viaTelegram(16) });
      if (!active.ok) throw new Error('no active account');
      const balance = await billing.balance.get({ actor: STAFF, accountId: active.value.accountId });
      expect(await billing.balance.ofActiveAccount({ actor: viaTelegram(16) })).toEqual({
        ok: true,
        value: { account: active.value, balance: balance.ok && balance.value },
      });
      const resident = await billing.residents.get({ actor: viaTelegram(16) });
      const other = resident.ok ? resident.value.accounts[1]! : undefined;
      if (pick === 0) await billing.residents.setActiveAccount({ actor: viaTelegram(16), accountId: other!.accountId });
    }
    // Agreeing again counts the links and keeps the language chosen first.
    expect(await billing.residents.giveConsent({ actor: viaTelegram(16), version: 'v1', language: 'ru' })).toEqual({
      ok: true,
      value: { language: 'en', consentVersion: 'v1', linkedAccounts: 2 },
    });
  });

  it('withdrawing consent forgets the resident and the links', async () => {
    await billing.residents.giveConsent({ actor: viaTelegram(15), version: 'v1' });
    await billing.residents.linkAccount({ actor: viaTelegram(15), proof: alla });
    expect(await billing.residents.withdrawConsent({ actor: viaTelegram(15) })).toEqual({ ok: true, value: { forgotten: true } });
    expect(await billing.residents.get({ actor: viaTelegram(15) })).toEqual({ ok: false, error: { code: 'resident_not_found' } });
    const [row] = await db.orm.em
      .getConnection()
      .execute(`select count(*)::int as n from account_link l join resident r on r.id = l.resident_id where r.telegram_id = 15`);
    expect(row!.n).toBe(0);
  });
});

describe('a first consent given twice at once', () => {
  it('creates one resident, and both answers agree', async () => {
    const db2 = await freshDatabase();
    try {
      const b2 = createBilling({ orm: db2.orm, now: () => NOW });
      const actor = viaTelegram(777_001);
      const answers = await Promise.all([1, 2, 3, 4].map(() => b2.residents.giveConsent({ actor, version: 'v1' })));
      expect(answers.every((a) => a.ok && a.value.consentVersion === 'v1')).toBe(true);
      const rows = await db2.orm.em.fork().getConnection().execute<{ n: number }[]>('select count(*)::int as n from resident where telegram_id = ?', [777_001]);
      expect(rows[0]!.n).toBe(1);
    } finally {
      await db2.drop();
    }
  });
});
