import { Api } from 'grammy';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBilling, viaTelegram, type Billing } from '../src/billing/index.ts';
import { windowOccasion } from '../src/billing/reminders.ts';
import { buttons } from '../src/bot/callback-data.ts';
import { createTranslator } from '../src/i18n.ts';
import { drainNotices, noticeJob } from '../src/jobs/notice.ts';
import { memoryPace, redisPace, type Pace } from '../src/jobs/pace.ts';
import { createLogger } from '../src/logger.ts';
import { openFixtureBilling } from './support/billing-fixture.ts';
import type { TestDatabase } from './support/db.ts';
import { ApiRecorder, createTestBot, Resident } from './support/telegram.ts';

const log = createLogger('silent');
const translator = createTranslator();
let db: TestDatabase;
let billing: Billing;
let clock = new Date('2026-12-20T09:00:00Z');
const sql = <T = Record<string, unknown>>(q: string, params: unknown[] = []) => db.orm.em.getConnection().execute<T[]>(q, params);
const apiOf = (rec: ApiRecorder) => new Api('7000001:TEST-TOKEN-FOR-VITEST-ONLY-xxxxxxxx', { fetch: rec.fetch });
/** No waiting in tests: a pace that is never out of tokens, and records the pauses asked. */
const freePace = (): Pace & { pauses: number[] } => {
  const pauses: number[] = [];
  return { pauses, take: async () => undefined, pause: async (s) => void pauses.push(s), paused: async () => false };
};

let branchSeq = 0;
/** A branch of its own (so the fixture's accounts stay out of the counts), with one street and building. */
async function branch(timezone: string, from = 20, to = 25) {
  const code = `rm${++branchSeq}`;
  const [b] = await sql<{ id: number }>(`insert into branch (code, name, timezone, reading_day_from, reading_day_to) values (?, ?, ?, ?, ?) returning id`, [
    code,
    `Branch ${code}`,
    timezone,
    from,
    to,
  ]);
  const [s] = await sql<{ id: number }>(`insert into settlement (branch_id, name) values (?, 'г. Тестовск') returning id`, [b!.id]);
  const [st] = await sql<{ id: number }>(`insert into street (settlement_id, name, search_key) values (?, 'ул. Лесная', 'лесная') returning id`, [s!.id]);
  const [bu] = await sql<{ id: number }>(`insert into building (street_id, house, house_key) values (?, '5', '5') returning id`, [st!.id]);
  return { id: Number(b!.id), code, buildingId: Number(bu!.id) };
}

let accountSeq = 0;
let tidSeq = 81_000;
interface MeterSpec {
  due?: string | null;
  status?: 'active' | 'disconnected';
  /** A reading for this period ('YYYY-MM-01'). */
  passedFor?: string;
}
/** An account with meters, linked to a new resident (unless `linked: false`). */
async function household(b: { id: number; buildingId: number }, meters: MeterSpec[], o: { linked?: boolean } = {}) {
  const n = ++accountSeq;
  const [pr] = await sql<{ id: number }>(`insert into premise (building_id, flat, flat_key) values (?, ?, ?) returning id`, [
    b.buildingId,
    String(n),
    String(n),
  ]);
  const longNumber = String(990_000_000_000_000 + n);
  const [a] = await sql<{ id: number }>(
    `insert into account (branch_id, premise_id, long_number, short_number, owner_full_name, owner_surname_key) values (?, ?, ?, ?, 'Тестов Т. Т.', 'тестов') returning id`,
    [b.id, pr!.id, longNumber, String(n)],
  );
  const accountId = Number(a!.id);
  const meterIds: number[] = [];
  for (const [i, m] of meters.entries()) {
    const [row] = await sql<{ id: number }>(
      `insert into meter (account_id, service_id, serial, place, verification_due, status) values (?, (select id from service where code = 'cold_water'), ?, 'кухня', ?, ?) returning id`,
      [accountId, `T${n}-${i}`, m.due === undefined ? '2030-01-01' : m.due, m.status ?? 'active'],
    );
    const meterId = Number(row!.id);
    meterIds.push(meterId);
    if (m.passedFor)
      await sql(`insert into reading (meter_id, value, taken_on, source, period) values (?, 10, ?, 'telegram', ?)`, [meterId, m.passedFor, m.passedFor]);
  }
  const tid = ++tidSeq;
  if (o.linked !== false) {
    expect((await billing.residents.giveConsent({ actor: viaTelegram(tid), version: 't' })).ok).toBe(true);
    await sql(`insert into account_link (resident_id, account_id) values ((select id from resident where telegram_id = ?), ?)`, [tid, accountId]);
  }
  return { accountId, meterIds, tid, longNumber, n };
}

