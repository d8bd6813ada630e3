import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Billing } from '../src/billing/index.ts';
import type { TestDatabase } from './support/db.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import { NOW } from './support/fixture.ts';
import { viaTelegram } from '../src/billing/index.ts';

let db: TestDatabase;
let billing: Billing;
let alla: number;
let clock = NOW;
const later = (minutes: number) => (clock = new Date(clock.getTime() + minutes * 60_000));

const ALLA = { by: 'number' as const, longNumber: '002901800602302', house: '7', flat: '30', flatPrefix: null, surname: 'Михайлова', pin: null };

beforeAll(async () => {
  const fixture = await openFixtureBilling(() => clock);
  ({ db, billing } = fixture);
  alla = await fixture.accountId('002901800602302');
});
afterAll(async () => db.drop());

let nextUser = 91_000;
async function resident(opts: { link?: boolean } = {}) {
  const telegramId = ++nextUser;
  await billing.residents.giveConsent({ actor: viaTelegram(telegramId), version: 't' });
  if (opts.link) expect((await billing.residents.linkAccount({ actor: viaTelegram(telegramId), proof: ALLA })).ok).toBe(true);
  return telegramId;
}
async function confirmed(address: string) {
  const telegramId = await resident({ link: true });
  const sent = await billing.email.requestCode({ actor: viaTelegram(telegramId), address });
  if (!sent.ok) throw new Error(sent.error.code);
  expect(await billing.email.confirm({ actor: viaTelegram(telegramId), code: sent.value.code })).toEqual({ ok: true, value: { address } });
  return telegramId;
}
const sql = (q: string, params: unknown[] = []) => db.orm.em.getConnection().execute(q, params);
/** The monthly mailing's planning, every batch: how many letters went into the outbox. */
async function plan(): Promise<number> {
  let planned = 0;
  for (let after = 0; ; ) {
    const b = await billing.mailings.plan({ after, limit: 2 });
    if (!b.ok || b.value.last === null) return planned;
    planned += b.value.planned;
    after = b.value.last;
  }
}
const reset = () => sql(`delete from receipt_subscription`).then(() => sql(`delete from notice where kind = 'receipt_email'`));