const noticesOf = (tid: number) =>
  sql<{ kind: string; subject: string; payload: Record<string, any>; state: string; due_at: Date; outcome: string | null }>(
    `select kind, subject, payload, state, due_at, outcome from notice n join resident r on r.id = n.resident_id where r.telegram_id = ? order by n.id`,
    [tid],
  );

beforeAll(async () => {
  ({ db, billing } = await openFixtureBilling(() => clock));
});
afterAll(async () => db.drop());

describe('the window’s occasions', () => {
  it('opening, two days before the close, the last day; nothing outside the window', () => {
    expect(windowOccasion('2026-12-19', '2026-12-20', '2026-12-25')).toBeNull();
    expect(windowOccasion('2026-12-20', '2026-12-20', '2026-12-25')).toBe('open');
    expect(windowOccasion('2026-12-22', '2026-12-20', '2026-12-25')).toBe('open');
    expect(windowOccasion('2026-12-23', '2026-12-20', '2026-12-25')).toBe('closing');
    expect(windowOccasion('2026-12-25', '2026-12-20', '2026-12-25')).toBe('last');
    expect(windowOccasion('2026-12-26', '2026-12-20', '2026-12-25')).toBeNull();
  });
});

describe('who is reminded of the reading window', () => {
  it('one with a meter missing (only the missing one named); not one who passed all, nor an expired meter, nor unlinked, nor blocked', async () => {
    const b = await branch('Europe/Moscow');
    const period = '2026-12-01';
    const allPassed = await household(b, [{ passedFor: period }, { passedFor: period }]);
    const oneMissing = await household(b, [{ passedFor: period }, {}]);
    const expired = await household(b, [{ due: '2026-12-01' }]);
    const disconnected = await household(b, [{ status: 'disconnected' }]);
    const unlinked = await household(b, [{}], { linked: false });
    const blocked = await household(b, [{}]);
    await billing.residents.markBlocked({ telegramId: blocked.tid });
    clock = new Date('2026-12-20T07:00:00Z'); // 10:00 in Moscow
    const counted = await billing.reminders.plan({ on: '2026-12-20' });
    expect(counted.ok && counted.value.counts!.filter((c) => c.branch === b.code)).toEqual([
      { kind: 'reading_window', branch: b.code, due: 1, new: 1 },
      // The expired meter is told of its verification instead (its date was 19 days ago).
      { kind: 'verification', branch: b.code, due: 1, new: 1 },
    ]);
    // Counting queues nothing.
    expect(await noticesOf(oneMissing.tid)).toEqual([]);
    const planned = await billing.reminders.plan({ on: '2026-12-20', queue: true });
    expect(planned.ok && planned.value.queued!.reading_window).toBeGreaterThanOrEqual(1);
    const [notice] = await noticesOf(oneMissing.tid);
    expect(notice).toMatchObject({
      kind: 'reading_window',
      subject: `window:${oneMissing.accountId}:2026-12:open`,
      state: 'pending',
      payload: { accountId: oneMissing.accountId, period: '2026-12', occasion: 'open', lastDay: '2026-12-25', meters: [{ meterId: oneMissing.meterIds[1] }] },
    });
    expect(new Date(notice!.due_at).toISOString()).toBe(clock.toISOString());
    for (const h of [allPassed, disconnected, unlinked, blocked]) expect(await noticesOf(h.tid)).toEqual([]);
    expect((await noticesOf(expired.tid)).map((n) => n.kind)).toEqual(['verification']);
    // Planned again (a second tick, another instance): nothing new.
    const again = await billing.reminders.plan({ on: '2026-12-20', queue: true });
    expect(again.ok && again.value.queued).toEqual({ reading_window: 0, verification: 0 });
    expect(await noticesOf(oneMissing.tid)).toHaveLength(1);

    // The text: the window, the address, the meter still missing, the last day; the two buttons.
    const rec = new ApiRecorder();
    const counts = await drainNotices({ api: apiOf(rec), billing, translator, log, pace: freePace() }, { budgetMs: 10_000, parallel: 2 });
    expect(counts.sent).toBeGreaterThanOrEqual(2);
    const [sent] = rec.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === oneMissing.tid);
    expect(sent!.payload.text).toBe(
      [
        'Начался приём показаний за декабрь 2026.',
        `Адрес: г. Тестовск, ул. Лесная, д. 5, кв. ${oneMissing.n}`,
        'Ещё не переданы:',
        `• Холодная вода (ХВС), № T${oneMissing.n}-1, кухня`,
        'Последний день — 25.12.2026. Показания, переданные позже, будут учтены в следующем месяце.',
      ].join('\n'),
    );
    expect(sent!.payload.reply_markup.inline_keyboard.flat()).toEqual([
      { text: '📟 Передать показания', callback_data: buttons.reminders.readings.pack({ accountId: oneMissing.accountId }) },
      { text: '🔕 Не напоминать', callback_data: buttons.reminders.off.pack({ kind: 'reading_window', accountId: oneMissing.accountId }) },
    ]);
  });

  it('two days before the close and on the last day (before noon only)', async () => {
    const b = await branch('Europe/Moscow');
    const h = await household(b, [{}]);
    clock = new Date('2026-12-23T07:00:00Z');
    await billing.reminders.plan({ on: '2026-12-23', queue: true });
    clock = new Date('2026-12-25T06:30:00Z'); // 09:30 in Moscow
    await billing.reminders.plan({ on: '2026-12-25', queue: true });
    expect((await noticesOf(h.tid)).map((n) => n.subject)).toEqual([`window:${h.accountId}:2026-12:closing`, `window:${h.accountId}:2026-12:last`]);
    // Past noon the last day's reminder is not planned; one planned but not sent by then is dropped.
    const late = await household(b, [{}]);
    clock = new Date('2026-12-25T09:30:00Z'); // 12:30 in Moscow
    await billing.reminders.plan({ on: '2026-12-25', queue: true });
    expect(await noticesOf(late.tid)).toEqual([]);
    const rec = new ApiRecorder();
    await drainNotices({ api: apiOf(rec), billing, translator, log, pace: freePace() }, { budgetMs: 10_000, parallel: 1 });
    expect((await noticesOf(h.tid)).map((n) => [n.state, n.outcome])).toEqual([
      ['sent', null],
      ['failed', 'expired'],
    ]);
  });

  it('quiet hours: planned at 22:00 branch time, it waits for 09:00', async () => {
    const b = await branch('Europe/Moscow');
    const h = await household(b, [{}]);
    clock = new Date('2026-12-21T19:00:00Z'); // 22:00 in Moscow
    await billing.reminders.plan({ on: '2026-12-21', queue: true });
    const rec = new ApiRecorder();
    const deps = { api: apiOf(rec), billing, translator, log, pace: freePace() };
    const counts = await drainNotices(deps, { budgetMs: 10_000, parallel: 1 });
    expect(counts.deferred).toBeGreaterThanOrEqual(1);
    expect(rec.calls.filter((c) => c.payload.chat_id === h.tid)).toEqual([]);
    const [n] = await noticesOf(h.tid);
    expect(n!.state).toBe('pending');
    expect(new Date(n!.due_at).toISOString()).toBe('2026-12-22T06:00:00.000Z');
    clock = new Date('2026-12-22T05:59:00Z');
    await drainNotices(deps, { budgetMs: 10_000, parallel: 1 });
    expect(rec.calls.filter((c) => c.payload.chat_id === h.tid)).toEqual([]);
    clock = new Date('2026-12-22T06:00:00Z');
    await drainNotices(deps, { budgetMs: 10_000, parallel: 1 });
    expect(rec.calls.filter((c) => c.payload.chat_id === h.tid)).toHaveLength(1);
  });

  it('a branch’s timezone at the month’s edge: in Vladivostok the window of days 1–5 has opened while Moscow is still in November', async () => {
    const east = await branch('Asia/Vladivostok', 1, 5);
    const west = await branch('Europe/Moscow', 1, 5);
    const e = await household(east, [{ passedFor: '2026-11-01' }]);
    const w = await household(west, [{ passedFor: '2026-11-01' }]);
    clock = new Date('2026-11-30T15:00:00Z'); // 01:00 on 1 December in Vladivostok, 18:00 on 30 November in Moscow
    await billing.reminders.plan({ queue: true });
    const [n] = await noticesOf(e.tid);
    expect(n).toMatchObject({ subject: `window:${e.accountId}:2026-12:open`, payload: { period: '2026-12', lastDay: '2026-12-05' } });
    // Sent from 09:00 in Vladivostok.
    expect(new Date(n!.due_at).toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(await noticesOf(w.tid)).toEqual([]);
  });
});

describe('verification reminders', () => {
  it('60 and 30 days before, on the day, then monthly while expired; stops with a new date', async () => {
    const b = await branch('Europe/Moscow');
    const today = '2026-12-10';
    const at60 = await household(b, [{ due: '2027-02-08' }]);
    const at30 = await household(b, [{ due: '2027-01-09' }]);
    const at0 = await household(b, [{ due: today }]);
    const later = await household(b, [{ due: '2027-03-01' }]);
    const expired = await household(b, [{ due: '2026-10-05' }]);
    clock = new Date('2026-12-10T07:00:00Z');
    await billing.reminders.plan({ on: today, queue: true });
    const subjectOf = async (h: { tid: number }) => (await noticesOf(h.tid)).filter((n) => n.kind === 'verification').map((n) => n.subject);
    expect(await subjectOf(at60)).toEqual([`verify:${at60.accountId}:2027-02-08:d60`]);
    expect(await subjectOf(at30)).toEqual([`verify:${at30.accountId}:2027-01-09:d30`]);
    expect(await subjectOf(at0)).toEqual([`verify:${at0.accountId}:${today}:d0`]);
    expect(await subjectOf(later)).toEqual([]);
    expect(await subjectOf(expired)).toEqual([`verify:${expired.accountId}:2026-10-05:m2`]);
    // The next day nothing new; a month on, the expired one again.
    await billing.reminders.plan({ on: '2026-12-11', queue: true });
    expect(await subjectOf(at60)).toHaveLength(1);
    await billing.reminders.plan({ on: '2027-01-05', queue: true });
    expect(await subjectOf(expired)).toEqual([`verify:${expired.accountId}:2026-10-05:m2`, `verify:${expired.accountId}:2026-10-05:m3`]);
    // Billing brings a new date: no more about the old one.
    await sql(`update meter set verification_due = '2032-10-05' where id = ?`, [expired.meterIds[0]]);
    await billing.reminders.plan({ on: '2027-02-05', queue: true });
    expect(await subjectOf(expired)).toHaveLength(2);

    const rec = new ApiRecorder();
    await drainNotices({ api: apiOf(rec), billing, translator, log, pace: freePace() }, { budgetMs: 10_000, parallel: 2 });
    const textTo = (tid: number) => rec.calls.find((c) => c.method === 'sendMessage' && c.payload.chat_id === tid)!.payload;
    expect(textTo(at60.tid).text.split('\n')[0]).toBe('Срок поверки счётчика заканчивается 08.02.2027: осталось 60 дней.');
    expect(textTo(at0.tid).text.split('\n')[0]).toBe('Сегодня заканчивается срок поверки счётчика.');
    expect(textTo(expired.tid).text.split('\n')[0]).toBe('Срок поверки счётчика истёк 05.10.2026.');
    expect(textTo(at30.tid).text).toContain('первые три месяца начисление идёт по среднему расходу, затем — по нормативу');
    expect(textTo(at30.tid).reply_markup.inline_keyboard.flat()).toEqual([
      { text: '🛠 Вызвать контролёра', callback_data: buttons.reminders.inspector.pack({ accountId: at30.accountId, meterId: at30.meterIds[0]! }) },
      { text: '🔕 Не напоминать', callback_data: buttons.reminders.off.pack({ kind: 'verification', accountId: at30.accountId }) },
    ]);
  });

  it('a resident who turned a kind off for an account gets the other kind only', async () => {
    const b = await branch('Europe/Moscow');
    const h = await household(b, [{ due: '2027-01-19' }]);
    const actor = viaTelegram(h.tid);
    expect(await billing.reminders.set({ actor, accountId: h.accountId, kind: 'reading_window', on: false })).toEqual({
      ok: true,
      value: { kind: 'reading_window', on: false },
    });
    const settings = await billing.reminders.settings({ actor });
    expect(settings.ok && settings.value.map((a) => a.on)).toEqual([{ reading_window: false, verification: true }]);
    clock = new Date('2026-12-20T07:00:00Z');
    await billing.reminders.plan({ on: '2026-12-20', queue: true });
    expect((await noticesOf(h.tid)).map((n) => n.kind)).toEqual(['verification']);
    await billing.reminders.set({ actor, accountId: h.accountId, kind: 'reading_window', on: true });
    await billing.reminders.plan({ on: '2026-12-20', queue: true });
    expect((await noticesOf(h.tid)).map((n) => n.kind)).toEqual(['verification', 'reading_window']);
  });
});