describe('the e-mail address', () => {
  it('is confirmed by the code sent to it; only a hash of the code is kept', async () => {
    const telegramId = await resident();
    const sent = await billing.email.requestCode({ actor: viaTelegram(telegramId), address: '  Ivanova@Mail.RU ' });
    expect(sent).toMatchObject({ ok: true, value: { address: 'Ivanova@mail.ru' } });
    const code = sent.ok ? sent.value.code : '';
    expect(code).toMatch(/^\d{6}$/);
    const [row] = await sql(`select code_hash from email_confirmation c join resident r on r.id = c.resident_id where r.telegram_id = ?`, [telegramId]);
    expect(row!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.code_hash).not.toContain(code);
    expect(await billing.email.get({ actor: viaTelegram(telegramId) })).toEqual({
      ok: true,
      value: { address: null, pending: 'Ivanova@mail.ru', subscribedAccountIds: [], paperOptOutAccountIds: [] },
    });
    expect(await billing.email.confirm({ actor: viaTelegram(telegramId), code })).toEqual({ ok: true, value: { address: 'Ivanova@mail.ru' } });
    expect(await billing.email.get({ actor: viaTelegram(telegramId) })).toEqual({
      ok: true,
      value: { address: 'Ivanova@mail.ru', pending: null, subscribedAccountIds: [], paperOptOutAccountIds: [] },
    });
    // The code is used up.
    expect(await billing.email.confirm({ actor: viaTelegram(telegramId), code })).toMatchObject({ ok: false, error: { code: 'no_pending_email' } });
  });

  it('refuses what is not an address, and asks for consent first', async () => {
    const telegramId = await resident();
    for (const address of ['ivanova', 'ivanova@', '@mail.ru', 'ivanova mail.ru', 'a@b', `${'x'.repeat(250)}@mail.ru`]) {
      expect(await billing.email.requestCode({ actor: viaTelegram(telegramId), address }), address).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    }
    expect(await billing.email.requestCode({ actor: viaTelegram(1), address: 'a@mail.ru' })).toMatchObject({
      ok: false,
      error: { code: 'resident_not_found' },
    });
  });

  it('counts wrong codes: after five the code is dead and a new one is needed', async () => {
    const telegramId = await resident();
    const sent = await billing.email.requestCode({ actor: viaTelegram(telegramId), address: 'petrov@mail.ru' });
    const code = sent.ok ? sent.value.code : '';
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 0; left--) {
      expect(await billing.email.confirm({ actor: viaTelegram(telegramId), code: wrong })).toEqual({
        ok: false,
        error: { code: 'code_invalid', attemptsLeft: left },
      });
    }
    expect(await billing.email.confirm({ actor: viaTelegram(telegramId), code })).toEqual({ ok: false, error: { code: 'code_expired' } });
    const again = await billing.email.requestCode({ actor: viaTelegram(telegramId), address: 'petrov@mail.ru' });
    expect(await billing.email.confirm({ actor: viaTelegram(telegramId), code: again.ok ? again.value.code : '' })).toMatchObject({ ok: true });
  });

  it('lets a code expire after 30 minutes', async () => {
    const telegramId = await resident();
    const sent = await billing.email.requestCode({ actor: viaTelegram(telegramId), address: 'sidorov@mail.ru' });
    later(31);
    expect(await billing.email.confirm({ actor: viaTelegram(telegramId), code: sent.ok ? sent.value.code : '' })).toEqual({
      ok: false,
      error: { code: 'code_expired' },
    });
  });

  it('sends at most five codes a day', async () => {
    const telegramId = await resident();
    for (let i = 0; i < 5; i++) expect((await billing.email.requestCode({ actor: viaTelegram(telegramId), address: `k${i}@mail.ru` })).ok).toBe(true);
    const refused = await billing.email.requestCode({ actor: viaTelegram(telegramId), address: 'k5@mail.ru' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'too_many_codes' } });
    const retryAt = refused.ok ? 0 : Date.parse((refused.error as { retryAt: string }).retryAt);
    expect(retryAt - clock.getTime()).toBeGreaterThan(23 * 3600_000);
    later(24 * 60 + 1);
    expect((await billing.email.requestCode({ actor: viaTelegram(telegramId), address: 'k5@mail.ru' })).ok).toBe(true);
  });

  it('removing the address stops the subscriptions; withdrawing consent deletes it all', async () => {
    const telegramId = await confirmed('remove@mail.ru');
    expect(await billing.receipts.subscribe({ actor: viaTelegram(telegramId), accountId: alla })).toEqual({
      ok: true,
      value: { address: 'remove@mail.ru', longNumber: '002901800602302', alreadySubscribed: false },
    });
    expect(await billing.email.remove({ actor: viaTelegram(telegramId) })).toEqual({ ok: true, value: { unsubscribed: 1, paperBack: false } });
    expect(await billing.email.get({ actor: viaTelegram(telegramId) })).toEqual({
      ok: true,
      value: { address: null, pending: null, subscribedAccountIds: [], paperOptOutAccountIds: [] },
    });

    const other = await confirmed('gone@mail.ru');
    await billing.receipts.subscribe({ actor: viaTelegram(other), accountId: alla });
    await billing.email.requestCode({ actor: viaTelegram(other), address: 'next@mail.ru' });
    await billing.residents.withdrawConsent({ actor: viaTelegram(other) });
    const [left] = await sql(
      `select (select count(*) from resident where email in ('gone@mail.ru')) r, (select count(*) from email_confirmation where address = 'next@mail.ru') c,
              (select count(*) from receipt_subscription s where not exists (select 1 from account_link l where l.id = s.link_id)) orphans`,
    );
    expect(left).toEqual({ r: '0', c: '0', orphans: '0' });
  });
});

describe('the monthly receipt subscription', () => {
  it('needs a confirmed address and a linked account', async () => {
    const unconfirmed = await resident({ link: true });
    expect(await billing.receipts.subscribe({ actor: viaTelegram(unconfirmed), accountId: alla })).toEqual({
      ok: false,
      error: { code: 'email_not_confirmed' },
    });
    const notLinked = await resident();
    const sent = await billing.email.requestCode({ actor: viaTelegram(notLinked), address: 'x@mail.ru' });
    await billing.email.confirm({ actor: viaTelegram(notLinked), code: sent.ok ? sent.value.code : '' });
    expect(await billing.receipts.subscribe({ actor: viaTelegram(notLinked), accountId: alla })).toEqual({ ok: false, error: { code: 'account_not_linked' } });
  });

  it('mails only statements newer than the subscription, each once, also when two instances plan and claim at the same time', async () => {
    const telegramId = await confirmed('monthly@mail.ru');
    await billing.receipts.subscribe({ actor: viaTelegram(telegramId), accountId: alla });
    expect(await billing.receipts.subscribe({ actor: viaTelegram(telegramId), accountId: alla })).toMatchObject({
      ok: true,
      value: { alreadySubscribed: true },
    });
    // October's statement existed when subscribing: nothing is due.
    expect(await plan()).toBe(0);
    expect(await billing.notices.claim({ channel: 'email' })).toEqual({ ok: false, error: { code: 'notice_not_pending' } });

    // November's statement arrives with the next import.
    await sql(
      `insert into statement (account_id, period, opening, charged, recalculation, volume, benefits, paid, closing) values (?, '2026-11-01', 432.85, 104.20, 0, 2, 0, 0, 537.05)`,
      [alla],
    );
    const planned = await Promise.all([plan(), plan()]);
    expect(planned.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await sql(`select kind, subject, channel, payload from notice where kind = 'receipt_email'`)).toEqual([
      { kind: 'receipt_email', subject: `receipt:${alla}:2026-11`, channel: 'email', payload: { accountId: alla, month: '2026-11' } },
    ]);
    const [a, b] = await Promise.all([billing.notices.claim({ channel: 'email' }), billing.notices.claim({ channel: 'email' })]);
    const claimed = [a, b].flatMap((c) => (c.ok ? [c.value] : []));
    expect(claimed).toEqual([expect.objectContaining({ kind: 'receipt_email', address: 'monthly@mail.ru', language: 'ru', attempt: 1 })]);
    // Telegram's channel never takes it.
    expect(await billing.notices.claim({ channel: 'telegram', noticeId: claimed[0]!.noticeId })).toEqual({ ok: false, error: { code: 'notice_not_pending' } });
    await billing.notices.finish({ noticeId: claimed[0]!.noticeId, sent: true });
    later(60);
    expect(await plan()).toBe(0);
    expect(await billing.notices.claim({ channel: 'email' })).toEqual({ ok: false, error: { code: 'notice_not_pending' } });
  });

  it('mails a resident who blocked the bot in Telegram all the same: the letter does not go through Telegram', async () => {
    await reset();
    const telegramId = await confirmed('blocked@mail.ru');
    await billing.receipts.subscribe({ actor: viaTelegram(telegramId), accountId: alla });
    await sql(`update receipt_subscription set since_month = '2026-10-01'`);
    await sql(`update resident set blocked = true where telegram_id = ?`, [telegramId]);
    expect(await plan()).toBe(1);
    const due = await billing.notices.claim({ channel: 'email' });
    expect(due.ok && [due.value.address, due.value.telegramId, due.value.blocked]).toEqual(['blocked@mail.ru', telegramId, true]);
  });

  it('tries a refused letter again after 10 minutes, five times in all', async () => {
    await reset();
    const telegramId = await confirmed('flaky@mail.ru');
    await billing.receipts.subscribe({ actor: viaTelegram(telegramId), accountId: alla });
    await sql(`update receipt_subscription set since_month = '2026-10-01'`);
    const tries: number[] = [];
    for (let i = 0; i < 7; i++) {
      await plan();
      const due = await billing.notices.claim({ channel: 'email' });
      tries.push(due.ok ? 1 : 0);
      if (due.ok) await billing.notices.release({ noticeId: due.value.noticeId, retryInSeconds: 600 });
      if (i === 0) {
        // Straight away: not yet.
        expect((await billing.notices.claim({ channel: 'email' })).ok).toBe(false);
      }
      later(11);
    }
    expect(tries).toEqual([1, 1, 1, 1, 1, 0, 0]);
    expect(await sql(`select state, outcome, attempts from notice where kind = 'receipt_email'`)).toEqual([
      { state: 'failed', outcome: 'refused', attempts: 5 },
    ]);
  });

  it('never sends twice a letter whose sender died while sending (its outcome is unknown)', async () => {
    await reset();
    const telegramId = await confirmed('crash@mail.ru');
    await billing.receipts.subscribe({ actor: viaTelegram(telegramId), accountId: alla });
    await sql(`update receipt_subscription set since_month = '2026-10-01'`);
    await plan();
    const due = await billing.notices.claim({ channel: 'email' });
    expect(due.ok && due.value.address).toBe('crash@mail.ru');
    // No finish: the instance died between the claim and the answer of the mail server.
    for (const minutes of [31, 120, 24 * 60]) {
      later(minutes);
      expect(await plan()).toBe(0);
      expect(await billing.notices.claim({ channel: 'email' })).toEqual({ ok: false, error: { code: 'notice_not_pending' } });
    }
    expect(await sql(`select state from notice where kind = 'receipt_email'`)).toEqual([{ state: 'sending' }]);
  });

  it('is ended by the token of its letter, and by unlinking the account', async () => {
    await sql(`delete from receipt_subscription`);
    const telegramId = await confirmed('token@mail.ru');
    await billing.receipts.subscribe({ actor: viaTelegram(telegramId), accountId: alla });
    const [row] = await sql(`select token from receipt_subscription`);
    const token = String(row!.token);
    expect(await billing.receipts.subscriptionByToken({ token })).toEqual({ ok: true, value: { longNumber: '002901800602302' } });
    expect(await billing.receipts.unsubscribeByToken({ token })).toEqual({ ok: true, value: { longNumber: '002901800602302', paperBack: false } });
    expect(await billing.receipts.unsubscribeByToken({ token })).toEqual({ ok: false, error: { code: 'subscription_not_found' } });
    expect(await billing.receipts.subscriptionByToken({ token: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });

    await billing.receipts.subscribe({ actor: viaTelegram(telegramId), accountId: alla });
    expect(await billing.email.get({ actor: viaTelegram(telegramId) })).toMatchObject({ ok: true, value: { subscribedAccountIds: [alla] } });
    await billing.residents.unlinkAccount({ actor: viaTelegram(telegramId), accountId: alla });
    expect(await billing.email.get({ actor: viaTelegram(telegramId) })).toMatchObject({ ok: true, value: { subscribedAccountIds: [] } });
  });
});