describe('delivery', () => {
  it('exactly once with two planners and two deliverers at once', async () => {
    const b = await branch('Europe/Moscow');
    const homes = await Promise.all(Array.from({ length: 30 }, () => household(b, [{}])));
    clock = new Date('2026-12-20T07:00:00Z');
    const other = createBilling({ orm: db.orm, now: () => clock });
    await Promise.all([billing.reminders.plan({ on: '2026-12-20', queue: true }), other.reminders.plan({ on: '2026-12-20', queue: true })]);
    const rec = new ApiRecorder();
    rec.delays.set('sendMessage', 5);
    await Promise.all([
      drainNotices({ api: apiOf(rec), billing, translator, log, pace: freePace() }, { budgetMs: 20_000, parallel: 3 }),
      drainNotices({ api: apiOf(rec), billing: other, translator, log, pace: freePace() }, { budgetMs: 20_000, parallel: 3 }),
    ]);
    for (const h of homes)
      expect(
        rec.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === h.tid),
        String(h.tid),
      ).toHaveLength(1);
  });

  it('429 pauses every sender for its retry_after (a key in Redis) and the notice goes later, once; 403 marks the resident and nothing more goes to them', async () => {
    const b = await branch('Europe/Moscow');
    const slow = await household(b, [{}]);
    const gone = await household(b, [{ due: '2027-01-19' }]);
    clock = new Date('2026-12-20T07:00:00Z');
    await billing.reminders.plan({ on: '2026-12-20', queue: true });
    const rec = new ApiRecorder();
    let refused = false;
    rec.failures.set('sendMessage', (p) => {
      if (p.chat_id === gone.tid) return { error_code: 403, description: 'Forbidden: bot was blocked by the user' };
      if (p.chat_id === slow.tid && !refused) {
        refused = true;
        return { error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 } };
      }
      return undefined;
    });
    const redis = new Redis('redis://127.0.0.1:6379');
    const prefix = `test:${process.pid}:${Date.now()}:`;
    const shared = redisPace(redis, 1000, prefix);
    let pausedFor = -1;
    const pace: Pace = {
      take: () => shared.take(),
      paused: () => shared.paused(),
      pause: async (s) => {
        await shared.pause(s);
        pausedFor = await redis.pttl(`${prefix}{notices}:pause`);
      },
    };
    try {
      const job = noticeJob({ api: apiOf(rec), billing, translator, log, pace });
      const [slowNotice] = await sql<{ id: number }>(`select n.id from notice n join resident r on r.id = n.resident_id where r.telegram_id = ?`, [slow.tid]);
      await expect(job({ noticeId: slowNotice!.id }, { retried: false, jobId: '1' })).rejects.toThrow();
      expect(pausedFor).toBeGreaterThan(2000);
      expect((await noticesOf(slow.tid)).map((n) => n.state)).toEqual(['pending']);
      // Every sender (another instance's pace on the same Redis) waits out the pause, then it goes once.
      // One at a time: two of the same resident's notices sent at once could both meet the 403.
      await drainNotices({ api: apiOf(rec), billing, translator, log, pace: redisPace(redis, 1000, prefix) }, { budgetMs: 20_000, parallel: 1 });
      expect(rec.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === slow.tid)).toHaveLength(2);
      expect((await noticesOf(slow.tid)).map((n) => n.state)).toEqual(['sent']);
    } finally {
      redis.disconnect();
    }
    expect((await noticesOf(gone.tid)).map((n) => [n.kind, n.state, n.outcome]).sort()).toEqual([
      ['reading_window', 'failed', 'blocked'],
      ['verification', 'failed', 'blocked'],
    ]);
    // One 403: the second notice was not even tried.
    expect(rec.calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === gone.tid)).toHaveLength(1);
    expect(await sql(`select blocked from resident where telegram_id = ?`, [gone.tid])).toEqual([{ blocked: true }]);
    const replanned = await billing.reminders.plan({ on: '2026-12-23' });
    // Planned again: the blocked resident is left out (only the other's «two days left» is due).
    expect(replanned.ok && replanned.value.counts!.filter((c) => c.branch === b.code)).toEqual([{ kind: 'reading_window', branch: b.code, due: 1, new: 1 }]);
  });

  it('the memory pace keeps a pause for everyone of the process', async () => {
    const pace = memoryPace(1000);
    await pace.pause(0.05);
    let taken = false;
    const waiting = pace.take().then(() => {
      taken = true;
    });
    expect(taken).toBe(false);
    await waiting;
    expect(taken).toBe(true);
  });
});

describe('in the bot', () => {
  it('the reminder’s button opens the readings dialogue of that account; «Не напоминать» turns the kind off; Settings turn it back on; unblocking clears the mark', async () => {
    const kit = await createTestBot(db.orm, { now: () => clock });
    try {
      const b = await branch('Europe/Moscow');
      const h = await household(b, [{}]);
      const r = new Resident(kit, h.tid);
      clock = new Date('2026-12-20T07:00:00Z');
      await kit.billing.reminders.plan({ on: '2026-12-20', queue: true });
      await kit.runner.jobs.send('notices.deliver', {});
      await kit.runner.drained();
      expect(r.lastText()).toMatch(/^Начался приём показаний за декабрь 2026\./);
      await r.tap('📟 Передать показания');
      expect(r.messages().at(-2)?.payload.text).toMatch(new RegExp(`${h.longNumber}`));
      await r.say('/cancel');

      const calls = await r.press(buttons.reminders.off.pack({ kind: 'reading_window', accountId: h.accountId }));
      expect(r.toasts(calls)).toEqual(['Больше не будем напоминать об этом по этому счёту. Включить снова можно в «Настройках».']);
      expect(await sql(`select kind from reminder_opt_out where account_id = ?`, [h.accountId])).toEqual([{ kind: 'reading_window' }]);
      // A stranger's account in the button: refused, nothing changed.
      const stranger = await household(b, [{}]);
      const refused = await r.press(buttons.reminders.off.pack({ kind: 'verification', accountId: stranger.accountId }));
      expect(r.toasts(refused)).toEqual(['Эта кнопка уже не действует. Выберите действие заново.']);
      expect(await sql(`select kind from reminder_opt_out where account_id = ?`, [stranger.accountId])).toEqual([]);

      await r.press(buttons.settings.reminders.pack({}));
      expect(r.lastText()).toContain(h.longNumber);
      await r.tap(/⬜️ Приём показаний/);
      expect(await sql(`select kind from reminder_opt_out where account_id = ?`, [h.accountId])).toEqual([]);
      expect(r.lastInlineButtons().map((x) => x.text)).toEqual([`✅ Приём показаний · ${h.longNumber}`, `✅ Поверка счётчиков · ${h.longNumber}`]);

      await kit.billing.residents.markBlocked({ telegramId: h.tid });
      await r.send({
        my_chat_member: {
          chat: { id: h.tid, type: 'private', first_name: 'Тест' },
          from: { id: h.tid, is_bot: false, first_name: 'Тест' },
          date: 0,
          old_chat_member: { status: 'kicked', user: { id: 1, is_bot: true, first_name: 'bot' }, until_date: 0 },
          new_chat_member: { status: 'member', user: { id: 1, is_bot: true, first_name: 'bot' } },
        },
      } as never);
      expect(await sql(`select blocked from resident where telegram_id = ?`, [h.tid])).toEqual([{ blocked: false }]);
    } finally {
      await kit.close();
    }
  });
});
